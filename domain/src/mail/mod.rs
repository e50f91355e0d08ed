//! Outgoing mail. Requests never send inline: they add a message to the outbox in the same
//! transaction as the change that caused it, and a worker delivers due messages with retry and
//! backoff, marking each one sent once it has been handed to the mail server.

mod entity;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{Error, Result};
use entity::{ActiveModel, Column, Entity};

/// Attempts before a message is given up on (its last error stays in the outbox).
pub const MAX_ATTEMPTS: i32 = 8;

/// A message as delivered, kept by the in-memory mailer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveredMail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum Mailer {
    /// A real SMTP server (`smtp://host:port`, `smtps://user:pass@host`).
    Smtp {
        /// The transport.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The From address.
        from: Mailbox,
    },
    /// Each message written as an `.eml` file in a folder (the default: no setup needed).
    Spool {
        /// The folder.
        dir: PathBuf,
        /// The From address.
        from: Mailbox,
    },
    /// Kept in memory (for tests that inject failures).
    Memory(Arc<Mutex<Vec<DeliveredMail>>>),
}

impl Mailer {
    /// An SMTP mailer for `url`, sending from `from`.
    pub fn smtp(url: &str, from: &str) -> Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| Error::Invalid {
                field: "smtp_url",
                message: err.to_string(),
            })?
            .build();
        Ok(Mailer::Smtp {
            transport,
            from: parse_mailbox(from)?,
        })
    }

    /// A mailer that writes `.eml` files into `dir`.
    pub fn spool(dir: PathBuf, from: &str) -> Result<Self> {
        Ok(Mailer::Spool {
            dir,
            from: parse_mailbox(from)?,
        })
    }

    async fn deliver(
        &self,
        to: &str,
        subject: &str,
        body: &str,
    ) -> std::result::Result<(), String> {
        match self {
            Mailer::Memory(sent) => {
                let mut sent = sent
                    .lock()
                    .map_err(|_| "mailbox lock poisoned".to_owned())?;
                sent.push(DeliveredMail {
                    to: to.to_owned(),
                    subject: subject.to_owned(),
                    body: body.to_owned(),
                });
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let message = build_message(from, to, subject, body)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|err| err.to_string())
            }
            Mailer::Spool { dir, from } => {
                let message = build_message(from, to, subject, body)?;
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|err| err.to_string())?;
                let name = format!(
                    "{}-{}.eml",
                    Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                    crate::accounts::tokens::random_token(6)
                );
                tokio::fs::write(dir.join(name), message.formatted())
                    .await
                    .map_err(|err| err.to_string())
            }
        }
    }
}

fn parse_mailbox(text: &str) -> Result<Mailbox> {
    text.parse().map_err(|_| Error::Invalid {
        field: "mail_from",
        message: format!("`{text}` is not an email address like `ohnet <no-reply@example.org>`"),
    })
}

fn build_message(
    from: &Mailbox,
    to: &str,
    subject: &str,
    body: &str,
) -> std::result::Result<Message, String> {
    let to: Mailbox = to.parse().map_err(|err| format!("bad recipient: {err}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|err| err.to_string())
}

/// Adds a message to the outbox, inside the caller's transaction.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<()> {
    let now = Utc::now();
    ActiveModel {
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body_text: Set(body.to_owned()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// What one delivery pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages handed to the mail server.
    pub sent: usize,
    /// Messages that failed this time (retried later unless out of attempts).
    pub failed: usize,
}

/// Delivers up to `batch` due messages, oldest first.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    batch: u64,
) -> Result<DeliveryReport> {
    let now = Utc::now();
    let due = Entity::find()
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .filter(Column::Attempts.lt(MAX_ATTEMPTS))
        .order_by_asc(Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut report = DeliveryReport::default();
    for message in due {
        let outcome = mailer
            .deliver(&message.recipient, &message.subject, &message.body_text)
            .await;
        let attempts = message.attempts + 1;
        let mut row = ActiveModel::from(message);
        row.attempts = Set(attempts);
        match outcome {
            Ok(()) => {
                report.sent += 1;
                row.sent_at = Set(Some(Utc::now()));
                row.last_error = Set(None);
            }
            Err(error) => {
                report.failed += 1;
                tracing::warn!(%error, attempts, "mail delivery failed");
                row.next_attempt_at = Set(Utc::now() + backoff(attempts));
                row.last_error = Set(Some(error));
            }
        }
        row.update(db).await?;
    }
    Ok(report)
}

/// 30 s, 1 min, 2 min … capped at one hour.
fn backoff(attempts: i32) -> Duration {
    let seconds = 30_i64.saturating_mul(1_i64 << attempts.clamp(0, 7));
    Duration::seconds(seconds.min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(7), Duration::seconds(3600));
        assert_eq!(backoff(100), Duration::seconds(3600));
    }
}
