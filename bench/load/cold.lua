-- wrk script for the "cold" modes: walks a file of addresses (bench/load/cold.py makes it),
-- one per line, each wrk thread from a random place, so that nearly every request is a filter
-- combination (and search word) that no worker has seen. Arguments: the file's path.
--
-- Every request also carries a parameter of its own (cold=<random>), which no view reads: the
-- page cache neither serves such a page from nor stores it (casestudies/caching/pages.py), so an
-- address met again later in the run (the file is walked round) is drawn again, not answered
-- from Redis.
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
  at = math.random(#paths)
end

function request()
  at = at % #paths + 1
  local path = paths[at]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. sep .. "cold=" .. math.random(1, 1000000000))
end
