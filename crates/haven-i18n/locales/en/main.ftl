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
error-bad-request-body = Please check what you entered and try again.

form-problems = There is a problem
report-title = Report a problem with this listing
report-about = Listing:
report-reason = What is wrong?
report-reason-wrong_details = The phone number, address, opening hours or other details are wrong
report-reason-closed = This service has closed
report-reason-other = Something else
report-details = Tell us more (optional)
report-details-hint = Do not include your name or contact details, or anyone else's.
report-send = Send report
report-error-reason = Choose what is wrong with the listing.
report-error-details-long = Your message is too long: keep it under 2,000 characters.
report-error-details-control = Your message contains characters that cannot be stored.
report-thanks-title = Thank you
report-thanks-body = Your report has been sent to the people who look after this directory. They will check the listing.

error-forbidden-title = That request was refused
error-forbidden-body = It did not come from a page of this site, or the page was too old. Go back, reload the page and try again.
