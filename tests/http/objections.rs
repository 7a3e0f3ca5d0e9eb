//! Objections: filing on the portal with evidence, the mark, tracking with the query code, every
//! transition and the forbidden ones, correction as a linked version, undetermined notes, overdue escalation,
//! contact purge, evidence limits, notices, the calendar, rate limits, and 100 concurrent filings on one record.

use crate::fixtures::{penalty, provider, submit, PASSWORD};
use credit_tests::{expect_problem, on_both_backends, Session, TestApp, TestOptions};
use credit_types::identity::Role;
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

fn objection(record_id: &str, phone: &str) -> Value {
    json!({
        "record_id": record_id,
        "appellant_name": "张小三",
        "phone": phone,
        "relation": "legal_representative",
        "claim_type": "content_wrong",
        "description": "处罚决定书记载的罚款金额有误,实际罚款为三千元。",
    })
}

async fn post_filing(
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

/// Files on the portal and returns the answer; panics unless filed.
async fn file(app: &TestApp, body: &Value) -> Value {
    let response = post_filing(app, None, body, &[("处罚决定书.pdf", PDF)]).await;
    assert_eq!(response.status(), 201, "filed: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn track(app: &TestApp, filed: &Value) -> Value {
    let body = json!({"tracking_number": filed["tracking_number"], "query_code": filed["query_code"]});
    let response = app.post_json("/api/v1/portal/objections/track", &body).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// A data provider with a published public record; returns the session and the record.
async fn published(app: &TestApp) -> (Session, Value) {
    let session = provider(app, "prov", "360402").await;
    let record = submit(app, &session, &penalty("九江异议测试有限公司", json!("public"))).await;
    (session, record)
}

/// The provider's objection id for a tracking number.
async fn objection_id(app: &TestApp, session: &Session, tracking_number: &str) -> String {
    let page: Value = app.get_as(session, "/api/v1/objections?limit=500").await.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["tracking_number"] == tracking_number)
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .unwrap()
}

async fn act(app: &TestApp, session: &Session, id: &str, action: &str, body: &Value) -> reqwest::Response {
    app.post_as(session, &format!("/api/v1/objections/{id}/{action}"), body).await
}

async fn r29_1_filing_marks_the_record_and_the_appellant_tracks_it(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let filed = file(app, &objection(record_id, "13907920001")).await;
    let tracking = filed["tracking_number"].as_str().unwrap();
    assert!(tracking.starts_with("YY2026"), "{tracking}");
    assert_eq!(filed["query_code"].as_str().unwrap().len(), 10);
    // The mark: on the portal and in the workbench at once.
    let portal: Value = app.get(&format!("/api/v1/portal/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(portal["under_objection"], true);
    let workbench: Value = app.get_as(&prov, &format!("/api/v1/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(workbench["status"], "under_objection");
    // The appellant's view: steps, deadline, the record as published; a wrong code is an unknown number.
    let view = track(app, &filed).await;
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["steps"][0]["step"], "submitted");
    assert_eq!(view["accept_by"], filed["accept_by"]);
    assert_eq!(view["record"]["id"], record_id);
    assert!(view.get("phone").is_none() && view["record"].get("provider_id").is_none(), "nothing beyond the portal");
    let wrong = json!({"tracking_number": tracking, "query_code": "2222222222"});
    expect_problem(app.post_json("/api/v1/portal/objections/track", &wrong).await, 404, "not_found").await;
    let lower =
        json!({"tracking_number": tracking, "query_code": filed["query_code"].as_str().unwrap().to_lowercase()});
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
    let shared = submit(app, &prov, &penalty("九江共享异议有限公司", json!("shared"))).await;
    let response = post_filing(app, None, &objection(shared["id"].as_str().unwrap(), "13907920002"), &[]).await;
    expect_problem(response, 404, "not_found").await;
    // Bad input: no contact, a malformed phone, a short description, no objection part.
    let mut bad = objection(record_id, "0792-123");
    bad["description"] = json!("太短");
    let problem = expect_problem(post_filing(app, None, &bad, &[]).await, 422, "validation_failed").await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"description") && fields.contains(&"phone"), "{fields:?}");
}

async fn r29_1_one_open_objection_per_appellant_and_record(app: &TestApp) {
    let (_prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let first = file(app, &objection(record_id, "13907920003")).await;
    let again = post_filing(app, None, &objection(record_id, "13907920003"), &[]).await;
    let problem = expect_problem(again, 409, "duplicate_objection").await;
    assert!(problem.detail.contains(first["tracking_number"].as_str().unwrap()), "names the open one");
    assert!(problem.errors[0].message.contains(first["tracking_number"].as_str().unwrap()));
    // Another appellant may object to the same record.
    file(app, &objection(record_id, "13907920004")).await;
    // Once withdrawn, the same appellant may object again.
    let withdraw = json!({"tracking_number": first["tracking_number"], "query_code": first["query_code"], "reason": "已与单位沟通"});
    let withdrawn: Value = app.post_json("/api/v1/portal/objections/withdraw", &withdraw).await.json().await.unwrap();
    assert_eq!(withdrawn["status"], "withdrawn");
    file(app, &objection(record_id, "13907920003")).await;
}

async fn r29_1_evidence_is_checked_by_content_count_and_size_and_served_to_handlers_only(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let body = objection(record_id, "13907920005");
    let exe = post_filing(app, None, &body, &[("证明.pdf", b"MZ\x90\x00\x03\x00")]).await;
    expect_problem(exe, 415, "unsupported_media_type").await;
    let large = vec![b'%'; 10 * 1024 * 1024 + 1];
    assert_eq!(post_filing(app, None, &body, &[("big.pdf", &large)]).await.status(), 413);
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("p.pdf", PDF)).collect();
    let problem = expect_problem(post_filing(app, None, &body, &six).await, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "evidence");
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
    let response = post_filing(app, None, &body, &[("营业执照.png", png), ("../../授权书.pdf", PDF)]).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    let detail: Value = app.get_as(&prov, &format!("/api/v1/objections/{id}")).await.json().await.unwrap();
    let evidence = detail["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2);
    assert_eq!(evidence[0]["media_type"], "image/png");
    assert_eq!(evidence[1]["file_name"], "授权书.pdf", "paths are stripped");
    let path = format!("/api/v1/objections/{id}/evidence/{}", evidence[1]["id"].as_str().unwrap());
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
    let other = provider(app, "other", "360402").await;
    assert_eq!(app.get_as(&other, &path).await.status(), 404);
    app.create_user("unit", PASSWORD, &[Role::UserUnit], "360402");
    let unit = app.sign_in("unit", PASSWORD).await;
    assert_eq!(app.get_as(&unit, &path).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);
}

async fn r29_1_every_transition_and_every_forbidden_one(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    app.create_user("county_admin", PASSWORD, &[Role::CountyCreditAdmin], "360402");
    let county = app.sign_in("county_admin", PASSWORD).await;
    let stranger = provider(app, "stranger", "360402").await;
    let reason = json!({"reason": "材料不足以证明"});
    let upheld = json!({"outcome": "upheld", "reason": "经核查原记录无误"});
    // submitted → accepted → decided (upheld) → closed, each forbidden step answered 409.
    let filed = file(app, &objection(record_id, "13907920006")).await;
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    expect_problem(act(app, &prov, &id, "decide", &upheld).await, 409, "objection_state").await;
    expect_problem(act(app, &prov, &id, "close", &reason).await, 409, "objection_state").await;
    expect_problem(act(app, &county, &id, "accept", &json!({})).await, 403, "not_the_provider").await;
    assert_eq!(act(app, &stranger, &id, "accept", &json!({})).await.status(), 404);
    let accepted: Value = act(app, &prov, &id, "accept", &json!({})).await.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["decide_by"].is_string(), "the decision deadline starts");
    expect_problem(act(app, &prov, &id, "accept", &json!({})).await, 409, "objection_state").await;
    expect_problem(act(app, &prov, &id, "not-accept", &reason).await, 409, "objection_state").await;
    let decided: Value = act(app, &prov, &id, "decide", &upheld).await.json().await.unwrap();
    assert_eq!(decided["status"], "decided");
    assert_eq!(decided["outcome"], "upheld");
    let portal: Value = app.get(&format!("/api/v1/portal/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(portal["under_objection"], false, "upheld: the mark goes");
    let withdraw = json!({"tracking_number": filed["tracking_number"], "query_code": filed["query_code"]});
    expect_problem(app.post_json("/api/v1/portal/objections/withdraw", &withdraw).await, 409, "objection_state").await;
    expect_problem(act(app, &prov, &id, "decide", &upheld).await, 409, "objection_state").await;
    let closed: Value = act(app, &prov, &id, "close", &json!({"reason": "已告知申诉人"})).await.json().await.unwrap();
    assert_eq!(closed["status"], "closed");
    for action in ["accept", "not-accept", "close"] {
        let body = if action == "accept" { json!({}) } else { reason.clone() };
        expect_problem(act(app, &prov, &id, action, &body).await, 409, "objection_state").await;
    }
    let steps: Vec<&str> = closed["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["submitted", "accepted", "decided:upheld", "closed"]);
    // submitted → not accepted (with reason) → closed; the appellant sees the reason.
    let filed = file(app, &objection(record_id, "13907920007")).await;
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    expect_problem(act(app, &prov, &id, "not-accept", &json!({"reason": ""})).await, 422, "validation_failed").await;
    let refused: Value = act(app, &prov, &id, "not-accept", &reason).await.json().await.unwrap();
    assert_eq!(refused["status"], "not_accepted");
    let view = track(app, &filed).await;
    assert_eq!(view["status"], "not_accepted");
    assert_eq!(view["reason"], "材料不足以证明");
    expect_problem(act(app, &prov, &id, "accept", &json!({})).await, 409, "objection_state").await;
    assert_eq!(act(app, &prov, &id, "close", &reason).await.status(), 200);
    // Decisions need what their outcome needs.
    let filed = file(app, &objection(record_id, "13907920008")).await;
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    act(app, &prov, &id, "accept", &json!({})).await;
    let corrected_without = json!({"outcome": "corrected", "reason": "更正"});
    let problem =
        expect_problem(act(app, &prov, &id, "decide", &corrected_without).await, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "correction");
    let undetermined_without = json!({"outcome": "undetermined", "reason": "无法确定"});
    let problem =
        expect_problem(act(app, &prov, &id, "decide", &undetermined_without).await, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "verification");
}

async fn r29_1_a_correction_is_a_new_version_linked_to_the_objection(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let filed = file(app, &objection(record_id, "13907920009")).await;
    let tracking = filed["tracking_number"].as_str().unwrap();
    let id = objection_id(app, &prov, tracking).await;
    act(app, &prov, &id, "accept", &json!({})).await;
    let mut values: serde_json::Map<String, Value> = serde_json::Map::new();
    for field in record["fields"].as_array().unwrap() {
        values.insert(field["key"].as_str().unwrap().to_owned(), field["value"].clone());
    }
    values.insert("fine_amount".into(), json!("3000.00"));
    values.insert("penalty_content".into(), json!("罚款人民币叁仟元"));
    let stale = json!({"outcome": "corrected", "reason": "罚款金额记载错误,予以更正",
        "correction": {"values": values, "decision_date": record["decision_date"], "version": 7}});
    assert_eq!(act(app, &prov, &id, "decide", &stale).await.status(), 412, "the version read must be current");
    let decision = json!({"outcome": "corrected", "reason": "罚款金额记载错误,予以更正",
        "correction": {"values": values, "decision_date": record["decision_date"], "version": 1}});
    let response = act(app, &prov, &id, "decide", &decision).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let decided: Value = app.get_as(&prov, &format!("/api/v1/objections/{id}")).await.json().await.unwrap();
    assert_eq!(decided["corrected_version"], 2);
    let amended: Value = app.get_as(&prov, &format!("/api/v1/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(amended["version"], 2);
    assert_eq!(amended["status"], "corrected");
    let versions: Value =
        app.get_as(&prov, &format!("/api/v1/records/{record_id}/versions")).await.json().await.unwrap();
    assert!(versions[0]["reason"].as_str().unwrap().contains(tracking), "the version names the objection");
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
    assert_eq!(view["outcome"], "corrected");
    assert_eq!(view["reason"], "罚款金额记载错误,予以更正");
    assert_eq!(view["record"]["under_objection"], false);
    let fine = view["record"]["fields"].as_array().unwrap().iter().find(|f| f["key"] == "fine_amount").unwrap();
    assert_eq!(fine["value"], "3000.00");
}

async fn r29_1_undetermined_records_claim_and_verification_on_the_record(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let filed = file(app, &objection(record_id, "13907920010")).await;
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    act(app, &prov, &id, "accept", &json!({})).await;
    let decision = json!({"outcome": "undetermined", "reason": "现有材料无法确认",
        "verification": "经向执法部门核实,原始案卷缺失,无法确认罚款金额"});
    assert_eq!(act(app, &prov, &id, "decide", &decision).await.status(), 200);
    let workbench: Value = app.get_as(&prov, &format!("/api/v1/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(workbench["status"], "active", "the mark goes; the record stays as it was");
    assert_eq!(workbench["notes"][0]["tracking_number"], filed["tracking_number"]);
    assert_eq!(workbench["notes"][0]["claim"], "处罚决定书记载的罚款金额有误,实际罚款为三千元。");
    let portal: Value = app.get(&format!("/api/v1/portal/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(portal["notes"][0]["verification"], "经向执法部门核实,原始案卷缺失,无法确认罚款金额");
}

async fn r29_1_overdue_objections_are_flagged_and_escalated(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let fresh = file(app, &objection(record_id, "13907920011")).await;
    let late = file(app, &objection(record_id, "13907920012")).await;
    let late_id = objection_id(app, &prov, late["tracking_number"].as_str().unwrap()).await;
    app.execute_sql(&format!("UPDATE objections SET accept_by = '2026-01-09' WHERE id = '{late_id}'"));
    let overdue: Value = app.get_as(&prov, "/api/v1/objections?overdue=true").await.json().await.unwrap();
    let numbers: Vec<&str> =
        overdue["items"].as_array().unwrap().iter().map(|o| o["tracking_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [late["tracking_number"].as_str().unwrap()]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    assert!(overdue["items"][0]["days_left"].as_i64().unwrap() < 0);
    let not_overdue: Value = app.get_as(&prov, "/api/v1/objections?overdue=false").await.json().await.unwrap();
    assert_eq!(not_overdue["items"][0]["tracking_number"], fresh["tracking_number"]);
    // The daily job escalates it once, to the county lead unit of the record's county.
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let (today, now) = (credit_api::clock::today(), credit_api::clock::now());
    assert_eq!(credit_api::objections::jobs::escalate_overdue(&mut conn, today, now).unwrap(), 1);
    assert_eq!(credit_api::objections::jobs::escalate_overdue(&mut conn, today, now).unwrap(), 0, "once");
    app.create_user("county_admin", PASSWORD, &[Role::CountyCreditAdmin], "360402");
    let county = app.sign_in("county_admin", PASSWORD).await;
    let counts: Value = app.get_as(&county, "/api/v1/objections/counts").await.json().await.unwrap();
    assert_eq!(counts["submitted"], 2);
    assert_eq!(counts["overdue"], 1);
    assert_eq!(counts["escalated"], 1);
    let seen: Value = app.get_as(&county, &format!("/api/v1/objections/{late_id}")).await.json().await.unwrap();
    assert!(seen["escalated_at"].is_string());
    assert_eq!(seen["steps"][1]["step"], "escalated");
    assert_eq!(seen["phone"], "139****0012", "overseers see contacts masked");
    // Another county's admin does not see it; the city's competent office does.
    app.create_user("other_county", PASSWORD, &[Role::CountyCreditAdmin], "360403");
    let other = app.sign_in("other_county", PASSWORD).await;
    assert_eq!(app.get_as(&other, &format!("/api/v1/objections/{late_id}")).await.status(), 404);
    app.create_user("city_admin", PASSWORD, &[Role::CityCreditAdmin], "360400");
    let city = app.sign_in("city_admin", PASSWORD).await;
    let counts: Value = app.get_as(&city, "/api/v1/objections/counts").await.json().await.unwrap();
    assert_eq!(counts["overdue"], 1);
    // A user unit is neither handler nor overseer.
    app.create_user("unit", PASSWORD, &[Role::UserUnit], "360402");
    let unit = app.sign_in("unit", PASSWORD).await;
    assert_eq!(app.get_as(&unit, "/api/v1/objections").await.status(), 403);
}

async fn r28_1_contacts_are_masked_in_lists_and_purged_after_retention(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let mut body = objection(record_id, "13907920013");
    body["email"] = json!("zhang.xiaosan@example.cn");
    let filed = file(app, &body).await;
    let list: Value = app.get_as(&prov, "/api/v1/objections").await.json().await.unwrap();
    assert_eq!(list["items"][0]["phone"], "139****0013");
    assert_eq!(list["items"][0]["email"], "z***@example.cn");
    assert_eq!(list["items"][0]["appellant_name"], "张**");
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let detail: Value = app.get_as(&prov, &format!("/api/v1/objections/{id}")).await.json().await.unwrap();
    assert_eq!(detail["phone"], "13907920013", "the handler sees the contact in full");
    // Withdrawn long ago: the purge blanks name, phone, e-mail and the notices' addresses.
    let withdraw = json!({"tracking_number": filed["tracking_number"], "query_code": filed["query_code"]});
    assert_eq!(app.post_json("/api/v1/portal/objections/withdraw", &withdraw).await.status(), 200);
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let now = credit_api::clock::now();
    assert_eq!(credit_api::objections::jobs::purge_contacts(&mut conn, now, 180).unwrap(), 0, "not yet");
    app.execute_sql(&format!("UPDATE objections SET ended_at = '2026-01-01 00:00:00' WHERE id = '{id}'"));
    assert_eq!(credit_api::objections::jobs::purge_contacts(&mut conn, now, 180).unwrap(), 1);
    let purged: Value = app.get_as(&prov, &format!("/api/v1/objections/{id}")).await.json().await.unwrap();
    assert_eq!(purged["contact_purged"], true);
    assert!(purged.get("phone").is_none() && purged.get("email").is_none());
    use diesel::prelude::*;
    let addresses: Vec<String> = credit_api::schema::notices::table
        .filter(credit_api::schema::notices::objection_id.eq(&id))
        .select(credit_api::schema::notices::address)
        .load(&mut conn)
        .unwrap();
    assert!(!addresses.is_empty() && addresses.iter().all(String::is_empty), "{addresses:?}");
}

async fn r29_1_the_calendar_is_maintained_by_the_competent_office(app: &TestApp) {
    app.create_user("city_admin", PASSWORD, &[Role::CityCreditAdmin], "360400");
    let office = app.sign_in("city_admin", PASSWORD).await;
    let seeded: Value = app.get_as(&office, "/api/v1/calendar/2026").await.json().await.unwrap();
    let days = seeded["days"].as_array().unwrap();
    assert_eq!(days.len(), 39, "the State Council's 2026 arrangement");
    assert!(days.iter().any(|d| d["day"] == "2026-10-10" && d["kind"] == "workday"));
    let year = json!({"days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-02-06", "kind": "workday", "name": "春节调休"},
    ]});
    let stored: Value = app.put_as(&office, "/api/v1/calendar/2027", "", &year).await.json().await.unwrap();
    assert_eq!(stored["days"].as_array().unwrap().len(), 2);
    let bad = json!({"days": [
        {"day": "2028-01-03", "kind": "holiday", "name": "别的年份"},
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-04", "kind": "workday", "name": "周一"},
    ]});
    let problem =
        expect_problem(app.put_as(&office, "/api/v1/calendar/2027", "", &bad).await, 422, "validation_failed").await;
    let codes: Vec<&str> = problem.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["other_year", "duplicate", "weekday_workday"]);
    // Holidays on weekends stand as the State Council publishes them: the seeded year saves back unchanged.
    let saved = app.put_as(&office, "/api/v1/calendar/2026", "", &seeded).await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["days"], seeded["days"]);
    let provider = provider(app, "prov", "360402").await;
    assert_eq!(app.put_as(&provider, "/api/v1/calendar/2027", "", &year).await.status(), 403);
    assert_eq!(app.get_as(&provider, "/api/v1/calendar/2027").await.status(), 200);
}

async fn r29_1_a_hundred_concurrent_filings_land_with_distinct_numbers_and_one_mark(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap().to_owned();
    let filings = (0..100).map(|n| {
        let body = objection(&record_id, &format!("1390792{n:04}"));
        async move { post_filing(app, None, &body, &[]).await }
    });
    let responses = futures_util::future::join_all(filings).await;
    let mut numbers = std::collections::BTreeSet::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        let filed: Value = response.json().await.unwrap();
        numbers.insert(filed["tracking_number"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers.len(), 100, "distinct tracking numbers");
    let workbench: Value = app.get_as(&prov, &format!("/api/v1/records/{record_id}")).await.json().await.unwrap();
    assert_eq!(workbench["status"], "under_objection");
    assert_eq!(workbench["version"], 1, "the mark is no new version");
    let counts: Value = app.get_as(&prov, "/api/v1/objections/counts").await.json().await.unwrap();
    assert_eq!(counts["submitted"], 100);
}

async fn r29_1_a_workbench_user_files_at_the_counter(app: &TestApp) {
    let (prov, record) = published(app).await;
    let record_id = record["id"].as_str().unwrap();
    let response = post_filing(app, Some(&prov), &objection(record_id, "13907920014"), &[]).await;
    assert_eq!(response.status(), 201);
    let filed: Value = response.json().await.unwrap();
    let id = objection_id(app, &prov, filed["tracking_number"].as_str().unwrap()).await;
    let detail: Value = app.get_as(&prov, &format!("/api/v1/objections/{id}")).await.json().await.unwrap();
    assert!(detail["filed_by"].is_string(), "the filing names the user");
    // Rate limits apply on the portal: a low hourly allowance answers 429 with Retry-After.
    let limited = TestApp::spawn_with(
        app_backend(app),
        TestOptions { objection_filings_per_hour: Some(1), ..TestOptions::default() },
    )
    .await
    .unwrap();
    let (_p, record) = published(&limited).await;
    let record_id = record["id"].as_str().unwrap();
    assert_eq!(post_filing(&limited, None, &objection(record_id, "13907920015"), &[]).await.status(), 201);
    let second = post_filing(&limited, None, &objection(record_id, "13907920016"), &[]).await;
    assert!(second.headers().contains_key("retry-after"));
    expect_problem(second, 429, "rate_limited").await;
}

fn app_backend(app: &TestApp) -> credit_tests::Backend {
    match app.database {
        credit_api::db::DbTarget::Sqlite(_) => credit_tests::Backend::Sqlite,
        credit_api::db::DbTarget::Postgres(_) => credit_tests::Backend::Postgres,
    }
}
