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

setup-title = Set up your account
setup-lead = Choose a password, then connect an authenticator app on your phone. Both are needed to sign in, because Haven holds information about people who need it kept safe.
setup-password-heading = 1. Choose a password
setup-password = Password
setup-password-hint = At least 12 characters. A few unrelated words make a strong password that is easy to remember.
setup-password-again = Type the password again
setup-totp-heading = 2. Connect an authenticator app
setup-totp-lead = Scan this code with an authenticator app (for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator), or type the key below into it.
setup-totp-key = Key:
setup-totp-code = The 6-digit code the app shows now
setup-submit = Finish setting up
setup-error-mismatch = The two passwords are not the same.
setup-error-code = That code is not right. Check the app shows Haven, and type the code it shows now.

password-error-too-short = Your password must be at least 12 characters long.
password-error-too-long = Your password must be at most 256 characters long.
password-error-common = That password is one of the most common passwords. Choose another.
password-error-contains-email = Your password must not contain your e-mail address.

recovery-title = Save your recovery codes
recovery-lead = If you lose your phone, each of these codes lets you sign in once instead of a code from the app. Print them or keep them somewhere safe. They are shown only this once.
recovery-continue = I have saved them: continue

sign-in-title = Sign in
sign-in-email = E-mail address
sign-in-password = Password
sign-in-submit = Sign in
sign-in-error-wrong = The e-mail address or the password is not right.
sign-in-error-throttled = Too many attempts. Wait { $minutes } minute(s), then try again.

code-title = Enter your code
code-lead = Open your authenticator app and type the code it shows for Haven.
code-label = Code
code-hint = 6 digits from the app, or one of your recovery codes
code-submit = Continue
code-error-wrong = That code is not right, or has been used already.

account-title = Your account
account-signed-in-as = Signed in as { $email }
account-site-admin = You are a site administrator.
account-organisations = Your organisations
account-no-organisations = You are not a member of any organisation yet.
account-sign-out = Sign out
account-sign-out-everywhere = Sign out on every device

role-viewer = viewer
role-volunteer = volunteer
role-caseworker = caseworker
role-organisation_admin = organisation administrator
