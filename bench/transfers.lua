-- wrk script: every request is one transfer with a new, time-ordered id (this wrk thread's
-- prefix, then a counter), between two random accounts of the bench currency. Environment:
-- TOKEN (the treasurer's API token), FIRST (the first account id), ACCOUNTS (how many),
-- PREFIX (the ids' prefix, "w" when unset: runs against one store need their own).
--
-- Each request is one string.format on a head built once in init(), not wrk.format (which
-- builds the whole request from a table of headers every time): the client shares the
-- server's two cores, and wrk's own notes warn that building requests is expensive
-- (bench/RESULTS.md, 2026-12-02: the server's work is the same either way).
local token = os.getenv("TOKEN")
local first = tonumber(os.getenv("FIRST"))
local accounts = tonumber(os.getenv("ACCOUNTS"))
local base = os.getenv("PREFIX") or "w"
local prefix = base
local thread_count = 0
local head
local counter = 0
local random, format = math.random, string.format

setup = function(thread)
  thread:set("prefix", base .. thread_count)
  thread_count = thread_count + 1
end

-- The n-th transfer of this thread, as a whole HTTP request.
local function build(n)
  local from = first + random(0, accounts - 1)
  local to = first + (from - first + random(1, accounts - 1)) % accounts
  local body = format('{"id":"%s-%012d","debit_account":%d,"credit_account":%d,"amount":1}', prefix, n, from, to)
  return format("%s%d\r\n\r\n%s", head, #body, body)
end

init = function()
  prefix = rawget(_G, "prefix") or base  -- set by setup(), for this thread
  head = "POST /api/v1/transfers HTTP/1.1\r\nHost: " .. wrk.headers["Host"] .. "\r\nAuthorization: Bearer " .. token ..
         "\r\nContent-Type: application/json\r\nContent-Length: "
end

request = function()
  counter = counter + 1
  return build(counter)
end
