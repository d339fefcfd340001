-- wrk script: every request is one transfer with a new, time-ordered id (this wrk thread's
-- prefix, then a counter), between two random accounts of the bench currency. Environment:
-- TOKEN (the treasurer's API token), FIRST (the first account id), ACCOUNTS (how many),
-- PREFIX (the ids' prefix, "w" when unset: runs against one store need their own).
local token = os.getenv("TOKEN")
local first = tonumber(os.getenv("FIRST"))
local accounts = tonumber(os.getenv("ACCOUNTS"))
local counter = 0
local base = os.getenv("PREFIX") or "w"
local prefix = base
local thread_count = 0
setup = function(thread)
  thread:set("prefix", base .. thread_count)
  thread_count = thread_count + 1
end
request = function()
  counter = counter + 1
  local from = first + math.random(0, accounts - 1)
  local to = first + (from - first + math.random(1, accounts - 1)) % accounts
  local body = string.format('{"id":"%s-%012d","debit_account":%d,"credit_account":%d,"amount":1}', prefix, counter, from, to)
  return wrk.format("POST", "/api/v1/transfers", {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
