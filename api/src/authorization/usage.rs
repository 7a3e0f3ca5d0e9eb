//! Reads through a grant: each is logged for the providing unit's usage log and audited with the
//! grant and its purpose, in one transaction.

use crate::access::HeldGrant;
use crate::audit::{self, Actor, EventFields, Outcome};
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::grant_uses;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Logs that `actor` read `record_ids` through `grant` (`action`: read, versions, list, export).
pub fn record(
    conn: &mut Db,
    actor: &Actor,
    grant: &HeldGrant,
    record_ids: &[&str],
    action: &str,
    now: NaiveDateTime,
) -> ApiResult<()> {
    let actor_id = actor.id().unwrap_or("anonymous").to_owned();
    crate::db::write_transaction(conn, |conn| {
        let rows: Vec<_> = record_ids
            .iter()
            .map(|record_id| {
                (
                    grant_uses::id.eq(crate::identity::store::new_id()),
                    grant_uses::grant_id.eq(&grant.id),
                    grant_uses::provider_org_id.eq(&grant.provider_org_id),
                    grant_uses::record_id.eq(*record_id),
                    grant_uses::actor_kind.eq(actor.kind()),
                    grant_uses::actor_id.eq(&actor_id),
                    grant_uses::action.eq(action),
                    grant_uses::used_at.eq(now),
                )
            })
            .collect();
        crate::insert_many!(conn, grant_uses::table, rows)?;
        let event = EventFields::new(actor, "record.read", Outcome::Success)
            .purpose(format!("grant {}: {}", grant.id, grant.purpose))
            .detail(format!("{action} through grant {}: {}", grant.id, record_ids.join(" ")));
        let event = match record_ids {
            [one] => event.target("record", *one),
            _ => event.target("grant", &grant.id),
        };
        audit::append(conn, event)?;
        Ok(())
    })
}
