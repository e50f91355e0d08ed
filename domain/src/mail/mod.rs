//! Outgoing mail. Requests never send inline: they add a message to the outbox and a
//! [`Job::DeliverMail`] in the same transaction as the change that caused it; the job runner
//! delivers it with retry and backoff and marks it sent once it has been handed to the mail
//! server.

mod entity;
pub mod links;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::jobs::{self, Job};
use crate::{Error, Result};
use entity::{ActiveModel, Column, Entity};

/// A message as delivered, kept by the in-memory mailer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveredMail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// The one-click unsubscribe address, if the message has one.
    pub list_unsubscribe: Option<String>,
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

    async fn deliver(&self, mail: DeliveredMail) -> std::result::Result<(), String> {
        match self {
            Mailer::Memory(sent) => {
                let mut sent = sent
                    .lock()
                    .map_err(|_| "mailbox lock poisoned".to_owned())?;
                sent.push(mail);
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let message = build_message(from, &mail)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|err| err.to_string())
            }
            Mailer::Spool { dir, from } => {
                let message = build_message(from, &mail)?;
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

/// The message as sent. Mail a member can stop carries the RFC 8058 headers, so mail
/// programs offer a one-click unsubscribe that works without signing in.
fn build_message(from: &Mailbox, mail: &DeliveredMail) -> std::result::Result<Message, String> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|err| format!("bad recipient: {err}"))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN);
    if let Some(url) = &mail.list_unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .body(mail.body.clone())
        .map_err(|err| err.to_string())
}

/// Adds a message to the outbox and a job to deliver it, inside the caller's transaction, so
/// the message goes out if and only if the change that caused it is committed.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<()> {
    enqueue_message(conn, to, subject, body, None).await
}

/// Like [`enqueue`], for mail the member chose and can stop with one click at
/// `unsubscribe_url` (sent as the RFC 8058 `List-Unsubscribe` headers).
pub async fn enqueue_stoppable(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    unsubscribe_url: &str,
) -> Result<()> {
    enqueue_message(conn, to, subject, body, Some(unsubscribe_url.to_owned())).await
}

async fn enqueue_message(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    list_unsubscribe: Option<String>,
) -> Result<()> {
    let now = Utc::now();
    let message = ActiveModel {
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body_text: Set(body.to_owned()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        list_unsubscribe: Set(list_unsubscribe),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    jobs::enqueue(
        conn,
        Job::DeliverMail {
            message_id: message.id,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Sends outbox message `message_id` unless it has been sent, then marks it sent (once: a
/// second mark finds `sent_at` already set and changes nothing). A failure is noted on the
/// message and returned, for the job runner to retry.
pub(crate) async fn deliver(
    db: &DatabaseConnection,
    mailer: &Mailer,
    message_id: i32,
) -> std::result::Result<(), String> {
    let message = Entity::find_by_id(message_id)
        .one(db)
        .await
        .map_err(|err| err.to_string())?;
    let Some(message) = message else {
        tracing::warn!(message_id, "mail job for a message no longer in the outbox");
        return Ok(());
    };
    if message.sent_at.is_some() {
        return Ok(());
    }
    let outcome = mailer
        .deliver(DeliveredMail {
            to: message.recipient,
            subject: message.subject,
            body: message.body_text,
            list_unsubscribe: message.list_unsubscribe,
        })
        .await;
    let now = Utc::now();
    let update = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(message_id))
        .filter(Column::SentAt.is_null());
    let update = match &outcome {
        Ok(()) => update
            .col_expr(Column::SentAt, Expr::value(now))
            .col_expr(Column::LastError, Expr::value(None::<String>)),
        Err(error) => update.col_expr(Column::LastError, Expr::value(error.clone())),
    };
    update.exec(db).await.map_err(|err| err.to_string())?;
    outcome
}
