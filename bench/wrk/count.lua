-- wrk script for bench/run's reload runs: counts the responses by HTTP status and prints, in done(),
-- one machine-readable line with the totals of all threads:
--   count.lua: requests=N ok=N bad=N connect=N read=N write=N timeout=N statuses=200:N,503:N
-- ok = 2xx and 3xx responses, bad = any other status; connect/read/write/timeout are wrk's socket errors.
-- Each wrk thread has its own Lua state, so every thread counts in its own globals and done()
-- collects them through the thread objects remembered in setup().

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local total, ok, bad = {}, 0, 0
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses") or {}) do
         total[status] = (total[status] or 0) + n
         if status >= 200 and status < 400 then ok = ok + n else bad = bad + n end
      end
   end
   local codes = {}
   for status in pairs(total) do table.insert(codes, status) end
   table.sort(codes)
   local parts = {}
   for _, status in ipairs(codes) do table.insert(parts, status .. ":" .. total[status]) end
   local e = summary.errors
   io.write(string.format("count.lua: requests=%d ok=%d bad=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
      summary.requests, ok, bad, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
