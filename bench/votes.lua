-- wrk script: every request is a vote by the next voter (one API token each, from the file
-- in $TOKENS), on the ballot in $BALLOT. Each thread takes its own slice of the voters.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local path = "/api/v1/ballots/" .. os.getenv("BALLOT") .. "/votes"
local choices = {'{"choice":"yes"}', '{"choice":"no"}', '{"choice":"abstain"}'}
local next_index = 0
local stride = 1
setup = function(thread)
  thread:set("next_index", next_index)
  next_index = next_index + 1
end
init = function(args)
  stride = tonumber(os.getenv("WRK_THREADS") or "1")
end
request = function()
  next_index = next_index + stride
  local token = tokens[(next_index - 1) % #tokens + 1]
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
                    choices[next_index % 3 + 1])
end
