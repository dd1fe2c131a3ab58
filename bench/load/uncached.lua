-- wrk script: every request searches for a random word and carries a random extra parameter,
-- so the page cache never answers and every request reaches the view and the database.
local words = {"council", "energy", "housing", "food", "health", "youth", "climate", "budget",
  "transport", "library", "volunteers", "training", "credit", "market", "carers", "digital",
  "assembly", "garden", "flood", "childcare", "debt", "wages", "heritage", "recycling"}

function init(args)
  base = args[1]
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
  local sep = string.find(base, "?", 1, true) and "&" or "?"
  local path = base .. sep .. "q=" .. words[math.random(#words)] .. "&nocache=" .. math.random(1, 1000000000)
  return wrk.format("GET", path)
end
