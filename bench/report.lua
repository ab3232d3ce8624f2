-- wrk script for bench/run.py: count non-2xx responses, then print one JSON line.
--
-- wrk itself counts only statuses of 400 and above as errors; a redirect or any
-- other non-2xx answer would pass unseen, so every response is checked here.
-- Each wrk thread runs its own Lua state: setup() keeps a handle on each thread,
-- and done() sums their counters.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  for _, thread in ipairs(threads) do
    non = non + thread:get("non_2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"non_2xx":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, non,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
