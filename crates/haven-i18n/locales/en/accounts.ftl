# Accounts: set-up, sign-in, second factor, the account page.

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
request-error-throttled = Too many requests from here or for this address. Wait { $minutes } minute(s), then try again.

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

account-language = Language of your e-mails
account-language-label = Haven writes to you in
account-language-submit = Save language
account-error-language = Choose one of the languages in the list.
