-- wrk script: every request carries a random extra parameter, so the page cache never answers
-- and every request reaches the view and the database. With a second argument "search", every
-- request also searches for a random word.
local words = {"council", "energy", "housing", "food", "health", "youth", "climate", "budget",
  "transport", "library", "volunteers", "training", "credit", "market", "carers", "digital",
  "assembly", "garden", "flood", "childcare", "debt", "wages", "heritage", "recycling"}

function init(args)
  base = args[1]
  search = args[2] == "search"
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
  local sep = string.find(base, "?", 1, true) and "&" or "?"
  local path = base .. sep .. "nocache=" .. math.random(1, 1000000000)
  if search then
    path = path .. "&q=" .. words[math.random(#words)]
  end
  return wrk.format("GET", path)
end
