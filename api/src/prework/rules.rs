//! The check's rules, free of storage: when a day's check falls due, where it stands, which days may still be
//! confirmed, and the banner it raises.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use credit_types::china_time;
use credit_types::prework::{AlertKind, DailyCheckState, DashboardAlert, ItemVerdict, PreworkItem};

/// When the check of `day` has to be complete: the configured time of day in China time, as stored (UTC).
pub fn due_at(day: NaiveDate, deadline: NaiveTime) -> NaiveDateTime {
    china_time::to_utc(day.and_time(deadline))
}

/// One confirmed item, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    pub item: PreworkItem,
    pub verdict: ItemVerdict,
    pub at: NaiveDateTime,
}

/// What is known of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub working_day: bool,
    pub due_at: NaiveDateTime,
    pub confirmations: Vec<Confirmation>,
}

impl Day {
    fn complete(&self) -> bool {
        PreworkItem::ALL.iter().all(|item| self.confirmations.iter().any(|c| c.item == *item))
    }

    /// Where the check stands at `now`. A problem found shows first, whatever else is done; a complete
    /// check has passed; on a working day an incomplete check is missing once its time is past. Rest days need no
    /// check, but one begun there is shown as begun.
    pub fn state(&self, now: NaiveDateTime) -> DailyCheckState {
        if self.confirmations.iter().any(|c| c.verdict == ItemVerdict::Problem) {
            DailyCheckState::Problems
        } else if self.complete() {
            DailyCheckState::Passed
        } else if self.working_day && now >= self.due_at {
            DailyCheckState::Missing
        } else if self.working_day || !self.confirmations.is_empty() {
            DailyCheckState::Pending
        } else {
            DailyCheckState::NotRequired
        }
    }

    /// When the last item was confirmed, once all are.
    pub fn completed_at(&self) -> Option<NaiveDateTime> {
        self.complete().then(|| self.confirmations.iter().map(|c| c.at).max()).flatten()
    }

    /// A working day's check completed after its time.
    pub fn late(&self) -> bool {
        self.working_day && self.completed_at().is_some_and(|at| at > self.due_at)
    }

    /// The banner the day raises on the dashboards, if any.
    pub fn alert(&self, day: NaiveDate, today: NaiveDate, now: NaiveDateTime) -> Option<DashboardAlert> {
        let when = if day == today { "今日".to_owned() } else { format!("{day} ") };
        match self.state(now) {
            DailyCheckState::Missing => Some(DashboardAlert {
                kind: AlertKind::DailyCheckMissing,
                work_day: day,
                message: format!(
                    "{when}上班前检查逾期未完成(应于 {} 前完成)",
                    china_time::local(self.due_at).format("%H:%M")
                ),
            }),
            DailyCheckState::Problems => {
                let items: Vec<&str> = self
                    .confirmations
                    .iter()
                    .filter(|c| c.verdict == ItemVerdict::Problem)
                    .map(|c| c.item.label())
                    .collect();
                Some(DashboardAlert {
                    kind: AlertKind::DailyCheckProblem,
                    work_day: day,
                    message: format!("{when}上班前检查发现问题:{}", items.join("、")),
                })
            }
            _ => None,
        }
    }
}

/// Only today's check is confirmed: a finding entered for another day would record a check nobody made then.
pub fn confirmable(day: NaiveDate, today: NaiveDate) -> bool {
    day == today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        china_time::to_utc(day().and_hms_opt(h, m, 0).unwrap_or_default())
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn working(confirmations: Vec<Confirmation>) -> Day {
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
        Day { working_day: true, due_at: due_at(day(), ten), confirmations }
    }

    fn confirm(item: PreworkItem, verdict: ItemVerdict, h: u32, m: u32) -> Confirmation {
        Confirmation { item, verdict, at: at(h, m) }
    }

    #[test]
    fn r21_1_the_deadline_is_china_time() {
        assert_eq!(working(vec![]).due_at.to_string(), "2026-11-27 02:00:00");
    }

    #[test]
    fn r21_1_a_working_day_is_pending_until_ten_then_missing() {
        let nothing = working(vec![]);
        assert_eq!(nothing.state(at(9, 59)), DailyCheckState::Pending);
        assert_eq!(nothing.state(at(10, 0)), DailyCheckState::Missing);
        let two = working(vec![
            confirm(PreworkItem::Platform, ItemVerdict::Ok, 8, 30),
            confirm(PreworkItem::Portal, ItemVerdict::Ok, 8, 31),
        ]);
        assert_eq!(two.state(at(10, 1)), DailyCheckState::Missing, "two items of three are not a check");
        assert!(two.alert(day(), day(), at(10, 1)).is_some_and(|a| a.message.contains("10:00")));
    }

    #[test]
    fn r21_1_all_items_ok_pass_and_a_late_check_is_marked_late() {
        let on_time = working(PreworkItem::ALL.iter().map(|i| confirm(*i, ItemVerdict::Ok, 8, 45)).collect());
        assert_eq!(on_time.state(at(11, 0)), DailyCheckState::Passed);
        assert!(!on_time.late());
        assert_eq!(on_time.alert(day(), day(), at(11, 0)), None);
        let late = working(PreworkItem::ALL.iter().map(|i| confirm(*i, ItemVerdict::Ok, 10, 30)).collect());
        assert_eq!(late.state(at(11, 0)), DailyCheckState::Passed);
        assert!(late.late());
    }

    #[test]
    fn r21_1_a_problem_raises_the_banner_at_once() {
        let problem = working(vec![confirm(PreworkItem::Backup, ItemVerdict::Problem, 8, 0)]);
        assert_eq!(problem.state(at(8, 1)), DailyCheckState::Problems);
        let alert = problem.alert(day(), day(), at(8, 1));
        assert!(alert.is_some_and(|a| a.kind == AlertKind::DailyCheckProblem && a.message.contains("数据备份")));
    }

    #[test]
    fn r21_1_rest_days_need_no_check() {
        let rest = Day { working_day: false, ..working(vec![]) };
        assert_eq!(rest.state(at(12, 0)), DailyCheckState::NotRequired);
        assert_eq!(rest.alert(day(), day(), at(12, 0)), None);
    }
}
