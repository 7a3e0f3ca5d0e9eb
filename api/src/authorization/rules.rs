//! The authorisation workflow's rules, free of storage: which agreement is current, the request and agreement
//! state changes, the decision deadline, and when a grant ends.

use crate::calendar::Calendar;
use crate::identity::principal::Principal;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use credit_types::authorization::{AgreementStatus, GrantStatus, RequestStatus};
use credit_types::identity::Role;

/// Working days a providing unit has to decide a request; past them the request is flagged overdue.
pub const DECISION_WORKING_DAYS: u32 = 5;

/// A grant ending within this many days is "expiring soon".
pub const EXPIRING_SOON_DAYS: i64 = 7;

/// The two parties to a request and to the grant it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A user-unit user of the requesting organisation: asks, withdraws, holds the grant.
    Requester,
    /// A data provider of the providing organisation: decides, revokes.
    Provider,
}

/// Which party the caller is to a request or grant between `provider_org_id` and `requester_org_id`; `None`:
/// neither, and it is not theirs to see (answered as not found).
pub fn party(principal: &Principal, provider_org_id: &str, requester_org_id: &str) -> Option<Party> {
    if principal.has_role(Role::DataProvider) && principal.organisation_id == provider_org_id {
        Some(Party::Provider)
    } else if principal.has_role(Role::UserUnit) && principal.organisation_id == requester_org_id {
        Some(Party::Requester)
    } else {
        None
    }
}

/// an agreement is current when active and `today` lies within its dates.
pub fn agreement_current(status: AgreementStatus, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> bool {
    status == AgreementStatus::Active && from <= today && today <= to
}

/// The agreement state changes the competent office may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementChange {
    Suspend,
    Resume,
    End,
}

/// The state an agreement change leads to, or `None` when it does not apply to `from`.
pub fn agreement_transition(from: AgreementStatus, change: AgreementChange) -> Option<AgreementStatus> {
    match (from, change) {
        (AgreementStatus::Active, AgreementChange::Suspend) => Some(AgreementStatus::Suspended),
        (AgreementStatus::Suspended, AgreementChange::Resume) => Some(AgreementStatus::Active),
        (AgreementStatus::Active | AgreementStatus::Suspended, AgreementChange::End) => Some(AgreementStatus::Ended),
        _ => None,
    }
}

/// What happens to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Approve,
    Reject,
    Withdraw,
}

/// `pending → approved | rejected | withdrawn`; nothing leaves a decided request.
pub fn request_transition(from: RequestStatus, action: RequestAction) -> Option<RequestStatus> {
    match (from, action) {
        (RequestStatus::Pending, RequestAction::Approve) => Some(RequestStatus::Approved),
        (RequestStatus::Pending, RequestAction::Reject) => Some(RequestStatus::Rejected),
        (RequestStatus::Pending, RequestAction::Withdraw) => Some(RequestStatus::Withdrawn),
        _ => None,
    }
}

/// The last day for a decision on a request filed on `filed_on` (local date): five working days on.
pub fn decide_by(calendar: &Calendar, filed_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(filed_on, DECISION_WORKING_DAYS)
}

/// Whether a request is still pending past its decision deadline.
pub fn overdue(status: RequestStatus, decide_by: NaiveDate, today: NaiveDate) -> bool {
    status == RequestStatus::Pending && today > decide_by
}

/// When a grant approved at `granted_at` for `days` ends.
pub fn grant_expiry(granted_at: NaiveDateTime, days: u32) -> NaiveDateTime {
    granted_at + Duration::days(i64::from(days))
}

/// A grant's state at `now`.
pub fn grant_status(expires_at: NaiveDateTime, revoked: bool, now: NaiveDateTime) -> GrantStatus {
    match () {
        _ if revoked => GrantStatus::Revoked,
        _ if expires_at <= now => GrantStatus::Expired,
        _ => GrantStatus::Active,
    }
}

/// Whether an active grant ends within [`EXPIRING_SOON_DAYS`].
pub fn expiring_soon(expires_at: NaiveDateTime, revoked: bool, now: NaiveDateTime) -> bool {
    grant_status(expires_at, revoked, now) == GrantStatus::Active
        && expires_at <= now + Duration::days(EXPIRING_SOON_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn r18_1_a_decided_request_cannot_change_again() {
        for action in [RequestAction::Approve, RequestAction::Reject, RequestAction::Withdraw] {
            assert!(request_transition(RequestStatus::Pending, action).is_some());
            for decided in [RequestStatus::Approved, RequestStatus::Rejected, RequestStatus::Withdrawn] {
                assert_eq!(request_transition(decided, action), None, "{decided:?} then {action:?}");
            }
        }
    }

    #[test]
    fn r23_2_agreement_states() {
        assert_eq!(
            agreement_transition(AgreementStatus::Active, AgreementChange::Suspend),
            Some(AgreementStatus::Suspended)
        );
        assert_eq!(agreement_transition(AgreementStatus::Active, AgreementChange::Resume), None);
        assert_eq!(agreement_transition(AgreementStatus::Ended, AgreementChange::Resume), None);
        assert_eq!(agreement_transition(AgreementStatus::Ended, AgreementChange::End), None);
        assert!(agreement_current(AgreementStatus::Active, date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31)));
        assert!(!agreement_current(AgreementStatus::Active, date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1)));
        assert!(!agreement_current(AgreementStatus::Suspended, date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 1)));
    }

    #[test]
    fn r18_1_pending_for_more_than_five_working_days_is_overdue() {
        let calendar = Calendar::default();
        // Filed Friday 20 November 2026: due Friday 27 November.
        let due = decide_by(&calendar, date(2026, 11, 20));
        assert_eq!(due, date(2026, 11, 27));
        assert!(!overdue(RequestStatus::Pending, due, date(2026, 11, 27)));
        assert!(overdue(RequestStatus::Pending, due, date(2026, 11, 30)));
        assert!(!overdue(RequestStatus::Approved, due, date(2026, 11, 30)));
    }

    #[test]
    fn r18_1_grants_end_at_expiry_or_revocation() {
        let at = date(2026, 11, 25).and_hms_opt(2, 0, 0).unwrap_or_default();
        let expires = grant_expiry(at, 30);
        assert_eq!(grant_status(expires, false, at), GrantStatus::Active);
        assert_eq!(grant_status(expires, false, expires), GrantStatus::Expired);
        assert_eq!(grant_status(expires, true, at), GrantStatus::Revoked);
        assert!(!expiring_soon(expires, false, at));
        assert!(expiring_soon(expires, false, expires - Duration::days(3)));
    }
}
