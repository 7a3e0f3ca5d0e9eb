//! Authorised use: usage agreements, who may request, splitting by providing
//! unit, the decision workflow (with two deciders at once), grants read in full through the access rule and
//! audited, revocation and expiry taking effect at once, handover of open requests, attachments and counts.

use credit_tests::{
    expect_json, expect_problem, on_both_backends, penalty, test_uscc, Backend, Session, TestApp, TestOptions, PASSWORD,
};
use credit_types::audit::AuditEvent;
use credit_types::authorization::{
    Agreement, AgreementStatus, Attachment, AuthorizationCounts, AuthorizationRequest, AuthorizationRequestDetail,
    FiledRequests, Grant, GrantStatus, GrantUse, RequestLimits, RequestStatus, TargetPreview,
};
use credit_types::identity::{Handover, Role};
use credit_types::records::{Record, RecordSummary};
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r18_1_the_eligibility_table_for_requests,
    r23_2_a_request_needs_a_current_agreement_covering_item_and_purpose,
    r23_2_only_the_competent_office_records_agreements_and_each_side_sees_its_own,
    r18_1_a_request_touching_several_providers_is_split_one_per_unit,
    r18_1_a_grant_shows_its_records_in_full_audited_until_revoked,
    r18_1_expiry_takes_effect_at_once_and_no_grant_widens_beyond_its_records,
    r18_1_the_workflow_allows_only_its_transitions,
    r18_1_two_deciders_at_once_exactly_one_wins,
    r9_2_handover_moves_open_requests_to_the_successor,
    r18_1_overdue_requests_are_flagged_and_counted,
    request_attachments_are_checked_by_content_and_size,
);

const LEGAL_BASIS: &str = "《九江市公共信用信息管理办法》第十八条";

/// Records a current agreement for `organisation_id` covering ADM_PENALTY for every purpose; returns it.
async fn agreement(app: &TestApp, office: &Session, organisation_id: &str) -> Agreement {
    let body = json!({
        "organisation_id": organisation_id,
        "document_no": format!("九信用协〔2026〕{}号", test_uscc().get(10..14).unwrap()),
        "catalog_items": ["ADM_PENALTY"],
        "purposes": ["administrative_approval", "supervision_enforcement", "public_resource_trading",
                     "commendation_review", "other"],
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
    });
    expect_json(app.post_as(office, "/api/v1/agreements", &body).await, 201).await
}

/// A user unit in `region` with a current agreement, signed in.
async fn user_unit(app: &TestApp, office: &Session, login: &str, region: &str) -> Session {
    let session = app.signed_in(login, Role::UserUnit, region).await;
    let organisation = app.organisation_of(&session).await;
    agreement(app, office, &organisation).await;
    session
}

/// A request body for record ids.
fn for_records(ids: &[&str]) -> Value {
    json!({
        "records": ids,
        "purpose": "administrative_approval",
        "legal_basis": LEGAL_BASIS,
        "period_days": 30,
    })
}

/// Files a request and returns the answer; panics unless it is filed.
async fn file(app: &TestApp, session: &Session, body: &Value) -> FiledRequests {
    expect_json(app.post_as(session, "/api/v1/authorization/requests", body).await, 201).await
}

/// The id of the one request a filing made.
fn only_request(filed: &FiledRequests) -> String {
    assert_eq!(filed.requests.len(), 1, "{filed:?}");
    filed.requests[0].id.clone()
}

/// Approves a request as the providing unit; panics unless approved.
async fn approve(app: &TestApp, provider: &Session, request_id: &str) -> AuthorizationRequest {
    let response =
        app.post_as(provider, &format!("/api/v1/authorization/requests/{request_id}/approve"), &json!({})).await;
    expect_json(response, 200).await
}

/// The requests of one box (`box=inbox…` or `box=outbox…`) `session` reads.
async fn requests(app: &TestApp, session: &Session, query: &str) -> Page<AuthorizationRequest> {
    app.get_json_as(session, &format!("/api/v1/authorization/requests?{query}")).await
}

/// One request with its records and attachments.
async fn detail(app: &TestApp, session: &Session, request_id: &str) -> AuthorizationRequestDetail {
    app.get_json_as(session, &format!("/api/v1/authorization/requests/{request_id}")).await
}

/// The ids of a page of requests, in its order.
fn ids(page: &Page<AuthorizationRequest>) -> Vec<&str> {
    page.items.iter().map(|r| r.id.as_str()).collect()
}

async fn r18_1_the_eligibility_table_for_requests(app: &TestApp) {
    let office = app.competent_office().await;
    let own = app.provider("prov_402", "360402").await;
    let other = app.provider("prov_403", "360403").await;
    let city = app.provider("prov_city", "360400").await;
    // Records of every class from a provider of 濂溪区 (360402), of 浔阳区 (360403) and of the city.
    let mut targets = Vec::new();
    for (source, session) in [("402", &own), ("403", &other), ("city", &city)] {
        for class in ["public", "shared", "authorized"] {
            let record = app.submit(session, &penalty(&format!("九江{source}{class}公司"), json!(class))).await;
            targets.push((source, class, record.id));
        }
    }
    // Every role at the levels it exists at; user units have agreements, so only the rule can refuse them.
    let mut viewers: Vec<(&str, Role, &str)> = vec![
        ("city_admin", Role::CityCreditAdmin, "360400"),
        ("county_admin", Role::CountyCreditAdmin, "360402"),
        ("city_unit", Role::UserUnit, "360400"),
        ("county_unit", Role::UserUnit, "360402"),
    ];
    for role in [Role::DataProvider, Role::AccountAdmin, Role::SystemAdmin, Role::DbAdmin, Role::SecurityAuditor] {
        viewers.push((role.as_str(), role, "360400"));
    }
    for (login, role, region) in viewers {
        let county = region != "360400";
        let session = if role == Role::UserUnit {
            user_unit(app, &office, login, region).await
        } else {
            app.create_user(login, PASSWORD, &[role], region);
            let organisation = app.sign_in(login, PASSWORD).await;
            // Even with an agreement, roles other than the user unit may not request.
            if role != Role::CityCreditAdmin {
                let org = app.organisation_of(&organisation).await;
                app.execute_sql(&format!(
                    "INSERT INTO organisation_kinds (organisation_id, kind) VALUES ('{org}', 'user_unit')"
                ));
                agreement(app, &office, &org).await;
            }
            organisation
        };
        for (source, class, record) in &targets {
            let response = app.post_as(&session, "/api/v1/authorization/requests", &for_records(&[record])).await;
            let eligible = role == Role::UserUnit;
            let in_scope = if county { *source == "402" } else { *source == "city" };
            let expected = match () {
                _ if !eligible => 403,
                _ if *class == "authorized" && in_scope => 201,
                _ => 422,
            };
            assert_eq!(
                response.status().as_u16(),
                expected,
                "R-18.1: {login} requesting a {class} record of {source}: {}",
                response.text().await.unwrap()
            );
        }
        let preview_path =
            format!("/api/v1/authorization/targets?subject_code={}&catalog_item=ADM_PENALTY", test_uscc());
        let preview = app.get_as(&session, &preview_path).await;
        let limits = app.get_as(&session, "/api/v1/authorization/limits").await;
        if role == Role::UserUnit {
            let preview: TargetPreview = expect_json(preview, 200).await;
            assert!(preview.providers.is_empty(), "a code nobody recorded");
            let limits: RequestLimits = expect_json(limits, 200).await;
            assert_eq!(limits.max_period_days, 90);
        } else {
            expect_problem(preview, 403, ErrorCode::NotEligible).await;
            expect_problem(limits, 403, ErrorCode::NotEligible).await;
        }
    }
    // A credit service agency with the user-unit role is no government unit: it may not request either.
    app.create_user("agency", PASSWORD, &[Role::UserUnit], "360402");
    app.execute_sql(
        "UPDATE organisation_kinds SET kind = 'credit_service_agency' WHERE organisation_id = \
         (SELECT organisation_id FROM users WHERE login_name = 'agency')",
    );
    let agency = app.sign_in("agency", PASSWORD).await;
    let authorized_own = &targets[2].2;
    let response = app.post_as(&agency, "/api/v1/authorization/requests", &for_records(&[authorized_own])).await;
    expect_problem(response, 403, ErrorCode::NotEligible).await;
    let anonymous = app.post_json("/api/v1/authorization/requests", &for_records(&[authorized_own])).await;
    assert_eq!(anonymous.status(), 401);
}

async fn r23_2_a_request_needs_a_current_agreement_covering_item_and_purpose(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江协议测试有限公司", json!("authorized"))).await;
    let unit = app.signed_in("unit", Role::UserUnit, "360402").await;
    let organisation = app.organisation_of(&unit).await;
    let body = for_records(&[record.id.as_str()]);
    let missing = app.post_as(&unit, "/api/v1/authorization/requests", &body).await;
    let problem = expect_problem(missing, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "catalog_item");
    assert_eq!(problem.errors[0].code, "no_agreement");
    assert!(problem.errors[0].message.contains("ADM_PENALTY"), "names the missing agreement: {problem:?}");
    // An agreement for another purpose does not cover this one.
    let narrow = json!({
        "organisation_id": organisation, "document_no": "九信用协〔2026〕1号", "catalog_items": ["ADM_PENALTY"],
        "purposes": ["commendation_review"], "valid_from": "2026-01-01", "valid_to": "2027-12-31",
    });
    let narrow: Agreement = expect_json(app.post_as(&office, "/api/v1/agreements", &narrow).await, 201).await;
    let response = app.post_as(&unit, "/api/v1/authorization/requests", &body).await;
    expect_problem(response, 422, ErrorCode::ValidationFailed).await;
    let mut for_commendation = body.clone();
    for_commendation["purpose"] = json!("commendation_review");
    let pending = file(app, &unit, &for_commendation).await;
    // Suspended: not current; resumed: current again; ended: gone for good.
    let path = format!("/api/v1/agreements/{}", narrow.id);
    let suspended = app.post_as(&office, &format!("{path}/suspend"), &json!({"reason": "年度复核"})).await;
    let suspended: Agreement = expect_json(suspended, 200).await;
    assert_eq!((suspended.status, suspended.current), (AgreementStatus::Suspended, false));
    expect_problem(
        app.post_as(&unit, "/api/v1/authorization/requests", &for_commendation).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    let again = app.post_as(&office, &format!("{path}/suspend"), &json!({"reason": "重复操作"})).await;
    expect_problem(again, 409, ErrorCode::AgreementState).await;
    app.post_as(&office, &format!("{path}/resume"), &json!({"reason": "复核通过"})).await;
    let ended = app.post_as(&office, &format!("{path}/end"), &json!({"reason": "协议终止"})).await;
    let ended: Agreement = expect_json(ended, 200).await;
    assert_eq!((ended.status, ended.status_reason.as_deref()), (AgreementStatus::Ended, Some("协议终止")));
    let resume = app.post_as(&office, &format!("{path}/resume"), &json!({"reason": "不能恢复"})).await;
    expect_problem(resume, 409, ErrorCode::AgreementState).await;
    // A request filed under an agreement that has since ended cannot be approved.
    let request_id = only_request(&pending);
    let approve =
        app.post_as(&provider, &format!("/api/v1/authorization/requests/{request_id}/approve"), &json!({})).await;
    expect_problem(approve, 409, ErrorCode::AgreementNotCurrent).await;
    // An expired agreement is not current either.
    let expired = json!({
        "organisation_id": organisation, "document_no": "九信用协〔2025〕9号", "catalog_items": ["ADM_PENALTY"],
        "purposes": ["administrative_approval"], "valid_from": "2025-01-01", "valid_to": "2025-12-31",
    });
    let expired: Agreement = expect_json(app.post_as(&office, "/api/v1/agreements", &expired).await, 201).await;
    assert!(!expired.current);
    expect_problem(app.post_as(&unit, "/api/v1/authorization/requests", &body).await, 422, ErrorCode::ValidationFailed)
        .await;
}

async fn r23_2_only_the_competent_office_records_agreements_and_each_side_sees_its_own(app: &TestApp) {
    let office = app.competent_office().await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let other = user_unit(app, &office, "other", "360403").await;
    let organisation = app.organisation_of(&unit).await;
    for (login, role, region) in [
        ("county_admin", Role::CountyCreditAdmin, "360402"),
        ("prov", Role::DataProvider, "360402"),
        ("unit2", Role::UserUnit, "360402"),
    ] {
        let session = app.signed_in(login, role, region).await;
        let body = json!({
            "organisation_id": organisation, "document_no": "九信用协〔2026〕5号", "catalog_items": ["ADM_PENALTY"],
            "purposes": ["other"], "valid_from": "2026-01-01", "valid_to": "2026-12-31",
        });
        let response = app.post_as(&session, "/api/v1/agreements", &body).await;
        assert_eq!(response.status(), 403, "R-23.2: {login} may not record agreements");
    }
    assert_eq!(listed(app, &office).await.items.len(), 2);
    let own = listed(app, &unit).await;
    assert_eq!(own.items.len(), 1);
    assert_eq!(own.items[0].organisation_id, organisation);
    let county_admin = app.sign_in("county_admin", PASSWORD).await;
    let county = listed(app, &county_admin).await;
    assert_eq!(county.items.len(), 1, "the county's units only");
    let theirs = listed(app, &other).await.items.remove(0).id;
    assert_eq!(app.get_as(&unit, &format!("/api/v1/agreements/{theirs}")).await.status(), 404);
    let prov = app.sign_in("prov", PASSWORD).await;
    assert_eq!(app.get_as(&prov, "/api/v1/agreements").await.status(), 403);
    // Bad input: dates in the wrong order, unknown items, a unit that is no user unit.
    let provider_org = app.organisation_of(&prov).await;
    let bad = json!({
        "organisation_id": provider_org, "document_no": "九信用协〔2026〕6号", "catalog_items": ["NO_SUCH"],
        "purposes": ["other"], "valid_from": "2026-12-31", "valid_to": "2026-01-01",
    });
    let problem =
        expect_problem(app.post_as(&office, "/api/v1/agreements", &bad).await, 422, ErrorCode::ValidationFailed).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["valid_to", "organisation_id", "catalog_items[0]"]);
}

/// The agreements `session` sees.
async fn listed(app: &TestApp, session: &Session) -> Page<Agreement> {
    app.get_json_as(session, "/api/v1/agreements").await
}

async fn r18_1_a_request_touching_several_providers_is_split_one_per_unit(app: &TestApp) {
    let office = app.competent_office().await;
    let first = app.provider("prov_a", "360402").await;
    let second = app.provider("prov_b", "360402").await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let mut body = penalty("九江拆分测试有限公司", json!("authorized"));
    let code = body["subject"]["code"].as_str().unwrap().to_owned();
    let a = app.submit(&first, &body).await;
    body["values"]["penalty_doc_no"] = json!("濂市监罚〔2026〕2号");
    let b = app.submit(&second, &body).await;
    let b2 = {
        body["values"]["penalty_doc_no"] = json!("濂市监罚〔2026〕3号");
        app.submit(&second, &body).await
    };
    // A public record of the same subject is not part of it.
    body["values"]["penalty_doc_no"] = json!("濂市监罚〔2026〕4号");
    body["disclosure_class"] = json!("public");
    app.submit(&first, &body).await;
    let preview_path =
        format!("/api/v1/authorization/targets?subject_code={code}&catalog_item=ADM_PENALTY&purpose=other");
    let preview: TargetPreview = app.get_json_as(&unit, &preview_path).await;
    assert_eq!(preview.providers.len(), 2);
    assert!(preview.agreement.is_some(), "the covering agreement is shown");
    assert_eq!(preview.max_period_days, 90);
    // Read raw: the wire carries no field values of the records, not even empty ones.
    let raw: Value = app.get_json_as(&unit, &preview_path).await;
    assert!(raw["providers"][0]["records"][0].get("fields").is_none(), "records are named, never shown");
    let auditor = app.auditor().await;
    let events: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=authorization.preview").await;
    assert_eq!(events.items[0].target_id.as_deref(), Some(code.as_str()), "R-30.1: the preview is audited");
    let filed = file(
        app,
        &unit,
        &json!({
            "subject_code": code, "catalog_item": "ADM_PENALTY", "purpose": "other",
            "purpose_text": "政府采购供应商资格审查", "legal_basis": LEGAL_BASIS, "period_days": 10,
        }),
    )
    .await;
    assert_eq!(filed.requests.len(), 2, "R-18.1: one request per providing unit");
    assert!(filed.requests.iter().all(|r| r.group_id == filed.group_id));
    let first_org = app.organisation_of(&first).await;
    let second_org = app.organisation_of(&second).await;
    for request in &filed.requests {
        let expected = if request.provider_org_id == first_org { 1 } else { 2 };
        assert_eq!(request.record_count, expected);
        assert_eq!(request.status, RequestStatus::Pending);
        assert_eq!(request.purpose_text.as_deref(), Some("政府采购供应商资格审查"));
    }
    // Each provider's inbox holds its own part only, with its own records.
    for (session, org, records) in [
        (&first, &first_org, vec![a.id.as_str()]),
        (&second, &second_org, {
            let mut v = vec![b.id.as_str(), b2.id.as_str()];
            v.sort();
            v
        }),
    ] {
        let inbox = requests(app, session, "box=inbox").await;
        assert_eq!(inbox.items.len(), 1);
        assert_eq!(&inbox.items[0].provider_org_id, org);
        let detail = detail(app, session, &inbox.items[0].id).await;
        let targets: Vec<&str> = detail.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(targets, records);
        assert_eq!(detail.records[0].subject_code, code);
    }
    assert_eq!(requests(app, &unit, "box=outbox").await.items.len(), 2);
    // A provider may not read the outbox, a user unit not the inbox.
    assert_eq!(app.get_as(&first, "/api/v1/authorization/requests?box=outbox").await.status(), 403);
    assert_eq!(app.get_as(&unit, "/api/v1/authorization/requests?box=inbox").await.status(), 403);
    // Nothing to request about a subject with no authorised record in scope.
    let nothing = json!({
        "subject_code": test_uscc(), "catalog_item": "ADM_PENALTY", "purpose": "other",
        "purpose_text": "核查", "legal_basis": LEGAL_BASIS, "period_days": 10,
    });
    let problem = expect_problem(
        app.post_as(&unit, "/api/v1/authorization/requests", &nothing).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert_eq!(problem.errors[0].code, "nothing_to_request");
}

async fn r18_1_a_grant_shows_its_records_in_full_audited_until_revoked(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江授权查看有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let path = format!("/api/v1/records/{}", record.id);
    assert_eq!(app.get_as(&unit, &path).await.status(), 404, "no grant yet");
    let filed = file(app, &unit, &for_records(&[record.id.as_str()])).await;
    let approved = approve(app, &provider, &only_request(&filed)).await;
    assert_eq!(approved.status, RequestStatus::Approved);
    assert_eq!(approved.decided_by_name.as_deref(), Some("测试用户"));
    let grant_id = approved.grant_id.unwrap();
    // in full, through the ordinary record endpoints.
    let read: Record = app.get_json_as(&unit, &path).await;
    assert_eq!(read.fields, record.fields, "the full record, unmasked");
    assert_eq!(read.read_through_grant.as_deref(), Some(grant_id.as_str()), "R-16.1: it says it is read by consent");
    assert_eq!(app.get_as(&unit, &format!("{path}/versions")).await.status(), 200);
    let listed: Page<RecordSummary> = app.get_json_as(&unit, "/api/v1/records?disclosure_class=authorized").await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, record.id);
    assert_eq!(listed.items[0].read_through_grant.as_deref(), Some(grant_id.as_str()));
    // The provider reads its own record by the access table: no grant is named.
    let own: Record = app.get_json_as(&provider, &path).await;
    assert_eq!(own.read_through_grant, None);
    let own_list: Page<RecordSummary> = app.get_json_as(&provider, "/api/v1/records?disclosure_class=authorized").await;
    assert_eq!(own_list.items[0].read_through_grant, None);
    // every read is audited with the grant and its purpose, and in the provider's usage log.
    let uses: Page<GrantUse> =
        app.get_json_as(&provider, &format!("/api/v1/authorization/grants/{grant_id}/uses")).await;
    let actions: Vec<&str> = uses.items.iter().map(|u| u.action.as_str()).collect();
    assert_eq!(actions, ["list", "versions", "read"]);
    assert_eq!(uses.items[0].actor_name, "测试用户");
    assert_eq!(uses.items[0].grantee_org_name, "测试单位 unit");
    assert_eq!(uses.items[0].record_label, "九江授权查看有限公司 · 行政处罚");
    let log: Page<GrantUse> = app.get_json_as(&provider, "/api/v1/authorization/uses").await;
    assert_eq!(log.items.len(), 3);
    let auditor = app.auditor().await;
    let events: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=record.read").await;
    let grant_purpose = format!("grant {grant_id}");
    let through_grant: Vec<&str> =
        events.items.iter().filter_map(|e| e.purpose.as_deref()).filter(|p| p.starts_with(&grant_purpose)).collect();
    assert_eq!(through_grant.len(), 3, "events: {events:?}");
    assert!(through_grant[0].ends_with("administrative_approval"));
    let grants: Page<Grant> = app.get_json_as(&unit, "/api/v1/authorization/grants?box=held").await;
    let grant = &grants.items[0];
    assert_eq!(grant.status, GrantStatus::Active);
    assert_eq!(grant.granted_by_name, "测试用户");
    assert_eq!(grant.records[0].subject_name, "九江授权查看有限公司");
    assert_eq!(grant.use_count, 3);
    let counts: AuthorizationCounts = app.get_json_as(&unit, "/api/v1/authorization/counts").await;
    assert_eq!(counts.held_active, 1);
    // The holder cannot revoke; a reason is required; the provider revokes and the next read is a 404.
    let revoke = format!("/api/v1/authorization/grants/{grant_id}/revoke");
    expect_problem(app.post_as(&unit, &revoke, &json!({"reason": "不再需要"})).await, 403, ErrorCode::NotTheProvider)
        .await;
    expect_problem(app.post_as(&provider, &revoke, &json!({"reason": ""})).await, 422, ErrorCode::ValidationFailed)
        .await;
    let revoked: Grant =
        expect_json(app.post_as(&provider, &revoke, &json!({"reason": "使用目的已完成"})).await, 200).await;
    assert_eq!(revoked.status, GrantStatus::Revoked);
    assert_eq!(revoked.revoke_reason.as_deref(), Some("使用目的已完成"));
    assert_eq!(app.get_as(&unit, &path).await.status(), 404, "R-18.1: revocation takes effect at once");
    assert!(app.record_ids(&unit, "/api/v1/records?disclosure_class=authorized").await.is_empty());
    expect_problem(
        app.post_as(&provider, &revoke, &json!({"reason": "再次撤销"})).await,
        409,
        ErrorCode::AlreadyRevoked,
    )
    .await;
}

async fn r18_1_expiry_takes_effect_at_once_and_no_grant_widens_beyond_its_records(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let granted = app.submit(&provider, &penalty("九江期限测试有限公司", json!("authorized"))).await;
    let sibling = app.submit(&provider, &penalty("九江期限测试有限公司二", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let colleague = app.colleague(&unit, "colleague", Role::UserUnit).await;
    let neighbour = user_unit(app, &office, "neighbour", "360402").await;
    let filed = file(app, &unit, &for_records(&[granted.id.as_str()])).await;
    let request_id = only_request(&filed);
    // The provider may shorten the period, never lengthen it.
    let approve_path = format!("/api/v1/authorization/requests/{request_id}/approve");
    let longer = app.post_as(&provider, &approve_path, &json!({"period_days": 31})).await;
    expect_problem(longer, 422, ErrorCode::ValidationFailed).await;
    let approved = app.post_as(&provider, &approve_path, &json!({"period_days": 7, "note": "同意"})).await;
    let approved: AuthorizationRequest = expect_json(approved, 200).await;
    assert_eq!(approved.decision_note.as_deref(), Some("同意"));
    let grant_id = approved.grant_id.unwrap();
    let grant_path = format!("/api/v1/authorization/grants/{grant_id}");
    let grant: Grant = app.get_json_as(&unit, &grant_path).await;
    assert!(grant.expiring_soon, "seven days is within the week");
    let path = format!("/api/v1/records/{}", granted.id.as_str());
    assert_eq!(app.get_as(&colleague, &path).await.status(), 200, "the unit's users share the grant");
    // No widening: not the sibling record, not another unit of the same county, not after the record is revoked.
    assert_eq!(app.get_as(&unit, &format!("/api/v1/records/{}", sibling.id.as_str())).await.status(), 404);
    assert_eq!(app.get_as(&neighbour, &path).await.status(), 404);
    // Expiry: the grant's end moved into the past answers 404 at the very next read.
    app.execute_sql(&format!("UPDATE grants SET expires_at = '2026-01-01 00:00:00' WHERE id = '{grant_id}'"));
    assert_eq!(app.get_as(&unit, &path).await.status(), 404, "R-18.1: expiry takes effect at once");
    let grant: Grant = app.get_json_as(&unit, &grant_path).await;
    assert_eq!(grant.status, GrantStatus::Expired);
    let expired: Page<Grant> = app.get_json_as(&unit, "/api/v1/authorization/grants?box=held&status=expired").await;
    assert_eq!(expired.items, [grant]);
    // Revoking the record itself hides it from a valid grant as well.
    app.execute_sql(&format!("UPDATE grants SET expires_at = '2099-01-01 00:00:00' WHERE id = '{grant_id}'"));
    assert_eq!(app.get_as(&unit, &path).await.status(), 200);
    let revoke = app.post_if_match(&provider, &format!("{path}/revoke"), "\"1\"", &json!({"reason": "决定撤销"})).await;
    assert_eq!(revoke.status(), 200);
    assert_eq!(app.get_as(&unit, &path).await.status(), 404, "a revoked record is out of every grant");
}

async fn r18_1_the_workflow_allows_only_its_transitions(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江流程测试有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let colleague = app.colleague(&unit, "colleague", Role::UserUnit).await;
    let stranger = provider_in_other_unit(app).await;
    let first = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
    let base = format!("/api/v1/authorization/requests/{first}");
    let reason = json!({"reason": "材料不全"});
    // Who may act: the requester side cannot decide, a stranger does not see it, only the requester withdraws.
    expect_problem(app.post_as(&unit, &format!("{base}/approve"), &json!({})).await, 403, ErrorCode::NotTheProvider)
        .await;
    assert_eq!(app.post_as(&stranger, &format!("{base}/approve"), &json!({})).await.status(), 404);
    assert_eq!(app.get_as(&stranger, &base).await.status(), 404);
    expect_problem(
        app.post_as(&colleague, &format!("{base}/withdraw"), &reason).await,
        403,
        ErrorCode::NotTheRequester,
    )
    .await;
    expect_problem(
        app.post_as(&provider, &format!("{base}/reject"), &json!({"reason": ""})).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    // pending → rejected, and nothing after.
    let rejected: AuthorizationRequest =
        expect_json(app.post_as(&provider, &format!("{base}/reject"), &reason).await, 200).await;
    assert_eq!((rejected.status, rejected.decision_note.as_deref()), (RequestStatus::Rejected, Some("材料不全")));
    assert_eq!(rejected.grant_id, None);
    for action in ["approve", "reject", "withdraw"] {
        let session = if action == "withdraw" { &unit } else { &provider };
        let body = if action == "approve" { json!({}) } else { reason.clone() };
        let response = app.post_as(session, &format!("{base}/{action}"), &body).await;
        expect_problem(response, 409, ErrorCode::AlreadyDecided).await;
    }
    // pending → withdrawn, and nothing after.
    let second = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
    let base = format!("/api/v1/authorization/requests/{second}");
    let withdrawn: AuthorizationRequest =
        expect_json(app.post_as(&unit, &format!("{base}/withdraw"), &reason).await, 200).await;
    assert_eq!(withdrawn.status, RequestStatus::Withdrawn);
    expect_problem(
        app.post_as(&provider, &format!("{base}/approve"), &json!({})).await,
        409,
        ErrorCode::AlreadyDecided,
    )
    .await;
    // pending → approved, and nothing after.
    let third = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
    let base = format!("/api/v1/authorization/requests/{third}");
    approve(app, &provider, &third).await;
    expect_problem(app.post_as(&unit, &format!("{base}/withdraw"), &reason).await, 409, ErrorCode::AlreadyDecided)
        .await;
    expect_problem(app.post_as(&provider, &format!("{base}/reject"), &reason).await, 409, ErrorCode::AlreadyDecided)
        .await;
    // Bad input: both ways of naming targets, an "other" purpose without text, too long a period.
    let mut both = for_records(&[record.id.as_str()]);
    both["subject_code"] = json!("91360403MA38JJ2C5F");
    both["catalog_item"] = json!("ADM_PENALTY");
    let problem = expect_problem(
        app.post_as(&unit, "/api/v1/authorization/requests", &both).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert_eq!(problem.errors[0].code, "either");
    let mut other = for_records(&[record.id.as_str()]);
    other["purpose"] = json!("other");
    other["period_days"] = json!(91);
    let problem = expect_problem(
        app.post_as(&unit, "/api/v1/authorization/requests", &other).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["purpose_text", "period_days"]);
    let unknown = app.post_as(&unit, "/api/v1/authorization/requests", &for_records(&["no-such-record"])).await;
    let problem = expect_problem(unknown, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "records[0]");
}

/// the longest period follows the configuration, in the limits the form reads and in the check on filing.
#[actix_web::test]
async fn r18_1_the_longest_period_follows_the_configuration() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let options = TestOptions { max_grant_days: Some(180), ..TestOptions::default() };
        let Some(app) = TestApp::spawn_with(backend, options).await else { continue };
        let office = app.competent_office().await;
        let provider = app.provider("prov", "360402").await;
        let unit = user_unit(&app, &office, "unit", "360402").await;
        let limits: RequestLimits = app.get_json_as(&unit, "/api/v1/authorization/limits").await;
        assert_eq!(limits.max_period_days, 180);
        let record = app.submit(&provider, &penalty("九江期限测试有限公司", json!("authorized"))).await;
        let mut body = for_records(&[record.id.as_str()]);
        body["period_days"] = json!(181);
        let problem = expect_problem(
            app.post_as(&unit, "/api/v1/authorization/requests", &body).await,
            422,
            ErrorCode::ValidationFailed,
        )
        .await;
        assert_eq!(problem.errors[0].field, "period_days");
        body["period_days"] = json!(180);
        file(&app, &unit, &body).await;
    }
}

async fn provider_in_other_unit(app: &TestApp) -> Session {
    app.provider("stranger", "360402").await
}

async fn r18_1_two_deciders_at_once_exactly_one_wins(app: &TestApp) {
    let office = app.competent_office().await;
    let first = app.provider("prov", "360402").await;
    let second = app.colleague(&first, "prov2", Role::DataProvider).await;
    let record = app.submit(&first, &penalty("九江并发审核有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    for round in 0..6 {
        let request_id = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
        let approve_path = format!("/api/v1/authorization/requests/{request_id}/approve");
        let reject_path = format!("/api/v1/authorization/requests/{request_id}/reject");
        // Alternate approve/approve and approve/reject races.
        let approval = json!({});
        let rejection = json!({"reason": "同时拒绝"});
        let (other_path, other_body) =
            if round % 2 == 0 { (approve_path.clone(), &approval) } else { (reject_path, &rejection) };
        let (a, b) =
            tokio::join!(app.post_as(&first, &approve_path, &approval), app.post_as(&second, &other_path, other_body),);
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}: exactly one decision wins");
        let detail = detail(app, &first, &request_id).await;
        let grants: Page<Grant> = app.get_json_as(&first, "/api/v1/authorization/grants?box=given&limit=500").await;
        let for_this = grants.items.iter().filter(|g| g.request_id == request_id).count();
        let approved = detail.request.status == RequestStatus::Approved;
        assert_eq!(for_this, usize::from(approved), "round {round}: one grant at most");
    }
}

async fn r9_2_handover_moves_open_requests_to_the_successor(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江交接测试有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "leaver", "360402").await;
    let organisation = app.organisation_of(&unit).await;
    let successor = app.create_colleague("successor", PASSWORD, &[Role::UserUnit], &organisation);
    let open_id = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
    let mut other_purpose = for_records(&[record.id.as_str()]);
    other_purpose["purpose"] = json!("public_resource_trading");
    let decided_id = only_request(&file(app, &unit, &other_purpose).await);
    approve(app, &provider, &decided_id).await;
    let accounts = app.signed_in("accounts", Role::AccountAdmin, "360400").await;
    let leaver = app.me(&unit).await;
    let handover = app
        .post_as(
            &accounts,
            &format!("/api/v1/users/{}/deactivate", leaver.id),
            &json!({"successor_id": successor, "reason": "调离"}),
        )
        .await;
    let handover: Handover = expect_json(handover, 200).await;
    let moved: Vec<&str> =
        handover.items.iter().filter(|i| i.kind == "authorization_request").map(|i| i.id.as_str()).collect();
    assert_eq!(moved, [open_id.as_str()], "only the open request moves");
    let successor_session = app.sign_in("successor", PASSWORD).await;
    let detail = detail(app, &successor_session, &open_id).await;
    assert_eq!(detail.request.requester_id, successor);
    let withdrawn = app
        .post_as(
            &successor_session,
            &format!("/api/v1/authorization/requests/{open_id}/withdraw"),
            &json!({"reason": "交接后撤回"}),
        )
        .await;
    assert_eq!(withdrawn.status(), 200, "the successor now answers for it");
}

async fn r18_1_overdue_requests_are_flagged_and_counted(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江逾期测试有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let fresh = file(app, &unit, &for_records(&[record.id.as_str()])).await;
    // The same records for the same purpose again: refused while the first is pending.
    let again = app.post_as(&unit, "/api/v1/authorization/requests", &for_records(&[record.id.as_str()])).await;
    let problem = expect_problem(again, 409, ErrorCode::DuplicateRequest).await;
    let fresh = &fresh.requests[0];
    assert!(problem.detail.contains(&fresh.id), "names the pending one");
    let mut other_purpose = for_records(&[record.id.as_str()]);
    other_purpose["purpose"] = json!("supervision_enforcement");
    let old_id = only_request(&file(app, &unit, &other_purpose).await);
    // Five working days after today's date in Jiujiang, on the seeded calendar.
    let today = credit_api::clock::today();
    let pool = app.pool();
    let calendar = credit_api::calendar::Calendar::load_for(&mut pool.get().unwrap(), today, 5).unwrap();
    let due = credit_api::authorization::rules::decide_by(&calendar, today);
    assert_eq!(fresh.decide_by, due);
    assert!(!fresh.overdue);
    app.execute_sql(&format!("UPDATE authorization_requests SET decide_by = '2026-01-09' WHERE id = '{old_id}'"));
    let overdue = requests(app, &provider, "box=inbox&overdue=true").await;
    assert_eq!(ids(&overdue), [old_id.as_str()]);
    assert!(overdue.items[0].overdue);
    let counts: AuthorizationCounts = app.get_json_as(&provider, "/api/v1/authorization/counts").await;
    assert_eq!((counts.inbox_pending, counts.inbox_overdue), (2, 1));
    assert_eq!(counts.outbox_pending, 0, "the provider made no request");
    let counts: AuthorizationCounts = app.get_json_as(&unit, "/api/v1/authorization/counts").await;
    assert_eq!((counts.outbox_pending, counts.inbox_pending), (2, 0));
    let pending = requests(app, &provider, "box=inbox&status=pending&limit=1").await;
    assert_eq!(pending.items.len(), 1);
    let next = pending.next_cursor.as_deref().unwrap();
    let rest = requests(app, &provider, &format!("box=inbox&status=pending&limit=1&cursor={next}")).await;
    assert_eq!(rest.items.len(), 1);
    assert_ne!(rest.items[0].id, pending.items[0].id);
}

async fn request_attachments_are_checked_by_content_and_size(app: &TestApp) {
    let office = app.competent_office().await;
    let provider = app.provider("prov", "360402").await;
    let record = app.submit(&provider, &penalty("九江附件测试有限公司", json!("authorized"))).await;
    let unit = user_unit(app, &office, "unit", "360402").await;
    let request_id = only_request(&file(app, &unit, &for_records(&[record.id.as_str()])).await);
    let path = format!("/api/v1/authorization/requests/{request_id}/attachments");
    let upload = |session: &Session, body: Vec<u8>, name: &str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&session.access_token)
            .header("content-type", "application/pdf")
            .header("x-file-name", name)
            .body(body)
            .send()
    };
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n".to_vec();
    let attachment: Attachment =
        expect_json(upload(&unit, pdf.clone(), "%E5%85%AC%E5%87%BD.pdf").await.unwrap(), 201).await;
    assert_eq!((attachment.file_name.as_str(), attachment.media_type.as_str()), ("公函.pdf", "application/pdf"));
    assert_eq!(attachment.size as usize, pdf.len());
    // Judged by content: an executable named .pdf is refused; so is a file over 5 MB.
    let exe = upload(&unit, b"MZ\x90\x00\x03".to_vec(), "letter.pdf").await.unwrap();
    expect_problem(exe, 415, ErrorCode::UnsupportedMediaType).await;
    let mut large = pdf.clone();
    large.resize(5 * 1024 * 1024 + 1, b' ');
    assert_eq!(upload(&unit, large, "big.pdf").await.unwrap().status(), 413);
    expect_problem(upload(&provider, pdf.clone(), "p.pdf").await.unwrap(), 403, ErrorCode::NotTheRequester).await;
    for n in 0..4 {
        assert_eq!(upload(&unit, pdf.clone(), &format!("{n}.pdf")).await.unwrap().status(), 201);
    }
    expect_problem(upload(&unit, pdf.clone(), "6.pdf").await.unwrap(), 409, ErrorCode::TooManyAttachments).await;
    // The providing unit reads it with the request.
    let detail = detail(app, &provider, &request_id).await;
    assert_eq!(detail.attachments.len(), 5);
    assert_eq!(detail.attachments[0], attachment);
    let file = app.get_as(&provider, &format!("{path}/{}", attachment.id)).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);
    let stranger = provider_in_other_unit(app).await;
    assert_eq!(app.get_as(&stranger, &format!("{path}/{}", attachment.id)).await.status(), 404);
}
