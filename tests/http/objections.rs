//! Objections: filing on the portal with evidence, the mark, tracking with the query code, every
//! transition and the forbidden ones, correction as a linked version, undetermined notes, overdue escalation,
//! contact purge, evidence limits, notices, the calendar, rate limits, and 100 concurrent filings on one record.

use crate::portal::value_of;
use credit_tests::{expect_json, expect_problem, on_both_backends, penalty, Session, TestApp, TestOptions};
use credit_types::identity::Role;
use credit_types::objections::{
    CalendarYear, DayKind, FiledObjection, Objection, ObjectionCounts, ObjectionStatus, ObjectionTrack, Outcome,
    StepKind, DUPLICATE_OBJECTION_MESSAGE,
};
use credit_types::records::{PublicRecord, Record, RecordStatus, RecordVersion};
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r29_1_filing_marks_the_record_and_the_appellant_tracks_it,
    r29_1_one_open_objection_per_appellant_and_record,
    r29_1_evidence_is_checked_by_content_count_and_size_and_served_to_handlers_only,
    r29_1_every_transition_and_every_forbidden_one,
    r29_1_a_correction_is_a_new_version_linked_to_the_objection,
    r29_1_undetermined_records_claim_and_verification_on_the_record,
    r29_1_overdue_objections_are_flagged_and_escalated,
    r28_1_contacts_are_masked_in_lists_and_purged_after_retention,
    r29_1_the_calendar_is_maintained_by_the_competent_office,
    r29_1_a_hundred_concurrent_filings_land_with_distinct_numbers_and_one_mark,
    r29_1_a_workbench_user_files_at_the_counter,
);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A multipart body: the `objection` JSON part and `evidence` files.
fn multipart(objection: &Value, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("----credit{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"objection\"\r\nContent-Type: application/json\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(objection.to_string().as_bytes());
    body.extend_from_slice(b"\r\n");
    for (name, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A filing's fields by the subject's legal representative, about a wrong fine.
pub fn objection(record_id: &str, phone: &str) -> Value {
    json!({
        "record_id": record_id,
        "appellant_name": "张小三",
        "phone": phone,
        "relation": "legal_representative",
        "claim_type": "content_wrong",
        "description": "处罚决定书记载的罚款金额有误,实际罚款为三千元。",
    })
}

pub async fn post_filing(
    app: &TestApp,
    session: Option<&Session>,
    body: &Value,
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let (content_type, bytes) = multipart(body, files);
    let path = if session.is_some() { "/api/v1/objections" } else { "/api/v1/portal/objections" };
    let mut request = app.client.post(app.url(path)).header("content-type", content_type).body(bytes);
    if let Some(session) = session {
        request = request.bearer_auth(&session.access_token);
    }
    request.send().await.unwrap()
}

/// Files on the portal with one evidence file and returns the answer; panics unless filed.
pub async fn file(app: &TestApp, body: &Value) -> FiledObjection {
    expect_json(post_filing(app, None, body, &[("处罚决定书.pdf", PDF)]).await, 201).await
}

/// The tracking number and query code of a filing, as the appellant sends them.
pub fn credentials(filed: &FiledObjection) -> Value {
    json!({"tracking_number": filed.tracking_number, "query_code": filed.query_code})
}

/// What the appellant sees with the tracking number and query code.
async fn track(app: &TestApp, filed: &FiledObjection) -> ObjectionTrack {
    expect_json(app.post_json("/api/v1/portal/objections/track", &credentials(filed)).await, 200).await
}

/// A data provider with a published public record; returns the session and the record.
pub async fn published(app: &TestApp) -> (Session, Record) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江异议测试有限公司", json!("public"))).await;
    (session, record)
}

/// The provider's objection id for a tracking number.
pub async fn objection_id(app: &TestApp, session: &Session, tracking_number: &str) -> String {
    let page: Page<Objection> = app.get_json_as(session, "/api/v1/objections?limit=500").await;
    page.items.into_iter().find(|o| o.tracking_number == tracking_number).map(|o| o.id).unwrap()
}

/// One objection as `session` sees it.
async fn objection_of(app: &TestApp, session: &Session, id: &str) -> Objection {
    app.get_json_as(session, &format!("/api/v1/objections/{id}")).await
}

/// A handler's step (`accept`, `not-accept`, `decide`, `close`) answered 200, with the objection after it.
pub async fn step(app: &TestApp, session: &Session, id: &str, action: &str, body: &Value) -> Objection {
    expect_json(act(app, session, id, action, body).await, 200).await
}

async fn act(app: &TestApp, session: &Session, id: &str, action: &str, body: &Value) -> reqwest::Response {
    app.post_as(session, &format!("/api/v1/objections/{id}/{action}"), body).await
}

async fn r29_1_filing_marks_the_record_and_the_appellant_tracks_it(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let filed = file(app, &objection(record_id, "13907920001")).await;
    let tracking = filed.tracking_number.as_str();
    assert!(tracking.starts_with("YY2026"), "{tracking}");
    assert_eq!(filed.query_code.len(), 10);
    // The mark: on the portal and in the workbench at once.
    let portal: PublicRecord = app.get_json(&format!("/api/v1/portal/records/{record_id}")).await;
    assert!(portal.under_objection);
    let workbench: Record = app.get_json_as(&prov, &format!("/api/v1/records/{record_id}")).await;
    assert_eq!(workbench.status, RecordStatus::UnderObjection);
    // The appellant's view: steps, deadline, the record as published; a wrong code is an unknown number.
    let view = track(app, &filed).await;
    assert_eq!(view.status, ObjectionStatus::Submitted);
    assert_eq!(view.steps[0].step, StepKind::Submitted);
    assert_eq!(view.accept_by, filed.accept_by);
    assert_eq!(view.record.as_ref().map(|r| r.id.as_str()), Some(record_id));
    // Read raw: the wire carries nothing beyond what the portal shows, not even as an empty field.
    let raw: Value =
        expect_json(app.post_json("/api/v1/portal/objections/track", &credentials(&filed)).await, 200).await;
    assert!(raw.get("phone").is_none() && raw["record"].get("provider_id").is_none(), "nothing beyond the portal");
    let wrong = json!({"tracking_number": tracking, "query_code": "2222222222"});
    expect_problem(app.post_json("/api/v1/portal/objections/track", &wrong).await, 404, ErrorCode::NotFound).await;
    let lower = json!({"tracking_number": tracking, "query_code": filed.query_code.to_lowercase()});
    assert_eq!(app.post_json("/api/v1/portal/objections/track", &lower).await.status(), 200, "codes are case-blind");
    // A notice to the appellant waits in the outbox (SMS to the phone given).
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    let queued: i64 = credit_api::schema::notices::table
        .filter(credit_api::schema::notices::channel.eq("sms"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(queued, 1);
    // A record that is not published cannot be objected to on the portal.
    let shared = app.submit(&prov, &penalty("九江共享异议有限公司", json!("shared"))).await;
    let response = post_filing(app, None, &objection(&shared.id, "13907920002"), &[]).await;
    expect_problem(response, 404, ErrorCode::NotFound).await;
    // Bad input: no contact, a malformed phone, a short description, no objection part.
    let mut bad = objection(record_id, "0792-123");
    bad["description"] = json!("太短");
    let problem = expect_problem(post_filing(app, None, &bad, &[]).await, 422, ErrorCode::ValidationFailed).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"description") && fields.contains(&"phone"), "{fields:?}");
}

/// one open objection per contact and record; a second filing is refused with words that name
/// nothing of the open objection (whoever filed may have typed someone else's phone), and the open objection's
/// appellant is told at the contact they registered.
async fn r29_1_one_open_objection_per_appellant_and_record(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let first = file(app, &objection(record_id, "13907920003")).await;
    let first_id = objection_id(app, &prov, &first.tracking_number).await;
    // Someone else types the appellant's phone, with their own e-mail and name.
    let mut other = objection(record_id, "13907920003");
    other["appellant_name"] = json!("王五");
    other["email"] = json!("wangwu@example.cn");
    let again = post_filing(app, None, &other, &[("证明.pdf", PDF)]).await;
    assert_eq!(again.status(), 409);
    // Read raw: the number must be nowhere in the body, whatever field might carry it.
    let body = again.text().await.unwrap();
    assert!(!body.contains(&first.tracking_number) && !body.contains("YY"), "{body}");
    assert!(!body.contains(&first_id), "{body}");
    let problem: credit_types::Problem = serde_json::from_str(&body).unwrap();
    assert_eq!(problem.code, ErrorCode::DuplicateObjection);
    assert_eq!(problem.detail, DUPLICATE_OBJECTION_MESSAGE);
    assert!(problem.errors.is_empty());
    // The notice went to the contact registered with the open objection, naming its number; not to the filer.
    let notices = duplicate_notices(app, &first_id);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].0, "13907920003");
    assert!(notices[0].1.contains(&first.tracking_number) && notices[0].1.contains("查询码"));
    // A second refusal the same day answers alike and does not text the appellant again.
    let third = post_filing(app, None, &other, &[]).await;
    let problem = expect_problem(third, 409, ErrorCode::DuplicateObjection).await;
    assert_eq!(problem.detail, DUPLICATE_OBJECTION_MESSAGE);
    assert_eq!(duplicate_notices(app, &first_id).len(), 1);
    // The open objection is untouched, and the refusals are in the audit trail.
    let open = objection_of(app, &prov, &first_id).await;
    assert_eq!((open.status, open.appellant_name.as_str()), (ObjectionStatus::Submitted, "张小三"));
    assert_eq!(refused_filings(app, &first_id), 2);
    let kept = std::fs::read_dir(app.data_dir().join("evidence")).unwrap().count();
    assert_eq!(kept, 1, "the refused filing's evidence file is not kept");
    // Another appellant may object to the same record.
    file(app, &objection(record_id, "13907920004")).await;
    // Once withdrawn, the same appellant may object again.
    let mut withdraw = credentials(&first);
    withdraw["reason"] = json!("已与单位沟通");
    let withdrawn = app.post_json("/api/v1/portal/objections/withdraw", &withdraw).await;
    let withdrawn: ObjectionTrack = expect_json(withdrawn, 200).await;
    assert_eq!(withdrawn.status, ObjectionStatus::Withdrawn);
    file(app, &objection(record_id, "13907920003")).await;
}

/// The (address, body) of the notices telling the appellant of `objection_id` that a second filing was refused.
fn duplicate_notices(app: &TestApp, objection_id: &str) -> Vec<(String, String)> {
    use credit_api::schema::notices;
    use diesel::prelude::*;
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    notices::table
        .filter(notices::objection_id.eq(objection_id))
        .filter(notices::subject.eq("异议申诉重复提交提醒"))
        .select((notices::address, notices::body))
        .load(&mut conn)
        .unwrap()
}

/// Refused filings recorded against `objection_id` in the audit trail.
fn refused_filings(app: &TestApp, objection_id: &str) -> i64 {
    use credit_api::schema::audit_events;
    use diesel::prelude::*;
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    audit_events::table
        .filter(audit_events::action.eq("objection.file"))
        .filter(audit_events::outcome.eq("failure"))
        .filter(audit_events::target_id.eq(objection_id))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

async fn r29_1_evidence_is_checked_by_content_count_and_size_and_served_to_handlers_only(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let body = objection(record_id, "13907920005");
    let exe = post_filing(app, None, &body, &[("证明.pdf", b"MZ\x90\x00\x03\x00")]).await;
    expect_problem(exe, 415, ErrorCode::UnsupportedMediaType).await;
    let large = vec![b'%'; 10 * 1024 * 1024 + 1];
    assert_eq!(post_filing(app, None, &body, &[("big.pdf", &large)]).await.status(), 413);
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("p.pdf", PDF)).collect();
    let problem = expect_problem(post_filing(app, None, &body, &six).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "evidence");
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
    let response = post_filing(app, None, &body, &[("营业执照.png", png), ("../../授权书.pdf", PDF)]).await;
    let filed: FiledObjection = expect_json(response, 201).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    let evidence = objection_of(app, &prov, &id).await.evidence;
    assert_eq!(evidence.len(), 2);
    assert_eq!(evidence[0].media_type, "image/png");
    assert_eq!(evidence[1].file_name, "授权书.pdf", "paths are stripped");
    assert_eq!(evidence[1].size as usize, PDF.len());
    let path = format!("/api/v1/objections/{id}/evidence/{}", evidence[1].id);
    let served = app.get_as(&prov, &path).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PDF);
    // Stored outside the web root under random names: the evidence directory holds no file by its given name.
    let names: Vec<String> = std::fs::read_dir(app.data_dir().join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|n| n.len() == 32 && n.chars().all(|c| c.is_ascii_hexdigit())));
    // Nobody else gets it: another provider, a user unit, the public.
    let other = app.provider("other", "360402").await;
    assert_eq!(app.get_as(&other, &path).await.status(), 404);
    let unit = app.signed_in("unit", Role::UserUnit, "360402").await;
    assert_eq!(app.get_as(&unit, &path).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);
}

async fn r29_1_every_transition_and_every_forbidden_one(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let county = app.signed_in("county_admin", Role::CountyCreditAdmin, "360402").await;
    let stranger = app.provider("stranger", "360402").await;
    let reason = json!({"reason": "材料不足以证明"});
    let upheld = json!({"outcome": "upheld", "reason": "经核查原记录无误"});
    // submitted → accepted → decided (upheld) → closed, each forbidden step answered 409.
    let filed = file(app, &objection(record_id, "13907920006")).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    expect_problem(act(app, &prov, &id, "decide", &upheld).await, 409, ErrorCode::ObjectionState).await;
    expect_problem(act(app, &prov, &id, "close", &reason).await, 409, ErrorCode::ObjectionState).await;
    expect_problem(act(app, &county, &id, "accept", &json!({})).await, 403, ErrorCode::NotTheProvider).await;
    assert_eq!(act(app, &stranger, &id, "accept", &json!({})).await.status(), 404);
    let accepted = step(app, &prov, &id, "accept", &json!({})).await;
    assert_eq!(accepted.status, ObjectionStatus::Accepted);
    assert!(accepted.decide_by.is_some(), "the decision deadline starts");
    expect_problem(act(app, &prov, &id, "accept", &json!({})).await, 409, ErrorCode::ObjectionState).await;
    expect_problem(act(app, &prov, &id, "not-accept", &reason).await, 409, ErrorCode::ObjectionState).await;
    let decided = step(app, &prov, &id, "decide", &upheld).await;
    assert_eq!((decided.status, decided.outcome), (ObjectionStatus::Decided, Some(Outcome::Upheld)));
    let portal: PublicRecord = app.get_json(&format!("/api/v1/portal/records/{record_id}")).await;
    assert!(!portal.under_objection, "upheld: the mark goes");
    let withdraw = app.post_json("/api/v1/portal/objections/withdraw", &credentials(&filed)).await;
    expect_problem(withdraw, 409, ErrorCode::ObjectionState).await;
    expect_problem(act(app, &prov, &id, "decide", &upheld).await, 409, ErrorCode::ObjectionState).await;
    let closed = step(app, &prov, &id, "close", &json!({"reason": "已告知申诉人"})).await;
    assert_eq!(closed.status, ObjectionStatus::Closed);
    for action in ["accept", "not-accept", "close"] {
        let body = if action == "accept" { json!({}) } else { reason.clone() };
        expect_problem(act(app, &prov, &id, action, &body).await, 409, ErrorCode::ObjectionState).await;
    }
    let steps: Vec<StepKind> = closed.steps.iter().map(|s| s.step).collect();
    assert_eq!(steps, [StepKind::Submitted, StepKind::Accepted, StepKind::DecidedUpheld, StepKind::Closed]);
    // The step codes on the wire stay as they were stored.
    assert_eq!(StepKind::DecidedUpheld.as_str(), "decided:upheld");
    // submitted → not accepted (with reason) → closed; the appellant sees the reason.
    let filed = file(app, &objection(record_id, "13907920007")).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    expect_problem(act(app, &prov, &id, "not-accept", &json!({"reason": ""})).await, 422, ErrorCode::ValidationFailed)
        .await;
    let refused = step(app, &prov, &id, "not-accept", &reason).await;
    assert_eq!(refused.status, ObjectionStatus::NotAccepted);
    let view = track(app, &filed).await;
    assert_eq!((view.status, view.reason.as_deref()), (ObjectionStatus::NotAccepted, Some("材料不足以证明")));
    expect_problem(act(app, &prov, &id, "accept", &json!({})).await, 409, ErrorCode::ObjectionState).await;
    assert_eq!(act(app, &prov, &id, "close", &reason).await.status(), 200);
    // Decisions need what their outcome needs.
    let filed = file(app, &objection(record_id, "13907920008")).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    act(app, &prov, &id, "accept", &json!({})).await;
    let corrected_without = json!({"outcome": "corrected", "reason": "更正"});
    let problem =
        expect_problem(act(app, &prov, &id, "decide", &corrected_without).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].field, "correction");
    let undetermined_without = json!({"outcome": "undetermined", "reason": "无法确定"});
    let problem =
        expect_problem(act(app, &prov, &id, "decide", &undetermined_without).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].field, "verification");
}

async fn r29_1_a_correction_is_a_new_version_linked_to_the_objection(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let filed = file(app, &objection(record_id, "13907920009")).await;
    let tracking = filed.tracking_number.as_str();
    let id = objection_id(app, &prov, tracking).await;
    step(app, &prov, &id, "accept", &json!({})).await;
    let mut values: serde_json::Map<String, Value> =
        record.fields.iter().map(|f| (f.key.clone(), json!(f.value))).collect();
    values.insert("fine_amount".into(), json!("3000.00"));
    values.insert("penalty_content".into(), json!("罚款人民币叁仟元"));
    let stale = json!({"outcome": "corrected", "reason": "罚款金额记载错误,予以更正",
        "correction": {"values": values, "decision_date": record.decision_date, "version": 7}});
    assert_eq!(act(app, &prov, &id, "decide", &stale).await.status(), 412, "the version read must be current");
    let decision = json!({"outcome": "corrected", "reason": "罚款金额记载错误,予以更正",
        "correction": {"values": values, "decision_date": record.decision_date, "version": 1}});
    let decided = step(app, &prov, &id, "decide", &decision).await;
    assert_eq!((decided.outcome, decided.corrected_version), (Some(Outcome::Corrected), Some(2)));
    assert_eq!(objection_of(app, &prov, &id).await, decided);
    let amended: Record = app.get_json_as(&prov, &format!("/api/v1/records/{record_id}")).await;
    assert_eq!((amended.version, amended.status), (2, RecordStatus::Corrected));
    let versions: Vec<RecordVersion> = app.get_json_as(&prov, &format!("/api/v1/records/{record_id}/versions")).await;
    assert!(versions[0].reason.contains(tracking), "the version names the objection");
    use diesel::prelude::*;
    let pool = app.pool();
    let linked: Option<String> = credit_api::schema::record_versions::table
        .find((record_id, 2))
        .select(credit_api::schema::record_versions::objection_id)
        .first(&mut pool.get().unwrap())
        .unwrap();
    assert_eq!(linked.as_deref(), Some(id.as_str()));
    // The appellant sees "corrected" with the reason and the new values on the portal; the mark is gone.
    let view = track(app, &filed).await;
    assert_eq!(view.outcome, Some(Outcome::Corrected));
    assert_eq!(view.reason.as_deref(), Some("罚款金额记载错误,予以更正"));
    let shown = view.record.unwrap();
    assert!(!shown.under_objection);
    assert_eq!(value_of(&shown, "fine_amount"), "3000.00");
}

async fn r29_1_undetermined_records_claim_and_verification_on_the_record(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let filed = file(app, &objection(record_id, "13907920010")).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    step(app, &prov, &id, "accept", &json!({})).await;
    let verification = "经向执法部门核实,原始案卷缺失,无法确认罚款金额";
    let summary = "申诉人认为罚款金额记载有误";
    let decision = json!({"outcome": "undetermined", "reason": "现有材料无法确认", "verification": verification,
        "claim_summary": summary});
    let decided = step(app, &prov, &id, "decide", &decision).await;
    assert_eq!(decided.verification.as_deref(), Some(verification));
    let workbench: Record = app.get_json_as(&prov, &format!("/api/v1/records/{record_id}")).await;
    assert_eq!(workbench.status, RecordStatus::Active, "the mark goes; the record stays as it was");
    assert_eq!(workbench.notes[0].tracking_number, filed.tracking_number);
    // the handler's summary is published with the record, never the appellant's own words.
    assert_eq!(workbench.notes[0].claim, summary);
    let portal: PublicRecord = app.get_json(&format!("/api/v1/portal/records/{record_id}")).await;
    assert_eq!(portal.notes, workbench.notes);
}

async fn r29_1_overdue_objections_are_flagged_and_escalated(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let fresh = file(app, &objection(record_id, "13907920011")).await;
    let late = file(app, &objection(record_id, "13907920012")).await;
    let late_id = objection_id(app, &prov, &late.tracking_number).await;
    app.execute_sql(&format!("UPDATE objections SET accept_by = '2026-01-09' WHERE id = '{late_id}'"));
    let overdue: Page<Objection> = app.get_json_as(&prov, "/api/v1/objections?overdue=true").await;
    let numbers: Vec<&str> = overdue.items.iter().map(|o| o.tracking_number.as_str()).collect();
    assert_eq!(numbers, [late.tracking_number.as_str()]);
    assert!(overdue.items[0].overdue);
    assert!(overdue.items[0].days_left.unwrap() < 0);
    let not_overdue: Page<Objection> = app.get_json_as(&prov, "/api/v1/objections?overdue=false").await;
    assert_eq!(not_overdue.items[0].tracking_number, fresh.tracking_number);
    // The daily job escalates it once, to the county lead unit of the record's county.
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let (today, now) = (credit_api::clock::today(), credit_api::clock::now());
    assert_eq!(app.keyed(|| credit_api::objections::jobs::escalate_overdue(&mut conn, today, now)).unwrap(), 1);
    assert_eq!(app.keyed(|| credit_api::objections::jobs::escalate_overdue(&mut conn, today, now)).unwrap(), 0, "once");
    let county = app.signed_in("county_admin", Role::CountyCreditAdmin, "360402").await;
    let counts: ObjectionCounts = app.get_json_as(&county, "/api/v1/objections/counts").await;
    assert_eq!((counts.submitted, counts.overdue, counts.escalated), (2, 1, 1));
    let seen = objection_of(app, &county, &late_id).await;
    assert!(seen.escalated_at.is_some());
    assert_eq!(seen.steps[1].step, StepKind::Escalated);
    assert_eq!(seen.phone.as_deref(), Some("139****0012"), "overseers see contacts masked");
    // Another county's admin does not see it; the city's competent office does.
    let other = app.signed_in("other_county", Role::CountyCreditAdmin, "360403").await;
    assert_eq!(app.get_as(&other, &format!("/api/v1/objections/{late_id}")).await.status(), 404);
    let city = app.signed_in("city_admin", Role::CityCreditAdmin, "360400").await;
    let counts: ObjectionCounts = app.get_json_as(&city, "/api/v1/objections/counts").await;
    assert_eq!(counts.overdue, 1);
    // A user unit is neither handler nor overseer.
    let unit = app.signed_in("unit", Role::UserUnit, "360402").await;
    assert_eq!(app.get_as(&unit, "/api/v1/objections").await.status(), 403);
}

async fn r28_1_contacts_are_masked_in_lists_and_purged_after_retention(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let mut body = objection(record_id, "13907920013");
    body["email"] = json!("zhang.xiaosan@example.cn");
    let filed = file(app, &body).await;
    let list: Page<Objection> = app.get_json_as(&prov, "/api/v1/objections").await;
    let listed = &list.items[0];
    assert_eq!(listed.phone.as_deref(), Some("139****0013"));
    assert_eq!(listed.email.as_deref(), Some("z***@example.cn"));
    assert_eq!(listed.appellant_name, "张**");
    let id = listed.id.clone();
    let detail = objection_of(app, &prov, &id).await;
    assert_eq!(detail.phone.as_deref(), Some("13907920013"), "the handler sees the contact in full");
    // Withdrawn long ago: the purge blanks name, phone, e-mail and the notices' addresses.
    let withdrawn = app.post_json("/api/v1/portal/objections/withdraw", &credentials(&filed)).await;
    assert_eq!(withdrawn.status(), 200);
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let now = credit_api::clock::now();
    assert_eq!(app.keyed(|| credit_api::objections::jobs::purge_contacts(&mut conn, now, 180)).unwrap(), 0, "not yet");
    app.execute_sql(&format!("UPDATE objections SET ended_at = '2026-01-01 00:00:00' WHERE id = '{id}'"));
    assert_eq!(app.keyed(|| credit_api::objections::jobs::purge_contacts(&mut conn, now, 180)).unwrap(), 1);
    let purged = objection_of(app, &prov, &id).await;
    assert!(purged.contact_purged);
    assert_eq!((purged.phone, purged.email), (None, None));
    use diesel::prelude::*;
    let addresses: Vec<String> = credit_api::schema::notices::table
        .filter(credit_api::schema::notices::objection_id.eq(&id))
        .select(credit_api::schema::notices::address)
        .load(&mut conn)
        .unwrap();
    assert!(!addresses.is_empty() && addresses.iter().all(String::is_empty), "{addresses:?}");
}

async fn r29_1_the_calendar_is_maintained_by_the_competent_office(app: &TestApp) {
    let office = app.signed_in("city_admin", Role::CityCreditAdmin, "360400").await;
    let seeded: CalendarYear = app.get_json_as(&office, "/api/v1/calendar/2026").await;
    assert_eq!(seeded.days.len(), 39, "the State Council's 2026 arrangement");
    let national_day_swap = chrono::NaiveDate::from_ymd_opt(2026, 10, 10).unwrap();
    assert!(seeded.days.iter().any(|d| d.day == national_day_swap && d.kind == DayKind::Workday));
    let year = json!({"days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-02-06", "kind": "workday", "name": "春节调休"},
    ]});
    let stored: CalendarYear = expect_json(app.put_as(&office, "/api/v1/calendar/2027", "", &year).await, 200).await;
    assert_eq!(stored.days.len(), 2);
    let bad = json!({"days": [
        {"day": "2028-01-03", "kind": "holiday", "name": "别的年份"},
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-04", "kind": "workday", "name": "周一"},
    ]});
    let problem =
        expect_problem(app.put_as(&office, "/api/v1/calendar/2027", "", &bad).await, 422, ErrorCode::ValidationFailed)
            .await;
    let codes: Vec<&str> = problem.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["other_year", "duplicate", "weekday_workday"]);
    // Holidays on weekends stand as the State Council publishes them: the seeded year saves back unchanged.
    let saved = app.put_as(&office, "/api/v1/calendar/2026", "", &json!(seeded)).await;
    let saved: CalendarYear = expect_json(saved, 200).await;
    assert_eq!(saved, seeded);
    let provider = app.provider("prov", "360402").await;
    assert_eq!(app.put_as(&provider, "/api/v1/calendar/2027", "", &year).await.status(), 403);
    assert_eq!(app.get_as(&provider, "/api/v1/calendar/2027").await.status(), 200);
}

async fn r29_1_a_hundred_concurrent_filings_land_with_distinct_numbers_and_one_mark(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id;
    let filings = (0..100).map(|n| {
        let body = objection(&record_id, &format!("1390792{n:04}"));
        async move { post_filing(app, None, &body, &[]).await }
    });
    let responses = futures_util::future::join_all(filings).await;
    let mut numbers = std::collections::BTreeSet::new();
    for response in responses {
        let filed: FiledObjection = expect_json(response, 201).await;
        numbers.insert(filed.tracking_number);
    }
    assert_eq!(numbers.len(), 100, "distinct tracking numbers");
    let workbench: Record = app.get_json_as(&prov, &format!("/api/v1/records/{record_id}")).await;
    assert_eq!(workbench.status, RecordStatus::UnderObjection);
    assert_eq!(workbench.version, 1, "the mark is no new version");
    let counts: ObjectionCounts = app.get_json_as(&prov, "/api/v1/objections/counts").await;
    assert_eq!(counts.submitted, 100);
}

async fn r29_1_a_workbench_user_files_at_the_counter(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record.id.as_str();
    let response = post_filing(app, Some(&prov), &objection(record_id, "13907920014"), &[]).await;
    let filed: FiledObjection = expect_json(response, 201).await;
    let id = objection_id(app, &prov, &filed.tracking_number).await;
    let detail = objection_of(app, &prov, &id).await;
    assert_eq!(detail.filed_by, Some(app.me(&prov).await.id), "the filing names the user");
    // Rate limits apply on the portal: a low hourly allowance answers 429 with Retry-After.
    let limited = TestApp::spawn_with(
        app_backend(app),
        TestOptions { objection_filings_per_hour: Some(1), ..TestOptions::default() },
    )
    .await
    .unwrap();
    let (_p, record) = published(&limited).await;
    let record_id = record.id.as_str();
    assert_eq!(post_filing(&limited, None, &objection(record_id, "13907920015"), &[]).await.status(), 201);
    let second = post_filing(&limited, None, &objection(record_id, "13907920016"), &[]).await;
    assert!(second.headers().contains_key("retry-after"));
    expect_problem(second, 429, ErrorCode::RateLimited).await;
}

fn app_backend(app: &TestApp) -> credit_tests::Backend {
    match app.database {
        credit_api::db::DbTarget::Sqlite(_) => credit_tests::Backend::Sqlite,
        credit_api::db::DbTarget::Postgres(_) => credit_tests::Backend::Postgres,
    }
}
