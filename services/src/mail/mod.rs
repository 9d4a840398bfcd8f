//! Outgoing e-mail: a durable queue in the database ([`queue`]) and one sender for all
//! instances ([`Services::send_mail_round`](crate::Services::send_mail_round)).
//!
//! What causes a mail only queues it; sending happens in rounds. Each round goes to one
//! instance (a [`crate::jobs::claim`]), which takes due mails one at a time under a
//! lease, sends them, and marks them sent, or due again later (a transient failure:
//! 30 s, then twice as long each time, at most an hour apart) or failed for good (a
//! permanent SMTP refusal, or [`MAX_ATTEMPTS`]). So a mail survives an SMTP outage and
//! a restart, and goes out once. (An instance that dies between the SMTP server's
//! "accepted" and marking the mail sent leaves it to be sent again after its lease: the
//! one way to get a mail twice.)
//!
//! Without SMTP configured ([`Transport::Log`]), mails are written to the log at info
//! level, saying so: a trial on one machine works without a mail server.

pub mod queue;
pub mod texts;

use lettre::message::{header, Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Attempts after which a mail is given up.
pub const MAX_ATTEMPTS: i64 = 20;
/// How long an instance may take to send one mail before another may try it.
pub const LEASE: Duration = Duration::from_secs(120);
/// How often instances look for due mails (a queued mail also wakes its own instance).
pub const ROUND_EVERY: Duration = Duration::from_secs(5);

/// A mail to queue: both bodies in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// One-click unsubscribe address (RFC 8058), for notices.
    pub unsubscribe: Option<String>,
}

/// Where mails go.
#[derive(Clone)]
pub enum Transport {
    /// No SMTP server configured: the log.
    Log,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Transport {
    // The URL may hold a password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Log => f.write_str("Log"),
            Transport::Smtp(_) => f.write_str("Smtp"),
        }
    }
}

/// How this installation sends mail, and what its links start with.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: Transport,
    /// The sender (`--mail-from`), e.g. `marktchat <noreply@markt.example>`.
    pub from: Mailbox,
    /// What links in mails start with: the public URL, never a request's `Host`
    /// header (which whoever asks for a reset link could choose).
    pub site_url: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: Transport::Log,
            from: "marktchat <noreply@localhost>".parse().expect("a valid mailbox"),
            site_url: "http://127.0.0.1:3000".into(),
        }
    }
}

/// A setting that cannot work, with what to write instead.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("--smtp-url: {0} (examples: smtp://mail.example:587?tls=required, smtps://user:password@mail.example)")]
    SmtpUrl(String),
    #[error("--mail-from: {0} (example: \"marktchat <noreply@markt.example>\")")]
    From(String),
}

impl MailSettings {
    /// From the operator's settings: `smtp_url` as lettre reads it (`smtp://` plain,
    /// `smtp://…?tls=required` for STARTTLS, `smtps://` for TLS; credentials in the
    /// URL), or none for the log.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        site_url: &str,
    ) -> Result<MailSettings, SettingsError> {
        let transport = match smtp_url {
            None => Transport::Log,
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| SettingsError::SmtpUrl(e.to_string()))?;
                Transport::Smtp(builder.timeout(Some(Duration::from_secs(20))).build())
            }
        };
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| SettingsError::From(e.to_string()))?;
        Ok(MailSettings { transport, from, site_url: site_url.trim_end_matches('/').to_owned() })
    }
}

/// What sending one mail came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    Done,
    /// Worth another try later (the server is down, busy, a 4xx answer).
    Transient(String),
    /// Never worth another try (a 5xx answer, an address lettre cannot write).
    Permanent(String),
}

/// Sends one queued mail as a multipart (plain text and HTML) message.
pub async fn send(settings: &MailSettings, mail: &queue::Queued) -> Sent {
    let to: Mailbox = match mail.recipient.parse() {
        Ok(to) => to,
        Err(e) => return Sent::Permanent(format!("recipient: {e}")),
    };
    let mut builder = lettre::Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(None);
    if let Some(url) = &mail.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
    }
    let message = match builder.multipart(MultiPart::alternative_plain_html(
        mail.body_text.clone(),
        mail.body_html.clone(),
    )) {
        Ok(m) => m,
        Err(e) => return Sent::Permanent(format!("message: {e}")),
    };
    match &settings.transport {
        Transport::Log => {
            tracing::info!(
                to = %mail.recipient,
                subject = %mail.subject,
                text = %mail.body_text,
                "no SMTP server configured (--smtp-url): this mail goes to the log instead"
            );
            Sent::Done
        }
        // Within half the lease: a slow server must not let another instance take the
        // mail while this one still sends it.
        Transport::Smtp(smtp) => match tokio::time::timeout(LEASE / 2, smtp.send(message)).await {
            Ok(Ok(_)) => Sent::Done,
            Ok(Err(e)) if e.is_permanent() => Sent::Permanent(crate::error::report(&e)),
            Ok(Err(e)) => Sent::Transient(crate::error::report(&e)),
            Err(_) => Sent::Transient("the SMTP server took too long".into()),
        },
    }
}

/// `List-Unsubscribe` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);
/// `List-Unsubscribe-Post` (RFC 8058): one click, no confirmation page.
#[derive(Clone)]
struct ListUnsubscribePost(String);

macro_rules! text_header {
    ($ty:ident, $name:literal) => {
        impl header::Header for $ty {
            fn name() -> header::HeaderName {
                header::HeaderName::new_from_ascii_str($name)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($ty(s.to_owned()))
            }
            fn display(&self) -> header::HeaderValue {
                header::HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}
text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

/// How long after its `attempts`-th failed attempt a mail is due again.
pub fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 7)).unwrap_or(7);
    (Duration::from_secs(30) * 2u32.pow(doublings)).min(Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn settings_say_what_is_wrong() {
        let bad = MailSettings::new(Some("ftp://mail.example"), "a@b.example", "http://x");
        assert!(matches!(bad, Err(SettingsError::SmtpUrl(_))));
        let bad = MailSettings::new(None, "not an address", "http://x");
        assert!(matches!(bad, Err(SettingsError::From(_))));
        let ok = MailSettings::new(
            Some("smtp://127.0.0.1:2525"),
            "marktchat <noreply@markt.example>",
            "https://markt.example/",
        )
        .unwrap();
        assert!(matches!(ok.transport, Transport::Smtp(_)));
        assert_eq!(ok.site_url, "https://markt.example");
    }
}
