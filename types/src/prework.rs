//! The daily pre-work check: before work on every working day a system administrator confirms the
//! platform, the portal and the data backup item by item, beside what the automatic health checks say of each.

use crate::labels::labelled_enum;
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// What the daily check covers (Art. 21: 公共信用信息平台、信用门户网站、数据备份).
    PreworkItem {
        Platform = "platform", "公共信用信息平台";
        Portal = "portal", "信用门户网站";
        Backup = "backup", "数据备份";
    }
);

labelled_enum!(
    /// A person's finding on one item.
    ItemVerdict {
        Ok = "ok", "正常";
        Problem = "problem", "有问题";
    }
);

labelled_enum!(
    /// Where a day's check stands. `missing` and `problems` raise the dashboard banner.
    DailyCheckState {
        NotRequired = "not_required", "非工作日,无须检查";
        Pending = "pending", "待检查";
        Missing = "missing", "逾期未完成";
        Passed = "passed", "检查正常";
        Problems = "problems", "发现问题";
    }
);

impl DailyCheckState {
    /// Whether the dashboards of system and credit administrators show a red banner for it.
    pub fn raises_alarm(self) -> bool {
        matches!(self, DailyCheckState::Missing | DailyCheckState::Problems)
    }
}

/// What the automatic health checks said of an item: the worst state among the checks that cover it.
pub use crate::health::HealthState as AutomaticState;

/// The automatic checks' word on one item: live while the item waits, as it stood when a person confirmed it after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomaticFinding {
    pub state: AutomaticState,
    /// The checks behind the state, for people to read (e.g. "数据库往返 3 毫秒;迁移已是最新").
    pub summary: String,
}

/// One item of a day's check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCheckItem {
    pub item: PreworkItem,
    pub automatic: AutomaticFinding,
    /// The person's finding; absent until the item is confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<ItemVerdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who confirmed the item (the account's id) and the name people read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// One day's check, item by item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCheck {
    /// The day, in China time.
    pub work_day: NaiveDate,
    /// Whether the working-day calendar counts the day as a working day (the check is required on those only).
    pub working_day: bool,
    /// When the check has to be complete.
    pub due_at: DateTime<Utc>,
    pub state: DailyCheckState,
    /// Whether the last item was confirmed after `due_at`.
    pub late: bool,
    pub items: Vec<DailyCheckItem>,
}

/// A day in the check's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCheckSummary {
    pub work_day: NaiveDate,
    pub working_day: bool,
    pub state: DailyCheckState,
    pub late: bool,
    /// Items confirmed, out of three.
    pub confirmed: u32,
    /// The items found with a problem.
    pub problems: Vec<PreworkItem>,
    /// Who confirmed items that day, by name.
    pub checked_by: Vec<String>,
    /// When the last item was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
}

/// Body of `PUT /api/v1/ops/daily-checks/{day}/items/{item}`: a system administrator's finding on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemConfirmation {
    pub verdict: ItemVerdict,
    /// What was seen; required with `problem`.
    #[validate(length(max = 500, code = "length", message = "说明最多 500 个字"))]
    #[serde(default)]
    pub note: Option<String>,
}

impl ItemConfirmation {
    /// The note as stored: trimmed, and absent when blank.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref().map(str::trim).filter(|n| !n.is_empty())
    }

    /// A problem is confirmed with a note saying what it is (R-21.1: a failed item is recorded, not just flagged).
    pub fn errors(&self) -> Vec<FieldError> {
        if self.verdict == ItemVerdict::Problem && self.note().is_none() {
            vec![FieldError::new("note", "required", "发现问题时请写明问题")]
        } else {
            Vec::new()
        }
    }
}

/// Query parameters of `GET /api/v1/ops/daily-checks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DailyCheckQuery {
    /// Days on or after this date.
    pub from: Option<NaiveDate>,
    /// Days on or before this date.
    pub to: Option<NaiveDate>,
    /// Only days in this state.
    pub state: Option<DailyCheckState>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the latest day back).
    pub cursor: Option<String>,
}

labelled_enum!(
    /// Why a dashboard shows a red banner.
    AlertKind {
        DailyCheckMissing = "daily_check_missing", "上班前检查逾期未完成";
        DailyCheckProblem = "daily_check_problem", "上班前检查发现问题";
    }
);

/// A red banner on the dashboards of system and credit administrators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardAlert {
    pub kind: AlertKind,
    pub work_day: NaiveDate,
    /// What people read, e.g. "今日上班前检查逾期未完成(应于 10:00 前完成)".
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r21_1_a_problem_needs_a_note_and_a_blank_one_is_none() {
        let problem =
            |note: Option<&str>| ItemConfirmation { verdict: ItemVerdict::Problem, note: note.map(Into::into) };
        assert_eq!(problem(None).errors().len(), 1);
        assert_eq!(problem(Some("   ")).errors().len(), 1);
        assert!(problem(Some("备份目录空间不足")).errors().is_empty());
        let fine = ItemConfirmation { verdict: ItemVerdict::Ok, note: Some("  ".into()) };
        assert!(fine.errors().is_empty());
        assert_eq!(fine.note(), None);
    }

    #[test]
    fn r21_1_missing_and_problems_raise_the_alarm() {
        let alarming: Vec<_> = DailyCheckState::ALL.iter().filter(|s| s.raises_alarm()).collect();
        assert_eq!(alarming, [&DailyCheckState::Missing, &DailyCheckState::Problems]);
    }
}
