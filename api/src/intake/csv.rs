//! CSV for batch intake: reading an upload into rows (the columns of `catalog::template`). Columns are named by key
//! or by label; a second header row of labels (as in the template) and a UTF-8 byte-order mark are accepted.

use crate::catalog::store::Definition;
use crate::catalog::template::FIXED;
use credit_types::intake::{IntakeRow, RowError, MAX_BATCH_ROWS};

/// A column of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Fixed(usize),
    Field(String),
}

/// Reads an uploaded CSV into rows, each with its line number as a spreadsheet shows it (the header is line 1).
/// Errors of the whole file (not UTF-8, no header, unknown columns, too many rows)
/// come back as row errors against row 0.
pub fn read(item: &Definition, bytes: &[u8]) -> Result<Vec<(u32, IntakeRow)>, Vec<RowError>> {
    let file_error =
        |code: &str, message: String| vec![RowError { row: 0, field: "file".into(), code: code.into(), message }];
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(file_error("encoding", "文件不是 UTF-8 编码:请在表格软件中另存为“CSV UTF-8”".into()));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        _ => return Err(file_error("empty", "文件为空:第一行应为列名".into())),
    };
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for name in header.iter() {
        let name = name.trim();
        let column = FIXED.iter().position(|(k, l)| *k == name || *l == name).map(Column::Fixed).or_else(|| {
            item.fields.iter().find(|f| f.key == name || f.label == name).map(|f| Column::Field(f.key.clone()))
        });
        match column {
            Some(column) => columns.push(column),
            None => unknown.push(name.to_owned()),
        }
    }
    if !unknown.is_empty() {
        return Err(file_error("unknown_column", format!("目录项 {} 没有这些列:{}", item.code, unknown.join("、"))));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in records.enumerate() {
        let line = index as u32 + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(RowError {
                    row: line,
                    field: "file".into(),
                    code: "malformed".into(),
                    message: error.to_string(),
                });
                continue;
            }
        };
        if index == 0 && record.get(0).is_some_and(|first| first.trim() == FIXED[0].1) {
            continue; // the template's row of labels
        }
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_BATCH_ROWS {
            return Err(file_error("too_many_rows", format!("每批最多 {MAX_BATCH_ROWS} 行,请分批上传")));
        }
        let mut row = IntakeRow { ..IntakeRow::default() };
        for (column, value) in columns.iter().zip(record.iter()) {
            let value = value.trim().to_owned();
            match column {
                Column::Fixed(0) => row.subject_kind = value,
                Column::Fixed(1) => row.subject_code = value,
                Column::Fixed(2) => row.subject_name = value,
                Column::Fixed(3) => row.decision_date = value,
                Column::Fixed(4) => row.disclosure_class = value,
                Column::Fixed(5) => row.publish_days = value,
                Column::Fixed(_) => row.provider_ref = value,
                Column::Field(key) => {
                    row.values.insert(key.clone(), value);
                }
            }
        }
        rows.push((line, row));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(file_error("empty", "文件中没有数据行".into()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::store::Definition;
    use crate::catalog::template::template;
    use credit_types::catalog::{DisclosureClass, FieldDefinition, FieldType, SubjectKind};
    use credit_types::masking::MaskingRule;

    fn item() -> Definition {
        Definition {
            item_id: "i".into(),
            code: "T".into(),
            active: true,
            version: 1,
            name_zh: "测试".into(),
            name_en: "Test".into(),
            subject_kinds: vec![SubjectKind::LegalPerson],
            fields: vec![FieldDefinition {
                key: "doc_no".into(),
                label: "文号".into(),
                field_type: FieldType::Code,
                required: true,
                masking: MaskingRule::None,
                purpose: "p".into(),
                options: vec![],
                data_kind: None,
            }],
            default_class: DisclosureClass::Public,
            min_days: 1,
            max_days: 10,
            updated_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn the_template_reads_back_with_its_label_row_skipped() {
        let mut file = template(&item()).unwrap_or_default();
        file.extend_from_slice("legal_person,91360400MA35G4QX1R,九江甲公司,2026-01-02,,,R1,\"A,1\"\n".as_bytes());
        let rows = read(&item(), &file).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let (line, row) = &rows[0];
        assert_eq!(*line, 3, "header, labels, then the first data line");
        assert_eq!(row.subject_name, "九江甲公司");
        assert_eq!(row.values.get("doc_no").map(String::as_str), Some("A,1"));
    }

    #[test]
    fn columns_may_be_named_by_label_and_unknown_ones_are_named_back() {
        let by_label = "主体名称,文号\n九江乙公司,B2\n";
        let rows = read(&item(), by_label.as_bytes()).unwrap_or_default();
        assert_eq!(rows[0].1.values.get("doc_no").map(String::as_str), Some("B2"));
        let errors = read(&item(), "subject_name,血型\nx,A\n".as_bytes()).err().unwrap_or_default();
        assert_eq!(errors[0].code, "unknown_column");
        assert!(errors[0].message.contains("血型"));
        let errors = read(&item(), "subject_name\n".as_bytes()).err().unwrap_or_default();
        assert_eq!(errors[0].code, "empty");
    }
}
