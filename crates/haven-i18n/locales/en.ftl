# Haven's interface in English. Keep message ids in step with every other language file.

site-name = Haven
skip-to-content = Skip to main content
language-switcher = Language
demo-banner = This is demo data. The organisations are real; their contact details are examples, not theirs.

home-title = Find help near you
home-heading = What do you need help with?
home-lead = Find organisations near you that help migrants and refugees, in your language.
home-need-label = What do you need help with?
home-need-hint = For example: English classes, legal advice, housing
home-place-label = Where are you?
home-place-hint = A postcode, the start of one (like LS1), or a town
home-search = Search
home-count = { $organisations ->
    [one] One organisation is listed
   *[other] { $organisations } organisations are listed
  } with { $services ->
    [one] one service.
   *[other] { $services } services.
  }

footer-about = About Haven and its data

error-title = Something went wrong
error-not-found-title = Page not found
error-not-found-body = We could not find that page. It may have moved, or the link may be wrong.
error-bad-request-title = We could not understand that request
error-unavailable-title = Haven is busy or unreachable
error-unavailable-body = Please try again in a minute.
error-internal-body = This is our fault, not yours. Please try again; if it keeps happening, tell the people who run this site and give them the reference below.
error-reference = Reference: { $code } · request { $request }
error-home-link = Go to the home page
