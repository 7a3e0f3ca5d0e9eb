//! The backups' rules, free of storage: when today's backup falls due, which backups retention removes (never the
//! last verified one), and whether a restored copy holds what its backup recorded.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use credit_types::backups::BackupState;
use credit_types::china_time;
use std::collections::BTreeMap;

/// When the plan's backup of `day` falls due: its time of day in China time, as stored (UTC).
pub fn due_at(day: NaiveDate, time_of_day: NaiveTime) -> NaiveDateTime {
    china_time::to_utc(day.and_time(time_of_day))
}

/// The slot of the backup due at `now`: today's (China time) once its time is past, else none. A server started
/// later the same day still runs it; yesterday's missed backup is not made up (today's follows soon enough).
pub fn due_slot(now: NaiveDateTime, time_of_day: NaiveTime) -> Option<NaiveDateTime> {
    let due = due_at(china_time::date_of(now), time_of_day);
    (now >= due).then_some(due)
}

/// A kept backup, as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub id: String,
    pub state: BackupState,
    pub started_at: NaiveDateTime,
}

/// The backups retention removes: of `kept` (newest first, none running), those beyond `keep_count` or
/// older than `keep_days`, but never the newest verified one: whatever happened since, one proven restore stays.
pub fn to_remove(kept: &[Kept], keep_count: Option<u32>, keep_days: Option<u32>, now: NaiveDateTime) -> Vec<String> {
    let last_verified = kept.iter().find(|b| b.state == BackupState::Verified).map(|b| b.id.as_str());
    kept.iter()
        .enumerate()
        .filter(|(index, backup)| {
            let beyond_count = keep_count.is_some_and(|count| *index >= count as usize);
            let too_old = keep_days.is_some_and(|days| backup.started_at < now - Duration::days(i64::from(days)));
            (beyond_count || too_old) && Some(backup.id.as_str()) != last_verified
        })
        .map(|(_, backup)| backup.id.clone())
        .collect()
}

/// What a restored copy is compared with: the backup's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected<'a> {
    pub table_rows: &'a BTreeMap<String, i64>,
    pub audit_seq: i64,
    pub audit_hash: &'a str,
}

/// The differences between a restored copy and its record, for people to read; empty when it holds exactly what
/// was recorded.
pub fn differences(expected: &Expected, rows: &BTreeMap<String, i64>, audit_seq: i64, audit_hash: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, want) in expected.table_rows {
        match rows.get(table) {
            Some(got) if got == want => {}
            Some(got) => found.push(format!("表 {table} 应有 {want} 行,恢复后 {got} 行")),
            None => found.push(format!("恢复后缺少表 {table}")),
        }
    }
    for table in rows.keys().filter(|t| !expected.table_rows.contains_key(*t)) {
        found.push(format!("恢复后多出表 {table}"));
    }
    if audit_seq != expected.audit_seq || audit_hash != expected.audit_hash {
        found.push(format!("审计链头应为第 {} 条事件,恢复后为第 {audit_seq} 条或其校验值不同", expected.audit_seq));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap_or_default()
    }

    fn kept(id: &str, state: BackupState, day: u32) -> Kept {
        Kept { id: id.into(), state, started_at: at(day, 18) }
    }

    #[test]
    fn r14_1_the_daily_backup_is_due_at_its_china_time() {
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default();
        assert_eq!(
            due_at(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(), half_past_two),
            at(27, 18) + Duration::minutes(30)
        );
        assert_eq!(due_slot(at(27, 18), half_past_two), None, "02:00 China time: not yet");
        assert_eq!(due_slot(at(27, 19), half_past_two), Some(at(27, 18) + Duration::minutes(30)));
    }

    #[test]
    fn r14_1_retention_never_removes_the_last_verified_backup() {
        use BackupState::*;
        let backups = [
            kept("d", VerificationFailed, 27),
            kept("c", Failed, 26),
            kept("b", Verified, 25),
            kept("a", Verified, 24),
        ];
        assert_eq!(to_remove(&backups, Some(1), None, at(28, 0)), ["c", "a"], "b is the last verified");
        assert_eq!(to_remove(&backups, None, Some(2), at(28, 0)), ["a"], "older than two days, b kept all the same");
        assert_eq!(to_remove(&backups, Some(10), Some(10), at(28, 0)), Vec::<String>::new());
        let none_verified = [kept("y", Failed, 27), kept("x", VerificationFailed, 26)];
        assert_eq!(to_remove(&none_verified, Some(1), None, at(28, 0)), ["x"]);
    }

    #[test]
    fn r24_1_a_restored_copy_must_hold_exactly_what_was_recorded() {
        let rows: BTreeMap<String, i64> = [("users".to_owned(), 3), ("records".to_owned(), 10)].into();
        let expected = Expected { table_rows: &rows, audit_seq: 40, audit_hash: "abc" };
        assert!(differences(&expected, &rows, 40, "abc").is_empty());
        let mut fewer = rows.clone();
        fewer.insert("records".into(), 9);
        assert_eq!(differences(&expected, &fewer, 40, "abc").len(), 1);
        assert_eq!(differences(&expected, &rows, 41, "abc").len(), 1);
    }
}
