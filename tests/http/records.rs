//! Credit records: submission checks, versions with If-Match, revocation, expiry, idempotent
//! references, and the audit of reads of non-public data.

use chrono::NaiveDate;
use credit_tests::{
    expect_json, expect_problem, on_both_backends, penalty, penalty_values, test_resident_id, TestApp, CITY, LIANXI,
};
use credit_types::audit::{AuditAction, AuditEvent};
use credit_types::catalog::DisclosureClass;
use credit_types::identity::{Organisation, Role};
use credit_types::records::{Record, RecordField, RecordStatus, RecordVersion};
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r6_1_a_provider_submits_a_record_for_its_own_organisation_and_region,
    r6_1_only_data_providers_submit,
    r23_1_values_are_checked_against_the_catalog_item,
    r16_1_a_provider_may_narrow_the_class_but_never_widen_it,
    subject_codes_are_checked_and_one_subject_per_code,
    amend_makes_a_new_version_and_keeps_the_old_one,
    writes_need_the_current_version_in_if_match,
    r6_1_only_the_providing_organisation_amends_or_revokes,
    revoke_keeps_the_record_and_hides_it_from_the_portal,
    r16_1_expired_records_leave_the_portal_at_once_and_the_job_marks_them,
    the_providers_reference_makes_retries_safe,
    r30_1_reads_of_non_public_records_are_audited_with_their_purpose,
    r17_1_api_clients_read_and_write_within_their_scopes_and_their_organisations_rights,
    concurrent_amendments_of_one_version_let_exactly_one_win,
    concurrent_submissions_about_one_new_subject_all_land_on_one_subject,
);

async fn r6_1_a_provider_submits_a_record_for_its_own_organisation_and_region(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let organisation = app.organisation_of(&session).await;
    let response = app.post_as(&session, "/api/v1/records", &penalty("九江测试建材有限公司", Value::Null)).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let record: Record = expect_json(response, 201).await;
    assert_eq!(record.provider_id, organisation);
    assert_eq!(record.jurisdiction_region, LIANXI);
    assert_eq!(record.disclosure_class, DisclosureClass::Public, "the catalog default");
    assert_eq!(record.status, RecordStatus::Active);
    assert_eq!(record.catalog_item.code, "ADM_PENALTY");
    assert_eq!(record.decision_date, date(2026, 10, 9));
    assert_eq!(record.publish_until, date(2029, 10, 8), "decision date + the catalog's 1095 days");
    assert_eq!(record.fields[0].label, "行政处罚决定书文号", "fields come in catalog order with labels");
    let read: Record = app.get_json_as(&session, &format!("/api/v1/records/{}", record.id)).await;
    assert_eq!(read, record);
}

async fn r6_1_only_data_providers_submit(app: &TestApp) {
    for (login, role) in [("unit", Role::UserUnit), ("admin", Role::CityCreditAdmin), ("sys", Role::SystemAdmin)] {
        let session = app.signed_in(login, role, CITY).await;
        let response = app.post_as(&session, "/api/v1/records", &penalty("九江某公司", Value::Null)).await;
        expect_problem(response, 403, ErrorCode::NotADataProvider).await;
    }
    let anonymous = app.post_json("/api/v1/records", &penalty("九江某公司", Value::Null)).await;
    assert_eq!(anonymous.status(), 401);
}

async fn r23_1_values_are_checked_against_the_catalog_item(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let mut body = penalty("九江测试公司", Value::Null);
    body["values"]["fine_amount"] = json!("5,000元");
    body["values"]["penalty_category"] = json!("打板子");
    body["values"]["unknown_field"] = json!("x");
    body["values"].as_object_mut().unwrap().remove("violation_facts");
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &body).await, 422, ErrorCode::ValidationFailed).await;
    let mut fields: Vec<(&str, &str)> = problem.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("values.fine_amount", "invalid"),
            ("values.penalty_category", "invalid"),
            ("values.unknown_field", "unknown_field"),
            ("values.violation_facts", "required"),
        ]
    );
    let mut unknown = penalty("九江测试公司", Value::Null);
    unknown["catalog_item"] = json!("NO_SUCH_ITEM");
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &unknown).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].code, "unknown_catalog_item");
    let mut future = penalty("九江测试公司", Value::Null);
    future["decision_date"] = json!("2999-01-01");
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &future).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "decision_date");
    let mut kind = penalty("九江测试公司", Value::Null);
    kind["catalog_item"] = json!("ABNORMAL_OPERATION");
    kind["subject"] = json!({"kind": "natural_person", "code": test_resident_id("360402", "19800101"), "name": "王五"});
    kind["values"] =
        json!({"listing_reason": "通过登记的住所或者经营场所无法联系", "listing_doc_no": "A1", "authority": "局"});
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &kind).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].code, "kind_not_allowed", "abnormal operation lists are for businesses only");
}

async fn r16_1_a_provider_may_narrow_the_class_but_never_widen_it(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let narrowed = app.submit(&session, &penalty("九江甲公司", json!("authorized"))).await;
    assert_eq!(narrowed.disclosure_class, DisclosureClass::Authorized);
    let path = format!("/api/v1/records/{}", narrowed.id);
    let amend = json!({"values": penalty_values("甲-2"), "decision_date": "2026-10-09", "reason": "更正文号"});
    let amended: Record = expect_json(app.put_as(&session, &path, "\"1\"", &amend).await, 200).await;
    assert_eq!(
        amended.disclosure_class,
        DisclosureClass::Authorized,
        "an amendment that leaves the class out keeps it"
    );
    assert_eq!(amended.publish_until, narrowed.publish_until, "and keeps the period");
    let mut coercion = penalty("九江乙公司", json!("public"));
    coercion["catalog_item"] = json!("ADM_COERCION");
    coercion["values"] = json!({"coercion_doc_no": "九强〔2026〕1号", "coercion_type": "扣押财物",
        "coercion_reason": "涉嫌违法", "coercion_content": "扣押设备三台", "authority": "九江市生态环境局"});
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &coercion).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].field, "disclosure_class");
    assert_eq!(problem.errors[0].code, "wider_than_catalog", "coercion is shared by default: public is wider");
    let mut short = penalty("九江丙公司", Value::Null);
    short["publish_days"] = json!(30);
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &short).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "publish_days", "below the catalog's 90 days");
}

async fn subject_codes_are_checked_and_one_subject_per_code(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let mut bad = penalty("九江测试公司", Value::Null);
    let code = bad["subject"]["code"].as_str().unwrap().to_owned();
    let wrong_check = if code.ends_with('0') { "1" } else { "0" };
    bad["subject"]["code"] = json!(format!("{}{wrong_check}", &code[..17]));
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &bad).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!((problem.errors[0].field.as_str(), problem.errors[0].code.as_str()), ("subject.code", "invalid_code"));
    let mut person = penalty("", Value::Null);
    person["subject"] = json!({"kind": "natural_person", "code": "360402199913311234", "name": "赵六"});
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &person).await, 422, ErrorCode::ValidationFailed).await;
    assert!(problem.errors.iter().any(|e| e.field == "subject.code"), "no 31 November: {problem:?}");

    let first = app.submit(&session, &penalty("九江同码有限公司", Value::Null)).await;
    let mut again = penalty("九江同码有限公司", Value::Null);
    again["subject"]["code"] = json!(first.subject.code);
    let second = app.submit(&session, &again).await;
    assert_eq!(second.subject.id, first.subject.id, "one subject per code");
    let mut renamed = again.clone();
    renamed["subject"]["name"] = json!("另一个名字有限公司");
    renamed["values"]["penalty_doc_no"] = json!("X-2");
    let problem =
        expect_problem(app.post_as(&session, "/api/v1/records", &renamed).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].code, "subject_name_mismatch");
    let mut lower = again.clone();
    lower["subject"]["code"] = json!(first.subject.code.to_lowercase());
    lower["values"]["penalty_doc_no"] = json!("X-3");
    let third = app.submit(&session, &lower).await;
    assert_eq!(third.subject.id, first.subject.id, "codes are compared in canonical upper case");
}

async fn amend_makes_a_new_version_and_keeps_the_old_one(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江改正有限公司", Value::Null)).await;
    let path = format!("/api/v1/records/{}", record.id);
    let mut values = penalty_values("九市监罚〔2026〕77号");
    values["fine_amount"] = json!("3000");
    let amend = json!({"values": values, "decision_date": "2026-10-09", "reason": "罚款金额录入错误,更正为三千元"});
    let response = app.put_as(&session, &path, "\"1\"", &amend).await;
    assert_eq!(response.headers()["etag"], "\"2\"");
    let amended: Record = expect_json(response, 200).await;
    assert_eq!(amended.version, 2);
    assert_eq!(value_of(&amended.fields, "fine_amount"), "3000");
    let versions: Vec<RecordVersion> = app.get_json_as(&session, &format!("{path}/versions")).await;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version, 2);
    assert_eq!(versions[0].reason, "罚款金额录入错误,更正为三千元");
    assert_eq!(versions[0].created_by, "测试用户", "the person who made it, by name");
    assert_eq!(versions[1].reason, "created");
    assert_eq!(value_of(&versions[1].fields, "fine_amount"), "5000.00", "the old value is kept");
    let no_reason = json!({"values": values, "decision_date": "2026-10-09", "reason": ""});
    let problem =
        expect_problem(app.put_as(&session, &path, "\"2\"", &no_reason).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "reason");
}

async fn writes_need_the_current_version_in_if_match(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江并发有限公司", Value::Null)).await;
    let path = format!("/api/v1/records/{}", record.id);
    let amend = json!({"values": penalty_values("A-1"), "decision_date": "2026-10-09", "reason": "更正文号"});
    let missing = app.client.put(app.url(&path)).bearer_auth(&session.access_token).json(&amend).send().await.unwrap();
    expect_problem(missing, 428, ErrorCode::IfMatchRequired).await;
    assert_eq!(app.put_as(&session, &path, "\"1\"", &amend).await.status(), 200);
    expect_problem(app.put_as(&session, &path, "\"1\"", &amend).await, 412, ErrorCode::StaleVersion).await;
    expect_problem(app.put_as(&session, &path, "W/\"abc\"", &amend).await, 412, ErrorCode::StaleVersion).await;
    let revoke = app.post_if_match(&session, &format!("{path}/revoke"), "\"1\"", &json!({"reason": "重复录入"})).await;
    expect_problem(revoke, 412, ErrorCode::StaleVersion).await;
    assert_eq!(app.put_as(&session, &path, "W/\"2\"", &amend).await.status(), 200, "weak tags are understood");
}

async fn r6_1_only_the_providing_organisation_amends_or_revokes(app: &TestApp) {
    let owner = app.provider("owner", "360402").await;
    let record = app.submit(&owner, &penalty("九江他人有限公司", Value::Null)).await;
    let path = format!("/api/v1/records/{}", record.id);
    let other = app.provider("other", "360402").await;
    let amend = json!({"values": penalty_values("A-1"), "decision_date": "2026-10-09", "reason": "试图修改"});
    expect_problem(app.put_as(&other, &path, "\"1\"", &amend).await, 403, ErrorCode::NotTheProvider).await;
    let revoke = app.post_if_match(&other, &format!("{path}/revoke"), "\"1\"", &json!({"reason": "试图撤销"})).await;
    expect_problem(revoke, 403, ErrorCode::NotTheProvider).await;
    let admin = app.signed_in("cityadmin", Role::CityCreditAdmin, "360400").await;
    expect_problem(app.put_as(&admin, &path, "\"1\"", &amend).await, 403, ErrorCode::NotTheProvider).await;
    let hidden = app.submit(&owner, &penalty("九江授权有限公司", json!("authorized"))).await;
    let hidden_path = format!("/api/v1/records/{}", hidden.id);
    expect_problem(app.put_as(&other, &hidden_path, "\"1\"", &amend).await, 404, ErrorCode::NotFound).await;
}

async fn revoke_keeps_the_record_and_hides_it_from_the_portal(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江撤销有限公司", Value::Null)).await;
    let id = record.id;
    assert_eq!(app.get(&format!("/api/v1/portal/records/{id}")).await.status(), 200);
    let response = app
        .post_if_match(&session, &format!("/api/v1/records/{id}/revoke"), "\"1\"", &json!({"reason": "决定已被撤销"}))
        .await;
    let revoked: Record = expect_json(response, 200).await;
    assert_eq!((revoked.status, revoked.version), (RecordStatus::Revoked, 2));
    assert_eq!(app.get(&format!("/api/v1/portal/records/{id}")).await.status(), 404);
    assert_eq!(app.get(&format!("/api/v1/portal/subjects/{}", record.subject.id)).await.status(), 404);
    let kept = app.get_as(&session, &format!("/api/v1/records/{id}")).await;
    assert_eq!(kept.status(), 200, "the provider still has it");
    let again =
        app.post_if_match(&session, &format!("/api/v1/records/{id}/revoke"), "\"2\"", &json!({"reason": "再撤"})).await;
    expect_problem(again, 409, ErrorCode::RecordRevoked).await;
}

async fn r16_1_expired_records_leave_the_portal_at_once_and_the_job_marks_them(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江到期有限公司", Value::Null)).await;
    let id = record.id;
    assert_eq!(app.get(&format!("/api/v1/portal/records/{id}")).await.status(), 200);
    // The period ended yesterday; the daily job has not run yet.
    app.execute_sql(&format!("UPDATE records SET publish_until = '2026-01-01' WHERE id = '{id}'"));
    assert_eq!(app.get(&format!("/api/v1/portal/records/{id}")).await.status(), 404, "the query checks the date");
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let today = credit_api::clock::today();
    let marked =
        app.keyed(|| credit_api::records::expiry::mark_expired(&mut conn, today, credit_api::clock::now())).unwrap();
    assert_eq!(marked, 1);
    let read: Record = app.get_json_as(&session, &format!("/api/v1/records/{id}")).await;
    assert_eq!(read.status, RecordStatus::Expired);
    let mut old = penalty("九江旧案有限公司", Value::Null);
    old["decision_date"] = json!("2020-01-01");
    old["publish_days"] = json!(90);
    let expired = app.submit(&session, &old).await;
    assert_eq!(expired.status, RecordStatus::Expired, "a record past its period on arrival is expired from the start");
}

async fn the_providers_reference_makes_retries_safe(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let mut body = penalty("九江重试有限公司", Value::Null);
    body["provider_ref"] = json!("CF-2026-0001");
    let first = app.submit(&session, &body).await;
    let retry = app.post_as(&session, "/api/v1/records", &body).await;
    let retried: Record = expect_json(retry, 200).await;
    assert_eq!(retried, first, "the same reference and content: the stored record");
    body["values"]["fine_amount"] = json!("9999");
    let conflict = app.post_as(&session, "/api/v1/records", &body).await;
    expect_problem(conflict, 409, ErrorCode::ProviderRefTaken).await;
    let other = app.provider("other", "360403").await;
    let elsewhere = app.post_as(&other, "/api/v1/records", &body).await;
    assert_eq!(elsewhere.status(), 201, "references are per provider");
}

async fn r30_1_reads_of_non_public_records_are_audited_with_their_purpose(app: &TestApp) {
    let session = app.provider("prov", "360400").await;
    let shared = app.submit(&session, &penalty("九江共享有限公司", json!("shared"))).await;
    let public = app.submit(&session, &penalty("九江公开有限公司", Value::Null)).await;
    let unit = app.signed_in("unit", Role::UserUnit, "360400").await;
    let path = format!("/api/v1/records/{}?purpose=%E8%A1%8C%E6%94%BF%E5%AE%A1%E6%89%B9", shared.id);
    assert_eq!(app.get_as(&unit, &path).await.status(), 200);
    assert_eq!(app.get_as(&unit, &format!("/api/v1/records/{}", public.id)).await.status(), 200);
    let list = app.get_as(&unit, "/api/v1/records?purpose=%E7%9B%91%E7%AE%A1").await;
    assert_eq!(list.status(), 200);
    let auditor = app.auditor().await;
    let events: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?limit=500").await;
    let of = |action: AuditAction| events.items.iter().filter(move |e| e.action == action);
    let reads: Vec<&AuditEvent> = of(AuditAction::RecordRead).collect();
    assert_eq!(reads.len(), 1, "only the shared record's read: {reads:?}");
    assert_eq!(reads[0].target_id.as_deref(), Some(shared.id.as_str()));
    assert_eq!(reads[0].purpose.as_deref(), Some("行政审批"));
    let lists: Vec<&AuditEvent> = of(AuditAction::RecordList).collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].purpose.as_deref(), Some("监管"));
    assert_eq!(lists[0].detail.as_deref(), Some("1 non-public rows"));
    assert_eq!(of(AuditAction::RecordCreate).count(), 2, "every write is audited");
    let export = app.get_as(&unit, "/api/v1/records/export.csv?purpose=%E7%BB%9F%E8%AE%A1").await;
    assert_eq!(export.headers()["content-type"], "text/csv; charset=utf-8");
    let text = export.text().await.unwrap();
    assert_eq!(text.lines().count(), 3, "a header and both records: {text}");
    assert!(text.contains("九江共享有限公司") && text.contains("政务共享"));
    let events: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=record.export").await;
    assert_eq!(events.items[0].detail.as_deref(), Some("2 rows"), "every export is audited with its size");
    assert_eq!(events.items[0].purpose.as_deref(), Some("统计"));
}

async fn r17_1_api_clients_read_and_write_within_their_scopes_and_their_organisations_rights(app: &TestApp) {
    let office = app.signed_in("office", Role::AccountAdmin, "360400").await;
    let org = json!({"name": "九江市市场监督管理局", "uscc": credit_tests::test_uscc(), "level": "city",
        "region_code": "360400", "kinds": ["data_provider"]});
    let org: Organisation = expect_json(app.post_as(&office, "/api/v1/organisations", &org).await, 201).await;
    let (_, writer) = app.api_client(&office, &org.id, &["records:read", "records:write"]).await;
    let (_, catalog_reader) = app.api_client(&office, &org.id, &["catalog:read"]).await;
    let tokens = [writer, catalog_reader];
    let record = app.submit(&tokens[0], &penalty("九江接口有限公司", json!("authorized"))).await;
    assert_eq!(record.provider_id, org.id, "the client submits for its own organisation");
    let path = format!("/api/v1/records/{}", record.id);
    assert_eq!(app.get_as(&tokens[0], &path).await.status(), 200, "its organisation's own authorised record");
    expect_problem(app.get_as(&tokens[1], &path).await, 403, ErrorCode::InsufficientScope).await;
    let response = app.post_as(&tokens[1], "/api/v1/records", &penalty("九江接口有限公司", Value::Null)).await;
    expect_problem(response, 403, ErrorCode::InsufficientScope).await;
    let other = app.provider("prov", "360402").await;
    let theirs = app.submit(&other, &penalty("九江他方有限公司", json!("shared"))).await;
    let theirs = format!("/api/v1/records/{}", theirs.id);
    expect_problem(app.get_as(&tokens[0], &theirs).await, 404, ErrorCode::NotFound).await;
}

async fn concurrent_amendments_of_one_version_let_exactly_one_win(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let record = app.submit(&session, &penalty("九江并发改正有限公司", Value::Null)).await;
    let path = format!("/api/v1/records/{}", record.id);
    let attempts = (0..8).map(|n| {
        let body = json!({"values": penalty_values(&format!("并发-{n}")), "decision_date": "2026-10-09", "reason": format!("第{n}次更正")});
        let path = path.clone();
        let session = session.clone();
        async move { app.put_as(&session, &path, "\"1\"", &body).await.status().as_u16() }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses, [200, 412, 412, 412, 412, 412, 412, 412], "no change is lost silently");
    let versions: Vec<RecordVersion> = app.get_json_as(&session, &format!("{path}/versions")).await;
    assert_eq!(versions.len(), 2);
}

async fn concurrent_submissions_about_one_new_subject_all_land_on_one_subject(app: &TestApp) {
    let session = app.provider("prov", "360402").await;
    let subject = penalty("九江同时登记有限公司", Value::Null)["subject"].clone();
    let attempts = (0..8).map(|n| {
        let mut body = penalty("", Value::Null);
        body["subject"] = subject.clone();
        body["values"]["penalty_doc_no"] = json!(format!("同时-{n}"));
        let session = session.clone();
        async move {
            let record: Record = expect_json(app.post_as(&session, "/api/v1/records", &body).await, 201).await;
            record.subject.id
        }
    });
    let mut ids = futures_util::future::join_all(attempts).await;
    ids.dedup();
    assert_eq!(ids.len(), 1, "one subject per code, however the submissions interleave");
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The value of the field `key` of a record (or of one of its versions).
fn value_of<'a>(fields: &'a [RecordField], key: &str) -> &'a str {
    fields.iter().find(|f| f.key == key).map(|f| f.value.as_str()).unwrap_or_else(|| panic!("no field {key}"))
}
