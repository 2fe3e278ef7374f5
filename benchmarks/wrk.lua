-- wrk script for benchmarks/bench.py.
--
-- With BENCH_PATHS set to a file of request paths (one a line), each request
-- takes a random one of them: the long tail of distinct searches. Without it,
-- every request is the URL given on the command line.
-- Either way, done() prints one line of JSON that bench.py reads.

local paths_file = os.getenv("BENCH_PATHS")

if paths_file and paths_file ~= "" then
  local paths = {}
  for line in io.lines(paths_file) do
    paths[#paths + 1] = line
  end
  -- Each wrk thread has its own Lua state; a table's address tells them apart.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)

  request = function()
    return wrk.format("GET", paths[math.random(#paths)])
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)
  ))
end
