//! The security auditor's view of the trail: filters by person, organisation, target, action, outcome and
//! UTC time; the names of who acted and what an event concerns, never a record's subject; one event by its number;
//! every reading of the trail recorded in it. And: an event carries the id of the request that made it.

use chrono::{DateTime, Duration, Utc};
use credit_tests::{expect_json, expect_problem, on_both_backends, penalty, Session, TestApp, CITY, LIANXI};
use credit_types::audit::{ActorKind, AuditAction, AuditEvent, AuditOutcome, TargetKind};
use credit_types::identity::{ApiClient, Role, TokenResponse};
use credit_types::records::Record;
use credit_types::{ErrorCode, Page};
use serde_json::json;

on_both_backends!(
    r30_1_the_trail_is_filtered_by_person_organisation_target_action_outcome_and_utc_time,
    r30_1_events_name_who_acted_and_what_they_concern_but_never_a_records_subject,
    r30_1_one_event_is_read_by_its_number_and_by_the_security_auditor_only,
    r30_1_reading_the_trail_is_itself_audited,
    r3_1_an_event_carries_the_id_of_the_request_that_made_it,
);

/// The subject of the scene's record: the auditor must never read it.
const SUBJECT: &str = "九江审计保密有限公司";

/// What the auditor looks at: a provider who signs in and submits a shared record, an API client of the same
/// organisation, a user unit reading the record, and a failed sign-in under the provider's login name.
struct Scene {
    auditor: Session,
    provider_id: String,
    organisation_id: String,
    office_organisation_id: String,
    client: ApiClient,
    record: Record,
}

async fn scene(app: &TestApp) -> Scene {
    let office = app.signed_in("office", Role::AccountAdmin, CITY).await;
    let provider = app.provider("prov", LIANXI).await;
    let me = app.me(&provider).await;
    let record = app.submit(&provider, &penalty(SUBJECT, json!("shared"))).await;
    let (client, _) = app.api_client(&office, &me.organisation_id, &["catalog:read"]).await;
    let unit = app.signed_in("unit", Role::UserUnit, LIANXI).await;
    app.get_json_as::<Record>(&unit, &format!("/api/v1/records/{}", record.id)).await;
    expect_problem(app.login("prov", "Not-the-password-1").await, 401, ErrorCode::InvalidCredentials).await;
    Scene {
        auditor: app.auditor().await,
        provider_id: me.id,
        organisation_id: me.organisation_id,
        office_organisation_id: app.organisation_of(&office).await,
        client,
        record,
    }
}

/// The events matching `query` (one page of up to 500, newest first).
async fn events(app: &TestApp, auditor: &Session, query: &str) -> Vec<AuditEvent> {
    let page: Page<AuditEvent> = app.get_json_as(auditor, &format!("/api/v1/audit/events?limit=500&{query}")).await;
    page.items
}

/// The actions of `events`, sorted (the order of events within one second is no part of these rules).
fn actions(events: &[AuditEvent]) -> Vec<AuditAction> {
    let mut actions: Vec<AuditAction> = events.iter().map(|e| e.action).collect();
    actions.sort();
    actions
}

/// The one event of `action` among `events`.
fn the(action: AuditAction, events: &[AuditEvent]) -> &AuditEvent {
    let mut matching = events.iter().filter(|e| e.action == action);
    let event = matching.next().unwrap_or_else(|| panic!("no {action:?} in {events:#?}"));
    assert!(matching.next().is_none(), "more than one {action:?}");
    event
}

/// A UTC time as the `from` and `to` filters take it.
fn utc(at: DateTime<Utc>) -> String {
    at.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

async fn r30_1_the_trail_is_filtered_by_person_organisation_target_action_outcome_and_utc_time(app: &TestApp) {
    let scene = scene(app).await;
    let auditor = &scene.auditor;

    let by_person = events(app, auditor, &format!("actor_id={}", scene.provider_id)).await;
    assert_eq!(actions(&by_person), [AuditAction::AuthLogin, AuditAction::RecordCreate]);
    assert!(by_person.iter().all(|e| e.actor_id.as_deref() == Some(scene.provider_id.as_str())));

    // The organisation's people and its API clients, and nobody else's events.
    let by_organisation = events(app, auditor, &format!("organisation_id={}", scene.organisation_id)).await;
    assert_eq!(actions(&by_organisation), [AuditAction::AuthLogin, AuditAction::AuthToken, AuditAction::RecordCreate]);
    assert_eq!(the(AuditAction::AuthToken, &by_organisation).actor_id, Some(scene.client.id.clone()));
    let office = events(app, auditor, &format!("organisation_id={}", scene.office_organisation_id)).await;
    assert_eq!(actions(&office), [AuditAction::AuthLogin, AuditAction::ClientCreate]);

    let about_record = events(app, auditor, &format!("target_kind=record&target_id={}", scene.record.id)).await;
    assert_eq!(actions(&about_record), [AuditAction::RecordCreate, AuditAction::RecordRead]);
    let reads = events(app, auditor, &format!("action=record.read&target_id={}", scene.record.id)).await;
    assert_eq!(reads.len(), 1);

    let sign_ins = events(app, auditor, "action=auth.login").await;
    assert_eq!(sign_ins.len(), 5, "office, provider, unit, the failure and the auditor");
    let failed = events(app, auditor, "action=auth.login&outcome=failure").await;
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].actor_kind, failed[0].outcome), (ActorKind::Anonymous, AuditOutcome::Failure));
    // A failed sign-in to an existing account names the account (R-28.1: never the name as typed).
    assert_eq!(failed[0].target_kind, Some(TargetKind::User));
    assert_eq!(failed[0].target_name.as_deref(), Some("测试用户"));
    assert!(events(app, auditor, "outcome=denied").await.is_empty());

    // Times are UTC: `from` is inclusive, `to` exclusive, and the events happened just now.
    let created = the(AuditAction::RecordCreate, &by_person).clone();
    assert!((Utc::now() - created.occurred_at).num_minutes().abs() < 5, "{created:?}");
    let since = events(app, auditor, &format!("from={}", utc(created.occurred_at))).await;
    assert!(since.iter().any(|e| e.seq == created.seq) && since.iter().all(|e| e.occurred_at >= created.occurred_at));
    let before = events(app, auditor, &format!("to={}", utc(created.occurred_at))).await;
    assert!(!before.is_empty() && before.iter().all(|e| e.occurred_at < created.occurred_at));
    // Read as China time, a `to` two minutes ahead would end eight hours ago, and a `from` would have begun.
    let soon = utc(Utc::now() + Duration::minutes(2));
    let everything = events(app, auditor, "").await;
    let until_soon = events(app, auditor, &format!("to={soon}")).await;
    assert!(everything.iter().all(|e| until_soon.iter().any(|u| u.seq == e.seq)));
    assert!(events(app, auditor, &format!("from={soon}")).await.is_empty());
}

async fn r30_1_events_name_who_acted_and_what_they_concern_but_never_a_records_subject(app: &TestApp) {
    let scene = scene(app).await;
    let all = events(app, &scene.auditor, "").await;
    for event in all.iter().filter(|e| e.actor_kind == ActorKind::User) {
        assert!(event.actor_name.is_some() && event.organisation_name.is_some(), "{event:?}");
        assert!(event.organisation_id.is_some(), "{event:?}");
    }
    let created = the(AuditAction::RecordCreate, &all);
    assert_eq!(created.actor_name.as_deref(), Some("测试用户"));
    assert_eq!(created.organisation_id.as_deref(), Some(scene.organisation_id.as_str()));
    assert_eq!(created.organisation_name.as_deref(), Some("测试单位 prov"));
    // A record is named by its catalog item and providing unit, for the read as for the write.
    let record_name = Some("行政处罚 · 测试单位 prov");
    assert_eq!(created.target_name.as_deref(), record_name);
    assert_eq!(the(AuditAction::RecordRead, &all).target_name.as_deref(), record_name);
    assert_eq!(the(AuditAction::RecordRead, &all).organisation_name.as_deref(), Some("测试单位 unit"));
    let token = the(AuditAction::AuthToken, &all);
    assert_eq!(token.actor_kind, ActorKind::Client);
    assert_eq!(token.actor_name.as_deref(), Some(scene.client.name.as_str()));
    assert_eq!(token.organisation_name.as_deref(), Some("测试单位 prov"), "a client acts for its organisation");
    let registered = the(AuditAction::ClientCreate, &all);
    assert_eq!(registered.target_name.as_deref(), Some(scene.client.name.as_str()));
    let failed = all.iter().find(|e| e.outcome == AuditOutcome::Failure).unwrap();
    assert_eq!((failed.actor_name.as_deref(), failed.organisation_id.as_deref()), (None, None), "nobody signed in");
    assert_eq!(failed.target_name.as_deref(), Some("测试用户"), "the account signed in to, by its person's name");

    // The raw answers, whole: the auditor reads no credit content, neither the subject's name nor its code.
    let list = app.get_as(&scene.auditor, "/api/v1/audit/events?limit=500").await.text().await.unwrap();
    let one = app.get_as(&scene.auditor, &format!("/api/v1/audit/events/{}", created.seq)).await.text().await.unwrap();
    for body in [list, one] {
        assert!(!body.contains(SUBJECT) && !body.contains(&scene.record.subject.code), "{body}");
    }
}

async fn r30_1_one_event_is_read_by_its_number_and_by_the_security_auditor_only(app: &TestApp) {
    let scene = scene(app).await;
    let listed = events(app, &scene.auditor, "action=record.create").await;
    let path = format!("/api/v1/audit/events/{}", listed[0].seq);
    let one: AuditEvent = app.get_json_as(&scene.auditor, &path).await;
    assert_eq!(one, listed[0], "the event as the list shows it");
    let unknown = app.get_as(&scene.auditor, "/api/v1/audit/events/999999").await;
    expect_problem(unknown, 404, ErrorCode::NotFound).await;
    for role in [Role::AccountAdmin, Role::SystemAdmin, Role::CityCreditAdmin, Role::DataProvider] {
        let session = app.signed_in(role.as_str(), role, CITY).await;
        expect_problem(app.get_as(&session, &path).await, 403, ErrorCode::Forbidden).await;
    }
    expect_problem(app.get(&path).await, 401, ErrorCode::Unauthenticated).await;
}

async fn r30_1_reading_the_trail_is_itself_audited(app: &TestApp) {
    let scene = scene(app).await;
    let auditor_id = app.me(&scene.auditor).await.id;
    let listed = events(app, &scene.auditor, "action=record.create").await;
    app.get_json_as::<AuditEvent>(&scene.auditor, &format!("/api/v1/audit/events/{}", listed[0].seq)).await;
    let readings = events(app, &scene.auditor, "action=audit.list").await;
    let read: Vec<(Option<&str>, Option<TargetKind>, Option<&str>)> =
        readings.iter().map(|e| (e.actor_id.as_deref(), e.target_kind, e.target_id.as_deref())).collect();
    let seq = listed[0].seq.to_string();
    let auditor = Some(auditor_id.as_str());
    assert_eq!(
        read,
        [
            (auditor, Some(TargetKind::AuditEvents), Some(seq.as_str())),
            (auditor, Some(TargetKind::AuditEvents), Some("query"))
        ],
        "newest first: the event read, then the list"
    );
    assert!(readings.iter().all(|e| e.outcome == AuditOutcome::Success));
}

async fn r3_1_an_event_carries_the_id_of_the_request_that_made_it(app: &TestApp) {
    let user = app.create_user("traced", credit_tests::PASSWORD, &[Role::UserUnit], CITY);
    let body = json!({"login_name": "traced", "password": credit_tests::PASSWORD});
    let request = app.client.post(app.url("/api/v1/auth/login")).header("x-request-id", "some-id-123");
    let signed_in: TokenResponse = expect_json(request.json(&body).send().await.unwrap(), 200).await;
    assert_eq!(signed_in.user.id, user);
    // Without a caller's id, the event carries the one the server made and sent back.
    let response = app.login("nobody.known", "Not-the-password-1").await;
    let made = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    expect_problem(response, 401, ErrorCode::InvalidCredentials).await;

    let auditor = app.auditor().await;
    let sign_ins = events(app, &auditor, "action=auth.login").await;
    let traced = sign_ins.iter().find(|e| e.request_id.as_deref() == Some("some-id-123")).expect("the traced sign-in");
    assert_eq!((traced.actor_id.as_deref(), traced.outcome), (Some(user.as_str()), AuditOutcome::Success));
    let failed = sign_ins.iter().find(|e| e.outcome == AuditOutcome::Failure).unwrap();
    assert_eq!(failed.request_id.as_deref(), Some(made.as_str()));
    assert!(sign_ins.iter().all(|e| e.request_id.as_ref().is_some_and(|id| !id.is_empty())), "{sign_ins:#?}");
}
