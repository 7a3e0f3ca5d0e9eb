//! The operation log's table: appending an entry, finding one, and the search behind pages and exports.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::operation_log;
use chrono::{DateTime, NaiveDateTime, Utc};
use credit_types::oplog::{HardwareFault, OpLogEntry, OpLogKind, OpLogQuery, OpLogSeverity};
use diesel::prelude::*;
use std::collections::HashMap;

/// The name people read for the platform's own entries.
pub const PLATFORM_AUTHOR: &str = "平台自动";

/// An entry to append. Entries by people name their author; the platform's own name their `source`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub kind: OpLogKind,
    pub severity: OpLogSeverity,
    pub text: String,
    /// The person who wrote it; `None` for the platform itself.
    pub author: Option<String>,
    /// For the platform's entries, which check wrote it, e.g. `health:database` or `backup:verify`.
    pub source: Option<String>,
    pub corrects: Option<String>,
    pub hardware: Option<HardwareFault>,
}

impl NewEntry {
    /// An entry the platform writes by itself about one of its checks (kind `automatic_check`).
    pub fn automatic(severity: OpLogSeverity, source: &str, text: impl Into<String>) -> Self {
        NewEntry {
            kind: OpLogKind::AutomaticCheck,
            severity,
            text: text.into(),
            author: None,
            source: Some(source.to_owned()),
            corrects: None,
            hardware: None,
        }
    }
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = operation_log)]
struct Row {
    id: String,
    kind: OpLogKind,
    severity: OpLogSeverity,
    text: String,
    author: Option<String>,
    source: Option<String>,
    corrects: Option<String>,
    device: Option<String>,
    symptom: Option<String>,
    notified: Option<String>,
    notified_at: Option<NaiveDateTime>,
    recorded_at: NaiveDateTime,
}

/// Appends `entry` now; the id of the new entry. A correction must point at an existing entry (422 otherwise).
pub fn append(conn: &mut Db, entry: &NewEntry) -> ApiResult<String> {
    if let Some(old) = entry.corrects.as_deref() {
        let exists: i64 = operation_log::table.filter(operation_log::id.eq(old)).count().get_result(conn)?;
        if exists == 0 {
            return Err(ApiError::Validation {
                errors: vec![credit_types::FieldError::new("corrects", "not_found", "要更正的记录不存在")],
            });
        }
    }
    let hardware = entry.hardware.as_ref();
    let row = Row {
        id: crate::db::new_id(),
        kind: entry.kind,
        severity: entry.severity,
        text: entry.text.trim().to_owned(),
        author: entry.author.clone(),
        source: entry.source.clone(),
        corrects: entry.corrects.clone(),
        device: hardware.map(|h| h.device.trim().to_owned()),
        symptom: hardware.map(|h| h.symptom.trim().to_owned()),
        notified: hardware.map(|h| h.notified.trim().to_owned()),
        notified_at: hardware.map(|h| h.notified_at.naive_utc()),
        recorded_at: crate::clock::now(),
    };
    diesel::insert_into(operation_log::table).values(&row).execute(conn)?;
    Ok(row.id)
}

/// One entry, with its author's name and the entries correcting it.
pub fn find(conn: &mut Db, id: &str) -> ApiResult<Option<OpLogEntry>> {
    let row = operation_log::table.filter(operation_log::id.eq(id)).select(Row::as_select()).first(conn).optional()?;
    Ok(entries(conn, row.into_iter().collect())?.pop())
}

/// Entries matching `query`, latest first, written before the cursor's entry `before`, at most `limit`. Ids are
/// UUIDv7, so their order is the order entries were written in.
pub fn search(conn: &mut Db, query: &OpLogQuery, before: Option<String>, limit: i64) -> ApiResult<Vec<OpLogEntry>> {
    let mut rows =
        operation_log::table.select(Row::as_select()).order(operation_log::id.desc()).limit(limit).into_boxed();
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let pattern = crate::db::contains_pattern(q);
        rows = rows.filter(
            operation_log::text
                .like(pattern.clone())
                .escape('\\')
                .or(operation_log::device.like(pattern.clone()).escape('\\'))
                .or(operation_log::symptom.like(pattern).escape('\\')),
        );
    }
    if let Some(kind) = query.kind {
        rows = rows.filter(operation_log::kind.eq(kind));
    }
    if let Some(severity) = query.severity {
        rows = rows.filter(operation_log::severity.eq(severity));
    }
    if let Some(author) = query.author.as_deref() {
        rows = rows.filter(operation_log::author.eq(author));
    }
    if let Some(from) = query.from {
        rows = rows.filter(operation_log::recorded_at.ge(from.naive_utc()));
    }
    if let Some(to) = query.to {
        rows = rows.filter(operation_log::recorded_at.lt(to.naive_utc()));
    }
    if let Some(id) = before {
        rows = rows.filter(operation_log::id.lt(id));
    }
    let rows = rows.load(conn)?;
    entries(conn, rows)
}

/// Entries of `kind` recorded in `[from, to)`, oldest first (e.g. tuning actions to mark on a chart).
pub fn of_kind_between(
    conn: &mut Db,
    kind: OpLogKind,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<OpLogEntry>> {
    let rows = operation_log::table
        .filter(operation_log::kind.eq(kind))
        .filter(operation_log::recorded_at.ge(from.naive_utc()))
        .filter(operation_log::recorded_at.lt(to.naive_utc()))
        .order((operation_log::recorded_at.asc(), operation_log::id.asc()))
        .select(Row::as_select())
        .load(conn)?;
    entries(conn, rows)
}

/// Rows as entries people read: authors by name, corrections linked both ways.
fn entries(conn: &mut Db, rows: Vec<Row>) -> ApiResult<Vec<OpLogEntry>> {
    let authors: Vec<&str> = rows.iter().filter_map(|r| r.author.as_deref()).collect();
    let names = crate::identity::store::actor_names(conn, &authors)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut corrected_by: HashMap<String, Vec<String>> = HashMap::new();
    let corrections: Vec<(Option<String>, String)> = operation_log::table
        .filter(operation_log::corrects.eq_any(&ids))
        .order(operation_log::id.asc())
        .select((operation_log::corrects, operation_log::id))
        .load(conn)?;
    for (old, new) in corrections {
        if let Some(old) = old {
            corrected_by.entry(old).or_default().push(new);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let hardware = match (row.device, row.symptom, row.notified, row.notified_at) {
                (Some(device), Some(symptom), Some(notified), Some(at)) => {
                    Some(HardwareFault { device, symptom, notified, notified_at: at.and_utc() })
                }
                _ => None,
            };
            let author_name = match row.author.as_deref() {
                Some(id) => names.get(id).cloned().unwrap_or_else(|| id.to_owned()),
                None => PLATFORM_AUTHOR.to_owned(),
            };
            OpLogEntry {
                corrected_by: corrected_by.remove(&row.id).unwrap_or_default(),
                id: row.id,
                kind: row.kind,
                severity: row.severity,
                text: row.text,
                author: row.author,
                author_name,
                source: row.source,
                corrects: row.corrects,
                hardware,
                recorded_at: row.recorded_at.and_utc(),
            }
        })
        .collect())
}
