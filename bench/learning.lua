-- wrk script for bench/learning.py: simulated learners, each with their own signed-in session.
--   wrk -tT -cC -dD --latency --timeout S -s learning.lua URL -- FILE MODE PERIOD STOP RAMP PHASE OFFSET T PAGES [ANSWERED]
--
-- FILE: one learner a line: "<sessionid> <csrftoken> <lesson id> <course code>".
-- MODE "beats": every learner POSTs a `progressed` statement (a heartbeat) every PERIOD seconds
--   (30), to /api/v1/learning/statements, with its session cookie and the X-CSRFToken header, a
--   fresh UUID (made of PHASE, the thread and a sequence number) and a play position 30 s further
--   on each beat (OFFSET beats were sent by an earlier run).
-- MODE "pages": every learner GETs one page every PERIOD seconds (300), chosen by PAGES:
--   "path|weight,path|weight,…" with {lesson} and {course} replaced by the learner's.
--
-- Pacing (an open model, not wrk's closed loop): a thread serving L learners must send L requests
-- every PERIOD seconds, so it keeps one schedule of send times with exponential gaps of mean
-- PERIOD/L (a Poisson stream: the sum of many independent learners' timers with jitter is one).
-- Each time a connection is free, delay() gives it the next free slot on that schedule, so a
-- connection is used every C x PERIOD/L seconds on average and no request waits for another's
-- answer unless all C connections are busy; then requests go out late, and the lateness is
-- reported. Learners take turns in a shuffled order, so each sends once per PERIOD seconds.
-- RAMP > 0: the rate climbs linearly from a tenth to the full rate over RAMP seconds.
-- STOP: no request is sent after STOP seconds (delay() parks the connection past wrk's end), so
-- nothing is in flight at the deadline and every statement the server stored had its answer read.
-- ANSWERED: heartbeats write the statement id of every 2xx answer (its body is the ids) to
-- ANSWERED.<thread>, one a line, so that the statements answered can be looked up in the log.
-- At the end one line "RESULT {json}".

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function split(s, sep)
  local out = {}
  for part in string.gmatch(s, "([^" .. sep .. "]+)") do
    table.insert(out, part)
  end
  return out
end

function init(args)
  local file, nthreads = args[1], tonumber(args[8])
  mode = args[2]
  period_ms = tonumber(args[3]) * 1000
  stop_ms = tonumber(args[4]) * 1000
  ramp_ms = tonumber(args[5]) * 1000
  phase = tonumber(args[6])
  beat_offset = tonumber(args[7])
  learners = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      local f = split(line, " ")
      table.insert(learners, { session = f[1], csrf = f[2], lesson = f[3], course = f[4], beats = 0 })
    end
    i = i + 1
  end
  math.randomseed(os.time() * 1000 + id * 7919 + phase)
  for k = #learners, 2, -1 do -- Fisher–Yates: learners take turns in a random order
    local j = math.random(k)
    learners[k], learners[j] = learners[j], learners[k]
  end
  pages = {}
  total_weight = 0
  if args[9] then
    for _, spec in ipairs(split(args[9], ",")) do
      local p = split(spec, "|")
      total_weight = total_weight + tonumber(p[2])
      table.insert(pages, { path = p[1], upto = total_weight })
    end
  end
  answered = nil
  if args[10] and mode == "beats" then
    answered = io.open(args[10] .. "." .. id, "w")
    answered:setvbuf("line")
  end
  gap_ms = period_ms / #learners -- mean gap between this thread's sends
  start = now_ms()
  next_slot = start
  slots = {} -- send times handed out by delay(), in order; request() takes the oldest
  slot_head, slot_tail = 1, 0
  turn = 0
  sequence = 0
  statuses = {}
  late_1s, late_max = 0, 0
  park = (stop_ms + 3600 * 1000)
end

function delay()
  local now = now_ms()
  local slot = next_slot
  if slot - start >= stop_ms or now - start >= stop_ms then
    return park -- past the stop: this connection sends nothing more before wrk ends
  end
  local rate = 1
  if ramp_ms > 0 and slot - start < ramp_ms then
    rate = 0.1 + 0.9 * (slot - start) / ramp_ms
  end
  next_slot = slot + (-math.log(1 - math.random()) * gap_ms / rate)
  slot_tail = slot_tail + 1
  slots[slot_tail] = slot
  local wait = slot - now
  if wait < 0 then
    return 0
  end
  return math.floor(wait)
end

local function uuid()
  sequence = sequence + 1
  return string.format("%08x-%04x-4%03x-8%03x-%012x", 0xbe0c0000 + phase, id, 0, 0, sequence)
end

function request()
  local now = now_ms()
  if slot_head <= slot_tail then
    local late = now - slots[slot_head]
    slots[slot_head] = nil
    slot_head = slot_head + 1
    if late > late_max then
      late_max = late
    end
    if late > 1000 then
      late_1s = late_1s + 1
    end
  end
  turn = turn % #learners + 1
  local learner = learners[turn]
  local cookie = "sessionid=" .. learner.session .. "; csrftoken=" .. learner.csrf
  if mode == "pages" then
    local r = math.random() * total_weight
    local path = pages[#pages].path
    for _, p in ipairs(pages) do
      if r < p.upto then
        path = p.path
        break
      end
    end
    path = string.gsub(string.gsub(path, "{lesson}", learner.lesson), "{course}", learner.course)
    return wrk.format("GET", path, { ["Cookie"] = cookie })
  end
  local beat = beat_offset + learner.beats
  -- A learner's first beat after an earlier run is a seek: the position jumps to where this run
  -- counts from (the player sends `seek` when the position jumps), not a beat faster than real time.
  local event = (beat_offset > 0 and learner.beats == 0) and "seek" or "heartbeat"
  learner.beats = learner.beats + 1
  local body = string.format(
    '{"id":"%s","verb":{"id":"http://adlnet.gov/expapi/verbs/progressed"},'
      .. '"object":{"objectType":"Activity","id":"https://skillcity.example/learning/lessons/%s/"},'
      .. '"result":{"duration":"PT30S","extensions":{"https://w3id.org/xapi/video/extensions/time":%d}},'
      .. '"context":{"extensions":{"https://w3id.org/xapi/video/extensions/event":"%s"}},'
      .. '"timestamp":"%s"}',
    uuid(), learner.lesson, (beat + 1) * 30, event, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", "/api/v1/learning/statements", {
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = learner.csrf,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if answered and status >= 200 and status < 300 then
    for uuid in string.gmatch(body, '"([0-9a-f-]+)"') do
      answered:write(uuid, "\n")
    end
  end
end

function done(summary, latency, requests)
  local counts = {}
  local late, latest = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    late = late + thread:get("late_1s")
    latest = math.max(latest, thread:get("late_max"))
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, '
      .. '"max_ms": %.3f, "statuses": {%s}, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "late_over_1s": %d, "latest_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout, late, latest))
end
