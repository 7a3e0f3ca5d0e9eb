//! Record and subject queries: writing drafts (one or many at a time), reading rows and shaping them for the API.

use super::rules::Draft;
use crate::access::RecordFacts;
use crate::catalog::store::{self as catalog, Definition};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::{catalog_items, organisations, record_versions, records, subject_grams, subjects};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::records::{Record, RecordField, RecordStatus, RecordSummary, RecordVersion, Subject, SubjectInput};
use credit_types::{FieldError, RegionLevel};
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Rows per multi-row INSERT: under SQLite's and PostgreSQL's bound-parameter limits for the widest table.
const CHUNK: usize = 500;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = records)]
pub struct RecordRow {
    pub id: String,
    pub subject_id: String,
    pub catalog_item_id: String,
    pub catalog_version: i32,
    pub provider_id: String,
    pub jurisdiction_region: String,
    pub jurisdiction_level: RegionLevel,
    pub disclosure_class: DisclosureClass,
    pub decision_date: NaiveDate,
    pub publish_until: NaiveDate,
    pub status: RecordStatus,
    pub version: i32,
    pub provider_ref: Option<String>,
    pub content_hash: String,
    pub field_values: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl RecordRow {
    pub fn class(&self) -> DisclosureClass {
        self.disclosure_class
    }

    pub fn status(&self) -> RecordStatus {
        self.status
    }

    /// What the access rule needs of this record, without grants.
    pub fn facts(&self) -> RecordFacts<'_> {
        self.facts_with(&[])
    }

    /// What the access rule needs of this record, with the grants listing it (see `access::grants::held`).
    pub fn facts_with<'a>(&'a self, grants: &'a [crate::access::HeldGrant]) -> RecordFacts<'a> {
        RecordFacts {
            provider_id: &self.provider_id,
            jurisdiction_region: &self.jurisdiction_region,
            jurisdiction_level: self.jurisdiction_level,
            class: self.class(),
            status: self.status(),
            publish_until: self.publish_until,
            grants,
        }
    }

    /// The field values; stored JSON that does not read as them is an error, never an empty record.
    pub fn values(&self) -> ApiResult<BTreeMap<String, String>> {
        read_values(&self.id, &self.field_values)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subjects)]
pub struct SubjectRow {
    pub id: String,
    pub kind: SubjectKind,
    pub code: String,
    pub name: String,
}

impl SubjectRow {
    pub fn kind(&self) -> SubjectKind {
        self.kind
    }

    pub fn to_subject(&self) -> Subject {
        Subject { id: self.id.clone(), kind: self.kind(), code: self.code.clone(), name: self.name.clone() }
    }
}

/// Field values as stored (JSON); unreadable ones are an error naming the record.
fn read_values(record_id: &str, stored: &str) -> ApiResult<BTreeMap<String, String>> {
    serde_json::from_str(stored)
        .map_err(|e| ApiError::internal(format!("record {record_id} has unreadable field values: {e}")))
}

/// The providing organisation, as a record is stamped with it.
#[derive(Debug, Clone)]
pub struct Provider {
    pub organisation_id: String,
    pub region_code: String,
    pub level: RegionLevel,
    pub user_id: String,
}

impl Provider {
    /// The caller's organisation as the provider of what it submits.
    pub fn of(principal: &crate::identity::principal::Principal) -> Provider {
        Provider {
            organisation_id: principal.organisation_id.clone(),
            region_code: principal.region_code.clone(),
            level: principal.level,
            user_id: principal.user_id().to_owned(),
        }
    }
}

/// The character bigrams indexing a name for substring search (the name itself when it is one character).
pub fn grams(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    let mut out: Vec<String> = match chars.len() {
        0 => Vec::new(),
        1 => vec![chars[0].to_string()],
        _ => chars.windows(2).map(|w| w.iter().collect()).collect(),
    };
    out.sort();
    out.dedup();
    out
}

pub fn find_record(conn: &mut Db, id: &str) -> ApiResult<Option<RecordRow>> {
    Ok(records::table.find(id).select(RecordRow::as_select()).first(conn).optional()?)
}

/// Records by id, in id order (ids that name no record are left out).
pub fn records_by_id(conn: &mut Db, ids: &[String]) -> ApiResult<Vec<RecordRow>> {
    Ok(records::table.filter(records::id.eq_any(ids)).order(records::id).select(RecordRow::as_select()).load(conn)?)
}

/// Subjects already stored under `codes`, by code.
pub fn subjects_by_code(conn: &mut Db, codes: &[&str]) -> ApiResult<HashMap<String, SubjectRow>> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        let rows: Vec<SubjectRow> =
            subjects::table.filter(subjects::code.eq_any(chunk)).select(SubjectRow::as_select()).load(conn)?;
        out.extend(rows.into_iter().map(|r| (r.code.clone(), r)));
    }
    Ok(out)
}

/// A subject that contradicts the stored one with the same code (another kind or another name).
pub fn subject_conflict(stored: &SubjectRow, input: &SubjectInput) -> Option<FieldError> {
    if stored.kind() != input.kind {
        return Some(FieldError::new(
            "subject.kind",
            "subject_kind_mismatch",
            format!("该代码已登记为{},主体类型不一致", stored.kind().label()),
        ));
    }
    if stored.name != input.name {
        return Some(FieldError::new(
            "subject.name",
            "subject_name_mismatch",
            // The stored name is not echoed: a resident ID must not reveal whose it is.
            "该代码已登记的主体名称与所填不一致;请核对名称,主体更名请联系信用主管部门",
        ));
    }
    None
}

/// Records of `provider` already stored under `refs`, by reference: (id, content hash).
pub fn records_by_ref(conn: &mut Db, provider: &str, refs: &[&str]) -> ApiResult<HashMap<String, (String, String)>> {
    let mut out = HashMap::new();
    for chunk in refs.chunks(CHUNK) {
        let rows: Vec<(Option<String>, String, String)> = records::table
            .filter(records::provider_id.eq(provider))
            .filter(records::provider_ref.eq_any(chunk))
            .select((records::provider_ref, records::id, records::content_hash))
            .load(conn)?;
        out.extend(rows.into_iter().filter_map(|(r, id, hash)| r.map(|r| (r, (id, hash)))));
    }
    Ok(out)
}

#[derive(Insertable)]
#[diesel(table_name = subjects, treat_none_as_default_value = false)]
struct NewSubject<'a> {
    id: String,
    kind: SubjectKind,
    code: &'a str,
    name: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = records, treat_none_as_default_value = false)]
struct NewRecord<'a> {
    id: String,
    subject_id: &'a str,
    catalog_item_id: &'a str,
    catalog_version: i32,
    provider_id: &'a str,
    jurisdiction_region: &'a str,
    jurisdiction_level: RegionLevel,
    disclosure_class: DisclosureClass,
    decision_date: NaiveDate,
    publish_until: NaiveDate,
    status: RecordStatus,
    version: i32,
    provider_ref: Option<&'a str>,
    content_hash: &'a str,
    field_values: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by: &'a str,
    updated_by: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = record_versions)]
struct NewVersion<'a> {
    record_id: String,
    version: i32,
    catalog_version: i32,
    disclosure_class: DisclosureClass,
    decision_date: NaiveDate,
    publish_until: NaiveDate,
    status: RecordStatus,
    field_values: String,
    reason: &'a str,
    created_at: NaiveDateTime,
    created_by: &'a str,
}

/// Stores drafts of one catalog item for one provider with multi-row inserts, creating the subjects not yet known.
/// The caller runs it inside a write transaction and has checked the drafts against stored subjects and references;
/// returns the new record ids in draft order.
pub fn insert_drafts(
    conn: &mut Db,
    item: &Definition,
    provider: &Provider,
    drafts: &[Draft],
    now: NaiveDateTime,
) -> ApiResult<Vec<String>> {
    let subjects = insert_subjects(conn, provider, drafts, now)?;
    let mut rows = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let subject = subjects.get(&draft.subject.code).ok_or_else(|| ApiError::internal("subject vanished"))?;
        rows.push(NewRecord {
            id: crate::db::new_id(),
            subject_id: &subject.id,
            catalog_item_id: &item.item_id,
            catalog_version: item.version,
            provider_id: &provider.organisation_id,
            jurisdiction_region: &provider.region_code,
            jurisdiction_level: provider.level,
            disclosure_class: draft.class,
            decision_date: draft.decision_date,
            publish_until: draft.publish_until,
            status: draft.status,
            version: 1,
            provider_ref: draft.provider_ref.as_deref(),
            content_hash: &draft.content_hash,
            field_values: catalog::to_json(&draft.values)?,
            created_at: now,
            updated_at: now,
            created_by: &provider.user_id,
            updated_by: &provider.user_id,
        });
    }
    for chunk in rows.chunks(CHUNK) {
        crate::insert_many!(conn, records::table, chunk)?;
        let versions: Vec<NewVersion> = chunk.iter().map(|r| first_version(r, now)).collect();
        crate::insert_many!(conn, record_versions::table, &versions)?;
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A new record's first version.
fn first_version<'a>(record: &NewRecord<'a>, now: NaiveDateTime) -> NewVersion<'a> {
    NewVersion {
        record_id: record.id.clone(),
        version: 1,
        catalog_version: record.catalog_version,
        disclosure_class: record.disclosure_class,
        decision_date: record.decision_date,
        publish_until: record.publish_until,
        status: record.status,
        field_values: record.field_values.clone(),
        reason: "created",
        created_at: now,
        created_by: record.created_by,
    }
}

/// The subjects of `drafts` by code: those stored already, and the others stored now with their names indexed for
/// search.
fn insert_subjects(
    conn: &mut Db,
    provider: &Provider,
    drafts: &[Draft],
    now: NaiveDateTime,
) -> ApiResult<HashMap<String, SubjectRow>> {
    let codes: Vec<&str> = drafts.iter().map(|d| d.subject.code.as_str()).collect();
    let mut known = subjects_by_code(conn, &codes)?;
    let mut new_subjects = Vec::new();
    let mut seen = HashSet::new();
    for draft in drafts {
        let code = draft.subject.code.as_str();
        if !known.contains_key(code) && seen.insert(code) {
            new_subjects.push(NewSubject {
                id: crate::db::new_id(),
                kind: draft.subject.kind,
                code,
                name: &draft.subject.name,
                created_at: now,
                updated_at: now,
                created_by: Some(&provider.user_id),
            });
        }
    }
    for chunk in new_subjects.chunks(CHUNK) {
        // A concurrent writer may register the same code first (PostgreSQL checks the unique key at insert, not at
        // our earlier read): keep its row rather than fail the whole write, and index only the names we stored.
        match conn {
            Db::Sqlite(c) => {
                diesel::insert_into(subjects::table).values(chunk).on_conflict(subjects::code).do_nothing().execute(c)
            }
            Db::Postgres(c) => {
                diesel::insert_into(subjects::table).values(chunk).on_conflict(subjects::code).do_nothing().execute(c)
            }
        }?;
        let codes: Vec<&str> = chunk.iter().map(|s| s.code).collect();
        let stored = subjects_by_code(conn, &codes)?;
        let ours = chunk.iter().filter(|s| stored.get(s.code).is_some_and(|row| row.id == s.id));
        index_names(conn, ours.map(|s| (s.id.as_str(), s.name)))?;
        known.extend(stored);
    }
    Ok(known)
}

/// Indexes subjects' names by their bigrams for substring search.
fn index_names<'a>(conn: &mut Db, subjects: impl Iterator<Item = (&'a str, &'a str)>) -> ApiResult<()> {
    let grams: Vec<_> = subjects
        .flat_map(|(id, name)| {
            grams(name).into_iter().map(move |g| (subject_grams::gram.eq(g), subject_grams::subject_id.eq(id)))
        })
        .collect();
    for grams in grams.chunks(CHUNK) {
        crate::insert_many!(conn, subject_grams::table, grams)?;
    }
    Ok(())
}

/// Stores a new version of `row` (already checked), keeping the old one in `record_versions`.
#[allow(clippy::too_many_arguments)]
pub fn update_record(
    conn: &mut Db,
    row: &RecordRow,
    catalog_version: i32,
    draft: &Draft,
    status: RecordStatus,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> ApiResult<i32> {
    let next = row.version + 1;
    let values = catalog::to_json(&draft.values)?;
    let updated = diesel::update(records::table.find(&row.id).filter(records::version.eq(row.version)))
        .set((
            records::catalog_version.eq(catalog_version),
            records::disclosure_class.eq(draft.class),
            records::decision_date.eq(draft.decision_date),
            records::publish_until.eq(draft.publish_until),
            records::status.eq(status),
            records::version.eq(next),
            records::content_hash.eq(&draft.content_hash),
            records::field_values.eq(&values),
            records::updated_at.eq(now),
            records::updated_by.eq(by),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::PreconditionFailed { detail: "the record changed while this change was made".into() });
    }
    diesel::insert_into(record_versions::table)
        .values(NewVersion {
            record_id: row.id.clone(),
            version: next,
            catalog_version,
            disclosure_class: draft.class,
            decision_date: draft.decision_date,
            publish_until: draft.publish_until,
            status,
            field_values: values,
            reason,
            created_at: now,
            created_by: by,
        })
        .execute(conn)?;
    Ok(next)
}

/// Marks a record revoked (a new version with the reason; values unchanged).
pub fn revoke_record(conn: &mut Db, row: &RecordRow, reason: &str, by: &str, now: NaiveDateTime) -> ApiResult<i32> {
    let next = row.version + 1;
    let updated = diesel::update(records::table.find(&row.id).filter(records::version.eq(row.version)))
        .set((
            records::status.eq(RecordStatus::Revoked),
            records::version.eq(next),
            records::updated_at.eq(now),
            records::updated_by.eq(by),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::PreconditionFailed { detail: "the record changed while this change was made".into() });
    }
    diesel::insert_into(record_versions::table)
        .values(NewVersion {
            record_id: row.id.clone(),
            version: next,
            catalog_version: row.catalog_version,
            disclosure_class: row.disclosure_class,
            decision_date: row.decision_date,
            publish_until: row.publish_until,
            status: RecordStatus::Revoked,
            field_values: row.field_values.clone(),
            reason,
            created_at: now,
            created_by: by,
        })
        .execute(conn)?;
    Ok(next)
}

/// Subjects by id.
pub fn subjects_by_id(conn: &mut Db, ids: &[&str]) -> ApiResult<HashMap<String, SubjectRow>> {
    let rows: Vec<SubjectRow> =
        subjects::table.filter(subjects::id.eq_any(ids)).select(SubjectRow::as_select()).load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id.clone(), r)).collect())
}

/// Shapes rows for a list: subjects, providers and catalog names looked up once for the page.
pub fn summaries(conn: &mut Db, rows: Vec<RecordRow>) -> ApiResult<Vec<RecordSummary>> {
    let subject_ids: Vec<&str> = rows.iter().map(|r| r.subject_id.as_str()).collect();
    let provider_ids: Vec<&str> = rows.iter().map(|r| r.provider_id.as_str()).collect();
    let subjects = subjects_by_id(conn, &subject_ids)?;
    let providers = crate::identity::store::organisation_names(conn, &provider_ids)?;
    let catalog = crate::catalog::store::catalog_names(conn)?;
    rows.into_iter()
        .map(|row| {
            let subject = subjects.get(&row.subject_id).ok_or_else(|| ApiError::internal("record without subject"))?;
            let (code, name) = catalog.get(&row.catalog_item_id).cloned().unwrap_or_default();
            Ok(RecordSummary {
                subject: subject.to_subject(),
                catalog_code: code,
                catalog_name: name,
                provider_name: providers.get(&row.provider_id).cloned().unwrap_or_default(),
                disclosure_class: row.class(),
                status: row.status(),
                id: row.id,
                provider_id: row.provider_id,
                jurisdiction_region: row.jurisdiction_region,
                decision_date: row.decision_date,
                publish_until: row.publish_until,
                version: row.version,
                provider_ref: row.provider_ref,
                read_through_grant: None,
            })
        })
        .collect()
}

/// The values of a record in its catalog version's field order, with labels.
pub fn labelled(definition: &Definition, values: &BTreeMap<String, String>) -> Vec<RecordField> {
    let mut out: Vec<RecordField> = definition
        .fields
        .iter()
        .filter_map(|f| {
            values.get(&f.key).map(|v| RecordField { key: f.key.clone(), label: f.label.clone(), value: v.clone() })
        })
        .collect();
    // Values of keys the version does not define cannot occur through the API; keep them visible if they do.
    for (key, value) in values {
        if !definition.fields.iter().any(|f| &f.key == key) {
            out.push(RecordField { key: key.clone(), label: key.clone(), value: value.clone() });
        }
    }
    out
}

/// One record in full.
pub fn to_record(conn: &mut Db, row: RecordRow) -> ApiResult<Record> {
    let definition = catalog::version(conn, &row.catalog_item_id, row.catalog_version)?;
    let subject = subjects::table.find(&row.subject_id).select(SubjectRow::as_select()).first(conn)?;
    let provider_name: String = organisations::table.find(&row.provider_id).select(organisations::name).first(conn)?;
    let notes = super::notes::of_record(conn, &row.id)?;
    Ok(Record {
        notes,
        read_through_grant: None,
        fields: labelled(&definition, &row.values()?),
        subject: subject.to_subject(),
        catalog_item: credit_types::records::CatalogRef {
            code: definition.code.clone(),
            name_zh: definition.name_zh.clone(),
            version: row.catalog_version,
        },
        disclosure_class: row.class(),
        status: row.status(),
        provider_name,
        id: row.id,
        provider_id: row.provider_id,
        jurisdiction_region: row.jurisdiction_region,
        decision_date: row.decision_date,
        publish_until: row.publish_until,
        version: row.version,
        provider_ref: row.provider_ref,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Every version of a record, newest first, with the names of the people who made them.
pub fn versions(conn: &mut Db, row: &RecordRow) -> ApiResult<Vec<RecordVersion>> {
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = record_versions)]
    struct VersionRow {
        version: i32,
        catalog_version: i32,
        disclosure_class: DisclosureClass,
        decision_date: NaiveDate,
        publish_until: NaiveDate,
        status: RecordStatus,
        field_values: String,
        reason: String,
        created_at: NaiveDateTime,
        created_by: String,
    }
    let rows: Vec<VersionRow> = record_versions::table
        .filter(record_versions::record_id.eq(&row.id))
        .order(record_versions::version.desc())
        .select(VersionRow::as_select())
        .load(conn)?;
    let user_ids: Vec<&str> = rows.iter().map(|r| r.created_by.as_str()).collect();
    let names: HashMap<String, String> = crate::schema::users::table
        .filter(crate::schema::users::id.eq_any(&user_ids))
        .select((crate::schema::users::id, crate::schema::users::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut definitions: HashMap<i32, Definition> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for v in rows {
        let definition = match definitions.entry(v.catalog_version) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(catalog::version(conn, &row.catalog_item_id, v.catalog_version)?)
            }
        };
        let values = read_values(&row.id, &v.field_values)?;
        out.push(RecordVersion {
            version: v.version,
            catalog_version: v.catalog_version,
            disclosure_class: v.disclosure_class,
            decision_date: v.decision_date,
            publish_until: v.publish_until,
            status: v.status,
            fields: labelled(definition, &values),
            reason: v.reason,
            created_at: v.created_at,
            created_by: names.get(&v.created_by).cloned().unwrap_or(v.created_by),
        });
    }
    Ok(out)
}

/// The catalog item id of a code (any version).
pub fn catalog_item_id(conn: &mut Db, code: &str) -> ApiResult<Option<String>> {
    Ok(catalog_items::table.filter(catalog_items::code.eq(code)).select(catalog_items::id).first(conn).optional()?)
}

/// What the target records are — subject, catalog item, decision date — never their content.
pub fn target_records(conn: &mut Db, rows: &[RecordRow]) -> ApiResult<Vec<credit_types::authorization::TargetRecord>> {
    let subject_ids: Vec<&str> = rows.iter().map(|r| r.subject_id.as_str()).collect();
    let subjects: HashMap<String, (String, String)> = subjects::table
        .filter(subjects::id.eq_any(&subject_ids))
        .select((subjects::id, (subjects::name, subjects::code)))
        .load(conn)?
        .into_iter()
        .collect();
    let catalog = crate::catalog::store::catalog_names(conn)?;
    Ok(rows
        .iter()
        .map(|row| {
            let (subject_name, subject_code) = subjects.get(&row.subject_id).cloned().unwrap_or_default();
            let (catalog_code, catalog_name) = catalog.get(&row.catalog_item_id).cloned().unwrap_or_default();
            credit_types::authorization::TargetRecord {
                id: row.id.clone(),
                subject_name,
                subject_code,
                catalog_code,
                catalog_name,
                decision_date: row.decision_date,
            }
        })
        .collect())
}
