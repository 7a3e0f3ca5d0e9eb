//! Lists of records: the filtered query with the access rule inside it, so pages and exports never
//! hold a row the caller may not see, and the CSV of an export.

use super::search;
use super::store::{self, RecordRow};
use crate::access::{self, Viewer};
use crate::csv_file::CsvFile;
use crate::db::{Db, MultiBackend};
use crate::error::ApiResult;
use crate::schema::records;
use chrono::NaiveDateTime;
use credit_types::records::{RecordListQuery, RecordSummary};
use diesel::prelude::*;

/// The most rows one export holds.
pub const EXPORT_MAX_ROWS: i64 = 10_000;

/// How many subjects a name filter may match before the list gives up on it.
const NAME_MATCHES: i64 = 5_000;

/// The filtered, access-checked query of a list, newest first; `None` when the filters can match nothing.
pub fn query<'a>(
    conn: &mut Db,
    viewer: &Viewer,
    query: &'a RecordListQuery,
    now: NaiveDateTime,
) -> ApiResult<Option<records::BoxedQuery<'a, MultiBackend>>> {
    let mut rows = records::table.filter(access::readable(viewer, now)).order(records::id.desc()).into_boxed();
    if let Some(q) = &query.q {
        let subject_ids = search::subject_ids(conn, q, NAME_MATCHES)?;
        if subject_ids.is_empty() {
            return Ok(None);
        }
        rows = rows.filter(records::subject_id.eq_any(subject_ids));
    }
    if let Some(code) = &query.catalog_item {
        let Some(item_id) = store::catalog_item_id(conn, code)? else { return Ok(None) };
        rows = rows.filter(records::catalog_item_id.eq(item_id));
    }
    if let Some(provider) = &query.provider {
        rows = rows.filter(records::provider_id.eq(provider));
    }
    if let Some(region) = &query.region {
        rows = rows.filter(records::jurisdiction_region.eq(region));
    }
    if let Some(class) = query.disclosure_class {
        rows = rows.filter(records::disclosure_class.eq(class));
    }
    if let Some(status) = query.status {
        rows = rows.filter(records::status.eq(status));
    }
    if let Some(from) = query.from {
        rows = rows.filter(records::decision_date.ge(from));
    }
    if let Some(to) = query.to {
        rows = rows.filter(records::decision_date.le(to));
    }
    Ok(Some(rows))
}

/// One page of the list: at most `limit + 1` rows (the extra one tells that a next page exists), after `after`.
pub fn page(
    conn: &mut Db,
    viewer: &Viewer,
    filters: &RecordListQuery,
    after: Option<&str>,
    limit: u32,
    now: NaiveDateTime,
) -> ApiResult<Vec<RecordRow>> {
    let Some(mut rows) = query(conn, viewer, filters, now)? else { return Ok(Vec::new()) };
    if let Some(after) = after {
        rows = rows.filter(records::id.lt(after.to_owned()));
    }
    Ok(rows.limit(i64::from(limit) + 1).select(RecordRow::as_select()).load(conn)?)
}

/// The rows of an export: the list's filters, at most [`EXPORT_MAX_ROWS`].
pub fn export_rows(
    conn: &mut Db,
    viewer: &Viewer,
    filters: &RecordListQuery,
    now: NaiveDateTime,
) -> ApiResult<Vec<RecordRow>> {
    match query(conn, viewer, filters, now)? {
        Some(rows) => Ok(rows.limit(EXPORT_MAX_ROWS).select(RecordRow::as_select()).load(conn)?),
        None => Ok(Vec::new()),
    }
}

/// The records as CSV, as the platform writes every CSV (`csv_file`: a byte-order mark, no cell a spreadsheet takes
/// for a formula, R-24.1).
pub fn export_csv(records: &[RecordSummary]) -> ApiResult<Vec<u8>> {
    let mut file = CsvFile::new();
    file.row([
        "记录编号",
        "主体名称",
        "主体代码",
        "目录项",
        "提供单位",
        "管辖区划",
        "公开范围",
        "决定日期",
        "公示截止",
        "状态",
        "版本",
        "本单位编号",
    ])?;
    for r in records {
        file.row([
            r.id.as_str(),
            &r.subject.name,
            &r.subject.code,
            &r.catalog_name,
            &r.provider_name,
            &r.jurisdiction_region,
            r.disclosure_class.label(),
            &r.decision_date.to_string(),
            &r.publish_until.to_string(),
            r.status.label(),
            &r.version.to_string(),
            r.provider_ref.as_deref().unwrap_or_default(),
        ])?;
    }
    file.finish()
}
