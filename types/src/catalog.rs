//! The resource catalog (信用信息资源目录, R-23.1): what information items exist, their fields, who may see them and
//! for how long they are published. Prohibited personal data cannot be defined.

use crate::masking::MaskingRule;
use serde::{Deserialize, Serialize};
use validator::Validate;

/// Who may see a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
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

/// The prohibited kind of personal data a field would collect, if any, judged by its key and its label.
pub fn prohibited_kind(field: &FieldDefinition) -> Option<&'static str> {
    let text = format!("{} {}", field.key, field.label).to_lowercase();
    PROHIBITED.iter().find(|(_, words)| words.iter().any(|w| text.contains(w))).map(|(kind, _)| *kind)
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
    fn r16_1_narrowing_is_allowed_widening_is_not() {
        assert!(DisclosureClass::Shared.breadth() < DisclosureClass::Public.breadth());
        assert!(DisclosureClass::Authorized.breadth() < DisclosureClass::Shared.breadth());
    }
}
