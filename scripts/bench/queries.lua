-- A rotating set of realistic directory searches for wrk: places across the UK, common needs,
-- typos and Arabic, with and without filters. Each request takes the next one in turn.
-- Usage: wrk -s queries.lua URL -- PATH [unique|-] [SUFFIX]   (PATH is /api/services or /search)
-- With "unique", each request also carries a counter parameter the server ignores, so no
-- two query strings are equal and nothing can be answered from a response cache. SUFFIX is
-- appended to every query string (e.g. "&full=true").
local places = {
  "Leeds", "Birmingham", "Manchester", "Glasgow", "Cardiff", "Belfast", "Bristol",
  "Sheffield", "Liverpool", "Newcastle", "Leicester", "Coventry", "Bradford", "Nottingham",
  "Edinburgh", "Plymouth", "Hull", "Stoke", "Derby", "Swansea", "Southampton", "Brighton",
  "LS1 4AP", "M1 1AE", "B5 4BU", "CF10 1EP", "G2 1DU", "SW1A 1AA", "E1 6AN", "N15",
}
local texts = {
  "", "", "legal advice", "asylum support", "food bank", "housing", "mental health",
  "english classes", "esol", "mentoring", "family reunion", "womens group", "youth club",
  "legl advice", "acommodation", "%D9%85%D8%B4%D9%88%D8%B1%D8%A9", "jobs", "hate crime",
}
local extras = { "", "", "", "&need=legal-advice", "&language=ar", "&open_now=1",
  "&eligibility=refugee", "&radius=10&unit=miles", "&sort=distance", "&page=2" }
local paths = {}
local n = 0
local unique = false
local count = 0
function init(args)
  local base = args[1] or "/api/services"
  unique = args[2] == "unique"
  local suffix = args[3] or ""
  local k = 0
  for i, place in ipairs(places) do
    for j, text in ipairs(texts) do
      k = k + 1
      local extra = extras[(i * 7 + j * 3) % #extras + 1]
      local q = (base == "/search") and "q" or "search"
      paths[k] = base .. "?place=" .. place:gsub(" ", "+") .. "&" .. q .. "=" .. text:gsub(" ", "+") .. extra .. suffix
    end
  end
  n = math.random(#paths)
end
function request()
  n = n % #paths + 1
  if unique then
    count = count + 1
    return wrk.format("GET", paths[n] .. "&nocache=" .. math.random(1e9) .. "-" .. count)
  end
  return wrk.format("GET", paths[n])
end
