//! Catalog queries: items with their current definition, earlier versions, and new versions.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::{catalog_items, catalog_versions};
use chrono::NaiveDateTime;
use credit_types::catalog::{CatalogItem, CatalogItemInput, DisclosureClass, FieldDefinition, SubjectKind};
use diesel::prelude::*;

/// One version of a catalog item's definition, parsed.
#[derive(Debug, Clone)]
pub struct Definition {
    pub item_id: String,
    pub code: String,
    pub active: bool,
    pub version: i32,
    pub name_zh: String,
    pub name_en: String,
    pub subject_kinds: Vec<SubjectKind>,
    pub fields: Vec<FieldDefinition>,
    pub default_class: DisclosureClass,
    pub min_days: u32,
    pub max_days: u32,
    pub updated_at: NaiveDateTime,
}

impl Definition {
    pub fn to_item(&self) -> CatalogItem {
        CatalogItem {
            id: self.item_id.clone(),
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            version: self.version,
            subject_kinds: self.subject_kinds.clone(),
            fields: self.fields.clone(),
            default_class: self.default_class,
            min_days: self.min_days,
            max_days: self.max_days,
            active: self.active,
            updated_at: self.updated_at,
        }
    }

    /// The label of a field key, or the key itself for a field this version no longer defines.
    pub fn label_of<'a>(&'a self, key: &'a str) -> &'a str {
        self.fields.iter().find(|f| f.key == key).map_or(key, |f| f.label.as_str())
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = catalog_versions)]
struct VersionRow {
    version: i32,
    name_zh: String,
    name_en: String,
    subject_kinds: String,
    fields: String,
    default_class: String,
    min_days: i32,
    max_days: i32,
    created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = catalog_items)]
struct ItemRow {
    id: String,
    code: String,
    active: bool,
    updated_at: NaiveDateTime,
}

fn parse(item: ItemRow, row: VersionRow) -> ApiResult<Definition> {
    let broken =
        |what: &str| ApiError::internal(format!("catalog item {} v{}: unreadable {what}", item.code, row.version));
    Ok(Definition {
        subject_kinds: serde_json::from_str(&row.subject_kinds).map_err(|_| broken("subject kinds"))?,
        fields: serde_json::from_str(&row.fields).map_err(|_| broken("fields"))?,
        default_class: DisclosureClass::parse(&row.default_class).ok_or_else(|| broken("class"))?,
        item_id: item.id,
        code: item.code,
        active: item.active,
        version: row.version,
        name_zh: row.name_zh,
        name_en: row.name_en,
        min_days: u32::try_from(row.min_days).unwrap_or(1),
        max_days: u32::try_from(row.max_days).unwrap_or(1),
        updated_at: item.updated_at,
    })
}

/// Every item at its current version, by code.
pub fn list_current(conn: &mut Db) -> ApiResult<Vec<Definition>> {
    let rows: Vec<(ItemRow, VersionRow)> = catalog_items::table
        .inner_join(
            catalog_versions::table.on(catalog_versions::item_id
                .eq(catalog_items::id)
                .and(catalog_versions::version.eq(catalog_items::current_version))),
        )
        .order(catalog_items::code.asc())
        .select((ItemRow::as_select(), VersionRow::as_select()))
        .load(conn)?;
    rows.into_iter().map(|(item, version)| parse(item, version)).collect()
}

/// An item by code at its current version.
pub fn current_by_code(conn: &mut Db, code: &str) -> ApiResult<Option<Definition>> {
    let row: Option<(ItemRow, VersionRow)> = catalog_items::table
        .inner_join(
            catalog_versions::table.on(catalog_versions::item_id
                .eq(catalog_items::id)
                .and(catalog_versions::version.eq(catalog_items::current_version))),
        )
        .filter(catalog_items::code.eq(code))
        .select((ItemRow::as_select(), VersionRow::as_select()))
        .first(conn)
        .optional()?;
    row.map(|(item, version)| parse(item, version)).transpose()
}

/// One version of an item, by item id.
pub fn version(conn: &mut Db, item_id: &str, version: i32) -> ApiResult<Definition> {
    let row: Option<(ItemRow, VersionRow)> = catalog_items::table
        .inner_join(catalog_versions::table)
        .filter(catalog_items::id.eq(item_id))
        .filter(catalog_versions::version.eq(version))
        .select((ItemRow::as_select(), VersionRow::as_select()))
        .first(conn)
        .optional()?;
    let (item, version_row) =
        row.ok_or_else(|| ApiError::internal(format!("catalog item {item_id} has no version {version}")))?;
    parse(item, version_row)
}

/// Every version of an item, newest first, each with `updated_at` the time it was made.
pub fn versions(conn: &mut Db, item_id: &str) -> ApiResult<Vec<Definition>> {
    let rows: Vec<(ItemRow, VersionRow)> = catalog_items::table
        .inner_join(catalog_versions::table)
        .filter(catalog_items::id.eq(item_id))
        .order(catalog_versions::version.desc())
        .select((ItemRow::as_select(), VersionRow::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(item, version)| {
            // Each version is dated by its own making, not by the item's last change.
            let made = version.created_at;
            parse(item, version).map(|definition| Definition { updated_at: made, ..definition })
        })
        .collect()
}

/// Stores `input` as version `version` of `item_id`.
pub fn insert_version(
    conn: &mut Db,
    item_id: &str,
    version: i32,
    input: &CatalogItemInput,
    by: &str,
    at: NaiveDateTime,
) -> ApiResult<()> {
    diesel::insert_into(catalog_versions::table)
        .values((
            catalog_versions::item_id.eq(item_id),
            catalog_versions::version.eq(version),
            catalog_versions::name_zh.eq(input.name_zh.trim()),
            catalog_versions::name_en.eq(input.name_en.trim()),
            catalog_versions::subject_kinds.eq(to_json(&input.subject_kinds)?),
            catalog_versions::fields.eq(to_json(&input.fields)?),
            catalog_versions::default_class.eq(input.default_class.as_str()),
            catalog_versions::min_days.eq(i32::try_from(input.min_days).unwrap_or(i32::MAX)),
            catalog_versions::max_days.eq(i32::try_from(input.max_days).unwrap_or(i32::MAX)),
            catalog_versions::created_at.eq(at),
            catalog_versions::created_by.eq(by),
        ))
        .execute(conn)?;
    Ok(())
}

/// A value as the JSON document a text column holds.
pub fn to_json<T: serde::Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// Catalog code and Chinese name by item id (current version's name).
pub fn catalog_names(conn: &mut Db) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
    let rows: Vec<(String, String, String)> = catalog_items::table
        .inner_join(
            catalog_versions::table.on(catalog_versions::item_id
                .eq(catalog_items::id)
                .and(catalog_versions::version.eq(catalog_items::current_version))),
        )
        .select((catalog_items::id, catalog_items::code, catalog_versions::name_zh))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, code, name)| (id, (code, name))).collect())
}
