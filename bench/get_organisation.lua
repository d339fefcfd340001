-- wrk script: GET /api/v1/organisations/{id} for ids spread over 1..N (N from the env, default 2000).
local n = tonumber(os.getenv("SOLIDUM_BENCH_ORGS") or "2000")
local counter = 0
request = function()
  counter = counter + 1
  local id = (counter * 7919) % n + 1
  return wrk.format("GET", "/api/v1/organisations/" .. id)
end
