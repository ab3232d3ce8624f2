-- wrk script for the benchmark's writes (bench/load.py): POST /api/users, each
-- request with an email address no other request of the run uses.
--
--   wrk ... -s bench/write.lua URL -- PREFIX
--
-- The address is PREFIX-THREAD-N@example.com: the harness gives every wrk run its
-- own PREFIX, each thread has its number, and N counts the thread's requests. It
-- loads report.lua, beside this file, for the counting and the JSON line.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local report_setup, report_init = setup, init
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  report_setup(thread)
end

function init(args)
  report_init(args)
  prefix = args[1] or "bench"
  counter = 0
end

function request()
  counter = counter + 1
  local email = string.format("%s-%d-%d@example.com", prefix, thread_number, counter)
  local body = string.format('{"name":"Bench User","email":"%s"}', email)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
