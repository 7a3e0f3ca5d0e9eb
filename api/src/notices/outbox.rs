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
                notices::id.eq(crate::db::new_id()),
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

/// Whether a notice about `subject` was queued for `objection_id` at or after `since`: for notices that a third party
/// can cause, so that repeating the cause does not flood the appellant's phone.
pub fn queued_since(conn: &mut Db, objection_id: &str, subject: &str, since: NaiveDateTime) -> QueryResult<bool> {
    let count: i64 = notices::table
        .filter(notices::objection_id.eq(objection_id))
        .filter(notices::subject.eq(subject))
        .filter(notices::created_at.ge(since))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// `last_error` of a notice that can no longer be sent because its address was purged.
pub const CONTACT_PURGED: &str = "contact purged";

/// Blanks the address of every notice of `objection_id`, when the appellant's contact details are purged;
/// returns how many notices lost an address. Call it in the transaction that purges the objection's own contact
/// details; calling it again changes nothing.
///
/// Notices still pending can then never be sent, and left pending the worker would claim them forever. They are
/// marked `sent` with `last_error` "contact purged" and no `sent_at`: the table allows no other final status, and
/// the empty `sent_at` tells them from delivered ones. Earlier errors of the other notices are cleared too, as a
/// mail server's refusal may quote (masked) parts of the address.
pub fn purge_addresses(conn: &mut Db, objection_id: &str) -> QueryResult<usize> {
    let of_objection = notices::objection_id.eq(objection_id);
    let settled = diesel::update(notices::table.filter(of_objection).filter(notices::status.eq("pending")))
        .set((notices::status.eq("sent"), notices::address.eq(""), notices::last_error.eq(CONTACT_PURGED)))
        .execute(conn)?;
    let blanked = diesel::update(notices::table.filter(of_objection).filter(notices::address.ne("")))
        .set((notices::address.eq(""), notices::last_error.eq(None::<String>)))
        .execute(conn)?;
    Ok(settled + blanked)
}

/// Notices not yet sent (the outbox's backlog, a performance metric: ).
pub fn backlog(conn: &mut Db) -> QueryResult<i64> {
    notices::table.filter(notices::status.eq("pending")).count().get_result(conn)
}
