//! Outgoing e-mail. With an SMTP server configured, messages go through it (lettre, TLS by
//! rustls); without one, each message is written as an `.eml` file to an outbox folder and the
//! log says where, so Haven works offline and tests can read what was sent.
//!
//! Messages are plain text: they carry links and short notices, and plain text is what every
//! mail client shows safely.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::transport::file::AsyncFileTransport;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// A message to send.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Addresses and bodies are personal data: never in debug output or logs.
impl fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OutgoingMail(…)")
    }
}

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address is not valid.
    #[error("the e-mail address is not valid")]
    Address,
    /// The message could not be built.
    #[error("the message could not be built: {0}")]
    Build(String),
    /// The SMTP URL in the configuration is not valid.
    #[error("the SMTP URL is not valid: {0}")]
    Config(String),
    /// Delivery failed.
    #[error("the message could not be delivered: {0}")]
    Delivery(String),
}

impl MailError {
    /// What went wrong, in one word, for logs: the error's text can quote an address (an SMTP
    /// server's reply), so logs carry only this.
    pub const fn kind(&self) -> &'static str {
        match self {
            MailError::Address => "address",
            MailError::Build(_) => "build",
            MailError::Config(_) => "config",
            MailError::Delivery(_) => "delivery",
        }
    }
}

/// Sends messages.
#[async_trait]
pub trait Mailer: Send + Sync + fmt::Debug {
    /// Sends one message.
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail.to.parse().map_err(|_| MailError::Address)?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| MailError::Build(e.to_string()))
}

/// Writes messages to a folder.
pub struct OutboxMailer {
    from: Mailbox,
    dir: PathBuf,
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl fmt::Debug for OutboxMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxMailer")
            .field("dir", &self.dir)
            .finish()
    }
}

impl OutboxMailer {
    /// Writes into `dir`, creating it if needed.
    pub fn new(dir: &Path, from: &str) -> Result<Self, MailError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            MailError::Config(format!("cannot create the outbox {}: {e}", dir.display()))
        })?;
        Ok(Self {
            from: from.parse().map_err(|_| MailError::Address)?,
            dir: dir.to_owned(),
            transport: AsyncFileTransport::new(dir),
        })
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build(&self.from, mail)?;
        let id = self
            .transport
            .send(message)
            .await
            .map_err(|e| MailError::Delivery(e.to_string()))?;
        tracing::info!(outbox = %self.dir.display(), file = %format!("{id}.eml"), "message written to the outbox (no SMTP server configured)");
        Ok(())
    }
}

/// Sends through an SMTP server.
pub struct SmtpMailer {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: never shown.
        f.write_str("SmtpMailer(…)")
    }
}

impl SmtpMailer {
    /// From a URL such as `smtps://user:password@mail.example.org:465` or
    /// `smtp://mail.example.org:587?tls=required`.
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(e.to_string()))?
            .build();
        Ok(Self {
            from: from.parse().map_err(|_| MailError::Address)?,
            transport,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build(&self.from, mail)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Delivery(e.to_string()))
    }
}

/// The mailer the configuration asks for.
pub fn from_config(
    smtp_url: Option<&str>,
    from: &str,
    outbox: &Path,
) -> Result<Arc<dyn Mailer>, MailError> {
    Ok(match smtp_url {
        Some(url) => Arc::new(SmtpMailer::new(url, from)?),
        None => Arc::new(OutboxMailer::new(outbox, from)?),
    })
}

/// Reads every message in an outbox folder, oldest first: for tests and for people running
/// Haven without SMTP.
pub fn read_outbox(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "eml"))
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(_, path)| std::fs::read_to_string(path))
        .collect()
}

/// The decoded text body of a message read from the outbox (base64, or quoted-printable with
/// its soft breaks undone), for finding links in tests.
pub fn body_text(eml: &str) -> String {
    let (headers, body) = eml.split_once("\r\n\r\n").unwrap_or(("", eml));
    if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine as _;
        let packed: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(packed) {
            return String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    let mut out = String::new();
    let mut bytes = body
        .replace("=\r\n", "")
        .into_bytes()
        .into_iter()
        .peekable();
    while let Some(b) = bytes.next() {
        if b == b'=' {
            let hi = bytes.next();
            let lo = bytes.next();
            if let (Some(hi), Some(lo)) = (hi, lo)
                && let Ok(value) =
                    u8::from_str_radix(&format!("{}{}", char::from(hi), char::from(lo)), 16)
            {
                out.push(char::from(value));
                continue;
            }
        }
        out.push(char::from(b));
    }
    // Bytes were pushed one by one; re-decode UTF-8 sequences.
    let raw: Vec<u8> = out.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8_lossy(&raw).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_errors_kind_never_quotes_its_text() {
        let reply = "550 amina@example.org: no such user".to_owned();
        for (e, kind) in [
            (MailError::Address, "address"),
            (MailError::Build(reply.clone()), "build"),
            (MailError::Config(reply.clone()), "config"),
            (MailError::Delivery(reply), "delivery"),
        ] {
            assert_eq!(e.kind(), kind);
        }
    }

    #[tokio::test]
    async fn outbox_holds_what_was_sent() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxMailer::new(dir.path(), "Haven <haven@example.org>").unwrap();
        let mail = OutgoingMail {
            to: "amina@example.org".to_owned(),
            subject: "Your invitation".to_owned(),
            body: "Open https://haven.example.org/account/set-up/abc to join. مرحبا".to_owned(),
        };
        mailer.send(&mail).await.unwrap();
        let messages = read_outbox(dir.path()).unwrap();
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("To: amina@example.org"));
        let body = body_text(&messages[0]);
        assert!(
            body.contains("https://haven.example.org/account/set-up/abc"),
            "{body}"
        );
        assert!(body.contains("مرحبا"), "{body}");
        assert_eq!(format!("{mail:?}"), "OutgoingMail(…)");
    }

    #[tokio::test]
    async fn bad_addresses_and_urls_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxMailer::new(dir.path(), "haven@example.org").unwrap();
        let mail = OutgoingMail {
            to: "not an address".to_owned(),
            subject: "x".to_owned(),
            body: "y".to_owned(),
        };
        assert!(matches!(mailer.send(&mail).await, Err(MailError::Address)));
        assert!(SmtpMailer::new("gopher://mail", "haven@example.org").is_err());
    }
}
