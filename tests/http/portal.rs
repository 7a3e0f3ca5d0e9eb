//! The public portal: search by name and code, subject and record pages, masking of everything
//! anonymous callers receive, objection marks, rate limits and cache headers.

use credit_tests::{expect_json, expect_problem, on_both_backends, penalty, test_resident_id, TestApp, TestOptions};
use credit_types::records::{PublicRecord, PublicSubject, PublicSubjectPage, Record};
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r17_1_search_finds_subjects_by_part_of_the_name_or_the_exact_code,
    r16_2_no_raw_value_of_a_masked_field_appears_in_any_portal_response,
    r16_1_subjects_with_only_non_public_records_are_not_revealed,
    portal_pages_mark_objections_and_carry_cache_headers,
    bad_portal_queries_get_clear_errors,
);

async fn r17_1_search_finds_subjects_by_part_of_the_name_or_the_exact_code(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let record = app.submit(&session, &penalty("九江市浔阳长江建材有限公司", Value::Null)).await;
    app.submit(&session, &penalty("九江庐山旅游发展有限公司", Value::Null)).await;
    for q in ["长江建材", "浔阳长江", "建材有限", "九江市浔阳长江建材有限公司"] {
        let page = search(app, &urlencode(q)).await;
        let names: Vec<&str> = page.items.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["九江市浔阳长江建材有限公司"], "searching {q}");
        assert_eq!(page.items[0].record_count, 1);
    }
    let code = &record.subject.code;
    assert_eq!(search(app, code).await.items[0].id, record.subject.id);
    assert_eq!(search(app, &code.to_lowercase()).await.items.len(), 1, "codes in any case");
    assert!(search(app, &urlencode("不存在的公司")).await.items.is_empty());
    assert!(search(app, "%25%25").await.items.is_empty(), "% is a character, not a wildcard");
    // Paging: three of a kind, two per page.
    for n in 0..3 {
        app.submit(&session, &penalty(&format!("九江分页测试{n}号有限公司"), Value::Null)).await;
    }
    let first = search(app, &format!("{}&limit=2", urlencode("分页测试"))).await;
    assert_eq!(first.items.len(), 2);
    let cursor = first.next_cursor.unwrap();
    let second = search(app, &format!("{}&limit=2&cursor={cursor}", urlencode("分页测试"))).await;
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.next_cursor, None);
}

/// `GET /api/v1/portal/subjects?q=…` (`query` already encoded, with any further parameters).
async fn search(app: &TestApp, query: &str) -> Page<PublicSubject> {
    app.get_json(&format!("/api/v1/portal/subjects?q={query}")).await
}

/// no answer of the portal — searches, the person's lookup, subject and record pages — holds a raw
/// value any field or the subject masks, and none shows more of a number or a name than another masks.
async fn r16_2_no_raw_value_of_a_masked_field_appears_in_any_portal_response(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let resident_id = test_resident_id("360403", "19850612");
    let representative_id = test_resident_id("360402", "19700101");
    let mut person = penalty("", Value::Null);
    person["subject"] = json!({"kind": "natural_person", "code": resident_id, "name": "李四海"});
    person["values"]["address"] = json!("江西省九江市浔阳区庐山北路88号");
    person["values"]["legal_representative"] = json!("欧阳小明");
    person["values"]["legal_rep_id"] = json!(representative_id);
    // Free text of a field the catalog leaves unmasked, repeating the subject's name and number.
    person["values"]["violation_facts"] = json!(format!("当事人李四海(公民身份号码{resident_id})无照经营"));
    let record = app.submit(&session, &person).await;
    let commitment = json!({
        "catalog_item": "CREDIT_COMMITMENT",
        "subject": {"kind": "natural_person", "code": resident_id, "name": "李四海"},
        "decision_date": "2026-09-01",
        "values": {"commitment_type": "主动型", "commitment_content": "依法诚信经营", "commitment_date": "2026-09-01",
                   "contact_phone": "13807920001", "authority": "九江市发展和改革委员会"},
    });
    let second = app.submit(&session, &commitment).await;
    let raw = [resident_id.as_str(), "李四海", "庐山北路88号", "欧阳小明", representative_id.as_str(), "13807920001"];
    let subject = &record.subject.id;
    let mut bodies = Vec::new();
    for path in [
        format!("/api/v1/portal/subjects?q={}", urlencode("李四海")),
        format!("/api/v1/portal/subjects?q={resident_id}"),
        format!("/api/v1/portal/subjects/{subject}"),
        format!("/api/v1/portal/records/{}", record.id),
        format!("/api/v1/portal/records/{}", second.id),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        bodies.push((path, response.text().await.unwrap()));
    }
    let lookup = json!({"name": "李四海", "id_number": resident_id});
    let found = app.post_json("/api/v1/portal/persons/lookup", &lookup).await;
    assert_eq!(found.status(), 200);
    bodies.push(("the person's lookup".to_owned(), found.text().await.unwrap()));
    // The appellant's tracking view shows the record as the portal does; an undetermined objection's claim and
    // verification, free text quoting the number and the name, show on the record masked like everything else.
    let mut claim = crate::objections::objection(&record.id, "13907920009");
    claim["description"] = json!(format!("本人李四海(公民身份号码{resident_id})已缴清罚款,请更正。"));
    let filed = crate::objections::file(app, &claim).await;
    let asked = json!({"tracking_number": filed.tracking_number, "query_code": filed.query_code});
    let track = app.post_json("/api/v1/portal/objections/track", &asked).await;
    assert_eq!(track.status(), 200);
    bodies.push(("the objection's tracking view".to_owned(), track.text().await.unwrap()));
    let objection = crate::objections::objection_id(app, &session, &filed.tracking_number).await;
    crate::objections::step(app, &session, &objection, "accept", &json!({})).await;
    let verification = format!("经核实,李四海(公民身份号码{resident_id})缴款凭证无法确认");
    // Even a careless summary that quotes the number and the name shows masked.
    let summary = format!("李四海(公民身份号码{resident_id})称已缴清罚款");
    let decision = json!({"outcome": "undetermined", "reason": "现有材料无法确认", "verification": verification,
        "claim_summary": summary});
    crate::objections::step(app, &session, &objection, "decide", &decision).await;
    let noted = app.get(&format!("/api/v1/portal/records/{}", record.id)).await;
    bodies.push(("the record with its note".to_owned(), noted.text().await.unwrap()));
    // Every answer read whole, as text: no raw value may appear anywhere in it, whatever field carries it.
    for (path, body) in &bodies {
        for value in raw {
            assert!(!body.contains(value), "{path} reveals {value}: {body}");
        }
    }
    let page: PublicSubjectPage = serde_json::from_str(&bodies[2].1).unwrap();
    assert_eq!(page.subject.name, "李*海");
    assert_eq!(page.subject.code, format!("{}************", &resident_id[..6]), "the region only (R-28.1)");
    let looked_up: Page<PublicSubject> = serde_json::from_str(&bodies[5].1).unwrap();
    assert_eq!(looked_up.items.len(), 1);
    assert_eq!(looked_up.items[0], page.subject, "the lookup shows what the subject page shows");
    let shown: PublicRecord = serde_json::from_str(&bodies[3].1).unwrap();
    assert_eq!(value_of(&shown, "address"), "江西省九江市浔阳区****");
    assert_eq!(value_of(&shown, "legal_representative"), "欧**明");
    assert_eq!(value_of(&shown, "legal_rep_id"), format!("{}************", &representative_id[..6]));
    let facts = format!("当事人李*海(公民身份号码{}************)无照经营", &resident_id[..6]);
    assert_eq!(value_of(&shown, "violation_facts"), facts, "masked as the subject is, whatever the field's rule");
    let noted: PublicRecord = serde_json::from_str(&bodies[7].1).unwrap();
    assert_eq!(
        noted.notes[0].verification,
        format!("经核实,李*海(公民身份号码{}************)缴款凭证无法确认", &resident_id[..6])
    );
    assert_eq!(noted.notes[0].claim, format!("李*海(公民身份号码{}************)称已缴清罚款", &resident_id[..6]));
    assert_eq!(value_of(&shown, "fine_amount"), "5000.00", "unmasked fields as they are");
    let phone: PublicRecord = serde_json::from_str(&bodies[4].1).unwrap();
    assert_eq!(value_of(&phone, "contact_phone"), "138****0001");
    // The provider sees the raw values in the workbench.
    let full: Record = app.get_json_as(&session, &format!("/api/v1/records/{}", record.id)).await;
    assert_eq!(full.subject.name, "李四海");
}

/// The value the portal shows for the field `key` of a record.
pub fn value_of<'a>(record: &'a PublicRecord, key: &str) -> &'a str {
    record.fields.iter().find(|f| f.key == key).map(|f| f.value.as_str()).unwrap_or_else(|| panic!("no field {key}"))
}

async fn r16_1_subjects_with_only_non_public_records_are_not_revealed(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let shared = app.submit(&session, &penalty("九江内部共享有限公司", json!("shared"))).await;
    for q in [urlencode("内部共享"), shared.subject.code.clone()] {
        assert!(search(app, &q).await.items.is_empty(), "searching {q}");
    }
    let subject = &shared.subject.id;
    expect_problem(app.get(&format!("/api/v1/portal/subjects/{subject}")).await, 404, ErrorCode::NotFound).await;
    let record = &shared.id;
    expect_problem(app.get(&format!("/api/v1/portal/records/{record}")).await, 404, ErrorCode::NotFound).await;
}

async fn portal_pages_mark_objections_and_carry_cache_headers(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let record = app.submit(&session, &penalty("九江异议标注有限公司", Value::Null)).await;
    let id = &record.id;
    app.execute_sql(&format!("UPDATE records SET status = 'under_objection' WHERE id = '{id}'"));
    let response = app.get(&format!("/api/v1/portal/records/{id}")).await;
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    let shown: PublicRecord = expect_json(response, 200).await;
    assert!(shown.under_objection, "异议处理中 is shown");
    let path = format!("/api/v1/portal/subjects/{}", record.subject.id);
    let page: PublicSubjectPage = app.get_json(&path).await;
    assert!(page.records[0].under_objection);
    // Read raw: on lists the field values are absent from the wire, not merely empty.
    let raw: Value = app.get_json(&path).await;
    assert!(raw["records"][0].get("fields").is_none(), "lists carry no field values");
}

async fn bad_portal_queries_get_clear_errors(app: &TestApp) {
    let problem =
        expect_problem(app.get("/api/v1/portal/subjects?q=%E5%BC%A0").await, 400, ErrorCode::InvalidParameter).await;
    assert_eq!(problem.errors[0].field, "q", "one character is too little to search by");
    expect_problem(app.get("/api/v1/portal/subjects").await, 400, ErrorCode::InvalidParameter).await;
    let problem =
        expect_problem(app.get("/api/v1/portal/subjects?q=abcd&cursor=zzz").await, 400, ErrorCode::InvalidParameter)
            .await;
    assert_eq!(problem.errors[0].field, "cursor");
    expect_problem(app.get("/api/v1/portal/records/nope").await, 404, ErrorCode::NotFound).await;
}

#[actix_web::test]
async fn r17_1_the_portal_is_rate_limited_per_client_address() {
    let options = TestOptions { portal_requests_per_minute: Some(3), ..TestOptions::default() };
    let app = TestApp::spawn_with(credit_tests::Backend::Sqlite, options).await.unwrap();
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/portal/subjects?q=abcd").await.status(), 200);
    }
    let limited = app.get("/api/v1/portal/subjects?q=abcd").await;
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    expect_problem(limited, 429, ErrorCode::RateLimited).await;
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[actix_web::test]
async fn r17_1_behind_a_trusted_proxy_the_limit_is_per_forwarded_address() {
    let loopback: std::net::IpAddr = [127, 0, 0, 1].into();
    let options =
        TestOptions { portal_requests_per_minute: Some(2), trusted_proxies: vec![loopback], ..TestOptions::default() };
    let app = TestApp::spawn_with(credit_tests::Backend::Sqlite, options).await.unwrap();
    let from = |address: &'static str| {
        app.client.get(app.url("/api/v1/portal/subjects?q=abcd")).header("x-forwarded-for", address).send()
    };
    for _ in 0..2 {
        assert_eq!(from("203.0.113.7").await.unwrap().status(), 200);
    }
    assert_eq!(from("203.0.113.7").await.unwrap().status(), 429);
    assert_eq!(
        from("198.51.100.1, 203.0.113.8").await.unwrap().status(),
        200,
        "another visitor has their own allowance"
    );
    assert_eq!(
        from("forged, 203.0.113.7").await.unwrap().status(),
        429,
        "the nearest hop counts, not what a client adds"
    );
}
