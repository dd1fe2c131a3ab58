-- wrk script for the "cold" modes: walks a file of addresses (bench/load/cold.py makes it),
-- one per line, each wrk thread from a random place, so that nearly every request is a filter
-- combination (and search word) that no worker has seen. Arguments: the file's path.
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
  return wrk.format("GET", paths[at])
end
