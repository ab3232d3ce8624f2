-- wrk script for the benchmark (bench/load.py): count non-2xx responses by status,
-- then print one JSON line.
--
-- wrk itself counts only statuses of 400 and above as errors; a redirect or any
-- other non-2xx answer would pass unseen, so every response is checked here.
-- Each wrk thread runs its own Lua state: setup() keeps a handle on each thread,
-- and done() sums their counters. A thread's counters are plain globals, which
-- thread:get() can read: `non_2xx`, one `status_<code>` per code seen, and `seen`,
-- the codes as a comma-separated list.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  seen = ""
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    local key = "status_" .. status
    if _G[key] == nil then
      _G[key] = 0
      seen = seen .. status .. ","
    end
    _G[key] = _G[key] + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    non = non + thread:get("non_2xx")
    for code in string.gmatch(thread:get("seen"), "(%d+),") do
      by_status[code] = (by_status[code] or 0) + thread:get("status_" .. code)
    end
  end
  local parts = {}
  for code, count in pairs(by_status) do
    table.insert(parts, string.format('"%s":%d', code, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"non_2xx":%d,"statuses":{%s},'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, non, table.concat(parts, ","),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
