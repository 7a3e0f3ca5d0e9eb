//! The resource catalog: every signed-in reader sees it; the city's competent office (city credit admin)
//! defines items and changes them, each change a new version, with prohibited personal data refused.

mod editor;
mod fields;
mod item;
mod list;

pub use item::{CatalogItemPage, NewCatalogItem};
pub use list::Catalog;

use credit_types::catalog::FieldType;
use credit_types::masking::MaskingRule;

/// The Chinese name of a field type.
pub fn type_label(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::Text => "文本",
        FieldType::Date => "日期",
        FieldType::Money => "金额",
        FieldType::Code => "编号",
        FieldType::Enum => "枚举",
    }
}

pub const FIELD_TYPES: [FieldType; 5] =
    [FieldType::Text, FieldType::Date, FieldType::Money, FieldType::Code, FieldType::Enum];

pub fn type_key(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::Text => "text",
        FieldType::Date => "date",
        FieldType::Money => "money",
        FieldType::Code => "code",
        FieldType::Enum => "enum",
    }
}

/// The masking rules an editor offers, by the key of their `kind`.
pub const MASKING_KINDS: [(&str, &str); 6] = [
    ("none", "不脱敏"),
    ("person_name", "姓名:保留姓和末字"),
    ("resident_id", "证件号码:仅显示前 6 位地区码"),
    ("phone", "电话:保留前 3 位和后 4 位"),
    ("address", "地址:仅显示到区县"),
    ("keep_ends", "保留首尾若干字符"),
];

pub fn masking_key(rule: MaskingRule) -> &'static str {
    match rule {
        MaskingRule::None => "none",
        MaskingRule::PersonName => "person_name",
        MaskingRule::ResidentId => "resident_id",
        MaskingRule::Phone => "phone",
        MaskingRule::Address => "address",
        MaskingRule::KeepEnds { .. } => "keep_ends",
    }
}

pub fn masking_label(rule: MaskingRule) -> String {
    match rule {
        MaskingRule::KeepEnds { first, last } => format!("保留前 {first} 位和后 {last} 位"),
        other => {
            let key = masking_key(other);
            MASKING_KINDS.iter().find(|(k, _)| *k == key).map(|(_, l)| (*l).to_owned()).unwrap_or_default()
        }
    }
}
