//! The batch-intake template of a catalog item: the columns every item has, then the item's own
//! fields; a header of keys and a row of labels, UTF-8 with a byte-order mark. Intake reads uploads by the same
//! columns.

use super::store::Definition;
use crate::csv_file::CsvFile;
use crate::error::ApiResult;

/// The columns every item has, with their Chinese labels, before the item's own fields.
pub const FIXED: [(&str, &str); 7] = [
    ("subject_kind", "主体类型(legal_person/natural_person/individual_business)"),
    ("subject_code", "统一社会信用代码或身份证号码"),
    ("subject_name", "主体名称"),
    ("decision_date", "决定日期(YYYY-MM-DD)"),
    ("disclosure_class", "公开范围(可空,默认为目录规定)"),
    ("publish_days", "公示天数(可空)"),
    ("provider_ref", "本单位编号"),
];

/// The template of `item`: header of keys, a row of labels, as the platform writes every CSV (`csv_file`: a
/// byte-order mark, no cell a spreadsheet takes for a formula).
pub fn template(item: &Definition) -> ApiResult<Vec<u8>> {
    let mut file = CsvFile::new();
    let keys = FIXED.iter().map(|(k, _)| *k).chain(item.fields.iter().map(|f| f.key.as_str()));
    file.row(keys)?;
    let labels = FIXED.iter().map(|(_, l)| (*l).to_owned()).chain(item.fields.iter().map(|f| {
        if f.required {
            format!("{}(必填)", f.label)
        } else {
            f.label.clone()
        }
    }));
    file.row(labels)?;
    file.finish()
}
