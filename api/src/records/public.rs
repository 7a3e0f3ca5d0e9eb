//! What the public may see of a record and its subject: only published public records (the access
//! rule with the anonymous viewer), every value masked by its catalog field's rule after any identity number in it
//! is hidden, natural persons' names and identity numbers masked alike wherever they appear, so no answer shows
//! what another masks. The portal serves it; an appellant's tracking page shows the record the same way.

use super::reads::readable_record;
use super::store::{self, RecordRow, SubjectRow};
use crate::access::Viewer;
use crate::catalog::store as catalog;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use credit_types::catalog::SubjectKind;
use credit_types::masking::MaskingRule;
use credit_types::objections::RecordNote;
use credit_types::records::{PublicRecord, PublicSubject, RecordField, RecordStatus};
use std::collections::HashMap;

/// The record as the portal publishes it now (masked), or `None` when it is not published.
pub fn published_record(conn: &mut Db, id: &str) -> ApiResult<Option<PublicRecord>> {
    let row = match readable_record(conn, &Viewer::Anonymous, id) {
        Ok(row) => row,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(other) => return Err(other),
    };
    let subject = subject_row(conn, &row.subject_id)?;
    public_record(conn, &mut Lookup::default(), row, &subject, true).map(Some)
}

pub fn subject_row(conn: &mut Db, id: &str) -> ApiResult<SubjectRow> {
    store::subjects_by_id(conn, &[id])?.remove(id).ok_or_else(|| ApiError::not_found("no such subject"))
}

/// A subject as the public sees it: a natural person's name and identity number masked, the name
/// as `PersonName` masks it, the number down to its region (`MaskingRule::ResidentId` says why).
pub fn public_subject(subject: &SubjectRow, record_count: i64) -> PublicSubject {
    let (name, code) = match subject.kind() {
        SubjectKind::NaturalPerson => {
            (MaskingRule::PersonName.apply(&subject.name), MaskingRule::ResidentId.apply(&subject.code))
        }
        _ => (subject.name.clone(), subject.code.clone()),
    };
    PublicSubject { id: subject.id.clone(), kind: subject.kind(), name, code, record_count }
}

/// A field's value as the public sees it: any identity number in it hidden, the field's rule
/// applied, and — on a natural person's record — the person's full name wherever a free-text field repeats it
/// replaced by the masked name, so that no field shows what the subject's own masked name hides.
fn masked_value(rule: MaskingRule, value: &str, subject: &SubjectRow) -> String {
    let shown = rule.apply_public(value);
    let name = subject.name.trim();
    // A one-character name would mask that character in every word that holds it, and shows as `*` anyway.
    if subject.kind() != SubjectKind::NaturalPerson || name.chars().count() < 2 {
        return shown;
    }
    shown.replace(name, &MaskingRule::PersonName.apply(name))
}

/// Catalog versions and provider names already read for one answer, so a subject page costs a few queries however
/// many records it lists.
#[derive(Default)]
pub struct Lookup {
    definitions: HashMap<(String, i32), catalog::Definition>,
    providers: HashMap<String, String>,
}

impl Lookup {
    fn definition(&mut self, conn: &mut Db, item_id: &str, version: i32) -> ApiResult<catalog::Definition> {
        let key = (item_id.to_owned(), version);
        if let Some(definition) = self.definitions.get(&key) {
            return Ok(definition.clone());
        }
        let definition = catalog::version(conn, item_id, version)?;
        self.definitions.insert(key, definition.clone());
        Ok(definition)
    }

    fn provider(&mut self, conn: &mut Db, id: &str) -> ApiResult<String> {
        if let Some(name) = self.providers.get(id) {
            return Ok(name.clone());
        }
        let name = crate::identity::store::organisation_names(conn, &[id])?.remove(id).unwrap_or_default();
        self.providers.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

/// A record as the public sees it; `with_fields` adds the masked values.
pub fn public_record(
    conn: &mut Db,
    lookup: &mut Lookup,
    row: RecordRow,
    subject: &SubjectRow,
    with_fields: bool,
) -> ApiResult<PublicRecord> {
    let provider_name = lookup.provider(conn, &row.provider_id)?;
    let definition = lookup.definition(conn, &row.catalog_item_id, row.catalog_version)?;
    let fields = if with_fields {
        let values = row.values()?;
        store::labelled(&definition, &values)
            .into_iter()
            .map(|field| {
                let rule = definition.fields.iter().find(|f| f.key == field.key).map(|f| f.masking);
                // A value the catalog version does not define is never shown raw.
                let value = rule.map_or_else(|| "***".to_owned(), |rule| masked_value(rule, &field.value, subject));
                RecordField { value, ..field }
            })
            .collect()
    } else {
        Vec::new()
    };
    let notes = if with_fields { crate::records::notes::of_record(conn, &row.id)? } else { Vec::new() };
    // The claim and the verification are free text too (an appellant may well quote their own number).
    let notes = notes
        .into_iter()
        .map(|note| RecordNote {
            claim: masked_value(MaskingRule::None, &note.claim, subject),
            verification: masked_value(MaskingRule::None, &note.verification, subject),
            ..note
        })
        .collect();
    Ok(PublicRecord {
        notes,
        under_objection: row.status() == RecordStatus::UnderObjection,
        subject_name: public_subject(subject, 0).name,
        subject_id: row.subject_id,
        catalog_code: definition.code,
        catalog_name: definition.name_zh,
        provider_name,
        decision_date: row.decision_date,
        publish_until: row.publish_until,
        id: row.id,
        fields,
    })
}
