//! Pure sign-in rules: lockout, password age, session idleness.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use credit_types::identity::{OrganisationKind, Role};
use credit_types::RegionLevel;

/// Failures within this window count towards a lockout.
pub const LOCKOUT_WINDOW_MINUTES: i64 = 15;
/// This many failures within the window lock the login name.
pub const LOCKOUT_THRESHOLD: usize = 5;
/// For this long after the failure that reached the threshold.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Until when the login name is locked, given its failures in the last window (oldest first).
pub fn locked_until(recent_failures: &[NaiveDateTime], now: NaiveDateTime) -> Option<NaiveDateTime> {
    if recent_failures.len() < LOCKOUT_THRESHOLD {
        return None;
    }
    let until = recent_failures[LOCKOUT_THRESHOLD - 1] + Duration::minutes(LOCKOUT_MINUTES);
    (until > now).then_some(until)
}

/// Start of the window in which failures count.
pub fn failure_window_start(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::minutes(LOCKOUT_WINDOW_MINUTES.max(LOCKOUT_MINUTES))
}

/// True when a password set at `changed_at` is older than `max_age_days`.
pub fn password_expired(changed_at: NaiveDateTime, now: NaiveDateTime, max_age_days: i64) -> bool {
    now - changed_at > Duration::days(max_age_days)
}

/// True when the password must be changed before anything else: a one-time password, one past the maximum
/// age, or the published password of a demo account outside demo mode. In demo mode a demo account keeps
/// its published password whatever its age, so the demo stays usable.
pub fn password_change_required(
    one_time: bool,
    changed_at: NaiveDateTime,
    now: NaiveDateTime,
    max_age_days: i64,
    demo_password: bool,
    demo_mode: bool,
) -> bool {
    if demo_password {
        return one_time || !demo_mode;
    }
    one_time || password_expired(changed_at, now, max_age_days)
}

/// True when an account with this optional expiry date may no longer be used.
pub fn account_expired(expires_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    expires_on.is_some_and(|last_day| today > last_day)
}

/// True when a session whose newest token was issued at `last_activity` has been idle too long.
pub fn session_idle(last_activity: NaiveDateTime, now: NaiveDateTime, idle_minutes: i64) -> bool {
    now - last_activity > Duration::minutes(idle_minutes)
}

/// Why `role` cannot be given to a member of an organisation of `level` with `kinds`: a role acts for its
/// organisation, so the organisation must be of the matching kind and level. `None` when it fits.
pub fn role_misfit(role: Role, level: RegionLevel, kinds: &[OrganisationKind]) -> Option<&'static str> {
    let has = |kind| kinds.contains(&kind);
    match role {
        Role::DataProvider if !has(OrganisationKind::DataProvider) => {
            Some("信用信息提供单位角色只能分配给数据提供单位的人员")
        }
        Role::UserUnit if !has(OrganisationKind::UserUnit) && !has(OrganisationKind::CreditServiceAgency) => {
            Some("信用信息使用单位角色只能分配给使用单位或信用服务机构的人员")
        }
        Role::CityCreditAdmin if !(has(OrganisationKind::CompetentOffice) && level == RegionLevel::City) => {
            Some("市信用主管部门角色只能分配给市级信用信息主管部门的人员")
        }
        Role::CountyCreditAdmin if !(has(OrganisationKind::CountyLeadUnit) && level == RegionLevel::County) => {
            Some("县区信用主管部门角色只能分配给县区牵头部门的人员")
        }
        Role::AccountAdmin if !has(OrganisationKind::AccountOffice) => {
            Some("账号管理员角色只能分配给市政府信息办的人员")
        }
        _ => None,
    }
}

/// Whether an organisation of `kinds` is a government unit: any kind but a credit service agency.
pub fn is_government_unit(kinds: &[credit_types::identity::OrganisationKind]) -> bool {
    kinds.iter().any(|k| *k != credit_types::identity::OrganisationKind::CreditServiceAgency)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 25).and_then(|d| d.and_hms_opt(8, 0, 0)).unwrap_or_default()
            + Duration::minutes(minute)
    }

    #[test]
    fn r10_7_five_failures_lock_for_fifteen_minutes() {
        let four = [at(0), at(1), at(2), at(3)];
        assert_eq!(locked_until(&four, at(4)), None);
        let five = [at(0), at(1), at(2), at(3), at(4)];
        assert_eq!(locked_until(&five, at(5)), Some(at(19)));
        assert_eq!(locked_until(&five, at(18)), Some(at(19)));
        assert_eq!(locked_until(&five, at(19)), None);
    }

    #[test]
    fn r10_5_passwords_expire_after_the_configured_age() {
        assert!(!password_expired(at(0), at(0) + Duration::days(90), 90));
        assert!(password_expired(at(0), at(1) + Duration::days(90), 90));
    }

    #[test]
    fn r10_2_demo_accounts_change_their_published_password_outside_demo_mode() {
        let old = at(0) - Duration::days(400);
        assert!(!password_change_required(false, old, at(0), 90, true, true));
        assert!(password_change_required(false, at(0), at(0), 90, true, false));
        assert!(password_change_required(true, at(0), at(0), 90, true, true));
        assert!(!password_change_required(false, at(0), at(0), 90, false, false));
        assert!(password_change_required(false, old, at(0), 90, false, true));
    }

    #[test]
    fn r10_3_accounts_expire_after_their_last_day() {
        let day = at(0).date();
        assert!(!account_expired(None, day));
        assert!(!account_expired(Some(day), day));
        assert!(account_expired(Some(day), day.succ_opt().unwrap_or(day)));
    }

    #[test]
    fn r8_1_roles_fit_their_organisation() {
        use OrganisationKind::*;
        assert_eq!(role_misfit(Role::DataProvider, RegionLevel::County, &[DataProvider]), None);
        assert!(role_misfit(Role::DataProvider, RegionLevel::City, &[UserUnit]).is_some());
        assert_eq!(role_misfit(Role::CityCreditAdmin, RegionLevel::City, &[CompetentOffice]), None);
        assert!(role_misfit(Role::CityCreditAdmin, RegionLevel::County, &[CompetentOffice]).is_some());
        assert!(role_misfit(Role::CountyCreditAdmin, RegionLevel::City, &[CountyLeadUnit]).is_some());
        assert_eq!(role_misfit(Role::SecurityAuditor, RegionLevel::City, &[AccountOffice]), None);
    }

    #[test]
    fn sessions_end_after_idling() {
        assert!(!session_idle(at(0), at(30), 30));
        assert!(session_idle(at(0), at(31), 30));
    }
}
