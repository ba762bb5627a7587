//! Sending Haven's e-mails. A message that cannot be sent is logged without its recipient or
//! contents (both personal data) and does not fail the request: the page a person sees must not
//! depend on, or reveal, what happened to a message.

use haven_domain::accounts::Email;
use haven_mail::OutgoingMail;
use time::OffsetDateTime;

use crate::state::AppState;

/// Sends one plain-text message.
pub(crate) async fn send(state: &AppState, to: &Email, subject: String, body: String) {
    let mail = OutgoingMail {
        to: to.as_str().to_owned(),
        subject,
        body,
    };
    if let Err(e) = state.mailer().send(&mail).await {
        // The error's text can quote the address (an SMTP server's reply), so only its kind.
        tracing::warn!(kind = e.kind(), "an e-mail could not be sent");
    }
}

/// A time for an e-mail, in UTC to the minute.
pub(crate) fn when(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

/// An absolute link to a path of this Haven.
pub(crate) fn link(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config().public_url)
}
