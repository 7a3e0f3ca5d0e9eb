//! The resource catalog and the competent office's statistics.

use credit_tests::{expect_json, expect_problem, on_both_backends, penalty, Session, TestApp};
use credit_types::catalog::CatalogItem;
use credit_types::identity::Role;
use credit_types::masking::MaskingRule;
use credit_types::records::{Record, Statistics, StatsBucket};
use credit_types::ErrorCode;
use serde_json::{json, Value};

on_both_backends!(
    r23_1_the_default_catalog_is_seeded_from_the_national_basic_catalog,
    r23_1_changes_make_new_versions_and_records_keep_theirs,
    r27_1_prohibited_personal_data_cannot_be_defined,
    r23_1_only_the_competent_office_manages_the_catalog,
    r5_1_statistics_by_catalog_item_provider_county_and_month,
);

/// The statistics the competent office `session` reads with `query`.
async fn statistics(app: &TestApp, session: &Session, query: &str) -> Statistics {
    app.get_json_as(session, &format!("/api/v1/statistics/records?{query}")).await
}

/// Each bucket as (key, label, count).
fn buckets(statistics: &Statistics) -> Vec<(&str, &str, i64)> {
    statistics.buckets.iter().map(|StatsBucket { key, label, count }| (key.as_str(), label.as_str(), *count)).collect()
}

fn item(code: &str, fields: Value) -> Value {
    json!({
        "code": code, "name_zh": "测试目录项", "name_en": "Test item", "subject_kinds": ["legal_person"],
        "fields": fields, "default_class": "shared", "min_days": 30, "max_days": 365,
    })
}

fn field(key: &str, label: &str) -> Value {
    json!({"key": key, "label": label, "type": "text", "required": true, "masking": {"kind": "none"}, "purpose": "核查"})
}

async fn r23_1_the_default_catalog_is_seeded_from_the_national_basic_catalog(app: &TestApp) {
    let session = app.competent_office().await;
    let items: Vec<CatalogItem> = app.get_json_as(&session, "/api/v1/catalog/items").await;
    let codes: Vec<&str> = items.iter().map(|i| i.code.as_str()).collect();
    for code in [
        "ADM_LICENCE",
        "ADM_PENALTY",
        "ADM_COERCION",
        "COMMENDATION",
        "SERIOUS_DISHONESTY",
        "ABNORMAL_OPERATION",
        "COURT_JUDGMENT",
        "CREDIT_COMMITMENT",
        "CREDIT_EVALUATION",
    ] {
        assert!(codes.contains(&code), "{code} seeded");
    }
    let penalty = items.iter().find(|i| i.code == "ADM_PENALTY").unwrap();
    let keys: Vec<&str> = penalty.fields.iter().map(|f| f.key.as_str()).collect();
    for key in ["penalty_doc_no", "violation_facts", "legal_basis", "penalty_content", "fine_amount", "authority"] {
        assert!(keys.contains(&key), "double-publicity field {key}");
    }
    for field in &penalty.fields {
        assert!(!field.purpose.is_empty(), "R-26.1: every field says why it is collected");
    }
    let id_field = penalty.fields.iter().find(|f| f.key == "legal_rep_id").unwrap();
    assert_eq!(id_field.masking, MaskingRule::ResidentId);
}

async fn r23_1_changes_make_new_versions_and_records_keep_theirs(app: &TestApp) {
    let session = app.competent_office().await;
    let created =
        app.post_as(&session, "/api/v1/catalog/items", &item("TEST_ITEM", json!([field("doc_no", "文号")]))).await;
    assert_eq!(created.headers()["etag"], "\"1\"");
    let created: CatalogItem = expect_json(created, 201).await;
    assert_eq!((created.code.as_str(), created.version), ("TEST_ITEM", 1));
    let prov = app.provider("prov", "360402").await;
    let record = app
        .submit(
            &prov,
            &json!({"catalog_item": "TEST_ITEM", "subject": penalty("九江版本有限公司", Value::Null)["subject"],
                    "decision_date": "2026-10-01", "values": {"doc_no": "V1"}}),
        )
        .await;
    assert_eq!(record.catalog_item.version, 1);
    let changed = item("TEST_ITEM", json!([field("doc_no", "决定文号"), field("summary", "摘要")]));
    let missing =
        app.client.put(app.url("/api/v1/catalog/items/TEST_ITEM")).bearer_auth(&session.access_token).json(&changed);
    expect_problem(missing.send().await.unwrap(), 428, ErrorCode::IfMatchRequired).await;
    let updated = app.put_as(&session, "/api/v1/catalog/items/TEST_ITEM", "\"1\"", &changed).await;
    let updated: CatalogItem = expect_json(updated, 200).await;
    assert_eq!(updated.version, 2);
    expect_problem(
        app.put_as(&session, "/api/v1/catalog/items/TEST_ITEM", "\"1\"", &changed).await,
        412,
        ErrorCode::StaleVersion,
    )
    .await;
    let versions: Vec<CatalogItem> = app.get_json_as(&session, "/api/v1/catalog/items/TEST_ITEM/versions").await;
    assert_eq!(versions.len(), 2);
    let read: Record = app.get_json_as(&prov, &format!("/api/v1/records/{}", record.id)).await;
    assert_eq!(read.catalog_item.version, 1, "the record keeps the version it was made under");
    assert_eq!(read.fields[0].label, "文号", "labelled by its own version");
    let new = app
        .post_as(
            &prov,
            "/api/v1/records",
            &json!({"catalog_item": "TEST_ITEM", "subject": penalty("九江新版有限公司", Value::Null)["subject"],
                    "decision_date": "2026-10-01", "values": {"doc_no": "V2"}}),
        )
        .await;
    let problem = expect_problem(new, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "values.summary", "new records follow the new version");
}

async fn r27_1_prohibited_personal_data_cannot_be_defined(app: &TestApp) {
    let session = app.competent_office().await;
    for (key, label, kind) in [
        ("religion", "宗教信仰", None),
        ("dna_result", "检测结果", None),
        ("fp", "指纹特征", None),
        ("abo", "血型", None),
        ("history", "既往病史", None),
        ("illness", "Illness", None),
        ("extra", "附加信息", Some("生物识别信息")),
    ] {
        let mut bad = field(key, label);
        if let Some(kind) = kind {
            bad["data_kind"] = json!(kind);
        }
        let body = item("BAD_ITEM", json!([field("doc_no", "文号"), bad]));
        let problem = expect_problem(
            app.post_as(&session, "/api/v1/catalog/items", &body).await,
            422,
            ErrorCode::ValidationFailed,
        )
        .await;
        let error = problem
            .errors
            .iter()
            .find(|e| e.code == "prohibited_personal_data")
            .unwrap_or_else(|| panic!("{key}: {problem:?}"));
        assert_eq!(error.field, "fields[1].key", "the error names the field");
        assert!(error.message.contains(label) && error.message.contains("R-27.1"), "{}", error.message);
    }
    let items: Vec<CatalogItem> = app.get_json_as(&session, "/api/v1/catalog/items").await;
    assert!(!items.iter().any(|i| i.code == "BAD_ITEM"), "nothing was stored");
    let mut no_purpose = field("doc_no", "文号");
    no_purpose["purpose"] = json!("");
    let body = item("NO_PURPOSE", json!([no_purpose]));
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/catalog/items", &body).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].field, "fields[0].purpose", "R-26.1: a field must say why it is collected");
}

async fn r23_1_only_the_competent_office_manages_the_catalog(app: &TestApp) {
    for (login, role, region) in [
        ("county", Role::CountyCreditAdmin, "360402"),
        ("prov", Role::DataProvider, "360400"),
        ("acc", Role::AccountAdmin, "360400"),
    ] {
        let session = app.signed_in(login, role, region).await;
        let response = app.post_as(&session, "/api/v1/catalog/items", &item("MINE", json!([field("a", "甲")]))).await;
        expect_problem(response, 403, ErrorCode::Forbidden).await;
        assert_eq!(app.get_as(&session, "/api/v1/catalog/items/ADM_PENALTY").await.status(), 200, "everyone reads it");
    }
    let session = app.competent_office().await;
    let duplicate =
        app.post_as(&session, "/api/v1/catalog/items", &item("ADM_PENALTY", json!([field("a", "甲")]))).await;
    expect_problem(duplicate, 409, ErrorCode::CatalogCodeTaken).await;
    let bad_code = app.post_as(&session, "/api/v1/catalog/items", &item("bad code", json!([field("a", "甲")]))).await;
    let problem = expect_problem(bad_code, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "code");
    expect_problem(app.get_as(&session, "/api/v1/catalog/items/NOPE").await, 404, ErrorCode::NotFound).await;
}

async fn r5_1_statistics_by_catalog_item_provider_county_and_month(app: &TestApp) {
    let county_provider = app.provider("prov_a", "360402").await;
    let city_provider = app.provider("prov_city", "360400").await;
    for _ in 0..3 {
        app.submit(&county_provider, &penalty("九江统计有限公司甲", json!("authorized"))).await;
    }
    let mut earlier = penalty("九江统计有限公司乙", Value::Null);
    earlier["decision_date"] = json!("2026-08-15");
    app.submit(&city_provider, &earlier).await;
    let city = app.competent_office().await;
    let by_county = statistics(app, &city, "by=county").await;
    assert_eq!(by_county.total, 4, "counts cover every class: they reveal no content");
    assert_eq!(buckets(&by_county)[0], ("360402", "濂溪区", 3));
    let by_item = statistics(app, &city, "by=catalog_item").await;
    assert_eq!(buckets(&by_item)[0], ("ADM_PENALTY", "行政处罚", 4));
    let by_month = statistics(app, &city, "by=month").await;
    let months: Vec<(&str, i64)> = buckets(&by_month).into_iter().map(|(key, _, count)| (key, count)).collect();
    assert_eq!(months, [("2026-08", 1), ("2026-10", 3)]);
    let by_provider = statistics(app, &city, "by=provider&from=2026-09-01").await;
    assert_eq!(by_provider.total, 3, "the date range applies");
    assert_eq!(by_provider.buckets[0].label, "测试单位 prov_a");
    let other_county = app.signed_in("county", Role::CountyCreditAdmin, "360403").await;
    let theirs = statistics(app, &other_county, "by=county").await;
    assert_eq!(theirs.total, 0, "a county credit admin counts its own county only");
    let unit = app.signed_in("unit", Role::UserUnit, "360400").await;
    expect_problem(app.get_as(&unit, "/api/v1/statistics/records?by=county").await, 403, ErrorCode::NotACreditAdmin)
        .await;
    expect_problem(app.get_as(&city, "/api/v1/statistics/records?by=weekday").await, 400, ErrorCode::InvalidParameter)
        .await;
}
