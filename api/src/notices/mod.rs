//! Notices to appellants: an outbox table written in the transaction of the step it tells of, and a worker
//! that sends what is due through a pluggable sender and retries what failed, so no notice is lost.

pub mod outbox;
pub mod sender;
pub mod worker;

pub use outbox::{enqueue, purge_addresses, queued_since, Recipient};
pub use sender::{Channel, LogSender, Outgoing, SendError, Sender, SmtpSender};
