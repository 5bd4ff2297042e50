-- One reader's requests, tallied so the harness can tell a real page from a redirect or an error.
--
-- wrk counts a 3xx as a success; a login redirect or a paywall bounce would then look fast, so
-- every response that is not a 200 is counted here and reported by done().
--
-- BENCH_FRESH_READER=1 (scenario 1): wrk keeps no cookie jar, and we make sure no Cookie header
-- is sent, so every request arrives as a brand-new anonymous reader whose read the meter must
-- record. The server proves it minted a reader id by answering with Set-Cookie every time.

local threads = {}
local fresh = os.getenv("BENCH_FRESH_READER") == "1"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if fresh then
    wrk.headers["Cookie"] = nil
  end
  responses = 0
  non_200 = 0
  set_cookie = 0
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    non_200 = non_200 + 1
  end
  for name, _ in pairs(headers) do
    if string.lower(name) == "set-cookie" then
      set_cookie = set_cookie + 1
      break
    end
  end
end

function done(summary, latency, requests)
  local total, bad, cookies = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("responses")
    bad = bad + thread:get("non_200")
    cookies = cookies + thread:get("set_cookie")
  end
  io.write(string.format("bench: responses=%d\nbench: non_200=%d\nbench: set_cookie=%d\n", total, bad, cookies))
end
