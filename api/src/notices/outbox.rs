//! Writing notices into the outbox: one per channel the appellant gave (SMS to a phone, e-mail to an address).

use crate::db::Db;
use crate::schema::notices;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Where an appellant is reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Queues `subject`/`body` for every channel of `to`, due at once. Call it inside the transaction of the step the
/// notice tells of: the step and its notice commit together or not at all.
pub fn enqueue(
    conn: &mut Db,
    objection_id: &str,
    to: &Recipient,
    subject: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let channels = [("sms", to.phone.as_deref()), ("email", to.email.as_deref())];
    let mut queued = 0;
    for (channel, address) in channels {
        let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else { continue };
        diesel::insert_into(notices::table)
            .values((
                notices::id.eq(crate::identity::store::new_id()),
                notices::objection_id.eq(objection_id),
                notices::channel.eq(channel),
                notices::address.eq(address),
                notices::subject.eq(subject),
                notices::body.eq(body),
                notices::status.eq("pending"),
                notices::attempts.eq(0),
                notices::next_attempt_at.eq(now),
                notices::created_at.eq(now),
            ))
            .execute(conn)?;
        queued += 1;
    }
    Ok(queued)
}
