//! Batch intake: JSON and CSV batches checked row by row, all or nothing, with progress,
//! templates, Idempotency-Key and per-row references making retries safe.

use credit_tests::{expect_json, expect_problem, on_both_backends, penalty_values, test_uscc, Session, TestApp};
use credit_types::audit::AuditEvent;
use credit_types::identity::Role;
use credit_types::intake::{Batch, BatchStatus, RowError};
use credit_types::records::RecordSummary;
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r6_1_a_valid_json_batch_lands_in_one_go,
    r6_1_a_batch_with_one_bad_row_changes_nothing_and_names_the_row,
    r17_1_csv_batches_follow_the_downloadable_template,
    idempotency_key_and_references_make_retries_safe,
    batch_limits_and_permissions,
);

/// Where CSV batches of ADM_PENALTY go.
const CSV_BATCH: &str = "/api/v1/intake/batches?catalog_item=ADM_PENALTY";

fn row(name: &str, code: &str, reference: &str) -> Value {
    let mut values = penalty_values(&format!("批-{reference}"));
    values["legal_representative"] = json!("王五");
    json!({
        "subject_kind": "legal_person", "subject_code": code, "subject_name": name,
        "decision_date": "2026-09-30", "provider_ref": reference, "values": values,
    })
}

fn rows(n: usize) -> Vec<Value> {
    (0..n).map(|i| row(&format!("九江批量{i}有限公司"), &test_uscc(), &format!("R{i}"))).collect()
}

/// Posts a JSON batch and polls it until its status is final.
async fn run_batch(app: &TestApp, session: &Session, rows: &[Value], key: Option<&str>) -> (u16, Batch) {
    let mut request = app
        .client
        .post(app.url("/api/v1/intake/batches"))
        .bearer_auth(&session.access_token)
        .json(&json!({"catalog_item": "ADM_PENALTY", "rows": rows}));
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let batch: Batch = response.json().await.unwrap();
    (status, poll(app, session, batch).await)
}

/// Reads the batch again until its status is final.
async fn poll(app: &TestApp, session: &Session, mut batch: Batch) -> Batch {
    for _ in 0..600 {
        if batch.status.is_final() {
            return batch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        batch = app.get_json_as(session, &format!("/api/v1/intake/batches/{}", batch.id)).await;
    }
    panic!("the batch did not finish: {batch:?}");
}

/// A batch as accepted for processing (202), read once it is done.
async fn accepted(app: &TestApp, session: &Session, response: reqwest::Response) -> Batch {
    poll(app, session, expect_json(response, 202).await).await
}

async fn record_count(app: &TestApp, session: &Session) -> usize {
    app.record_ids(session, "/api/v1/records?limit=500").await.len()
}

/// Each row error as (row, field, code).
fn errors(batch: &Batch) -> Vec<(u32, &str, &str)> {
    batch.errors.iter().map(|RowError { row, field, code, .. }| (*row, field.as_str(), code.as_str())).collect()
}

async fn r6_1_a_valid_json_batch_lands_in_one_go(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let mut batch = rows(1200);
    // Two rows about one new subject: created once.
    let code = test_uscc();
    batch[0] = row("九江同一主体有限公司", &code, "S1");
    batch[1] = row("九江同一主体有限公司", &code, "S2");
    let (status, result) = run_batch(app, &session, &batch, None).await;
    assert_eq!(status, 202);
    assert_eq!(result.status, BatchStatus::Succeeded, "{result:?}");
    assert_eq!((result.total_rows, result.processed_rows, result.created), (1200, 1200, 1200));
    let page: Page<RecordSummary> = app.get_json_as(&session, "/api/v1/records?limit=500").await;
    assert_eq!(page.items.len(), 500);
    assert!(page.next_cursor.is_some());
    let same: Page<RecordSummary> = app.get_json_as(&session, &format!("/api/v1/records?q={code}")).await;
    let same = same.items;
    assert_eq!(same.len(), 2);
    assert_eq!(same[0].subject.id, same[1].subject.id);
    let auditor = app.auditor().await;
    let events: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=record.batch_create").await;
    assert_eq!(events.items[0].detail.as_deref(), Some("ADM_PENALTY: 1200 created, 0 unchanged"));
}

async fn r6_1_a_batch_with_one_bad_row_changes_nothing_and_names_the_row(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let mut batch = rows(5);
    batch[2]["subject_code"] = json!("91360400MA35G4QX10");
    batch[3]["decision_date"] = json!("2026-13-01");
    batch[4]["values"]["fine_amount"] = json!("五千");
    batch[4]["subject_kind"] = json!("company");
    let (status, result) = run_batch(app, &session, &batch, None).await;
    assert_eq!(status, 202);
    assert_eq!(result.status, BatchStatus::Rejected);
    let fields: Vec<(u32, &str)> = errors(&result).into_iter().map(|(row, field, _)| (row, field)).collect();
    assert_eq!(fields, [(3, "subject_code"), (4, "decision_date"), (5, "subject_kind")]);
    assert_eq!(result.error_count, 3);
    assert_eq!(record_count(app, &session).await, 0, "nothing of a rejected batch is written");
    batch[2]["subject_code"] = json!(test_uscc());
    batch[3]["decision_date"] = json!("2026-10-01");
    batch[4]["subject_kind"] = json!("legal_person");
    let (_, result) = run_batch(app, &session, &batch, None).await;
    assert_eq!(result.status, BatchStatus::Rejected, "row 5 still has a bad amount");
    assert_eq!(result.errors[0].field, "fine_amount");
    batch[4]["values"]["fine_amount"] = json!("5000");
    let (_, result) = run_batch(app, &session, &batch, None).await;
    assert_eq!(result.status, BatchStatus::Succeeded);
    assert_eq!(record_count(app, &session).await, 5);
    let mut duplicate = rows(2);
    duplicate[0]["provider_ref"] = json!("DUP");
    duplicate[1]["provider_ref"] = json!("DUP");
    let (_, result) = run_batch(app, &session, &duplicate, None).await;
    assert_eq!(result.errors[0].code, "duplicate_in_batch");
}

async fn r17_1_csv_batches_follow_the_downloadable_template(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let template = app.get_as(&session, "/api/v1/catalog/items/ADM_PENALTY/template.csv").await;
    assert_eq!(template.status(), 200);
    assert_eq!(template.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = template.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte-order mark for spreadsheet programs");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_owned();
    assert!(header.starts_with("subject_kind,subject_code,subject_name,decision_date"));
    assert!(lines.next().unwrap().contains("行政处罚决定书文号(必填)"), "a row of labels");
    let columns: Vec<&str> = header.split(',').collect();
    let line = |name: &str, code: &str, reference: &str, fine: &str| {
        columns
            .iter()
            .map(|c| match *c {
                "subject_kind" => "legal_person".to_owned(),
                "subject_code" => code.to_owned(),
                "subject_name" => name.to_owned(),
                "decision_date" => "2026-09-30".to_owned(),
                "provider_ref" => reference.to_owned(),
                "fine_amount" => fine.to_owned(),
                "penalty_category" => "罚款".to_owned(),
                "disclosure_class"
                | "publish_days"
                | "confiscated_amount"
                | "licence_affected"
                | "address"
                | "authority_uscc"
                | "legal_representative"
                | "legal_rep_id" => String::new(),
                other => format!("\"{other}内容,含逗号\""),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let bad = format!(
        "\u{feff}{header}\n{}\n{}\n{}\n",
        line("九江甲有限公司", &test_uscc(), "C1", "100"),
        line("九江乙有限公司", &test_uscc(), "C2", "一百元"),
        line("九江丙有限公司", &test_uscc(), "C3", "300.5"),
    );
    let upload = |body: Vec<u8>| app.post_raw_as(&session, CSV_BATCH, "text/csv", body);
    let result = accepted(app, &session, upload(bad.clone().into_bytes()).await).await;
    assert_eq!((result.status, result.format.as_str()), (BatchStatus::Rejected, "csv"));
    assert_eq!(errors(&result)[0], (3, "fine_amount", "invalid"), "line 3 of the file");
    let fixed = bad.replace("一百元", "100");
    let result = accepted(app, &session, upload(fixed.into_bytes()).await).await;
    assert_eq!(result.status, BatchStatus::Succeeded, "{result:?}");
    assert_eq!(result.created, 3);
    let unknown = upload(b"subject_kind,subject_code,blood_type\nlegal_person,X,A\n".to_vec()).await;
    let result = accepted(app, &session, unknown).await;
    assert_eq!((result.status, result.errors[0].code.as_str()), (BatchStatus::Rejected, "unknown_column"));
    let latin1 = upload(vec![b's', b',', 0xC4, 0xE3, b'\n']).await;
    let result: Batch = latin1.json().await.unwrap();
    assert_eq!(result.errors[0].code, "encoding");
    let missing = app.post_raw_as(&session, "/api/v1/intake/batches", "text/csv", "a,b\n").await;
    expect_problem(missing, 400, ErrorCode::InvalidParameter).await;
}

async fn idempotency_key_and_references_make_retries_safe(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let batch = rows(10);
    let (status, first) = run_batch(app, &session, &batch, Some("upload-2026-11-25-01")).await;
    assert_eq!((status, first.status), (202, BatchStatus::Succeeded));
    let (status, again) = run_batch(app, &session, &batch, Some("upload-2026-11-25-01")).await;
    assert_eq!(status, 200, "a retry answers with the first batch");
    assert_eq!(again, first);
    assert_eq!(record_count(app, &session).await, 10);
    let other = rows(1);
    let response = app
        .client
        .post(app.url("/api/v1/intake/batches"))
        .bearer_auth(&session.access_token)
        .header("idempotency-key", "upload-2026-11-25-01")
        .json(&json!({"catalog_item": "ADM_PENALTY", "rows": other}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].code, "idempotency_key_reused");
    // Without a key, the rows' own references make the resend harmless.
    let (_, resent) = run_batch(app, &session, &batch, None).await;
    assert_eq!((resent.status, resent.created, resent.unchanged), (BatchStatus::Succeeded, 0, 10));
    assert_eq!(record_count(app, &session).await, 10);
    let mut changed = batch.clone();
    changed[0]["values"]["fine_amount"] = json!("1");
    let (_, result) = run_batch(app, &session, &changed, None).await;
    assert_eq!((result.status, result.errors[0].code.as_str()), (BatchStatus::Rejected, "provider_ref_taken"));
}

async fn batch_limits_and_permissions(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let too_many: Vec<Value> = (0..10_001)
        .map(|_| json!({"subject_kind": "", "subject_code": "", "subject_name": "", "decision_date": ""}))
        .collect();
    let response = app
        .post_as(&session, "/api/v1/intake/batches", &json!({"catalog_item": "ADM_PENALTY", "rows": too_many}))
        .await;
    let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "rows");
    let response = app.post_raw_as(&session, "/api/v1/intake/batches", "application/xml", "<rows/>").await;
    expect_problem(response, 415, ErrorCode::UnsupportedMediaType).await;
    let response =
        app.post_as(&session, "/api/v1/intake/batches", &json!({"catalog_item": "NOPE", "rows": rows(1)})).await;
    let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].code, "unknown_catalog_item");
    let unit = app.signed_in("unit", Role::UserUnit, "360402").await;
    let response =
        app.post_as(&unit, "/api/v1/intake/batches", &json!({"catalog_item": "ADM_PENALTY", "rows": rows(1)})).await;
    expect_problem(response, 403, ErrorCode::NotADataProvider).await;
    let (_, batch) = run_batch(app, &session, &rows(1), None).await;
    let other = app.provider("other", "360402").await;
    let path = format!("/api/v1/intake/batches/{}", batch.id);
    expect_problem(app.get_as(&other, &path).await, 404, ErrorCode::NotFound).await;
    let mine: Page<Batch> = app.get_json_as(&session, "/api/v1/intake/batches").await;
    assert_eq!(mine.items, [batch]);
}
