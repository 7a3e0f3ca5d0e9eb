//! Reading records through the access rule, and the trail reads leave.
//!
//! A read of non-public data is audited with its purpose; a read through a grant is also logged as a use of that
//! grant for the providing unit. The trail is worked out while reading (in a read-only transaction) as a
//! [`ReadTrail`], then written by the handler in a write transaction before it answers: no answer leaves without
//! its trail, and reading never holds the writer's lock.

use super::store::{self, RecordRow};
use crate::access::{self, HeldGrant, ReadBasis, Viewer};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::grant_uses;
use crate::state::AppState;
use chrono::NaiveDateTime;
use credit_types::ErrorCode;
use diesel::prelude::*;
use std::collections::HashMap;

/// The record if `viewer` may read it, else 404 as for a record that does not exist.
pub fn readable_record(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<RecordRow> {
    readable_record_with_basis(conn, viewer, id).map(|(row, _)| row)
}

/// The record if `viewer` may read it, with the ground of the read: the table, or a grant the
/// viewer's organisation holds. 404 otherwise — also at once after the grant expires or is revoked.
pub fn readable_record_with_basis(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<(RecordRow, ReadBasis)> {
    let row = store::find_record(conn, id)?.ok_or_else(|| ApiError::not_found("no such record"))?;
    let held = access::grants::held(conn, viewer, &[id])?.remove(id).unwrap_or_default();
    let basis = access::read_basis(viewer, &row.facts_with(&held), crate::clock::now())
        .ok_or_else(|| ApiError::not_found("no such record"))?;
    Ok((row, basis))
}

/// The record if `viewer` may change it: 404 when it may not even see it, 403 when it may see but not
/// change it.
pub fn changeable_record(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<RecordRow> {
    let row = readable_record(conn, viewer, id)?;
    if !access::can_change(viewer, &row.facts()) {
        return Err(ApiError::forbidden(
            ErrorCode::NotTheProvider,
            "only the providing organisation changes its records (R-6.1)",
        ));
    }
    Ok(row)
}

/// Whether the public could read the record: reads of anything else are audited.
pub fn is_public(row: &RecordRow, now: NaiveDateTime) -> bool {
    access::can_read(&Viewer::Anonymous, &row.facts(), now)
}

/// How a record was read, as the usage log of a grant names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadKind {
    /// One record.
    Read,
    /// One record's version history.
    Versions,
    /// A page of a list.
    List,
    /// An export file.
    Export,
}

impl ReadKind {
    fn as_str(self) -> &'static str {
        match self {
            ReadKind::Read => "read",
            ReadKind::Versions => "versions",
            ReadKind::List => "list",
            ReadKind::Export => "export",
        }
    }
}

/// Records read through one grant by one request.
#[derive(Debug)]
struct GrantUse {
    grant: HeldGrant,
    record_ids: Vec<String>,
}

/// What a read leaves in the trail: audit events, and uses of the grants it read through.
#[derive(Debug)]
pub struct ReadTrail {
    actor: Actor,
    kind: ReadKind,
    at: NaiveDateTime,
    events: Vec<EventFields>,
    grant_uses: Vec<GrantUse>,
}

impl ReadTrail {
    fn new(actor: &Actor, kind: ReadKind, at: NaiveDateTime) -> Self {
        ReadTrail { actor: actor.clone(), kind, at, events: Vec::new(), grant_uses: Vec::new() }
    }

    /// The trail of reading one record (or its versions): nothing for a published public record, a use of the
    /// grant when read through one, an audited read with its purpose otherwise.
    pub fn of_record(
        actor: &Actor,
        row: &RecordRow,
        basis: &ReadBasis,
        kind: ReadKind,
        purpose: Option<&str>,
        now: NaiveDateTime,
    ) -> Self {
        let mut trail = ReadTrail::new(actor, kind, now);
        if let ReadBasis::Grant(grant) = basis {
            trail.grant_uses.push(GrantUse { grant: grant.clone(), record_ids: vec![row.id.clone()] });
        } else if !is_public(row, now) {
            let event =
                EventFields::new(actor, AuditAction::RecordRead, Outcome::Success).target(TargetKind::Record, &row.id);
            trail.events.push(with_purpose(event, purpose));
        }
        trail
    }

    /// The trail of a page of a list: one audited event counting its non-public rows (with the purpose), and the
    /// uses of grants for rows readable only through one. Returns the grant each such row was read through.
    pub fn of_page(
        conn: &mut Db,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[RecordRow],
        purpose: Option<&str>,
        now: NaiveDateTime,
    ) -> ApiResult<(Self, HashMap<String, String>)> {
        let mut trail = ReadTrail::new(actor, ReadKind::List, now);
        let hidden = rows.iter().filter(|r| !is_public(r, now)).count();
        if hidden == 0 {
            return Ok((trail, HashMap::new()));
        }
        let event = EventFields::new(actor, AuditAction::RecordList, Outcome::Success)
            .target(TargetKind::Record, "list")
            .detail(format!("{hidden} non-public rows"));
        trail.events.push(with_purpose(event, purpose));
        let granted = trail.add_grant_reads(conn, viewer, rows, now)?;
        Ok((trail, granted))
    }

    /// The trail of an export: always audited with its row count and purpose, plus the uses of grants.
    pub fn of_export(
        conn: &mut Db,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[RecordRow],
        purpose: Option<&str>,
        now: NaiveDateTime,
    ) -> ApiResult<Self> {
        let mut trail = ReadTrail::new(actor, ReadKind::Export, now);
        let event = EventFields::new(actor, AuditAction::RecordExport, Outcome::Success)
            .target(TargetKind::Record, "export")
            .detail(format!("{} rows", rows.len()));
        trail.events.push(with_purpose(event, purpose));
        trail.add_grant_reads(conn, viewer, rows, now)?;
        Ok(trail)
    }

    /// Adds the rows the viewer sees only through a grant, grouped by grant; returns each such row's grant.
    fn add_grant_reads(
        &mut self,
        conn: &mut Db,
        viewer: &Viewer,
        rows: &[RecordRow],
        now: NaiveDateTime,
    ) -> ApiResult<HashMap<String, String>> {
        let mut granted = HashMap::new();
        let through_grant: Vec<&RecordRow> =
            rows.iter().filter(|r| !access::can_read(viewer, &r.facts(), now)).collect();
        if through_grant.is_empty() {
            return Ok(granted);
        }
        let ids: Vec<&str> = through_grant.iter().map(|r| r.id.as_str()).collect();
        let mut held = access::grants::held(conn, viewer, &ids)?;
        for row in through_grant {
            let grants = held.remove(&row.id).unwrap_or_default();
            if let Some(ReadBasis::Grant(grant)) = access::read_basis(viewer, &row.facts_with(&grants), now) {
                granted.insert(row.id.clone(), grant.id.clone());
                match self.grant_uses.iter_mut().find(|u| u.grant.id == grant.id) {
                    Some(used) => used.record_ids.push(row.id.clone()),
                    None => self.grant_uses.push(GrantUse { grant, record_ids: vec![row.id.clone()] }),
                }
            }
        }
        Ok(granted)
    }

    /// Whether the read leaves nothing (published public records only).
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.grant_uses.is_empty()
    }

    /// Writes the trail; run it in the write transaction that precedes the answer.
    pub fn write(self, conn: &mut Db) -> ApiResult<()> {
        for event in self.events {
            audit::append(conn, event)?;
        }
        for used in &self.grant_uses {
            record_grant_use(conn, &self.actor, &used.grant, &used.record_ids, self.kind, self.at)?;
        }
        Ok(())
    }
}

/// Writes the trail of a read before the answer leaves (a read of public records only takes no write).
pub async fn leave(state: &AppState, trail: ReadTrail) -> ApiResult<()> {
    if trail.is_empty() {
        return Ok(());
    }
    state.write(move |conn| trail.write(conn)).await
}

fn with_purpose(event: EventFields, purpose: Option<&str>) -> EventFields {
    match purpose {
        Some(purpose) => event.purpose(purpose),
        None => event,
    }
}

/// Logs that `actor` read `record_ids` through `grant` in the provider's usage log, and audits it with the grant
/// and its purpose.
fn record_grant_use(
    conn: &mut Db,
    actor: &Actor,
    grant: &HeldGrant,
    record_ids: &[String],
    kind: ReadKind,
    now: NaiveDateTime,
) -> ApiResult<()> {
    let actor_id = actor.id().unwrap_or("anonymous").to_owned();
    let rows: Vec<_> = record_ids
        .iter()
        .map(|record_id| {
            (
                grant_uses::id.eq(crate::db::new_id()),
                grant_uses::grant_id.eq(&grant.id),
                grant_uses::provider_org_id.eq(&grant.provider_org_id),
                grant_uses::record_id.eq(record_id),
                grant_uses::actor_kind.eq(actor.kind()),
                grant_uses::actor_id.eq(&actor_id),
                grant_uses::action.eq(kind.as_str()),
                grant_uses::used_at.eq(now),
            )
        })
        .collect();
    crate::insert_many!(conn, grant_uses::table, rows)?;
    let event = EventFields::new(actor, AuditAction::RecordRead, Outcome::Success)
        .purpose(format!("grant {}: {}", grant.id, grant.purpose))
        .detail(format!("{} through grant {}: {}", kind.as_str(), grant.id, record_ids.join(" ")));
    let event = match record_ids {
        [one] => event.target(TargetKind::Record, one),
        _ => event.target(TargetKind::Grant, &grant.id),
    };
    audit::append(conn, event)?;
    Ok(())
}
