//! Batch intake of records: rows in JSON or CSV, validated row by row, committed all or nothing,
//! reported through a batch resource the caller polls.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use validator::Validate;

/// The most rows one batch may hold.
pub const MAX_BATCH_ROWS: usize = 10_000;

/// One row of a batch, every value as text so that a bad value is reported against its row rather than refusing
/// the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntakeRow {
    /// `legal_person`, `natural_person` or `individual_business`.
    pub subject_kind: String,
    pub subject_code: String,
    pub subject_name: String,
    /// `YYYY-MM-DD`.
    pub decision_date: String,
    /// Narrower than the catalog's default, or empty for the default.
    #[serde(default)]
    pub disclosure_class: String,
    /// Publication period in days, or empty for the catalog's maximum.
    #[serde(default)]
    pub publish_days: String,
    /// The provider's own reference: a row whose reference is already stored with the same content is skipped.
    #[serde(default)]
    pub provider_ref: String,
    /// The catalog item's fields, by key.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// Body of `POST /api/v1/intake/batches` as JSON (CSV goes to the same path as `text/csv` with `catalog_item`
/// in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[validate(length(min = 1, max = 40, code = "length", message = "请选择目录项"))]
    pub catalog_item: String,
    #[validate(length(min = 1, max = 10000, code = "length", message = "每批 1 至 10000 行"))]
    pub rows: Vec<IntakeRow>,
}

/// Query parameters of a CSV batch upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CsvBatchQuery {
    /// Catalog item code.
    #[validate(length(min = 1, max = 40, code = "length", message = "请选择目录项"))]
    pub catalog_item: String,
}

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum BatchStatus {
    /// Accepted, rows being checked.
    Validating,
    /// Every row valid; being written.
    Committing,
    /// Written in one transaction.
    Succeeded,
    /// At least one row was invalid: nothing was written.
    Rejected,
    /// The server could not finish it: nothing was written; send it again.
    Failed,
}

impl BatchStatus {
    pub fn is_final(self) -> bool {
        matches!(self, BatchStatus::Succeeded | BatchStatus::Rejected | BatchStatus::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Validating => "validating",
            BatchStatus::Committing => "committing",
            BatchStatus::Succeeded => "succeeded",
            BatchStatus::Rejected => "rejected",
            BatchStatus::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<BatchStatus> {
        [
            BatchStatus::Validating,
            BatchStatus::Committing,
            BatchStatus::Succeeded,
            BatchStatus::Rejected,
            BatchStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            BatchStatus::Validating => "校验中",
            BatchStatus::Committing => "写入中",
            BatchStatus::Succeeded => "成功",
            BatchStatus::Rejected => "未通过",
            BatchStatus::Failed => "失败",
        }
    }
}

/// One invalid value of one row. For JSON, `row` is the 1-based position in `rows`; for CSV, the line as a
/// spreadsheet shows it (the header is line 1). Row 0 is the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub row: u32,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// A batch and its progress; poll it until `status` is final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Batch {
    pub id: String,
    pub catalog_item: String,
    /// `json` or `csv`.
    pub format: String,
    pub status: BatchStatus,
    pub total_rows: u32,
    /// Rows checked so far.
    pub processed_rows: u32,
    /// Records written (on success).
    pub created: u32,
    /// Rows skipped because their reference was already stored with the same content.
    pub unchanged: u32,
    pub error_count: u32,
    /// The first 1,000 row errors, in row order.
    pub errors: Vec<RowError>,
    pub created_at: chrono::NaiveDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<chrono::NaiveDateTime>,
}

crate::labels::text_column!(BatchStatus);
crate::labels::labelled!(BatchStatus);
