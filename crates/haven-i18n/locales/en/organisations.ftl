# Organisations: signing up, approval, members, invitations, the audit trail; password reset;
# new-device alerts.

org-sign-up-title = Sign up your organisation
org-sign-up-lead = Organisations that support migrants and refugees can use Haven to keep their work safe. Tell us who you are; a site administrator checks every application before it can be used.
org-sign-up-name = Organisation name
org-sign-up-email = E-mail address
org-sign-up-email-hint = Yours: you will be the organisation's first administrator.
org-sign-up-listing = Your listing in the directory (optional)
org-sign-up-listing-hint = If your organisation is already listed in Haven's directory, choose it so you can look after it.
org-sign-up-listing-none = Not listed, or not sure
org-sign-up-submit = Apply
org-sign-up-done-title = Application received
org-sign-up-done-body = Thank you. We have sent a message to the address you gave. When a site administrator has approved your organisation, you will receive another message telling you how to sign in.
org-error-name = Enter the organisation's name (at most 200 characters).
org-error-email = Enter an e-mail address, like name@example.org.
org-error-listing = Choose a listing from the list, or none.
org-error-role = Choose a role.
org-error-already-member = This person is already a member.
org-error-last-admin = An organisation must keep at least one administrator: make someone else an administrator first.

org-mail-received-subject = Your application to use Haven
org-mail-received-body = We have received the application for { $organisation } to use Haven. A site administrator will look at it soon, and you will receive a message when it has been decided. If you did not apply, you can ignore this message.
org-mail-approved-subject = { $organisation } can now use Haven
org-mail-approved-set-up-body = { $organisation } has been approved. Open this link to choose your password and set up your second factor (it works once, for 7 days):

    { $link }
org-mail-approved-sign-in-body = { $organisation } has been approved. Sign in to Haven with your existing account to start:

    { $link }
org-mail-invited-subject = You are invited to join { $organisation } on Haven
org-mail-invited-body = You have been invited to join { $organisation } on Haven as a { $role }. Open this link to accept (it works once, for 7 days):

    { $link }

    If you did not expect this, you can ignore this message.

admin-orgs-title = Organisations waiting for approval
admin-orgs-none = No organisation is waiting for approval.
admin-orgs-signed-up = Applied { $when }
admin-orgs-claims = Claims the directory listing “{ $listing }”
admin-orgs-approve = Approve
admin-orgs-reject = Reject

org-status-pending = waiting for approval
org-status-rejected = not approved
org-status-approved = approved
org-your-role = Your role: { $role }
org-act = Work for this organisation
org-acting = You are working for this organisation.
org-back = Back to the organisation

org-members-title = Members
org-members-email = E-mail address
org-members-role = Role
org-members-change = Change
org-members-new-role = New role
org-members-change-role = Change role
org-members-remove = Remove
org-invite-title = Invite someone
org-invite-submit = Send invitation

org-invitation-title = Invitation
org-invitation-lead = You have been invited to join { $organisation } as a { $role }.
org-invitation-accept = Accept
org-invitation-sign-in-first = This invitation is for an account that already exists. Sign in with that account, then open the link from the e-mail again.

link-expired-title = This link no longer works
link-expired-body = The link has been used already, or it has expired. Ask the person who sent it for a new one.

confirm-title = Confirm it is you
confirm-lead = This change needs you to prove who you are again. Enter your password and a code from your authenticator app.
confirm-submit = Confirm
confirm-error-wrong = The password or the code is not right.

org-audit-title = Audit trail
org-audit-verified = The audit trail is complete: every entry checks against the one before.
org-audit-broken = The audit trail does not verify: an entry has been changed or removed. Tell your site administrator.
org-audit-when = Time
org-audit-action = Action
org-audit-actor = By (user id)
org-audit-subject = About
org-audit-newer = Newer entries
org-audit-older = Older entries

reset-link = Forgotten your password?
reset-title = Reset your password
reset-lead = Enter the e-mail address of your account. We will send a link to choose a new password. You will still need your authenticator app (or a recovery code) to sign in.
reset-submit = Send the link
reset-sent = If an account exists for that address, we have sent it a link to choose a new password. The link works for one hour.
reset-mail-subject = Choose a new Haven password
reset-mail-body = Someone asked to reset the password of your Haven account. If it was you, open this link within one hour:

    { $link }

    If it was not you, ignore this message: your password stays the same.
reset-new-title = Choose a new password
reset-new-lead = After this you will be asked for a code from your authenticator app, or a recovery code.
reset-new-submit = Set the new password

mail-new-device-subject = A new sign-in to your account
mail-new-device-body = Your Haven account was signed in to from a browser it has not been used on before, at { $when }. If this was you, there is nothing to do. If it was not, reset your password and sign out on every device from your account page straight away.

# The organisation's own directory listing.
listing-title = Your directory listing
listing-none = Your organisation has no listing in the public directory yet. Create one, then add your services.
listing-organisation-name = Name shown in the directory
listing-organisation-description = What your organisation does
listing-create = Create the listing
listing-save = Save
listing-change = Name and description
listing-public-page = See the public page
listing-services = Services
listing-no-services = No services yet.
listing-add-service = Add a service
listing-edit-service = Edit a service
listing-remove-service = Remove
listing-save-service = Save the service
listing-service-name = Service name
listing-service-description = Description
listing-service-needs = What it helps with
listing-service-open-to = Who it is open to
listing-service-languages = Languages spoken
listing-service-phone = Phone number (optional)
listing-service-hours = Weekly opening hours (optional)
listing-service-opens = Opens at
listing-service-closes = Closes at
listing-service-place = Where it is: a UK postcode or town
listing-service-place-hint = Leave empty for a service delivered only remotely.
listing-service-confidential = Confidential location: never publish the address or exact point
listing-service-remote = Also delivered remotely (phone or online)
listing-error-name = Enter a name (at most 200 characters).
listing-error-description = The description is too long (at most 5,000 characters).
listing-error-organisation-description = Describe what your organisation does (at most 5,000 characters).
listing-error-needs = Choose at least one thing the service helps with.
listing-error-open-to = Choose who the service is open to from the list.
listing-error-languages = Choose languages from the list.
listing-error-phone = Enter a phone number, like 0113 496 0000.
listing-error-hours = Choose the days, and an opening time before the closing time (HH:MM).
listing-error-place = Enter a UK postcode or town we know, like LS1 4AP or Keighley.
listing-error-place-or-remote = Enter where the service is, or tick "delivered remotely".
listing-error-confidential = A confidential location needs a postcode or town.
listing-error-form = The form could not be read. Please try again.

# API tokens.
token-title = API tokens
token-lead = Tokens let your own systems read your listing through Haven's API (send it as "Authorization: Bearer" followed by the token). Each works until it expires or you revoke it.
token-none = No tokens yet.
token-name = Name
token-scopes = What it may do
token-expires = Expires
token-last-used = Last used
token-never-used = Never
token-status = Status
token-revoke = Revoke
token-unusable = Revoked or expired
token-new = Create a token
token-days = Expires after (days)
token-create = Create the token
token-created = Your new token
token-shown-once = Copy it now: it is shown only this once, and Haven keeps no copy it could show again.
token-error-name = Enter a name for the token (at most 100 characters).
token-error-scopes = Choose at least one thing the token may do.
token-error-days = Choose when the token expires (at most a year).

org-invite-language = Language of the invitation
org-error-language = Choose one of the languages in the list.
org-mail-rejected-subject = Your application for { $organisation } to use Haven
org-mail-rejected-body = The application for { $organisation } to use Haven has not been approved. If you think this is a mistake, write to the administrators of this Haven. If you did not apply, you can ignore this message.
