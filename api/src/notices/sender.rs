//! Handing one notice to the outside world: the `Sender` trait, the log sender (default) and the SMTP sender.
//!
//! There is no SMS gateway: SMS notices always go to the log sender. A gateway plugs in as another `Sender`, routed
//! to by `ByChannel`, without touching the outbox or the worker.

use crate::config::NotifySettings;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How a notice reaches the appellant; the values of `notices.channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn parse(value: &str) -> Option<Channel> {
        match value {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// One notice as a sender gets it.
#[derive(Clone)]
pub struct Outgoing {
    /// The outbox row's id: lets a log line or a delivery be traced back to it.
    pub id: String,
    pub channel: Channel,
    pub address: String,
    pub subject: String,
    pub body: String,
}

/// Masks the address, so that printing a notice while debugging cannot leak it.
impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outgoing")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("address", &mask_address(self.channel, &self.address))
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a notice was not sent; stored in `notices.last_error` (after `scrub`) and retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

impl From<String> for SendError {
    fn from(message: String) -> Self {
        SendError(message)
    }
}

impl From<&str> for SendError {
    fn from(message: &str) -> Self {
        SendError(message.to_owned())
    }
}

/// Sends one notice. `Ok` means handed over for delivery: the outbox marks it sent and never sends it again.
/// Boxed futures rather than `async fn`, so senders can be chosen at start-up and held as `Arc<dyn Sender>`.
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>>;
}

/// Writes each notice to the log instead of delivering it: the default, so a platform without a mail server loses
/// nothing and its operators can still see what appellants would have been told.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSender;

impl Sender for LogSender {
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        tracing::info!(
            notice = %notice.id,
            channel = notice.channel.as_str(),
            to = %mask_address(notice.channel, &notice.address),
            subject = %notice.subject,
            body = %notice.body,
            "notice (log sender)"
        );
        futures_util::future::ready(Ok(())).boxed()
    }
}

/// An SMTP exchange that takes longer is abandoned and retried; the worker's lease assumes a bound (see `worker`).
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends e-mail notices through an SMTP server. Connections are opened per notice (no pool): notices are few, and a
/// pooled connection would need the runtime at construction.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    /// `url`: `smtps://user:password@host:465`, or `smtp://…:587?tls=required` for STARTTLS. `from`: the sender,
    /// `address` or `Name <address>`. Errors never quote the URL, which may hold a password.
    pub fn new(url: &str, from: &str) -> Result<SmtpSender, SendError> {
        let from: Mailbox = from.trim().parse().map_err(|e| SendError(format!("invalid sender address: {e}")))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| SendError(format!("invalid SMTP URL: {e}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(SmtpSender { transport, from })
    }
}

impl Sender for SmtpSender {
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        async move {
            if notice.channel != Channel::Email {
                return Err(SendError::from("the SMTP sender sends e-mail only"));
            }
            let to: Mailbox =
                notice.address.trim().parse().map_err(|e| SendError(format!("invalid recipient address: {e}")))?;
            let message = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(notice.subject.as_str())
                .header(ContentType::TEXT_PLAIN)
                .body(notice.body.clone())
                .map_err(|e| SendError(format!("cannot build the message: {e}")))?;
            self.transport.send(message).await.map(drop).map_err(|e| SendError(e.to_string()))
        }
        .boxed()
    }
}

/// Routes each notice to the sender of its channel.
pub struct ByChannel {
    pub sms: Arc<dyn Sender>,
    pub email: Arc<dyn Sender>,
}

impl Sender for ByChannel {
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        match notice.channel {
            Channel::Sms => self.sms.send(notice),
            Channel::Email => self.email.send(notice),
        }
    }
}

/// The sender the configuration asks for: the log sender, or SMTP for e-mail (SMS still to the log).
pub fn from_settings(settings: &NotifySettings) -> Result<Arc<dyn Sender>, SendError> {
    let Some(url) = &settings.smtp_url else { return Ok(Arc::new(LogSender)) };
    let from = settings
        .smtp_from
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| SendError::from("an SMTP server needs a sender address (--smtp-from, CREDIT_SMTP_FROM)"))?;
    let smtp = SmtpSender::new(url.expose(), from)?;
    Ok(Arc::new(ByChannel { sms: Arc::new(LogSender), email: Arc::new(smtp) }))
}

/// An address as logs may show it: `139****0000`, `z***@example.cn`.
pub fn mask_address(channel: Channel, address: &str) -> String {
    match channel {
        Channel::Sms => mask_phone(address),
        Channel::Email => mask_email(address),
    }
}

fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    // Head and tail together must leave most of the number hidden: a mobile number (11 digits) shows 7, a shorter
    // one its last two only.
    match chars.len() {
        n if n >= 11 => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[n - 4..].iter().collect();
            format!("{head}****{tail}")
        }
        n if n >= 6 => {
            let tail: String = chars[n - 2..].iter().collect();
            format!("{}{tail}", "*".repeat(n - 2))
        }
        n => "*".repeat(n),
    }
}

fn mask_email(email: &str) -> String {
    match email.trim().rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// `text` with every occurrence of `address` masked: mail servers quote the recipient in their refusals, and such
/// messages are logged and stored as `last_error`, which outlives the purge of the address.
pub fn scrub(text: &str, channel: Channel, address: &str) -> String {
    let needle = address.trim();
    if needle.is_empty() {
        return text.to_owned();
    }
    // ASCII case folding keeps byte offsets, so positions found in the folded text cut the original.
    let folded = text.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    let masked = mask_address(channel, address);
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(found) = folded[rest..].find(&needle) {
        out.push_str(&text[rest..rest + found]);
        out.push_str(&masked);
        rest += found + needle.len();
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r28_1_phones_keep_only_their_ends() {
        assert_eq!(mask_address(Channel::Sms, "13912340000"), "139****0000");
        assert_eq!(mask_address(Channel::Sms, " 13912340000 "), "139****0000");
        assert_eq!(mask_address(Channel::Sms, "8221234"), "*****34", "a short number shows its last two only");
        assert_eq!(mask_address(Channel::Sms, "12345"), "*****");
        assert_eq!(mask_address(Channel::Sms, ""), "");
    }

    #[test]
    fn r28_1_emails_keep_the_first_letter_and_the_domain() {
        assert_eq!(mask_address(Channel::Email, "zhang.san@example.cn"), "z***@example.cn");
        assert_eq!(mask_address(Channel::Email, "王五@例子.中国"), "王***@例子.中国");
        assert_eq!(mask_address(Channel::Email, "no-at-sign"), "***");
    }

    #[test]
    fn r28_1_errors_lose_the_address_they_quote() {
        let error = "permanent error (550): <Zhang.San@Example.cn>: Recipient address rejected";
        let scrubbed = scrub(error, Channel::Email, "zhang.san@example.cn");
        assert_eq!(scrubbed, "permanent error (550): <z***@example.cn>: Recipient address rejected");
        assert_eq!(
            scrub("13912340000 unreachable, 13912340000", Channel::Sms, "13912340000"),
            "139****0000 unreachable, 139****0000"
        );
        assert_eq!(scrub("timed out", Channel::Sms, ""), "timed out");
    }

    #[test]
    fn r28_1_debug_output_masks_the_address() {
        let notice = Outgoing {
            id: "n1".into(),
            channel: Channel::Email,
            address: "zhang.san@example.cn".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        let shown = format!("{notice:?}");
        assert!(!shown.contains("zhang.san"), "{shown}");
        assert!(shown.contains("z***@example.cn"));
    }

    #[test]
    fn smtp_needs_a_valid_sender_and_url() {
        assert!(SmtpSender::new("smtps://user:secret@mail.example.cn:465", "通知 <notice@example.cn>").is_ok());
        let bad_from = SmtpSender::new("smtps://user:secret@mail.example.cn:465", "not an address").err();
        assert!(bad_from.is_some_and(|e| e.0.starts_with("invalid sender address")));
        let bad_url = SmtpSender::new("smtps://user:secret@", "notice@example.cn").err().map(|e| e.0);
        assert!(bad_url.as_deref().is_some_and(|e| e.starts_with("invalid SMTP URL") && !e.contains("secret")));
    }

    #[actix_web::test]
    async fn the_log_sender_always_succeeds() {
        let notice = Outgoing {
            id: "n1".into(),
            channel: Channel::Sms,
            address: "13912340000".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        assert_eq!(LogSender.send(&notice).await, Ok(()));
    }
}
