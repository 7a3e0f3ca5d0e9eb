//! The resource catalog (信用信息资源目录, R-23.1): what information items exist, their fields, who may see them and
//! for how long they are published. Prohibited personal data cannot be defined.

use crate::masking::MaskingRule;
use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use validator::Validate;

/// Who may see a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum DisclosureClass {
    /// 向社会公众公开: shown on the portal (masked).
    Public,
    /// 政务部门共享: the internal platform only.
    Shared,
    /// 部门申请授权使用: only after the providing unit consents.
    Authorized,
}

impl DisclosureClass {
    /// How widely the class discloses: a provider may narrow a record's class, never widen it.
    pub fn breadth(self) -> u8 {
        match self {
            DisclosureClass::Public => 3,
            DisclosureClass::Shared => 2,
            DisclosureClass::Authorized => 1,
        }
    }
}

/// Kinds of credit subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum SubjectKind {
    /// 法人和非法人组织 (unified social credit code).
    LegalPerson,
    /// 自然人 (resident identity number).
    NaturalPerson,
    /// 个体工商户.
    IndividualBusiness,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// Yuan with at most two decimals.
    Money,
    /// An identifier (document number, code).
    Code,
    /// One of `options`.
    Enum,
}

/// One field of a catalog item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldDefinition {
    /// Machine name, `snake_case` ASCII.
    #[validate(length(min = 1, max = 64, code = "length", message = "字段名为 1 至 64 个字符"))]
    pub key: String,
    /// Chinese label, e.g. `处罚决定书文号`.
    #[validate(length(min = 1, max = 100, code = "length", message = "字段标签为 1 至 100 个字符"))]
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    /// How the value is masked on the portal.
    pub masking: MaskingRule,
    /// Why the platform collects it.
    #[validate(length(min = 1, max = 200, code = "required", message = "请说明收集该字段的目的"))]
    pub purpose: String,
    /// The allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The kind of personal data the field holds, as declared by the competent office (e.g. `联系方式`);
    /// checked against the prohibited kinds like the key and the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 50, code = "length", message = "数据类别最多 50 个字符"))]
    pub data_kind: Option<String>,
}

/// Words that mark personal data the platform must refuse: religion, genes, fingerprints and other
/// biometrics, blood type, disease and medical history — in Chinese and English, with common synonyms.
const PROHIBITED: &[(&str, &[&str])] = &[
    ("religious belief", &["宗教", "信仰", "教派", "religion", "religious", "faith", "belief"]),
    ("genetic data", &["基因", "遗传", "dna", "gene", "genetic", "genome"]),
    (
        "biometric data",
        &[
            "指纹",
            "掌纹",
            "生物识别",
            "生物特征",
            "虹膜",
            "面部特征",
            "人脸",
            "声纹",
            "fingerprint",
            "biometric",
            "iris",
            "retina",
            "face_id",
            "faceprint",
            "voiceprint",
        ],
    ),
    ("blood type", &["血型", "blood_type", "bloodtype", "blood type", "blood group"]),
    (
        "health and medical history",
        &[
            "疾病",
            "病史",
            "病历",
            "诊断",
            "健康状况",
            "残疾",
            "disease",
            "illness",
            "medical",
            "diagnosis",
            "health_condition",
            "disability",
        ],
    ),
];

/// The prohibited kind of personal data a field would collect, if any, judged by its key, its label and its
/// declared data kind.
pub fn prohibited_kind(field: &FieldDefinition) -> Option<&'static str> {
    let text =
        format!("{} {} {}", field.key, field.label, field.data_kind.as_deref().unwrap_or_default()).to_lowercase();
    PROHIBITED.iter().find(|(_, words)| words.iter().any(|w| text.contains(w))).map(|(kind, _)| *kind)
}

/// A catalog item as the API returns it: its current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogItem {
    pub id: String,
    /// Stable code, e.g. `ADM_PENALTY`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The current version; records keep the version they were made under.
    pub version: i32,
    pub subject_kinds: Vec<SubjectKind>,
    pub fields: Vec<FieldDefinition>,
    pub default_class: DisclosureClass,
    /// Publication period in days: a record is published at least `min_days` and at most `max_days`.
    pub min_days: u32,
    pub max_days: u32,
    /// Inactive items take no new records.
    pub active: bool,
    pub updated_at: chrono::NaiveDateTime,
}

/// Body of `POST /api/v1/catalog/items` and `PUT /api/v1/catalog/items/{code}` (the latter ignores `code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogItemInput {
    /// Upper-case letters, digits and `_`, starting with a letter (2 to 40 characters).
    pub code: String,
    #[validate(length(min = 1, max = 100, code = "length", message = "中文名称为 1 至 100 个字符"))]
    pub name_zh: String,
    #[validate(length(min = 1, max = 200, code = "length", message = "英文名称为 1 至 200 个字符"))]
    pub name_en: String,
    #[validate(length(min = 1, code = "required", message = "至少选择一种主体类型"))]
    pub subject_kinds: Vec<SubjectKind>,
    #[validate(length(min = 1, max = 60, code = "length", message = "字段为 1 至 60 个"), nested)]
    pub fields: Vec<FieldDefinition>,
    pub default_class: DisclosureClass,
    #[validate(range(min = 1, max = 36500, code = "range", message = "公示期限为 1 至 36500 天"))]
    pub min_days: u32,
    #[validate(range(min = 1, max = 36500, code = "range", message = "公示期限为 1 至 36500 天"))]
    pub max_days: u32,
    /// Defaults to true.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Keys every record carries outside its catalog fields; a catalog field may not reuse them.
pub const RESERVED_KEYS: [&str; 8] = [
    "subject_kind",
    "subject_code",
    "subject_name",
    "decision_date",
    "disclosure_class",
    "publish_days",
    "provider_ref",
    "reason",
];

/// The rules a catalog item must meet beyond field lengths: code shape, unique snake_case keys, options of enum
/// fields, a sane publication period, and no prohibited personal data. The same check runs in the web
/// app as the competent office types.
pub fn check_catalog_item(item: &CatalogItemInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !is_catalog_code(&item.code) {
        errors.push(FieldError::new("code", "pattern", "代码为 2 至 40 位大写字母、数字或下划线,以字母开头"));
    }
    if item.min_days > item.max_days {
        errors.push(FieldError::new("min_days", "range", "最短公示期限不能长于最长公示期限"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, field) in item.fields.iter().enumerate() {
        let at = |name: &str| format!("fields[{i}].{name}");
        if let Some(kind) = prohibited_kind(field) {
            errors.push(FieldError::new(
                at("key"),
                "prohibited_personal_data",
                format!(
                    "字段“{}”({})属于禁止采集的个人信息({}):平台不得采集宗教信仰、基因、指纹、血型、疾病和病史等信息(R-27.1)",
                    field.label,
                    field.key,
                    kind_zh(kind)
                ),
            ));
        }
        if !is_field_key(&field.key) {
            errors.push(FieldError::new(at("key"), "pattern", "字段名为小写字母、数字和下划线,以字母开头"));
        } else if RESERVED_KEYS.contains(&field.key.as_str()) {
            errors.push(FieldError::new(at("key"), "reserved", format!("字段名 {} 为系统保留", field.key)));
        } else if !seen.insert(field.key.as_str()) {
            errors.push(FieldError::new(at("key"), "duplicate", format!("字段名 {} 重复", field.key)));
        }
        if field.field_type == FieldType::Enum && field.options.is_empty() {
            errors.push(FieldError::new(at("options"), "required", "枚举字段须列出可选值"));
        }
        if field.field_type != FieldType::Enum && !field.options.is_empty() {
            errors.push(FieldError::new(at("options"), "not_allowed", "只有枚举字段可以列出可选值"));
        }
    }
    errors
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "religious belief" => "宗教信仰",
        "genetic data" => "基因",
        "biometric data" => "指纹等生物识别信息",
        "blood type" => "血型",
        _ => "疾病和病史",
    }
}

fn is_catalog_code(code: &str) -> bool {
    let b = code.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

fn is_field_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Longest value of a `text` field, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Checks a record's field values against its catalog item's definitions: every required field present, no
/// unknown key, each value of its type. Errors name `values.<key>`.
pub fn check_values(fields: &[FieldDefinition], values: &BTreeMap<String, String>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for key in values.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            errors.push(FieldError::new(format!("values.{key}"), "unknown_field", format!("目录中没有字段 {key}")));
        }
    }
    for field in fields {
        let name = format!("values.{}", field.key);
        let value = values.get(&field.key).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            if field.required {
                errors.push(FieldError::new(name, "required", format!("请填写{}", field.label)));
            }
            continue;
        }
        if let Err(message) = check_value(field, value) {
            errors.push(FieldError::new(name, "invalid", format!("{}:{message}", field.label)));
        }
    }
    errors
}

/// One value against its field's type.
pub fn check_value(field: &FieldDefinition, value: &str) -> Result<(), String> {
    match field.field_type {
        FieldType::Text if value.chars().count() > MAX_TEXT_CHARS => Err(format!("最多 {MAX_TEXT_CHARS} 个字")),
        FieldType::Text => Ok(()),
        FieldType::Date => parse_date(value).map(drop).ok_or_else(|| "日期格式应为 YYYY-MM-DD".to_owned()),
        FieldType::Money if is_money(value) => Ok(()),
        FieldType::Money => Err("金额应为不带单位的数字,最多两位小数,如 5000.00".to_owned()),
        FieldType::Code if value.chars().count() <= 64 && !value.chars().any(char::is_whitespace) => Ok(()),
        FieldType::Code => Err("编号最多 64 个字符,不含空格".to_owned()),
        FieldType::Enum if field.options.iter().any(|o| o == value) => Ok(()),
        FieldType::Enum => Err(format!("应为以下之一:{}", field.options.join("、"))),
    }
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(value: &str) -> Option<chrono::NaiveDate> {
    if value.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

fn is_money(value: &str) -> bool {
    let (whole, cents) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && whole.len() <= 15
        && digits(whole)
        && (!value.contains('.') || (1..=2).contains(&cents.len()))
        && digits(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, label: &str) -> FieldDefinition {
        FieldDefinition {
            key: key.into(),
            label: label.into(),
            field_type: FieldType::Text,
            required: false,
            masking: MaskingRule::None,
            purpose: "test".into(),
            options: Vec::new(),
            data_kind: None,
        }
    }

    #[test]
    fn r27_1_prohibited_personal_data_is_recognised_in_chinese_and_english() {
        for (key, label, kind) in [
            ("religion", "宗教信仰", "religious belief"),
            ("x1", "基因检测结果", "genetic data"),
            ("fingerprint_hash", "指纹", "biometric data"),
            ("blood_type", "血型", "blood type"),
            ("history", "既往病史", "health and medical history"),
            ("medical_record", "记录", "health and medical history"),
            ("ABO", "Blood Group", "blood type"),
        ] {
            assert_eq!(prohibited_kind(&field(key, label)), Some(kind), "{key} {label}");
        }
        for (key, label) in
            [("penalty_amount", "罚款金额"), ("decision_date", "处罚决定日期"), ("licence_no", "许可证编号")]
        {
            assert_eq!(prohibited_kind(&field(key, label)), None, "{key}");
        }
    }

    #[test]
    fn r27_1_the_declared_data_kind_counts_too() {
        let mut f = field("x2", "附加信息");
        f.data_kind = Some("生物识别(指纹)".into());
        assert_eq!(prohibited_kind(&f), Some("biometric data"));
    }

    #[test]
    fn r27_1_a_catalog_item_with_a_prohibited_field_is_refused_naming_the_field() {
        let item = CatalogItemInput {
            code: "TEST_ITEM".into(),
            name_zh: "测试".into(),
            name_en: "Test".into(),
            subject_kinds: vec![SubjectKind::NaturalPerson],
            fields: vec![field("amount", "金额"), field("blood_type", "血型")],
            default_class: DisclosureClass::Shared,
            min_days: 1,
            max_days: 10,
            active: true,
        };
        let errors = check_catalog_item(&item);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("fields[1].key", "prohibited_personal_data"));
        assert!(errors[0].message.contains("血型") && errors[0].message.contains("R-27.1"));
    }

    #[test]
    fn values_are_checked_by_type() {
        let mut money = field("amount", "罚款金额");
        money.field_type = FieldType::Money;
        money.required = true;
        let mut date = field("on", "日期");
        date.field_type = FieldType::Date;
        let fields = [money, date];
        let values = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert!(check_values(&fields, &values(&[("amount", "5000.50"), ("on", "2026-01-31")])).is_empty());
        let errors = check_values(&fields, &values(&[("on", "2026-02-30"), ("x", "1")]));
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("values.x", "unknown_field"), ("values.amount", "required"), ("values.on", "invalid")]);
        for bad in ["5,000", "1.234", ".5", "-3", "1e3"] {
            assert!(!is_money(bad), "{bad}");
        }
    }

    #[test]
    fn r16_1_narrowing_is_allowed_widening_is_not() {
        assert!(DisclosureClass::Shared.breadth() < DisclosureClass::Public.breadth());
        assert!(DisclosureClass::Authorized.breadth() < DisclosureClass::Shared.breadth());
    }
}

crate::labels::text_column!(DisclosureClass);

crate::labels::text_column!(SubjectKind);
crate::labels::labelled!(DisclosureClass, SubjectKind);
