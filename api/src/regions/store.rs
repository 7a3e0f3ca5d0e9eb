//! Region queries, one DSL for both backends.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::regions;
use credit_types::{Region, RegionLevel};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = regions)]
struct RegionRow {
    code: String,
    name: String,
    name_en: String,
    level: RegionLevel,
    kind: String,
    parent_code: Option<String>,
}

impl TryFrom<RegionRow> for Region {
    type Error = ApiError;

    fn try_from(row: RegionRow) -> ApiResult<Region> {
        let level = row.level;
        Ok(Region {
            code: row.code,
            name: row.name,
            name_en: row.name_en,
            level,
            kind: row.kind,
            parent_code: row.parent_code,
        })
    }
}

/// Filters of a region list.
#[derive(Debug, Default)]
pub struct RegionFilter {
    pub level: Option<RegionLevel>,
    pub parent: Option<String>,
}

/// Up to `limit` regions ordered by code, starting after `after`.
pub fn list(conn: &mut Db, filter: &RegionFilter, after: Option<&str>, limit: i64) -> ApiResult<Vec<Region>> {
    let mut query = regions::table.select(RegionRow::as_select()).order(regions::code.asc()).limit(limit).into_boxed();
    if let Some(level) = filter.level {
        query = query.filter(regions::level.eq(level));
    }
    if let Some(parent) = &filter.parent {
        query = query.filter(regions::parent_code.eq(parent.clone()));
    }
    if let Some(after) = after {
        query = query.filter(regions::code.gt(after.to_owned()));
    }
    query.load(conn)?.into_iter().map(Region::try_from).collect()
}

pub fn get(conn: &mut Db, code: &str) -> ApiResult<Option<Region>> {
    let row = regions::table.find(code).select(RegionRow::as_select()).first(conn).optional()?;
    row.map(Region::try_from).transpose()
}

/// The regions among `codes` that exist, in no particular order.
pub fn find_many(conn: &mut Db, codes: &[String]) -> ApiResult<Vec<Region>> {
    regions::table
        .filter(regions::code.eq_any(codes))
        .select(RegionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Region::try_from)
        .collect()
}
