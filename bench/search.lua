-- wrk script: search with text + bbox + one filter (issue 3's target), over the demo register.
-- Words and places rotate so that requests are not all the same.
-- Percent-encoded: wrk sends the target as it is.
local words = {"cooperativa", "coop%C3%A9rative", "bakery", "padaria", "energie", "association", "recycling", "librer%C3%ADa"}
local boxes = {"-10,35,5,45", "-5,40,10,52", "-80,-40,-30,20", "-10,50,2,60", "-100,10,-60,50"}
local forms = {"OS60", "OS80", "OS20", "OS100", "OS30"}
local counter = 0
request = function()
  counter = counter + 1
  local q = words[counter % #words + 1]
  local bbox = boxes[math.floor(counter / 3) % #boxes + 1]
  local form = forms[math.floor(counter / 7) % #forms + 1]
  return wrk.format("GET", "/api/v1/organisations?q=" .. q .. "&bbox=" .. bbox .. "&legal_form=" .. form .. "&limit=20")
end
