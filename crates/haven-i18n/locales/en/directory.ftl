# The public directory: search, results, service and organisation pages, About.

footer-sign-in = Sign in (organisations)

search-title = Find help
search-radius = Within
search-unit = Unit of distance
search-miles = miles
search-did-you-mean = Did you mean:
search-place-unknown = We could not find a place called “{ $place }”. Check the spelling, or try a postcode or a nearby town.
search-your-location = your location
search-summary-near = { $count } services near { $place }, and services that work everywhere.
search-summary = { $count } services across the UK.
search-error-number = This must be a number.
search-error-text-long = Your search is too long: use fewer words.
search-error-coordinates = The location is not a valid latitude and longitude.
search-error-radius = The distance must be between 0 and 20,000 km.
search-error-need = That is not one of the kinds of help Haven knows.
search-error-eligibility = That is not one of the immigration statuses Haven knows.
search-error-scope = Choose local, regional or national.
search-error-sort = Sort by distance or relevance.
search-error-page = The page must be a whole number, 1 or more.
search-error-per-page = Results per page must be between 1 and 100.

filter-heading = Filter results
filter-need = Help with
filter-language = Languages spoken
filter-eligibility = Open to
filter-scope = Reach
filter-open-now = Open now
filter-apply = Apply filters

pager-label = Pages of results
pager-previous = Previous page
pager-next = Next page

need-legal-advice = Asylum and immigration legal advice
need-legal-representation = Access to legal representation
need-asylum-support = Asylum support and destitution (food, money, shelter)
need-housing = Housing
need-health = Health and mental health
need-detention-support = Detention support
need-esol = English (ESOL) classes
need-education = Education and access to university
need-employment = Employment and re-qualification
need-mentoring = Mentoring and befriending
need-family-reunion = Family reunion
need-resettlement = Resettlement
need-hate-crime = Hate crime and discrimination support
need-womens-groups = Women's groups
need-youth-groups = Youth groups
need-children-families = Children and families
need-roma-communities = Roma communities
need-lgbtqi-asylum = LGBTQI+ people seeking asylum
need-community-organising = Community organising and leadership
need-voter-registration = Voter registration
need-campaigning = Campaigning

eligibility-asylum-seeker = People seeking asylum
eligibility-refused-asylum-seeker = People refused asylum
eligibility-refugee = Refugees
eligibility-undocumented = Undocumented people
eligibility-eu-settled-status = EU settled or pre-settled status
eligibility-unaccompanied-child = Unaccompanied children
eligibility-anyone = Anyone

scope-local = Local
scope-regional = Regional
scope-national = National

reach-distance-km = { $distance } km away
reach-distance-miles = { $distance } miles away
reach-area = Covers your area
reach-national = National service: helps people anywhere in the UK
reach-remote = By phone or online: helps people anywhere

card-helps-with = Helps with:
card-languages = Languages:
card-phone = Phone:
card-hours = Open:
card-open-now = Open now
card-closed-now = Closed now
card-verified = Details checked on
hours-line = { $days }, { $opens } to { $closes }
day-0 = Monday
day-1 = Tuesday
day-2 = Wednesday
day-3 = Thursday
day-4 = Friday
day-5 = Saturday
day-6 = Sunday
place-confidential = Address withheld for safety: phone to arrange a visit

service-run-by = Run by
service-for = Open to:
service-where = Where:
service-print = Print this page
organisation-services = Services

about-title = About Haven and its data
about-lead = Haven is a directory of organisations that help migrants and refugees in the UK, run by and for the sector. It works without tracking: no cookies except the ones you choose (language) and sign-in for organisations.
about-demo = This site is running with demo data: the organisations are real, but their services' details, phone numbers and hours here are examples.
about-sources = Data sources and licences

api-error-place = That place is not in Haven's list of UK postcodes, outward codes and towns.
api-error-boolean = Use true or false.
api-error-full-minimal = Ask for full or minimal, not both.

admin-reports-title = Reports about listings
admin-reports-none = No reports are waiting.
admin-reports-received = Received { $when }
admin-reports-resolve = Checked and dealt with

search-use-my-location = Use my location
search-location-failed = We could not get your location. Type a postcode or a town instead.
