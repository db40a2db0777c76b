-- wrk script for bench/vouchers.py: every request redeems the next unused voucher, once, with its
-- own idempotency key; at the end one JSON line with latency percentiles and status counts.
--   wrk -t T -c C -d S --latency -s vouchers_redeem.lua URL -- CODES_FILE TOKEN T [RUN]
-- (URL "/api/v1/training/health" with MODE=health in the environment sends GETs there instead.)

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  codes = {}
  for line in io.lines(args[1]) do
    table.insert(codes, line)
  end
  token = args[2]
  stride = tonumber(args[3])
  run = args[4] or tostring(os.time()) -- keys differ between runs against the same database
  health = os.getenv("MODE") == "health"
  next_index = id + 1 -- thread k takes codes k+1, k+1+T, k+1+2T, …: no code is sent twice
  statuses = {}
  exhausted = 0
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. token }
  if health then
    return wrk.format("GET", "/api/v1/training/health", headers)
  end
  local code = codes[next_index]
  if code == nil then
    -- Out of vouchers: stop this thread (bench/vouchers.py issues more than a run can use).
    exhausted = exhausted + 1
    wrk.thread:stop()
    code = "EXHAUSTED"
  end
  local body = '{"code":"' .. code .. '","idempotency_key":"bench-' .. run .. '-' .. next_index .. '"}'
  next_index = next_index + stride
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/training/vouchers/redeem", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local exhausted_total = 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    exhausted_total = exhausted_total + thread:get("exhausted")
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, '
      .. '"max_ms": %.3f, "statuses": {%s}, "socket_errors": %d, "exhausted": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, table.concat(parts, ", "),
    errors.connect + errors.read + errors.write + errors.timeout, exhausted_total))
end
