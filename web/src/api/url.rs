//! Every address of the API, built in one place from typed ids and the query types of `credit_types`: a page
//! never writes an API path, so a renamed route or parameter is changed here and checked by the compiler.

use credit_types::audit::AuditEventQuery;
use credit_types::authorization::{AgreementListQuery, GrantListQuery, RequestListQuery, TargetQuery, UseListQuery};
use credit_types::dbadmin::{DbCheckQuery, DbSnapshotQuery};
use credit_types::identity::{OrganisationListQuery, SessionQuery, UserListQuery};
use credit_types::intake::CsvBatchQuery;
use credit_types::objections::ObjectionListQuery;
use credit_types::oplog::OpLogQuery;
use credit_types::performance::{PerformanceQuery, PerformanceRange};
use credit_types::prework::{DailyCheckQuery, PreworkItem};
use credit_types::records::{PortalSearchQuery, ReadQuery, RecordListQuery, StatsQuery};
use credit_types::RegionListQuery;
use serde::Serialize;

/// Where the API lives, on the app's own origin.
const BASE: &str = "/api/v1";

/// `/api/v1/a/b/c`, each segment percent-encoded (ids travel as they are typed or stored).
fn path(segments: &[&str]) -> String {
    segments.iter().fold(BASE.to_owned(), |mut out, segment| {
        out.push('/');
        out.push_str(&urlencode(segment));
        out
    })
}

/// Percent-encodes a query parameter value or a path segment (UTF-8).
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `path?name=value&…` with the non-empty values, encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", urlencode(value.trim())))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// `path` with a query type's fields as parameters, as the API reads them: named as serialised (`box`, not
/// `side`), enums by their codes, dates as ISO 8601; absent and empty fields left out.
fn with_typed_query(path: &str, query: &impl Serialize) -> String {
    let fields = match serde_json::to_value(query) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => return path.to_owned(),
    };
    let pairs: Vec<(&str, String)> = fields
        .iter()
        .filter_map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((name.as_str(), text))
        })
        .collect();
    with_query(path, &pairs)
}

/// The address of the page after `cursor` of the list at `url`.
pub fn with_cursor(url: &str, cursor: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}cursor={}", urlencode(cursor))
}

// --- sessions ---------------------------------------------------------------------------------------------------

pub fn login() -> String {
    path(&["auth", "login"])
}

pub fn refresh() -> String {
    path(&["auth", "refresh"])
}

pub fn password() -> String {
    path(&["auth", "password"])
}

pub fn logout() -> String {
    path(&["auth", "logout"])
}

// --- regions, records, catalog, intake, statistics ------------------------------------------------------------

pub fn regions(query: &RegionListQuery) -> String {
    with_typed_query(&path(&["regions"]), query)
}

pub fn records(query: &RecordListQuery) -> String {
    with_typed_query(&path(&["records"]), query)
}

pub fn record(id: &str, query: &ReadQuery) -> String {
    with_typed_query(&path(&["records", id]), query)
}

pub fn record_versions(id: &str, query: &ReadQuery) -> String {
    with_typed_query(&path(&["records", id, "versions"]), query)
}

pub fn record_revoke(id: &str) -> String {
    path(&["records", id, "revoke"])
}

pub fn catalog_items() -> String {
    path(&["catalog", "items"])
}

pub fn catalog_item(code: &str) -> String {
    path(&["catalog", "items", code])
}

pub fn catalog_versions(code: &str) -> String {
    path(&["catalog", "items", code, "versions"])
}

pub fn catalog_template(code: &str) -> String {
    path(&["catalog", "items", code, "template.csv"])
}

pub fn batches(query: &CsvBatchQuery) -> String {
    with_typed_query(&path(&["intake", "batches"]), query)
}

/// The organisation's latest `limit` batches.
pub fn recent_batches(limit: u32) -> String {
    with_query(&path(&["intake", "batches"]), &[("limit", limit.to_string())])
}

pub fn batch(id: &str) -> String {
    path(&["intake", "batches", id])
}

pub fn statistics(query: &StatsQuery) -> String {
    with_typed_query(&path(&["statistics", "records"]), query)
}

// --- authorised use ---------------------------------------------------------------------------------------------

/// What a user does with an authorisation request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStep {
    Approve,
    Reject,
    Withdraw,
}

impl RequestStep {
    fn verb(self) -> &'static str {
        match self {
            RequestStep::Approve => "approve",
            RequestStep::Reject => "reject",
            RequestStep::Withdraw => "withdraw",
        }
    }
}

/// Where requests are listed and filed.
pub fn requests_collection() -> String {
    path(&["authorization", "requests"])
}

pub fn requests(query: &RequestListQuery) -> String {
    with_typed_query(&requests_collection(), query)
}

pub fn request(id: &str) -> String {
    path(&["authorization", "requests", id])
}

pub fn request_step(id: &str, step: RequestStep) -> String {
    path(&["authorization", "requests", id, step.verb()])
}

pub fn attachments(request_id: &str) -> String {
    path(&["authorization", "requests", request_id, "attachments"])
}

pub fn attachment(request_id: &str, attachment_id: &str) -> String {
    path(&["authorization", "requests", request_id, "attachments", attachment_id])
}

pub fn authorization_counts() -> String {
    path(&["authorization", "counts"])
}

pub fn authorization_limits() -> String {
    path(&["authorization", "limits"])
}

pub fn targets(query: &TargetQuery) -> String {
    with_typed_query(&path(&["authorization", "targets"]), query)
}

pub fn grants(query: &GrantListQuery) -> String {
    with_typed_query(&path(&["authorization", "grants"]), query)
}

pub fn grant_revoke(id: &str) -> String {
    path(&["authorization", "grants", id, "revoke"])
}

pub fn grant_uses(id: &str, query: &UseListQuery) -> String {
    with_typed_query(&path(&["authorization", "grants", id, "uses"]), query)
}

/// Every use of the grants the caller's unit gave.
pub fn unit_uses(query: &UseListQuery) -> String {
    with_typed_query(&path(&["authorization", "uses"]), query)
}

/// A change of a usage agreement's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStep {
    Suspend,
    Resume,
    End,
}

impl AgreementStep {
    fn verb(self) -> &'static str {
        match self {
            AgreementStep::Suspend => "suspend",
            AgreementStep::Resume => "resume",
            AgreementStep::End => "end",
        }
    }
}

pub fn agreements(query: &AgreementListQuery) -> String {
    with_typed_query(&path(&["agreements"]), query)
}

pub fn agreement_step(id: &str, step: AgreementStep) -> String {
    path(&["agreements", id, step.verb()])
}

// --- objections and the calendar -------------------------------------------------------------------------------

/// A handler's step on an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionStep {
    Accept,
    NotAccept,
    Decide,
    Close,
}

impl ObjectionStep {
    fn verb(self) -> &'static str {
        match self {
            ObjectionStep::Accept => "accept",
            ObjectionStep::NotAccept => "not-accept",
            ObjectionStep::Decide => "decide",
            ObjectionStep::Close => "close",
        }
    }
}

pub fn objections(query: &ObjectionListQuery) -> String {
    with_typed_query(&path(&["objections"]), query)
}

pub fn objection(id: &str) -> String {
    path(&["objections", id])
}

pub fn objection_step(id: &str, step: ObjectionStep) -> String {
    path(&["objections", id, step.verb()])
}

pub fn objection_counts() -> String {
    path(&["objections", "counts"])
}

pub fn evidence(objection_id: &str, evidence_id: &str) -> String {
    path(&["objections", objection_id, "evidence", evidence_id])
}

pub fn calendar(year: i32) -> String {
    path(&["calendar", &year.to_string()])
}

// --- operations -------------------------------------------------------------------------------------------------

/// The performance archive over `range`.
pub fn performance(range: PerformanceRange) -> String {
    with_typed_query(&path(&["ops", "performance"]), &PerformanceQuery { range: Some(range) })
}

// --- the portal -------------------------------------------------------------------------------------------------

pub fn portal_subjects(query: &PortalSearchQuery) -> String {
    with_typed_query(&path(&["portal", "subjects"]), query)
}

pub fn portal_person_lookup() -> String {
    path(&["portal", "persons", "lookup"])
}

pub fn portal_subject(id: &str) -> String {
    path(&["portal", "subjects", id])
}

pub fn portal_record(id: &str) -> String {
    path(&["portal", "records", id])
}

pub fn portal_objections() -> String {
    path(&["portal", "objections"])
}

pub fn portal_track() -> String {
    path(&["portal", "objections", "track"])
}

pub fn portal_withdraw() -> String {
    path(&["portal", "objections", "withdraw"])
}

// --- operations ----------------------------------------------------------------------------------------------

pub fn backup_plan() -> String {
    path(&["ops", "backup-plan"])
}

pub fn backups() -> String {
    path(&["ops", "backups"])
}

pub fn backup_verify(id: &str) -> String {
    path(&["ops", "backups", id, "verify"])
}

// --- the account office and the auditor -------------------------------------------------------------------------

/// What the account office does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStep {
    Unlock,
    Reactivate,
    ResetPassword,
    Deactivate,
}

impl UserStep {
    fn verb(self) -> &'static str {
        match self {
            UserStep::Unlock => "unlock",
            UserStep::Reactivate => "reactivate",
            UserStep::ResetPassword => "reset-password",
            UserStep::Deactivate => "deactivate",
        }
    }
}

pub fn organisations(query: &OrganisationListQuery) -> String {
    with_typed_query(&path(&["organisations"]), query)
}

pub fn users(query: &UserListQuery) -> String {
    with_typed_query(&path(&["users"]), query)
}

pub fn user_step(id: &str, step: UserStep) -> String {
    path(&["users", id, step.verb()])
}

pub fn clients() -> String {
    path(&["clients"])
}

pub fn client_revoke(id: &str) -> String {
    path(&["clients", id, "revoke"])
}

pub fn permission_reviews() -> String {
    path(&["reviews", "permissions"])
}

pub fn permission_report() -> String {
    path(&["reviews", "permissions", "report"])
}

pub fn sessions(query: &SessionQuery) -> String {
    with_typed_query(&path(&["sessions"]), query)
}

pub fn session(id: &str) -> String {
    path(&["sessions", id])
}

// --- the database administrator (R-13.1) -------------------------------------------------------------------------

pub fn db_snapshots(query: &DbSnapshotQuery) -> String {
    with_typed_query(&path(&["ops", "database", "snapshots"]), query)
}

pub fn db_snapshot_latest() -> String {
    path(&["ops", "database", "snapshots", "latest"])
}

pub fn db_checks(query: &DbCheckQuery) -> String {
    with_typed_query(&path(&["ops", "database", "checks"]), query)
}

pub fn audit_events(query: &AuditEventQuery) -> String {
    with_typed_query(&path(&["audit", "events"]), query)
}

pub fn audit_event(seq: i64) -> String {
    path(&["audit", "events", &seq.to_string()])
}

pub fn audit_verify() -> String {
    path(&["audit", "verify"])
}

pub fn audit_anchors() -> String {
    path(&["audit", "anchors"])
}

// --- operations ------------------------------------------------------------------------------------------------

pub fn daily_check_today() -> String {
    path(&["ops", "daily-checks", "today"])
}

pub fn daily_check_item(day: chrono::NaiveDate, item: PreworkItem) -> String {
    path(&["ops", "daily-checks", &day.to_string(), "items", item.as_str()])
}

pub fn daily_checks(query: &DailyCheckQuery) -> String {
    with_typed_query(&path(&["ops", "daily-checks"]), query)
}

pub fn ops_alerts() -> String {
    path(&["ops", "alerts"])
}

pub fn ops_log(query: &OpLogQuery) -> String {
    with_typed_query(&path(&["ops", "log"]), query)
}

pub fn ops_log_entries() -> String {
    path(&["ops", "log"])
}

pub fn ops_log_export(query: &OpLogQuery) -> String {
    with_typed_query(&path(&["ops", "log", "export.csv"]), query)
}

pub fn ops_status() -> String {
    path(&["ops", "status"])
}

pub fn ops_status_runs() -> String {
    path(&["ops", "status", "runs"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::audit::{AuditAction, AuditOutcome, TargetKind};
    use credit_types::authorization::{RequestBox, RequestStatus};
    use credit_types::records::{RecordStatus, StatsDimension};

    #[test]
    fn ids_are_encoded_as_path_segments() {
        assert_eq!(record_revoke("a/b c"), "/api/v1/records/a%2Fb%20c/revoke");
        assert_eq!(catalog_template("ADM_PENALTY"), "/api/v1/catalog/items/ADM_PENALTY/template.csv");
        assert_eq!(objection_step("o1", ObjectionStep::NotAccept), "/api/v1/objections/o1/not-accept");
        assert_eq!(user_step("u1", UserStep::ResetPassword), "/api/v1/users/u1/reset-password");
        assert_eq!(audit_event(42), "/api/v1/audit/events/42");
        assert_eq!(audit_anchors(), "/api/v1/audit/anchors");
        assert_eq!(calendar(2026), "/api/v1/calendar/2026");
    }

    #[test]
    fn typed_queries_travel_by_their_serialised_names_and_codes() {
        let query = RequestListQuery {
            side: RequestBox::Inbox,
            status: Some(RequestStatus::Pending),
            overdue: Some(true),
            purpose: None,
            limit: Some(50),
            cursor: None,
        };
        assert_eq!(requests(&query), "/api/v1/authorization/requests?box=inbox&limit=50&overdue=true&status=pending");
        let list = RecordListQuery {
            q: Some("长江".into()),
            status: Some(RecordStatus::UnderObjection),
            from: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
            ..Default::default()
        };
        assert_eq!(records(&list), "/api/v1/records?from=2026-03-01&q=%E9%95%BF%E6%B1%9F&status=under_objection");
        let stats = StatsQuery { by: StatsDimension::CatalogItem, from: None, to: None };
        assert_eq!(statistics(&stats), "/api/v1/statistics/records?by=catalog_item");
    }

    #[test]
    fn the_database_checks_and_sessions_have_their_addresses() {
        use credit_types::dbadmin::DbCheckState;
        assert_eq!(db_snapshot_latest(), "/api/v1/ops/database/snapshots/latest");
        assert_eq!(session("s 1"), "/api/v1/sessions/s%201");
        let query = DbCheckQuery {
            q: Some("死锁".into()),
            state: Some(DbCheckState::Abnormal),
            limit: Some(50),
            ..Default::default()
        };
        assert_eq!(db_checks(&query), "/api/v1/ops/database/checks?limit=50&q=%E6%AD%BB%E9%94%81&state=abnormal");
        let flagged = SessionQuery { flagged: Some(true), ..Default::default() };
        assert_eq!(sessions(&flagged), "/api/v1/sessions?flagged=true");
    }

    #[test]
    fn the_audit_filters_carry_utc_times_and_codes() {
        let query = AuditEventQuery {
            action: Some(AuditAction::AccountCreate),
            target_kind: Some(TargetKind::User),
            outcome: Some(AuditOutcome::Denied),
            from: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).and_then(|d| d.and_hms_opt(8, 0, 0)),
            limit: Some(50),
            ..Default::default()
        };
        assert_eq!(
            audit_events(&query),
            "/api/v1/audit/events?action=account.create&from=2026-11-25T08%3A00%3A00&limit=50&outcome=denied&target_kind=user"
        );
    }

    #[test]
    fn empty_values_are_left_out_and_cursors_appended() {
        assert_eq!(with_query("/search", &[("q", " 李四 ".into()), ("x", " ".into())]), "/search?q=%E6%9D%8E%E5%9B%9B");
        let empty = RecordListQuery { q: Some(String::new()), ..Default::default() };
        assert_eq!(records(&empty), "/api/v1/records");
        assert_eq!(with_cursor("/api/v1/records", "a+b"), "/api/v1/records?cursor=a%2Bb");
        assert_eq!(with_cursor("/api/v1/records?limit=5", "c"), "/api/v1/records?limit=5&cursor=c");
    }
}
