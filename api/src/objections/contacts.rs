//! Appellants' contact keys brought in line with the contact key, at every start (`credit-api serve`,
//! `migrate`, and the other commands that write: `server::open_storage`): keys written before it (a plain SHA-256 of the phone or e-mail) or under a contact key
//! since replaced are recomputed from the contact the objection still holds; keys of purged contacts, which would
//! otherwise be the only trace of the number, become random values. Idempotent: a second run changes nothing.

use super::rules;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::keys::ContactKey;
use crate::schema::objections;
use diesel::prelude::*;

/// How many stored keys a run changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rekeyed {
    /// Keys recomputed from the contact an objection still holds.
    pub recomputed: usize,
    /// Keys of purged contacts replaced by random values.
    pub unlinked: usize,
}

/// Brings every stored contact key in line; audited when it changed any. Run in a write transaction.
pub fn rekey(conn: &mut Db, key: &ContactKey) -> ApiResult<Rekeyed> {
    let held: Vec<(String, Option<String>, Option<String>, String)> = objections::table
        .filter(objections::contact_purged_at.is_null())
        .select((objections::id, objections::phone, objections::email, objections::contact_key))
        .load(conn)?;
    let mut done = Rekeyed::default();
    for (id, phone, email, stored) in held {
        let keyed = rules::contact_key(key, phone.as_deref(), email.as_deref());
        if keyed != stored {
            diesel::update(objections::table.find(&id)).set(objections::contact_key.eq(keyed)).execute(conn)?;
            done.recomputed += 1;
        }
    }
    let purged: Vec<String> = objections::table
        .filter(objections::contact_purged_at.is_not_null())
        .filter(objections::contact_key.not_like(format!("{}%", rules::UNLINKABLE_PREFIX)))
        .select(objections::id)
        .load(conn)?;
    for id in &purged {
        diesel::update(objections::table.find(id)).set(objections::contact_key.eq(unlinkable()?)).execute(conn)?;
    }
    done.unlinked = purged.len();
    if done != Rekeyed::default() {
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::ObjectionRekeyContacts, Outcome::Success).detail(format!(
                "{} contact keys recomputed with the contact key, {} purged ones made random",
                done.recomputed, done.unlinked
            )),
        )?;
    }
    Ok(done)
}

/// A fresh random stand-in for a purged contact's key.
pub fn unlinkable() -> ApiResult<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(ApiError::internal)?;
    Ok(rules::unlinkable_contact_key(&random))
}
