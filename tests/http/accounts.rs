//! Account management by the account office, on both databases.

use credit_tests::{
    expect_json, expect_problem, on_both_backends, session_from, test_uscc, Session, TestApp, PASSWORD,
};
use credit_types::identity::{
    ApiClientWithSecret, Handover, Organisation, PermissionReview, ReviewFlag, ReviewReport, Role, User,
    UserWithPassword,
};
use credit_types::ErrorCode;
use credit_types::{Page, RegionLevel};
use serde_json::{json, Value};

on_both_backends!(
    r9_3_only_the_account_office_manages_accounts,
    r9_3_an_organisation_and_its_first_account_are_registered_with_a_one_time_password,
    r8_1_organisations_need_a_valid_code_and_a_region_of_their_level,
    r10_1_separated_duties_and_misfit_roles_are_refused,
    r9_2_deactivation_hands_over_and_takes_effect_at_once,
    r10_7_the_account_office_lifts_a_lockout_and_resets_passwords,
    r10_3_expired_and_dormant_accounts_are_disabled_by_the_job,
    r10_6_the_permission_review_lists_every_account_and_records_the_sign_off,
    r9_3_details_are_corrected_and_a_deactivated_organisation_stops_its_accounts,
    r9_2_an_administrator_leaving_hands_the_api_clients_they_registered_to_the_successor,
);

async fn provider_org(app: &TestApp, admin: &Session, region: &str) -> String {
    let level = if region == "360400" { "city" } else { "county" };
    let response = app
        .post_as(
            admin,
            "/api/v1/organisations",
            &json!({"name": format!("{region} 市场监督管理局"), "uscc": test_uscc(), "level": level, "region_code": region, "kinds": ["data_provider"]}),
        )
        .await;
    expect_json::<Organisation>(response, 201).await.id
}

async fn create(app: &TestApp, admin: &Session, org: &str, login: &str, roles: Value) -> reqwest::Response {
    app.post_as(
        admin,
        "/api/v1/users",
        &json!({"organisation_id": org, "login_name": login, "full_name": "李明", "roles": roles}),
    )
    .await
}

/// Registers an account in `org` holding `roles`; panics unless it is created.
async fn registered(app: &TestApp, admin: &Session, org: &str, login: &str, roles: Value) -> UserWithPassword {
    expect_json(create(app, admin, org, login, roles).await, 201).await
}

async fn r9_3_only_the_account_office_manages_accounts(app: &TestApp) {
    app.create_user("city.admin", PASSWORD, &[Role::CityCreditAdmin], "360400");
    let city = app.sign_in("city.admin", PASSWORD).await;
    expect_problem(app.get_as(&city, "/api/v1/users").await, 403, ErrorCode::Forbidden).await;
    let body = json!({"organisation_id": "x", "login_name": "new.user", "full_name": "李明", "roles": ["user_unit"]});
    expect_problem(app.post_as(&city, "/api/v1/users", &body).await, 403, ErrorCode::Forbidden).await;
    let org =
        json!({"name": "某局", "uscc": test_uscc(), "level": "city", "region_code": "360400", "kinds": ["user_unit"]});
    expect_problem(app.post_as(&city, "/api/v1/organisations", &org).await, 403, ErrorCode::Forbidden).await;
    expect_problem(app.get("/api/v1/users").await, 401, ErrorCode::Unauthenticated).await;
}

async fn r9_3_an_organisation_and_its_first_account_are_registered_with_a_one_time_password(app: &TestApp) {
    let admin = app.account_office().await;
    let org = provider_org(app, &admin, "360402").await;
    let created = registered(app, &admin, &org, "li.ming", json!(["data_provider"])).await;
    assert!(created.user.must_change_password);
    assert_eq!(created.user.roles, [Role::DataProvider]);
    let one_time = &created.one_time_password;

    let path = format!("/api/v1/users/{}", created.user.id);
    let fetched: User = app.get_json_as(&admin, &path).await;
    assert_eq!(fetched, created.user);
    // Read raw: the password is absent from the wire, not merely empty.
    let raw: Value = app.get_json_as(&admin, &path).await;
    assert!(raw.get("one_time_password").is_none(), "shown once only");
    let found: Page<User> = app.get_json_as(&admin, "/api/v1/users?q=li.m&role=data_provider").await;
    assert_eq!(found.items, [created.user]);
    let taken = create(app, &admin, &org, "li.ming", json!(["data_provider"])).await;
    expect_problem(taken, 409, ErrorCode::LoginNameTaken).await;

    let session = session_from(app.login("li.ming", one_time).await).await;
    expect_problem(app.get_as(&session, "/api/v1/organisations").await, 403, ErrorCode::PasswordChangeRequired).await;
    let org_seen: Organisation = app.get_json_as(&admin, &format!("/api/v1/organisations/{org}")).await;
    assert_eq!((org_seen.level, org_seen.region_code.as_str()), (RegionLevel::County, "360402"));
}

async fn r8_1_organisations_need_a_valid_code_and_a_region_of_their_level(app: &TestApp) {
    let admin = app.account_office().await;
    let post = |body: Value| {
        let request = app.client.post(app.url("/api/v1/organisations")).bearer_auth(&admin.access_token).json(&body);
        async move { request.send().await.unwrap() }
    };
    let bad_code = post(json!({"name": "某局", "uscc": "91350100M000100Y44", "level": "city", "region_code": "360400", "kinds": ["user_unit"]})).await;
    let problem = expect_problem(bad_code, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "uscc");
    let county_in_city = post(json!({"name": "某局", "uscc": test_uscc(), "level": "county", "region_code": "360400", "kinds": ["user_unit"]})).await;
    let problem = expect_problem(county_in_city, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].code, "region_level_mismatch");
    let unknown = post(json!({"name": "某局", "uscc": test_uscc(), "level": "county", "region_code": "110101", "kinds": ["user_unit"]})).await;
    expect_problem(unknown, 422, ErrorCode::ValidationFailed).await;
    let no_kind =
        post(json!({"name": "某局", "uscc": test_uscc(), "level": "city", "region_code": "360400", "kinds": []})).await;
    expect_problem(no_kind, 422, ErrorCode::ValidationFailed).await;
    let uscc = test_uscc();
    let first =
        post(json!({"name": "某局", "uscc": uscc, "level": "county", "region_code": "360481", "kinds": ["user_unit"]}))
            .await;
    assert_eq!(first.status(), 201);
    let again = post(
        json!({"name": "另一局", "uscc": uscc, "level": "county", "region_code": "360481", "kinds": ["user_unit"]}),
    )
    .await;
    expect_problem(again, 409, ErrorCode::UsccTaken).await;
}

async fn r10_1_separated_duties_and_misfit_roles_are_refused(app: &TestApp) {
    let admin = app.account_office().await;
    let org = provider_org(app, &admin, "360400").await;
    for (roles, code) in [
        (json!(["system_admin", "security_auditor"]), "role_conflict"),
        (json!(["security_auditor", "data_provider"]), "role_conflict"),
        (json!(["user_unit"]), "role_organisation_mismatch"),
        (json!(["city_credit_admin"]), "role_organisation_mismatch"),
    ] {
        let problem = expect_problem(
            create(app, &admin, &org, "wang.fang", roles.clone()).await,
            422,
            ErrorCode::ValidationFailed,
        )
        .await;
        assert_eq!(problem.errors[0].code, code, "{roles}");
    }
    let created = registered(app, &admin, &org, "wang.fang", json!(["data_provider"])).await;
    let id = created.user.id.as_str();
    let change = app.client.put(app.url(&format!("/api/v1/users/{id}/roles"))).bearer_auth(&admin.access_token);
    let problem = expect_problem(
        change.json(&json!({"roles": ["db_admin", "system_admin", "account_admin"]})).send().await.unwrap(),
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert_eq!(problem.errors[0].code, "role_conflict");
    let ok = app.client.put(app.url(&format!("/api/v1/users/{id}/roles"))).bearer_auth(&admin.access_token);
    let user: User =
        expect_json(ok.json(&json!({"roles": ["data_provider", "db_admin"]})).send().await.unwrap(), 200).await;
    assert_eq!(user.roles, [Role::DataProvider, Role::DbAdmin]);
}

async fn r9_2_deactivation_hands_over_and_takes_effect_at_once(app: &TestApp) {
    let admin = app.account_office().await;
    let org = provider_org(app, &admin, "360423").await;
    let other_org = provider_org(app, &admin, "360424").await;
    let leaving = registered(app, &admin, &org, "zhou.li", json!(["data_provider"])).await;
    let successor = registered(app, &admin, &org, "wu.gang", json!(["data_provider"])).await;
    let stranger = registered(app, &admin, &other_org, "xu.tao", json!(["data_provider"])).await;
    let leaving_id = leaving.user.id.as_str();

    let session = session_from(app.login("zhou.li", &leaving.one_time_password).await).await;
    let path = format!("/api/v1/users/{leaving_id}/deactivate");
    let wrong = app.post_as(&admin, &path, &json!({"reason": "调岗", "successor_id": stranger.user.id})).await;
    let problem = expect_problem(wrong, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "successor_id");

    let handover = app.post_as(&admin, &path, &json!({"reason": "调岗", "successor_id": successor.user.id})).await;
    let handover: Handover = expect_json(handover, 200).await;
    assert_eq!(handover.successor_id, successor.user.id);
    let items: Vec<(&str, &str)> = handover.items.iter().map(|i| (i.kind.as_str(), i.action.as_str())).collect();
    assert_eq!(items, [("session", "revoked")]);
    expect_problem(app.get_as(&session, "/api/v1/auth/me").await, 401, ErrorCode::AccountInactive).await;
    expect_problem(app.login("zhou.li", &leaving.one_time_password).await, 401, ErrorCode::InvalidCredentials).await;
    expect_problem(
        app.post_as(&admin, &path, &json!({"reason": "调岗", "successor_id": successor.user.id})).await,
        409,
        ErrorCode::AlreadyInactive,
    )
    .await;

    let reactivated = app.post_as(&admin, &format!("/api/v1/users/{leaving_id}/reactivate"), &json!({})).await;
    assert!(expect_json::<User>(reactivated, 200).await.active);
    assert_eq!(app.login("zhou.li", &leaving.one_time_password).await.status(), 200);
}

async fn r10_7_the_account_office_lifts_a_lockout_and_resets_passwords(app: &TestApp) {
    let admin = app.account_office().await;
    let org = provider_org(app, &admin, "360425").await;
    let user = registered(app, &admin, &org, "he.jun", json!(["data_provider"])).await;
    let id = user.user.id.as_str();
    for _ in 0..5 {
        app.login("he.jun", "Wrong-password-123").await;
    }
    expect_problem(app.login("he.jun", &user.one_time_password).await, 429, ErrorCode::AccountLocked).await;
    let unlocked = app
        .client
        .post(app.url(&format!("/api/v1/users/{id}/unlock")))
        .bearer_auth(&admin.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(unlocked.status(), 204);
    assert_eq!(app.login("he.jun", &user.one_time_password).await.status(), 200);

    let reset = app.post_as(&admin, &format!("/api/v1/users/{id}/reset-password"), &json!({})).await;
    let reset: UserWithPassword = expect_json(reset, 200).await;
    assert_ne!(reset.one_time_password, user.one_time_password);
    assert!(reset.user.must_change_password);
    let session = session_from(app.login("he.jun", &reset.one_time_password).await).await;
    assert!(app.me(&session).await.must_change_password);
}

async fn r10_3_expired_and_dormant_accounts_are_disabled_by_the_job(app: &TestApp) {
    app.create_user("dormant.one", PASSWORD, &[Role::UserUnit], "360400");
    app.create_user("expired.one", PASSWORD, &[Role::UserUnit], "360400");
    let fresh = {
        app.create_user("fresh.one", PASSWORD, &[Role::UserUnit], "360400");
        app.sign_in("fresh.one", PASSWORD).await
    };
    let expired_session = app.sign_in("expired.one", PASSWORD).await;
    app.execute_sql("UPDATE users SET last_login_at = '2026-01-01 00:00:00', created_at = '2026-01-01 00:00:00' WHERE login_name = 'dormant.one'");
    app.execute_sql("UPDATE users SET expires_on = '2026-01-01' WHERE login_name = 'expired.one'");
    let now = chrono::Utc::now().naive_utc();
    let mut conn = app.pool().get().unwrap();
    app.keyed(|| credit_api::identity::lifecycle::disable_expired_and_dormant(&mut conn, now, 90)).unwrap();
    // The server runs the same job at start; whichever run got there first, both accounts are disabled now.
    use credit_api::schema::users;
    use diesel::prelude::*;
    let active: Vec<(String, bool)> =
        users::table.select((users::login_name, users::active)).order(users::login_name.asc()).load(&mut conn).unwrap();
    let active: Vec<(&str, bool)> = active.iter().map(|(n, a)| (n.as_str(), *a)).collect();
    assert_eq!(active, [("dormant.one", false), ("expired.one", false), ("fresh.one", true)]);
    expect_problem(app.get_as(&expired_session, "/api/v1/auth/me").await, 401, ErrorCode::AccountInactive).await;
    expect_problem(app.login("dormant.one", PASSWORD).await, 401, ErrorCode::InvalidCredentials).await;
    assert_eq!(app.get_as(&fresh, "/api/v1/auth/me").await.status(), 200);
}

async fn r10_6_the_permission_review_lists_every_account_and_records_the_sign_off(app: &TestApp) {
    let admin = app.account_office().await;
    app.create_user("never.used", PASSWORD, &[Role::UserUnit], "360400");
    app.create_user("the.auditor", PASSWORD, &[Role::SecurityAuditor], "360400");
    let report: ReviewReport = app.get_json_as(&admin, "/api/v1/reviews/permissions/report").await;
    assert_eq!(report.accounts.len(), 3);
    let flags = |login: &str| report.accounts.iter().find(|a| a.login_name == login).unwrap().flags.clone();
    assert_eq!(flags("never.used"), [ReviewFlag::NeverLoggedIn]);
    assert_eq!(flags("office"), [ReviewFlag::Privileged]);

    expect_problem(
        app.post_as(&admin, "/api/v1/reviews/permissions", &json!({"note": ""})).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    let signed =
        app.post_as(&admin, "/api/v1/reviews/permissions", &json!({"note": "已核对全部账号,权限与岗位一致"})).await;
    let review: PermissionReview = expect_json(signed, 201).await;
    assert_eq!((review.account_count, review.flagged_count), (3, 3));

    let auditor = app.sign_in("the.auditor", PASSWORD).await;
    let reviews: Vec<PermissionReview> = app.get_json_as(&auditor, "/api/v1/reviews/permissions").await;
    assert_eq!(reviews, [review]);
    expect_problem(
        app.post_as(&auditor, "/api/v1/reviews/permissions", &json!({"note": "x"})).await,
        403,
        ErrorCode::Forbidden,
    )
    .await;
    let never_session = app.sign_in("never.used", PASSWORD).await;
    expect_problem(app.get_as(&never_session, "/api/v1/reviews/permissions/report").await, 403, ErrorCode::Forbidden)
        .await;
}

async fn r9_3_details_are_corrected_and_a_deactivated_organisation_stops_its_accounts(app: &TestApp) {
    let admin = app.account_office().await;
    let org = provider_org(app, &admin, "360426").await;
    let user = registered(app, &admin, &org, "tang.yu", json!(["data_provider"])).await;
    let id = user.user.id.as_str();
    let put = |path: String, body: Value| {
        let request = app.client.put(app.url(&path)).bearer_auth(&admin.access_token).json(&body);
        async move { request.send().await.unwrap() }
    };
    let updated = put(
        format!("/api/v1/users/{id}"),
        json!({"full_name": "唐玉", "phone": "0792-8888888", "email": "tang@example.cn", "expires_on": "2027-06-30"}),
    )
    .await;
    let updated: User = expect_json(updated, 200).await;
    assert_eq!(
        (updated.full_name.as_str(), updated.expires_on),
        ("唐玉", chrono::NaiveDate::from_ymd_opt(2027, 6, 30))
    );
    assert_eq!(updated.email.as_deref(), Some("tang@example.cn"));
    let bad = put(format!("/api/v1/users/{id}"), json!({"full_name": "唐玉", "email": "not-an-email"})).await;
    assert_eq!(expect_problem(bad, 422, ErrorCode::ValidationFailed).await.errors[0].field, "email");

    // A kind a member's role needs cannot be dropped.
    let drop_kind = put(
        format!("/api/v1/organisations/{org}"),
        json!({"name": "德安县市场监督管理局", "kinds": ["user_unit"], "active": true}),
    )
    .await;
    assert_eq!(expect_problem(drop_kind, 422, ErrorCode::ValidationFailed).await.errors[0].code, "kind_in_use");

    let session = session_from(app.login("tang.yu", &user.one_time_password).await).await;
    let stopped = put(
        format!("/api/v1/organisations/{org}"),
        json!({"name": "德安县市场监督管理局", "kinds": ["data_provider"], "active": false}),
    )
    .await;
    let stopped: Organisation = expect_json(stopped, 200).await;
    assert_eq!((stopped.name.as_str(), stopped.active), ("德安县市场监督管理局", false));
    expect_problem(app.get_as(&session, "/api/v1/auth/me").await, 401, ErrorCode::AccountInactive).await;
}

async fn r9_2_an_administrator_leaving_hands_the_api_clients_they_registered_to_the_successor(app: &TestApp) {
    let leaving = app.account_office().await;
    let me = app.me(&leaving).await;
    let successor = registered(app, &leaving, &me.organisation_id, "next.admin", json!(["account_admin"])).await;
    let provider = provider_org(app, &leaving, "360400").await;
    let client = app
        .post_as(&leaving, "/api/v1/clients", &json!({"organisation_id": provider, "name": "监管系统", "scopes": ["records:read"], "rate_limit_per_minute": 60}))
        .await;
    let client: ApiClientWithSecret = expect_json(client, 201).await;

    let next = session_from(app.login("next.admin", &successor.one_time_password).await).await;
    let next = session_from(
        app.post_as(
            &next,
            "/api/v1/auth/password",
            &json!({"current_password": successor.one_time_password, "new_password": "Successor-Takes-Over-1"}),
        )
        .await,
    )
    .await;
    let path = format!("/api/v1/users/{}/deactivate", me.id);
    let handover = app.post_as(&next, &path, &json!({"reason": "退休", "successor_id": successor.user.id})).await;
    let handover: Handover = expect_json(handover, 200).await;
    let moved: Vec<(&str, &str)> =
        handover.items.iter().filter(|i| i.kind == "api_client").map(|i| (i.id.as_str(), i.action.as_str())).collect();
    assert_eq!(moved, [(client.client.id.as_str(), "moved")]);
    expect_problem(app.get_as(&leaving, "/api/v1/auth/me").await, 401, ErrorCode::AccountInactive).await;
}

/// Concurrent writes that read first (here: registering accounts) all succeed on SQLite as on PostgreSQL.
#[actix_web::test]
async fn concurrent_account_registrations_all_succeed_on_sqlite() {
    let app = TestApp::spawn_with(credit_tests::Backend::Sqlite, credit_tests::TestOptions::default()).await.unwrap();
    let admin = app.account_office().await;
    let org = provider_org(&app, &admin, "360429").await;
    let logins: Vec<String> = (0..64).map(|n| format!("user.{n}")).collect();
    let requests = logins.iter().map(|login| create(&app, &admin, &org, login, json!(["data_provider"])));
    let statuses: Vec<u16> =
        futures_util::future::join_all(requests).await.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
}
