-- wrk script: replay the paths of LOAD_URLS (kind<TAB>path per line), only
-- those of LOAD_KIND ("mix": every kind but heavy, crawl and healthz); count
-- searches answered with the over-budget message, and heavy searches refused
-- for want of a slot (503 with the busy message); stop each thread after
-- LOAD_MAX_PER_THREAD responses; count every other non-200 response as an
-- error (a busy refusal too, outside the heavy kind: ordinary searches never
-- need a slot); print one JSON line of results at the end.

local file = os.getenv("LOAD_URLS")
local kind = os.getenv("LOAD_KIND") or "mix"
local max_per_thread = tonumber(os.getenv("LOAD_MAX_PER_THREAD") or "0")

local function load_paths()
  local paths = {}
  for line in io.lines(file) do
    local k, path = line:match("^(%S+)\t(%S+)$")
    local normal = k ~= "heavy" and k ~= "healthz" and k ~= "crawl"
    if k and ((kind == "mix" and normal) or k == kind) then paths[#paths + 1] = path end
  end
  assert(#paths > 0, "no paths of kind " .. kind .. " in " .. file)
  return paths
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end

function init(args)
  paths = load_paths()
  position = (id * 7919) % #paths   -- threads start at different places
  responses, bad, over_budget, busy = 0, 0, 0, 0
  statuses = {}
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], {["Accept-Encoding"] = "gzip"})
end

function response(status, headers, body)
  responses = responses + 1
  if body and string.find(body, "工作量上限", 1, true) then over_budget = over_budget + 1 end
  local refused = status == 503 and body and string.find(body, "检索繁忙", 1, true)
  if refused then busy = busy + 1 end
  if status ~= 200 and not (refused and kind == "heavy") then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
  if max_per_thread > 0 and responses >= max_per_thread then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local bad_total, over_total, busy_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    over_total = over_total + thread:get("over_budget")
    busy_total = busy_total + thread:get("busy")
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"kind": "%s", "requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, "non_200": %d, "socket_errors": %d, "over_budget": %d, "busy": %d}\n',
    (os.getenv("LOAD_LABEL") or kind), summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad_total, socket_errors, over_total, busy_total))
end
