//! Records as a viewer who reads them masked receives them (R-16.2, `access::presentation`): a credit service
//! agency reading through the API sees what the portal shows, every value by its catalog field's masking rule and a
//! natural person's name and identity number masked; nothing it reads combines into more.

use crate::catalog::store::{self as catalog, Definition};
use crate::db::Db;
use crate::error::ApiResult;
use credit_types::catalog::SubjectKind;
use credit_types::masking::MaskingRule;
use credit_types::records::{Record, RecordField, RecordSummary, RecordVersion, Subject};

/// A subject as the public sees it: a natural person's name and identity number masked.
pub fn subject(subject: Subject) -> Subject {
    match subject.kind {
        SubjectKind::NaturalPerson => Subject {
            name: MaskingRule::PersonName.apply(&subject.name),
            code: MaskingRule::ResidentId.apply(&subject.code),
            ..subject
        },
        _ => subject,
    }
}

/// Field values masked by the rules of the catalog version they were made under; a value the version does not
/// define is never shown raw.
pub fn fields(fields: Vec<RecordField>, definition: &Definition) -> Vec<RecordField> {
    fields
        .into_iter()
        .map(|field| {
            let rule = definition.fields.iter().find(|f| f.key == field.key).map(|f| f.masking);
            let value = rule.map_or_else(|| "***".to_owned(), |rule| rule.apply(&field.value));
            RecordField { value, ..field }
        })
        .collect()
}

/// One record, masked (`catalog_item_id`: the record's item, whose version defines the masking).
pub fn record(conn: &mut Db, record: Record, catalog_item_id: &str) -> ApiResult<Record> {
    let definition = catalog::version(conn, catalog_item_id, record.catalog_item.version)?;
    Ok(Record {
        subject: subject(record.subject),
        fields: fields(record.fields, &definition),
        provider_ref: None,
        ..record
    })
}

/// A list's row, masked.
pub fn summary(summary: RecordSummary) -> RecordSummary {
    RecordSummary { subject: subject(summary.subject), provider_ref: None, ..summary }
}

/// A record's versions, each masked by its own catalog version.
pub fn versions(conn: &mut Db, versions: Vec<RecordVersion>, catalog_item_id: &str) -> ApiResult<Vec<RecordVersion>> {
    versions
        .into_iter()
        .map(|version| {
            let definition = catalog::version(conn, catalog_item_id, version.catalog_version)?;
            Ok(RecordVersion { fields: fields(version.fields, &definition), ..version })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r16_2_a_natural_person_is_masked_and_an_organisation_is_not() {
        let person = Subject {
            id: "s".into(),
            kind: SubjectKind::NaturalPerson,
            code: "360403197503180571".into(),
            name: "李四海".into(),
        };
        let shown = subject(person);
        assert_ne!(shown.code, "360403197503180571");
        assert_ne!(shown.name, "李四海");
        let company = Subject {
            id: "c".into(),
            kind: SubjectKind::LegalPerson,
            code: "91360400MA35G4QX1R".into(),
            name: "九江甲公司".into(),
        };
        assert_eq!(subject(company.clone()), company);
    }
}
