-- wrk script: library search (issue 8's target) with text in four languages, one filter in
-- two requests of three, facets on, a page of 20. Percent-encoded: wrk sends it as it is.
local words = {"cooperative", "coop%C3%A9rative", "solidaridad", "alimenta%C3%A7%C3%A3o", "energy%20market", "epicerie",
               "cr%C3%A9dito", "women", "formation", "reciclaje", "agua", "economy%20circular"}
local filters = {"&theme=food_sovereignty", "&language=fr", "", "&type=case_study", "&sdg=8", "", "&country=BR,SN"}
local counter = 0
request = function()
  counter = counter + 1
  local q = words[counter % #words + 1]
  local filter = filters[math.floor(counter / 5) % #filters + 1]
  return wrk.format("GET", "/api/v1/library/resources?q=" .. q .. filter .. "&limit=20")
end
