//! Credit subjects and credit records as the API sends and receives them, with the subject
//! code checks shared by the API and the web app.

use crate::catalog::{DisclosureClass, SubjectKind};
use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use validator::Validate;

/// A record's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum RecordStatus {
    Active,
    /// An objection is open (异议处理中); still published, marked.
    UnderObjection,
    /// Amended after an objection; published.
    Corrected,
    /// Withdrawn by its provider: kept, never published.
    Revoked,
    /// Past its publication period.
    Expired,
}

impl RecordStatus {
    pub const ALL: [RecordStatus; 5] = [
        RecordStatus::Active,
        RecordStatus::UnderObjection,
        RecordStatus::Corrected,
        RecordStatus::Revoked,
        RecordStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Active => "active",
            RecordStatus::UnderObjection => "under_objection",
            RecordStatus::Corrected => "corrected",
            RecordStatus::Revoked => "revoked",
            RecordStatus::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<RecordStatus> {
        RecordStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether a record in this state is in force: shown on the portal (when public and within its period) and
    /// usable by user units.
    pub fn in_force(self) -> bool {
        matches!(self, RecordStatus::Active | RecordStatus::UnderObjection | RecordStatus::Corrected)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordStatus::Active => "有效",
            RecordStatus::UnderObjection => "异议处理中",
            RecordStatus::Corrected => "已更正",
            RecordStatus::Revoked => "已撤销",
            RecordStatus::Expired => "已过公示期",
        }
    }
}

impl DisclosureClass {
    pub const ALL: [DisclosureClass; 3] =
        [DisclosureClass::Public, DisclosureClass::Shared, DisclosureClass::Authorized];

    pub fn as_str(self) -> &'static str {
        match self {
            DisclosureClass::Public => "public",
            DisclosureClass::Shared => "shared",
            DisclosureClass::Authorized => "authorized",
        }
    }

    pub fn parse(value: &str) -> Option<DisclosureClass> {
        DisclosureClass::ALL.into_iter().find(|c| c.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            DisclosureClass::Public => "向社会公开",
            DisclosureClass::Shared => "政务共享",
            DisclosureClass::Authorized => "授权查询",
        }
    }
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] =
        [SubjectKind::LegalPerson, SubjectKind::NaturalPerson, SubjectKind::IndividualBusiness];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::LegalPerson => "legal_person",
            SubjectKind::NaturalPerson => "natural_person",
            SubjectKind::IndividualBusiness => "individual_business",
        }
    }

    pub fn parse(value: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::LegalPerson => "法人和非法人组织",
            SubjectKind::NaturalPerson => "自然人",
            SubjectKind::IndividualBusiness => "个体工商户",
        }
    }

    /// What the subject's code is called.
    pub fn code_label(self) -> &'static str {
        match self {
            SubjectKind::NaturalPerson => "公民身份号码",
            _ => "统一社会信用代码",
        }
    }
}

/// Who a record is about, as a provider names it. The code identifies the subject: one subject per code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubjectInput {
    pub kind: SubjectKind,
    /// Unified social credit code (GB 32100) for organisations and individual businesses; resident identity
    /// number (GB 11643) for natural persons.
    pub code: String,
    pub name: String,
}

/// Checks a subject: its code by its kind (check character, birth date), its name's length. Errors name
/// `<prefix>code` and `<prefix>name`.
pub fn check_subject(subject: &SubjectInput, today: chrono::NaiveDate, prefix: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let code_error = match subject.kind {
        SubjectKind::NaturalPerson => crate::codes::check_resident_id(&subject.code, today).err().map(|e| e.message()),
        SubjectKind::LegalPerson | SubjectKind::IndividualBusiness => {
            crate::codes::check_uscc(&subject.code).err().map(|e| e.message())
        }
    };
    if let Some(message) = code_error {
        errors.push(FieldError::new(format!("{prefix}code"), "invalid_code", message));
    }
    let name = subject.name.trim().chars().count();
    if name == 0 || name > 100 {
        errors.push(FieldError::new(format!("{prefix}name"), "length", "主体名称为 1 至 100 个字符"));
    }
    // Line breaks, tabs and other control characters belong in no name; in a CSV export they split cells and rows
    //
    if subject.name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            format!("{prefix}name"),
            "control_character",
            "主体名称不能包含换行、制表符等控制字符",
        ));
    }
    errors
}

/// A credit subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subject {
    pub id: String,
    pub kind: SubjectKind,
    pub code: String,
    pub name: String,
}

/// The catalog item (and version) a record was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogRef {
    pub code: String,
    pub name_zh: String,
    pub version: i32,
}

/// One field value with its label, in the catalog's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordField {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// A credit record as the workbench and API clients see it (unmasked: only callers allowed to see it get it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub id: String,
    pub subject: Subject,
    pub catalog_item: CatalogRef,
    pub provider_id: String,
    pub provider_name: String,
    /// The providing organisation's region: the record's jurisdiction.
    pub jurisdiction_region: String,
    pub disclosure_class: DisclosureClass,
    pub decision_date: chrono::NaiveDate,
    /// Last day of publication.
    pub publish_until: chrono::NaiveDate,
    pub status: RecordStatus,
    /// Goes up by one with every change; also the `ETag`.
    pub version: i32,
    /// The provider's own reference, unique per provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    pub fields: Vec<RecordField>,
    /// What undetermined objections recorded on it: the claim and the verification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::objections::RecordNote>,
    /// The grant the caller reads this record through, when its organisation sees it only by a provider's consent
    /// absent when the access table alone lets it read the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_through_grant: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A record in lists: without its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordSummary {
    pub id: String,
    pub subject: Subject,
    pub catalog_code: String,
    pub catalog_name: String,
    pub provider_id: String,
    pub provider_name: String,
    pub jurisdiction_region: String,
    pub disclosure_class: DisclosureClass,
    pub decision_date: chrono::NaiveDate,
    pub publish_until: chrono::NaiveDate,
    pub status: RecordStatus,
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    /// The grant the caller reads this record through, as on [`Record`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_through_grant: Option<String>,
}

/// An earlier (or the current) state of a record: nothing a change replaced is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordVersion {
    pub version: i32,
    pub catalog_version: i32,
    pub disclosure_class: DisclosureClass,
    pub decision_date: chrono::NaiveDate,
    pub publish_until: chrono::NaiveDate,
    pub status: RecordStatus,
    pub fields: Vec<RecordField>,
    /// Why this version was made (`created` for the first).
    pub reason: String,
    pub created_at: chrono::NaiveDateTime,
    pub created_by: String,
}

/// Body of `POST /api/v1/records`: one record from the caller's own organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRecordRequest {
    /// Catalog item code.
    #[validate(length(min = 1, max = 40, code = "length", message = "请选择目录项"))]
    pub catalog_item: String,
    pub subject: SubjectInput,
    pub decision_date: chrono::NaiveDate,
    /// Narrower than the catalog's default class, or absent for the default; never wider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure_class: Option<DisclosureClass>,
    /// Publication period in days, within the catalog's bounds; absent for the catalog's maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_days: Option<u32>,
    /// The provider's own reference; a retry with the same reference and content is answered with the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 64, code = "length", message = "本单位编号为 1 至 64 个字符"))]
    pub provider_ref: Option<String>,
    pub values: BTreeMap<String, String>,
}

/// Body of `PUT /api/v1/records/{id}` (with `If-Match`): a new version with a reason; the old one is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AmendRecordRequest {
    pub values: BTreeMap<String, String>,
    pub decision_date: chrono::NaiveDate,
    /// Absent: the record's current class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure_class: Option<DisclosureClass>,
    /// Absent: the record's current period (kept within the catalog item's bounds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_days: Option<u32>,
    #[validate(length(min = 2, max = 500, code = "length", message = "请说明修改原因(2 至 500 个字)"))]
    pub reason: String,
}

/// Body of `POST /api/v1/records/{id}/revoke` (with `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeRecordRequest {
    #[validate(length(min = 2, max = 500, code = "length", message = "请说明撤销原因(2 至 500 个字)"))]
    pub reason: String,
}

/// Query parameters of `GET /api/v1/records`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RecordListQuery {
    /// The subject's exact code, or part of its name (two characters or more).
    #[validate(length(min = 2, max = 100, code = "length", message = "q is 2 to 100 characters"))]
    pub q: Option<String>,
    /// Catalog item code.
    pub catalog_item: Option<String>,
    /// Providing organisation id.
    pub provider: Option<String>,
    /// Jurisdiction (region code).
    pub region: Option<String>,
    pub disclosure_class: Option<DisclosureClass>,
    pub status: Option<RecordStatus>,
    /// Decision date from (inclusive).
    pub from: Option<chrono::NaiveDate>,
    /// Decision date to (inclusive).
    pub to: Option<chrono::NaiveDate>,
    /// Why the caller reads; recorded in the audit trail.
    #[validate(length(max = 200, code = "length", message = "purpose is at most 200 characters"))]
    pub purpose: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Query parameters of a single record read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ReadQuery {
    /// Why the caller reads; recorded in the audit trail.
    #[validate(length(max = 200, code = "length", message = "purpose is at most 200 characters"))]
    pub purpose: Option<String>,
}

/// A subject on the public portal: masked where the catalog says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSubject {
    pub id: String,
    pub kind: SubjectKind,
    /// Masked for natural persons.
    pub name: String,
    /// Masked for natural persons.
    pub code: String,
    /// Public records currently published.
    pub record_count: i64,
}

/// A published record on the portal, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicRecord {
    pub id: String,
    pub subject_id: String,
    pub subject_name: String,
    pub catalog_code: String,
    pub catalog_name: String,
    pub provider_name: String,
    pub decision_date: chrono::NaiveDate,
    pub publish_until: chrono::NaiveDate,
    /// 异议处理中: an objection is open.
    pub under_objection: bool,
    /// Masked values; absent on lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<RecordField>,
    /// What undetermined objections recorded on it (record pages only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::objections::RecordNote>,
}

/// A subject's page on the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSubjectPage {
    pub subject: PublicSubject,
    pub records: Vec<PublicRecord>,
}

/// Query parameters of `GET /api/v1/portal/subjects`: organisations and individual businesses only; natural persons
/// are found by [`PersonLookup`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PortalSearchQuery {
    /// Part of the name (two characters or more) or the exact unified social credit code.
    #[validate(length(min = 2, max = 100, code = "length", message = "请输入至少两个字的名称或完整代码"))]
    pub q: String,
    /// Page size, 1 to 50 (default 20).
    #[validate(range(min = 1, max = 50, code = "range", message = "limit must be between 1 and 50"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Body of `POST /api/v1/portal/persons/lookup`: a natural person, found only by the full name and the full resident
/// identity number together. A POST, so the number stays out of URLs and logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonLookup {
    /// The full name, exactly as registered.
    #[validate(length(min = 1, max = 100, code = "required", message = "请填写完整姓名"))]
    pub name: String,
    /// The full 18-character resident identity number (GB 11643).
    #[validate(length(min = 1, max = 40, code = "required", message = "请填写完整的公民身份号码"))]
    pub id_number: String,
}

impl PersonLookup {
    /// The lookup as it is matched: the name trimmed, the number trimmed and in capitals (as numbers are stored).
    pub fn normalised(&self) -> PersonLookup {
        PersonLookup { name: self.name.trim().to_owned(), id_number: self.id_number.trim().to_uppercase() }
    }
}

/// Checks a person lookup as the API does and the portal's form does as the user types: a name, and a valid
/// resident identity number (check digit, birth date). Errors name `name` and `id_number`.
pub fn check_person_lookup(lookup: &PersonLookup, today: chrono::NaiveDate) -> Vec<FieldError> {
    let lookup = lookup.normalised();
    let mut errors = Vec::new();
    let name = lookup.name.chars().count();
    if name == 0 {
        errors.push(FieldError::new("name", "required", "请填写完整姓名"));
    } else if name > 100 {
        errors.push(FieldError::new("name", "length", "姓名最多 100 个字符"));
    }
    if lookup.id_number.is_empty() {
        errors.push(FieldError::new("id_number", "required", "请填写完整的公民身份号码"));
    } else if let Err(error) = crate::codes::check_resident_id(&lookup.id_number, today) {
        errors.push(FieldError::new("id_number", "invalid_code", error.message()));
    }
    errors
}

/// What statistics are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatsDimension {
    CatalogItem,
    Provider,
    County,
    Month,
}

/// Query parameters of `GET /api/v1/statistics/records`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    pub by: StatsDimension,
    /// Decision date from (inclusive).
    pub from: Option<chrono::NaiveDate>,
    /// Decision date to (inclusive).
    pub to: Option<chrono::NaiveDate>,
}

/// One group's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsBucket {
    /// Catalog code, organisation id, region code or `YYYY-MM`.
    pub key: String,
    pub label: String,
    pub count: i64,
}

/// Counts of records the caller may oversee, grouped by one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub by: StatsDimension,
    pub total: i64,
    pub buckets: Vec<StatsBucket>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_codes_are_checked_by_kind() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let person =
            SubjectInput { kind: SubjectKind::NaturalPerson, code: "11010519491231002X".into(), name: "张三".into() };
        assert!(check_subject(&person, today, "").is_empty());
        let wrong = SubjectInput { kind: SubjectKind::LegalPerson, ..person };
        let errors = check_subject(&wrong, today, "subject.");
        assert_eq!(errors[0].field, "subject.code");
    }

    #[test]
    fn r16_2_a_person_lookup_needs_a_name_and_a_valid_number() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let lookup = PersonLookup { name: " 李四海 ".into(), id_number: "36040319750318057x".into() };
        let fields = |l: &PersonLookup| check_person_lookup(l, today).into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(&lookup), ["id_number"], "a wrong check digit is refused");
        let right = PersonLookup { id_number: " 360403197503180571".into(), ..lookup.clone() };
        assert!(fields(&right).is_empty());
        assert_eq!(right.normalised().name, "李四海");
        assert_eq!(fields(&PersonLookup::default()), ["name", "id_number"]);
        let lower = PersonLookup { id_number: "11010519491231002x".into(), ..lookup };
        assert!(fields(&lower).is_empty(), "a lower-case x is read as X");
    }

    #[test]
    fn statuses_in_force() {
        let in_force: Vec<_> = RecordStatus::ALL.into_iter().filter(|s| s.in_force()).collect();
        assert_eq!(in_force, [RecordStatus::Active, RecordStatus::UnderObjection, RecordStatus::Corrected]);
        assert_eq!(RecordStatus::parse("under_objection"), Some(RecordStatus::UnderObjection));
    }
}

crate::labels::text_column!(RecordStatus);
crate::labels::labelled!(RecordStatus);
