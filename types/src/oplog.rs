//! The operation log (运行日志, R-12.1): what happened to the platform's running — automatic checks, inspections,
//! hardware faults, changes, maintenance, tuning — appended by people and by the platform itself, never changed.

use crate::labels::labelled_enum;
use crate::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// What an entry is about (R-12.1: 自动检查、巡检、硬件故障、变更、维护、调优、其他).
    OpLogKind {
        AutomaticCheck = "automatic_check", "自动检查";
        Inspection = "inspection", "巡检";
        HardwareFault = "hardware_fault", "硬件故障";
        Change = "change", "变更";
        Maintenance = "maintenance", "维护";
        Tuning = "tuning", "调优";
        Other = "other", "其他";
    }
);

impl OpLogKind {
    /// Kinds people write; `automatic_check` entries come from the platform's own checks only.
    pub fn written_by_people(self) -> bool {
        self != OpLogKind::AutomaticCheck
    }
}

labelled_enum!(
    /// How serious an entry is.
    OpLogSeverity {
        Info = "info", "信息";
        Warning = "warning", "警告";
        Error = "error", "错误";
    }
);

/// What a hardware-fault entry records besides its text (R-12.1: the device, the symptom, who was told and when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HardwareFault {
    /// The device, e.g. "数据库服务器 db-01 第二块硬盘".
    #[validate(length(min = 1, max = 200, code = "length", message = "设备 1 到 200 个字"))]
    pub device: String,
    /// What was seen.
    #[validate(length(min = 1, max = 1000, code = "length", message = "故障现象 1 到 1000 个字"))]
    pub symptom: String,
    /// Who was told (a person, a unit or a vendor).
    #[validate(length(min = 1, max = 200, code = "length", message = "通知对象 1 到 200 个字"))]
    pub notified: String,
    /// When they were told.
    pub notified_at: DateTime<Utc>,
}

/// One entry of the operation log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpLogEntry {
    pub id: String,
    pub kind: OpLogKind,
    pub severity: OpLogSeverity,
    pub text: String,
    /// The author's account id; absent for entries the platform wrote itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author's name, or "平台自动" for the platform's own entries.
    pub author_name: String,
    /// For the platform's entries, which check wrote it (e.g. `health:database`, `backup:verify`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The entry this one corrects: entries are never changed, a correction is a new entry pointing at the old one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
    /// Entries that correct this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrected_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<HardwareFault>,
    pub recorded_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/ops/log`: an entry a system administrator writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOpLogEntry {
    /// Any kind but `automatic_check`.
    pub kind: OpLogKind,
    pub severity: OpLogSeverity,
    #[validate(length(min = 1, max = 4000, code = "length", message = "内容 1 到 4000 个字"))]
    pub text: String,
    /// The entry this one corrects.
    #[serde(default)]
    pub corrects: Option<String>,
    /// Required for `hardware_fault`, absent otherwise.
    #[serde(default)]
    #[validate(nested)]
    pub hardware: Option<HardwareFault>,
}

impl NewOpLogEntry {
    /// The rules a derive cannot say: people do not write automatic entries, a hardware fault says what and who
    /// was told, text is not blank.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !self.kind.written_by_people() {
            errors.push(FieldError::new("kind", "automatic_only", "自动检查记录只由平台写入"));
        }
        if self.text.trim().is_empty() {
            errors.push(FieldError::new("text", "required", "请填写内容"));
        }
        match (self.kind, &self.hardware) {
            (OpLogKind::HardwareFault, None) => {
                errors.push(FieldError::new("hardware", "required", "硬件故障须写明设备、现象、通知对象和通知时间"))
            }
            (kind, Some(_)) if kind != OpLogKind::HardwareFault => {
                errors.push(FieldError::new("hardware", "not_allowed", "只有硬件故障记录填写设备信息"))
            }
            _ => {}
        }
        errors
    }
}

/// Query parameters of `GET /api/v1/ops/log` and its CSV export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OpLogQuery {
    /// Entries whose text (or device, symptom) contains these words.
    #[validate(length(max = 100, code = "length", message = "检索词最多 100 个字"))]
    pub q: Option<String>,
    pub kind: Option<OpLogKind>,
    pub severity: Option<OpLogSeverity>,
    /// Entries by this account (its id).
    pub author: Option<String>,
    /// Entries recorded at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries recorded before this time.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the latest entry back).
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: OpLogKind, hardware: Option<HardwareFault>) -> NewOpLogEntry {
        NewOpLogEntry { kind, severity: OpLogSeverity::Info, text: "更换磁盘".into(), corrects: None, hardware }
    }

    fn fault() -> HardwareFault {
        HardwareFault {
            device: "db-01".into(),
            symptom: "磁盘告警".into(),
            notified: "厂商".into(),
            notified_at: Utc::now(),
        }
    }

    #[test]
    fn r12_1_a_hardware_fault_says_the_device_and_who_was_told() {
        assert_eq!(entry(OpLogKind::HardwareFault, None).errors()[0].field, "hardware");
        assert!(entry(OpLogKind::HardwareFault, Some(fault())).errors().is_empty());
        assert_eq!(entry(OpLogKind::Change, Some(fault())).errors()[0].code, "not_allowed");
    }

    #[test]
    fn r12_1_people_do_not_write_automatic_entries() {
        assert_eq!(entry(OpLogKind::AutomaticCheck, None).errors()[0].field, "kind");
        let blank = NewOpLogEntry { text: "  ".into(), ..entry(OpLogKind::Other, None) };
        assert_eq!(blank.errors()[0].field, "text");
    }
}
