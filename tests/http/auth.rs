//! Signing in, tokens and passwords over HTTP (R-9.1, R-10.2, R-10.4, R-10.5, R-10.7), on both databases.

use base64::Engine;
use credit_api::identity::admin::{create_admin, CreateAdminArgs};
use credit_tests::{expect_problem, on_both_backends, refresh_cookie, session_from, test_uscc, Session, TestApp};
use credit_types::identity::{Organisation, OrganisationKind, Role};
use credit_types::ErrorCode;
use credit_types::Page;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{json, Value};

on_both_backends!(
    r10_2_migrations_create_no_account,
    r10_2_the_first_admin_must_replace_the_one_time_password_before_anything_else,
    r10_4_each_broken_password_rule_is_a_field_error_with_its_own_code,
    r10_5_the_last_five_passwords_cannot_be_reused,
    r10_7_a_bad_sign_in_says_nothing_about_which_names_exist,
    r10_7_five_failures_lock_the_login_name_for_fifteen_minutes,
    r9_1_refresh_rotates_and_reusing_an_old_token_closes_the_session,
    r9_1_signing_out_voids_the_access_token_at_once,
    r9_1_a_password_change_voids_older_tokens,
    r9_1_deactivation_takes_effect_at_once,
    r10_1_forged_and_expired_access_tokens_are_refused,
    r3_1_sign_ins_are_audited_in_an_intact_chain,
);

const PASSWORD: &str = "Lushan-Mountain-2026";

fn user(app: &TestApp, login: &str) -> Session {
    app.create_user(login, PASSWORD, &[Role::UserUnit], "360400");
    Session { access_token: String::new(), refresh_token: String::new() }
}

async fn signed_in(app: &TestApp, login: &str) -> Session {
    user(app, login);
    app.sign_in(login, PASSWORD).await
}

async fn r10_2_migrations_create_no_account(app: &TestApp) {
    use credit_api::schema::users;
    let count: i64 = users::table.count().get_result(&mut app.pool().get().unwrap()).unwrap();
    assert_eq!(count, 0);
    expect_problem(app.login("admin", "admin").await, 401, ErrorCode::InvalidCredentials).await;
}

async fn r10_2_the_first_admin_must_replace_the_one_time_password_before_anything_else(app: &TestApp) {
    let args = CreateAdminArgs {
        login_name: "admin".into(),
        full_name: "王五".into(),
        organisation: "九江市人民政府信息化办公室".into(),
        uscc: test_uscc(),
        region: "360400".into(),
        phone: None,
        email: None,
    };
    let pool = app.pool();
    let created = app.keyed(|| create_admin(&mut pool.get().unwrap(), &args)).unwrap();
    assert!(
        app.keyed(|| create_admin(&mut pool.get().unwrap(), &args)).is_err(),
        "only the first admin comes from the command"
    );

    let response = app.login("admin", &created.one_time_password).await;
    let session = session_from(response).await;
    let me = app.me(&session).await;
    assert!(me.must_change_password);
    assert_eq!(me.roles, [Role::AccountAdmin]);
    expect_problem(app.get_as(&session, "/api/v1/organisations").await, 403, ErrorCode::PasswordChangeRequired).await;

    let changed = app
        .post_as(
            &session,
            "/api/v1/auth/password",
            &json!({"current_password": created.one_time_password, "new_password": PASSWORD}),
        )
        .await;
    let session = session_from(changed).await;
    let organisations: Page<Organisation> = app.get_json_as(&session, "/api/v1/organisations").await;
    assert_eq!(organisations.items[0].name, "九江市人民政府信息化办公室");
    assert_eq!(organisations.items[0].kinds, [OrganisationKind::AccountOffice]);
}

async fn r10_4_each_broken_password_rule_is_a_field_error_with_its_own_code(app: &TestApp) {
    let session = signed_in(app, "li.si").await;
    let cases = [
        ("Sh0rt!pass", "password_too_short"),
        ("onlylowercaseletters", "password_too_few_classes"),
        ("Li.si-is-my-name-1", "password_contains_login_name"),
        ("Password123!", "password_common"),
        (PASSWORD, "password_reused"),
    ];
    for (new_password, code) in cases {
        let response = app
            .post_as(
                &session,
                "/api/v1/auth/password",
                &json!({"current_password": PASSWORD, "new_password": new_password}),
            )
            .await;
        let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
        assert!(problem.errors.iter().all(|e| e.field == "new_password"), "{problem:?}");
        assert!(problem.errors.iter().any(|e| e.code == code), "{new_password}: {problem:?}");
        assert!(problem.errors.iter().all(|e| !e.message.is_empty()));
    }
    let wrong = app
        .post_as(
            &session,
            "/api/v1/auth/password",
            &json!({"current_password": "not-it", "new_password": "Xunyang-Lake-2026"}),
        )
        .await;
    let problem = expect_problem(wrong, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(
        (problem.errors[0].field.as_str(), problem.errors[0].code.as_str()),
        ("current_password", "password_incorrect")
    );
}

async fn r10_5_the_last_five_passwords_cannot_be_reused(app: &TestApp) {
    let mut session = signed_in(app, "zhao.liu").await;
    let mut current = PASSWORD.to_owned();
    let mut used = vec![current.clone()];
    for n in 1..=5 {
        let next = format!("Poyang-Lake-{n}-2026");
        let response = app
            .post_as(&session, "/api/v1/auth/password", &json!({"current_password": current, "new_password": next}))
            .await;
        session = session_from(response).await;
        used.push(next.clone());
        current = next;
    }
    // The five most recent (current included) are refused; the sixth most recent is allowed again.
    for old in used.iter().rev().take(5) {
        let response = app
            .post_as(&session, "/api/v1/auth/password", &json!({"current_password": current, "new_password": old}))
            .await;
        let problem = expect_problem(response, 422, ErrorCode::ValidationFailed).await;
        assert_eq!(problem.errors[0].code, "password_reused", "{old}");
    }
    let response = app
        .post_as(&session, "/api/v1/auth/password", &json!({"current_password": current, "new_password": used[0]}))
        .await;
    assert_eq!(response.status(), 200);
}

async fn r10_7_a_bad_sign_in_says_nothing_about_which_names_exist(app: &TestApp) {
    user(app, "qian.qi");
    let wrong_password =
        expect_problem(app.login("qian.qi", "Not-the-password-1").await, 401, ErrorCode::InvalidCredentials).await;
    let unknown_name =
        expect_problem(app.login("nobody.here", "Not-the-password-1").await, 401, ErrorCode::InvalidCredentials).await;
    assert_eq!(wrong_password.detail, unknown_name.detail);
    assert_eq!(wrong_password.title, unknown_name.title);
}

async fn r10_7_five_failures_lock_the_login_name_for_fifteen_minutes(app: &TestApp) {
    user(app, "sun.ba");
    for _ in 0..5 {
        expect_problem(app.login("sun.ba", "Wrong-password-123").await, 401, ErrorCode::InvalidCredentials).await;
    }
    let locked = app.login("sun.ba", PASSWORD).await;
    let retry_after: u64 = locked.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!(retry_after > 14 * 60 && retry_after <= 15 * 60, "{retry_after}");
    expect_problem(locked, 429, ErrorCode::AccountLocked).await;
    // An unknown name locks the same way, so a lockout reveals nothing either.
    for _ in 0..5 {
        expect_problem(app.login("ghost", "Wrong-password-123").await, 401, ErrorCode::InvalidCredentials).await;
    }
    expect_problem(app.login("ghost", "Wrong-password-123").await, 429, ErrorCode::AccountLocked).await;
    // When the lock has passed, the right password works again (here: the failures are made older).
    app.execute_sql("UPDATE login_failures SET occurred_at = '2000-01-01 00:00:00'");
    assert_eq!(app.login("sun.ba", PASSWORD).await.status(), 200);
}

async fn r9_1_refresh_rotates_and_reusing_an_old_token_closes_the_session(app: &TestApp) {
    let first = signed_in(app, "zhou.jiu").await;
    let response = app.refresh(&first.refresh_token).await;
    let second = session_from(response).await;
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(app.get_as(&second, "/api/v1/auth/me").await.status(), 200);

    let reused = app.refresh(&first.refresh_token).await;
    assert_eq!(refresh_cookie(&reused).as_deref(), Some(""), "the cookie is cleared");
    expect_problem(reused, 401, ErrorCode::RefreshTokenReused).await;
    // The whole family is closed: the newer refresh token and the access tokens stop working too.
    expect_problem(app.refresh(&second.refresh_token).await, 401, ErrorCode::SessionEnded).await;
    expect_problem(app.get_as(&second, "/api/v1/auth/me").await, 401, ErrorCode::SessionEnded).await;
    expect_problem(app.refresh("made-up-token").await, 401, ErrorCode::SessionEnded).await;
    let no_cookie = app.client.post(app.url("/api/v1/auth/refresh")).send().await.unwrap();
    expect_problem(no_cookie, 401, ErrorCode::SessionEnded).await;
}

async fn r9_1_signing_out_voids_the_access_token_at_once(app: &TestApp) {
    let session = signed_in(app, "wu.shi").await;
    let other = app.sign_in("wu.shi", PASSWORD).await;
    let response =
        app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&session.access_token).send().await.unwrap();
    assert_eq!(response.status(), 204);
    expect_problem(app.get_as(&session, "/api/v1/auth/me").await, 401, ErrorCode::SessionEnded).await;
    expect_problem(app.refresh(&session.refresh_token).await, 401, ErrorCode::SessionEnded).await;
    assert_eq!(app.get_as(&other, "/api/v1/auth/me").await.status(), 200, "other sessions go on");
}

async fn r9_1_a_password_change_voids_older_tokens(app: &TestApp) {
    let session = signed_in(app, "zheng.yi").await;
    let other = app.sign_in("zheng.yi", PASSWORD).await;
    let changed = app
        .post_as(
            &session,
            "/api/v1/auth/password",
            &json!({"current_password": PASSWORD, "new_password": "Gongqing-City-2026"}),
        )
        .await;
    let fresh = session_from(changed).await;
    expect_problem(app.get_as(&session, "/api/v1/auth/me").await, 401, ErrorCode::InvalidToken).await;
    expect_problem(app.get_as(&other, "/api/v1/auth/me").await, 401, ErrorCode::InvalidToken).await;
    expect_problem(app.refresh(&other.refresh_token).await, 401, ErrorCode::SessionEnded).await;
    assert_eq!(app.get_as(&fresh, "/api/v1/auth/me").await.status(), 200);
    expect_problem(app.login("zheng.yi", PASSWORD).await, 401, ErrorCode::InvalidCredentials).await;
}

async fn r9_1_deactivation_takes_effect_at_once(app: &TestApp) {
    let session = signed_in(app, "feng.er").await;
    app.execute_sql("UPDATE users SET active = FALSE WHERE login_name = 'feng.er'");
    expect_problem(app.get_as(&session, "/api/v1/auth/me").await, 401, ErrorCode::AccountInactive).await;
    expect_problem(app.refresh(&session.refresh_token).await, 401, ErrorCode::AccountInactive).await;
    expect_problem(app.login("feng.er", PASSWORD).await, 401, ErrorCode::InvalidCredentials).await;
}

async fn r10_1_forged_and_expired_access_tokens_are_refused(app: &TestApp) {
    let session = signed_in(app, "chen.san").await;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let parts: Vec<&str> = session.access_token.split('.').collect();
    // The token's claims have no shared type: they are read and forged as raw JSON.
    let payload: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    let alg_none = format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), parts[1]);
    let mut longer = payload.clone();
    longer["exp"] = json!(payload["exp"].as_i64().unwrap() + 86_400);
    let tampered = format!("{}.{}.{}", parts[0], b64(&serde_json::to_vec(&longer).unwrap()), parts[2]);
    let key = jsonwebtoken::EncodingKey::from_secret(b"some-other-key-some-other-key-some-other");
    let wrong_key = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &payload, &key).unwrap();
    let mut old = payload.clone();
    old["iat"] = json!(payload["iat"].as_i64().unwrap() - 3_600);
    old["exp"] = json!(payload["iat"].as_i64().unwrap() - 1_800);
    let expired_with_wrong_key = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &old, &key).unwrap();

    for (name, token) in [
        ("alg none", alg_none),
        ("tampered", tampered),
        ("wrong key", wrong_key),
        ("expired", expired_with_wrong_key),
        ("garbage", "x.y.z".into()),
    ] {
        let response = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&token).send().await.unwrap();
        assert!(response.headers().get("www-authenticate").is_some(), "{name}");
        expect_problem(response, 401, ErrorCode::InvalidToken).await;
    }
    let basic = app.client.get(app.url("/api/v1/auth/me")).header("authorization", "Basic YTpi").send().await.unwrap();
    expect_problem(basic, 401, ErrorCode::InvalidToken).await;
    expect_problem(app.get("/api/v1/auth/me").await, 401, ErrorCode::Unauthenticated).await;
}

async fn r3_1_sign_ins_are_audited_in_an_intact_chain(app: &TestApp) {
    use credit_api::schema::audit_events;
    signed_in(app, "wei.wu").await;
    expect_problem(app.login("wei.wu", "Wrong-password-123").await, 401, ErrorCode::InvalidCredentials).await;
    let actions: Vec<(String, String)> = audit_events::table
        .order(audit_events::seq.asc())
        .select((audit_events::action, audit_events::outcome))
        .load(&mut app.pool().get().unwrap())
        .unwrap();
    assert_eq!(actions, [("auth.login".into(), "success".into()), ("auth.login".into(), "failure".into())]);
    let verification = app.verify_audit_trail();
    assert!(verification.intact(), "{verification:?}");
    assert_eq!((verification.checked, verification.first_broken), (2, None));
}
