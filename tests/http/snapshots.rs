//! Whole answers pinned as reviewed snapshots (`snapshots/*.snap`): a problem with field errors, a portal subject
//! page, an objection's track and an audit event. What differs from run to run (ids, times, hashes, request ids,
//! tracking numbers, generated codes) is redacted, so SQLite and PostgreSQL compare against one file per answer.
//!
//! The snapshots read the raw JSON on purpose: they pin the wire format itself, absent fields included.

use crate::objections::{file, objection};
use credit_tests::{expect_json, on_both_backends, penalty, penalty_values, TestApp, LIANXI};
use credit_types::audit::AuditEvent;
use credit_types::Page;
use serde_json::{json, Value};

on_both_backends!(
    r23_1_a_refused_submission_is_a_problem_naming_each_field,
    r16_2_a_portal_subject_page_lists_its_published_records_masked,
    r29_1_the_appellant_tracks_an_objection_by_number_and_code,
    r30_1_an_audit_event_reads_with_its_names,
);

/// Pins `answer` as the snapshot `name`: one file, whichever backend the test runs on.
macro_rules! pin {
    ($name:literal, $answer:expr, { $($selector:literal => $replacement:literal),* $(,)? }) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_json_snapshot!($name, $answer, { $($selector => $replacement),* });
        })
    };
}

async fn r23_1_a_refused_submission_is_a_problem_naming_each_field(app: &TestApp) {
    let session = app.provider("prov", LIANXI).await;
    let mut body = penalty("九江快照测试有限公司", Value::Null);
    body["values"]["fine_amount"] = json!("5,000元");
    body["values"]["penalty_category"] = json!("打板子");
    body["values"]["unknown_field"] = json!("x");
    body["values"].as_object_mut().unwrap().remove("violation_facts");
    let problem: Value = expect_json(app.post_as(&session, "/api/v1/records", &body).await, 422).await;
    pin!("problem_with_field_errors", problem, { ".request_id" => "[request id]" });
}

async fn r16_2_a_portal_subject_page_lists_its_published_records_masked(app: &TestApp) {
    let session = app.provider("prov", LIANXI).await;
    let mut earlier = penalty("九江快照建材有限公司", json!("public"));
    earlier["decision_date"] = json!("2026-08-15");
    let first = app.submit(&session, &earlier).await;
    let mut later = penalty("", json!("public"));
    later["subject"] = earlier["subject"].clone();
    later["values"] = penalty_values("九市监罚〔2026〕2号");
    let second = app.submit(&session, &later).await;
    app.execute_sql(&format!("UPDATE records SET status = 'under_objection' WHERE id = '{}'", second.id));
    // A shared record of the same subject is no part of the public page.
    let mut shared = later.clone();
    shared["disclosure_class"] = json!("shared");
    shared["values"] = penalty_values("九市监罚〔2026〕3号");
    app.submit(&session, &shared).await;
    let page: Value = app.get_json(&format!("/api/v1/portal/subjects/{}", first.subject.id)).await;
    pin!("portal_subject_page", page, {
        ".subject.id" => "[subject id]",
        ".subject.code" => "[subject code]",
        ".records[].id" => "[record id]",
        ".records[].subject_id" => "[subject id]",
    });
}

async fn r29_1_the_appellant_tracks_an_objection_by_number_and_code(app: &TestApp) {
    let session = app.provider("prov", LIANXI).await;
    let mut body = penalty("九江快照异议有限公司", json!("public"));
    body["values"] = penalty_values("九市监罚〔2026〕88号");
    let record = app.submit(&session, &body).await;
    let filed = file(app, &objection(&record.id, "13907920099")).await;
    let asked = json!({"tracking_number": filed.tracking_number, "query_code": filed.query_code});
    let track: Value = expect_json(app.post_json("/api/v1/portal/objections/track", &asked).await, 200).await;
    pin!("objection_track", track, {
        ".tracking_number" => "[tracking number]",
        ".filed_at" => "[time]",
        ".accept_by" => "[date]",
        ".steps[].at" => "[time]",
        ".record.id" => "[record id]",
        ".record.subject_id" => "[subject id]",
    });
}

async fn r30_1_an_audit_event_reads_with_its_names(app: &TestApp) {
    let session = app.provider("prov", LIANXI).await;
    app.submit(&session, &penalty("九江快照审计有限公司", json!("shared"))).await;
    let auditor = app.auditor().await;
    let created: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=record.create").await;
    let path = format!("/api/v1/audit/events/{}", created.items[0].seq);
    let event: Value = app.get_json_as(&auditor, &path).await;
    pin!("audit_event", event, {
        ".seq" => "[seq]",
        ".occurred_at" => "[time]",
        ".actor_id" => "[user id]",
        ".organisation_id" => "[organisation id]",
        ".target_id" => "[record id]",
        ".request_id" => "[request id]",
        ".prev_hash" => "[hash]",
        ".hash" => "[hash]",
    });
}
