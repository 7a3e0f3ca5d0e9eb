//! The grant input of the access rule: which grants list a record, and the same as a SQL
//! subquery, so the predicate and the filter judge grants alike.

use super::Viewer;
use crate::db::{Db, MultiBackend};
use crate::schema::{grant_records, grants, records};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use std::collections::HashMap;

/// A grant as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldGrant {
    pub id: String,
    pub grantee_org_id: String,
    pub provider_org_id: String,
    pub purpose: String,
    pub expires_at: NaiveDateTime,
    pub revoked: bool,
}

impl HeldGrant {
    /// Whether the grant lets `organisation_id` read at `now`: held by it, not revoked, not yet expired.
    pub fn in_force_for(&self, organisation_id: &str, now: NaiveDateTime) -> bool {
        self.grantee_org_id == organisation_id && !self.revoked && self.expires_at > now
    }
}

type GrantRow = (String, String, String, String, String, NaiveDateTime, Option<NaiveDateTime>);

fn to_held((record_id, id, grantee, provider, purpose, expires_at, revoked_at): GrantRow) -> (String, HeldGrant) {
    (
        record_id,
        HeldGrant {
            id,
            grantee_org_id: grantee,
            provider_org_id: provider,
            purpose,
            expires_at,
            revoked: revoked_at.is_some(),
        },
    )
}

/// The grants held by the viewer's organisation that list any of `record_ids`, by record (newest grant first).
/// Only a user unit's organisation can hold grants; for anyone else the answer is empty.
pub fn held(conn: &mut Db, viewer: &Viewer, record_ids: &[&str]) -> QueryResult<HashMap<String, Vec<HeldGrant>>> {
    let Viewer::Staff { organisation_id, .. } = viewer else { return Ok(HashMap::new()) };
    if super::request_scope(viewer).is_none() || record_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<GrantRow> = grant_records::table
        .inner_join(grants::table)
        .filter(grants::grantee_org_id.eq(organisation_id))
        .filter(grant_records::record_id.eq_any(record_ids))
        .order(grants::id.desc())
        .select((
            grant_records::record_id,
            grants::id,
            grants::grantee_org_id,
            grants::provider_org_id,
            grants::purpose,
            grants::expires_at,
            grants::revoked_at,
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<HeldGrant>> = HashMap::new();
    for row in rows {
        let (record_id, grant) = to_held(row);
        out.entry(record_id).or_default().push(grant);
    }
    Ok(out)
}

/// `records.id IN (records of grants held by the organisation, in force at now)`: [`HeldGrant::in_force_for`] in SQL.
pub fn granted_records(
    organisation_id: String,
    now: NaiveDateTime,
) -> Box<dyn BoxableExpression<records::table, MultiBackend, SqlType = Bool>> {
    let in_force = grant_records::table
        .inner_join(grants::table)
        .filter(grants::grantee_org_id.eq(organisation_id))
        .filter(grants::revoked_at.is_null())
        .filter(grants::expires_at.gt(now))
        .select(grant_records::record_id);
    Box::new(records::id.eq_any(in_force))
}
