//! Who sees what: the whole table over HTTP — every viewer kind × level × own/other region ×
//! disclosure class × status, grants included, for read, list and amend, denials included — and a property test
//! that the rule's predicate and its SQL filter agree on generated callers, records and grants.

use credit_api::access::{self, Viewer};
use credit_api::records::rules::Draft;
use credit_api::records::store::{insert_drafts, Provider, RecordRow};
use credit_tests::{expect_json, on_both_backends, penalty, penalty_values, test_uscc, Session, TestApp, PASSWORD};
use credit_types::authorization::{AuthorizationRequest, FiledRequests};
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::identity::{OrganisationKind, Role};
use credit_types::records::{PublicSubject, PublicSubjectPage, RecordStatus, SubjectInput};
use credit_types::{Page, RegionLevel};
use diesel::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

on_both_backends!(
    r18_1_the_access_table_for_read_list_and_amend,
    r18_1_predicate_and_sql_filter_agree_on_generated_callers_and_records,
    r16_1_a_credit_service_agency_sees_no_shared_records,
    r13_1_r8_2_who_reaches_the_database_checks_and_the_sessions_overview,
);

/// A record of the matrix and what the test knows about it.
struct Known {
    id: String,
    provider: &'static str,
    region: &'static str,
    city_level: bool,
    class: &'static str,
    /// Active and within its period.
    in_force: bool,
    revoked: bool,
    /// Viewers whose organisation holds a grant listing the record (R-18.1: "through a grant").
    granted_to: Vec<Who>,
}

/// A viewer of the matrix: who it is, for the expected-outcome table below.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Anonymous,
    CityAdmin,
    CityUnit,
    CountyAdmin,
    CountyUnit,
    /// The data provider that made the 濂溪区 records.
    OwnProvider,
    /// Another data provider in the same county.
    OtherProvider,
    /// The city-level data provider.
    CityProvider,
    SystemAdmin,
    DbAdmin,
    Auditor,
    AccountAdmin,
}

/// The table of DESIGN.md, written out independently of the code under test. The separated duties (三员) read no
/// credit content at all, not even what the portal publishes.
fn may_read(who: Who, r: &Known) -> bool {
    if matches!(who, Who::SystemAdmin | Who::DbAdmin | Who::Auditor | Who::AccountAdmin) {
        return false;
    }
    let published_public = r.class == "public" && r.in_force;
    let public_or_shared = r.class != "authorized";
    published_public
        || match who {
            Who::CityAdmin => public_or_shared,
            Who::CityUnit => {
                (r.class == "shared" || (r.class == "authorized" && r.granted_to.contains(&who)))
                    && r.city_level
                    && r.in_force
            }
            Who::CountyAdmin => public_or_shared && r.region == "360402",
            Who::CountyUnit => {
                (r.class == "shared" || (r.class == "authorized" && r.granted_to.contains(&who)))
                    && r.region == "360402"
                    && r.in_force
            }
            Who::OwnProvider => r.provider == "a",
            Who::CityProvider => r.provider == "city",
            Who::Anonymous
            | Who::OtherProvider
            | Who::SystemAdmin
            | Who::DbAdmin
            | Who::Auditor
            | Who::AccountAdmin => false,
        }
}

fn may_amend(who: Who, r: &Known) -> bool {
    matches!((who, r.provider), (Who::OwnProvider, "a") | (Who::CityProvider, "city"))
}

async fn r18_1_the_access_table_for_read_list_and_amend(app: &TestApp) {
    let providers = [
        ("a", app.provider("prov_a", "360402").await, "360402", false),
        ("b", app.provider("prov_b", "360403").await, "360403", false),
        ("city", app.provider("prov_city", "360400").await, "360400", true),
    ];
    let mut records = Vec::new();
    for (name, session, region, city_level) in &providers {
        for class in ["public", "shared", "authorized"] {
            let record = app.submit(session, &penalty(&format!("九江{name}{class}有限公司"), json!(class))).await;
            records.push(Known {
                id: record.id,
                provider: name,
                region,
                city_level: *city_level,
                class,
                in_force: true,
                revoked: false,
                granted_to: Vec::new(),
            });
        }
    }
    let own = &providers[0].1;
    for class in ["public", "shared"] {
        let mut old = penalty(&format!("九江过期{class}有限公司"), json!(class));
        old["decision_date"] = json!("2020-01-01");
        old["publish_days"] = json!(90);
        let record = app.submit(own, &old).await;
        assert_eq!(record.status, RecordStatus::Expired);
        records.push(Known {
            id: record.id,
            provider: "a",
            region: "360402",
            city_level: false,
            class,
            in_force: false,
            revoked: false,
            granted_to: Vec::new(),
        });
    }
    let revoked = app.submit(own, &penalty("九江撤销有限公司", json!("public"))).await;
    let revoked_id = revoked.id;
    let response = app
        .post_if_match(own, &format!("/api/v1/records/{revoked_id}/revoke"), "\"1\"", &json!({"reason": "撤销"}))
        .await;
    assert_eq!(response.status(), 200);
    records.push(Known {
        id: revoked_id,
        provider: "a",
        region: "360402",
        city_level: false,
        class: "public",
        in_force: false,
        revoked: true,
        granted_to: Vec::new(),
    });

    let mut viewers: Vec<(Who, Option<Session>)> = vec![(Who::Anonymous, None)];
    for (who, login, role, region) in [
        (Who::CityAdmin, "city_admin", Role::CityCreditAdmin, "360400"),
        (Who::CityUnit, "city_unit", Role::UserUnit, "360400"),
        (Who::CountyAdmin, "county_admin", Role::CountyCreditAdmin, "360402"),
        (Who::CountyUnit, "county_unit", Role::UserUnit, "360402"),
        (Who::OtherProvider, "prov_other", Role::DataProvider, "360402"),
        (Who::SystemAdmin, "sys", Role::SystemAdmin, "360400"),
        (Who::DbAdmin, "db", Role::DbAdmin, "360400"),
        (Who::Auditor, "auditor", Role::SecurityAuditor, "360400"),
        (Who::AccountAdmin, "accounts", Role::AccountAdmin, "360400"),
    ] {
        app.create_user(login, PASSWORD, &[role], region);
        viewers.push((who, Some(app.sign_in(login, PASSWORD).await)));
    }
    grant_through_requests(app, &providers, &viewers, &mut records).await;
    // The owners last: their amendments change the records others are checked against.
    viewers.push((Who::CityProvider, Some(providers[2].1.clone())));
    viewers.push((Who::OwnProvider, Some(providers[0].1.clone())));

    for (who, session) in &viewers {
        // Read: 200 or 404 (never 403: the record's existence is not revealed).
        for record in &records {
            let status = match session {
                Some(s) => app.get_as(s, &format!("/api/v1/records/{}", record.id)).await.status().as_u16(),
                None => app.get(&format!("/api/v1/portal/records/{}", record.id)).await.status().as_u16(),
            };
            let expected = if may_read(*who, record) { 200 } else { 404 };
            assert_eq!(
                status,
                expected,
                "{who:?} reading a {} {} record of {}",
                record.class,
                state(record),
                record.provider
            );
        }
        // List: exactly the readable ones.
        let expected: BTreeSet<String> = records.iter().filter(|r| may_read(*who, r)).map(|r| r.id.clone()).collect();
        let listed: BTreeSet<String> = match session {
            Some(s) => app.record_ids(s, "/api/v1/records?limit=500").await,
            None => {
                let found: Page<PublicSubject> =
                    app.get_json("/api/v1/portal/subjects?q=%E4%B9%9D%E6%B1%9F&limit=50").await;
                let mut ids = Vec::new();
                for subject in found.items {
                    let page: PublicSubjectPage =
                        app.get_json(&format!("/api/v1/portal/subjects/{}", subject.id)).await;
                    ids.extend(page.records.into_iter().map(|r| r.id));
                }
                ids
            }
        }
        .into_iter()
        .collect();
        assert_eq!(listed, expected, "{who:?} listing");
    }

    // Amend: 200 for the own provider (409 once revoked), 403 for those who see but may not change, 404 otherwise.
    for (who, session) in &viewers {
        for record in &records {
            let body = json!({"values": penalty_values("改-1"), "decision_date": "2026-10-09", "reason": "矩阵测试更正",
                "disclosure_class": record.class, "publish_days": 90});
            let path = format!("/api/v1/records/{}", record.id);
            let status = match session {
                Some(s) => app.put_as(s, &path, "\"1\"", &body).await.status().as_u16(),
                None => app
                    .client
                    .put(app.url(&path))
                    .header("if-match", "\"1\"")
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            };
            let expected = match (session, may_read(*who, record), may_amend(*who, record)) {
                (None, _, _) => 401,
                (_, false, _) => 404,
                (_, true, false) => 403,
                (_, true, true) if record.revoked => 409,
                (_, true, true) => 200,
            };
            assert_eq!(
                status,
                expected,
                "{who:?} amending a {} {} record of {}",
                record.class,
                state(record),
                record.provider
            );
        }
    }
}

/// R-18.1 "through a grant": the city user unit gets the city's authorised-use record and the county user unit
/// 濂溪区's, each by request and approval. The county unit's grant is then made to list records it could never
/// have asked for (another county's, a city-level one): the rule must still refuse those.
async fn grant_through_requests(
    app: &TestApp,
    providers: &[(&str, Session, &str, bool)],
    viewers: &[(Who, Option<Session>)],
    records: &mut [Known],
) {
    let office = app.signed_in("office", Role::CityCreditAdmin, "360400").await;
    for (unit, provider) in [(Who::CityUnit, "city"), (Who::CountyUnit, "a")] {
        let session = viewers.iter().find(|(w, _)| *w == unit).and_then(|(_, s)| s.clone()).unwrap();
        let organisation = app.organisation_of(&session).await;
        let agreement = json!({
            "organisation_id": organisation, "document_no": "九信用协〔2026〕1号", "catalog_items": ["ADM_PENALTY"],
            "purposes": ["supervision_enforcement"], "valid_from": "2026-01-01", "valid_to": "2027-12-31",
        });
        assert_eq!(app.post_as(&office, "/api/v1/agreements", &agreement).await.status(), 201);
        let record = records.iter_mut().find(|r| r.provider == provider && r.class == "authorized").unwrap();
        let request = json!({"records": [record.id], "purpose": "supervision_enforcement",
            "legal_basis": "《九江市公共信用信息管理办法》第十八条", "period_days": 30});
        let filed: FiledRequests =
            expect_json(app.post_as(&session, "/api/v1/authorization/requests", &request).await, 201).await;
        let request_id = &filed.requests[0].id;
        let provider_session = &providers.iter().find(|p| p.0 == provider).unwrap().1;
        let approved = app
            .post_as(provider_session, &format!("/api/v1/authorization/requests/{request_id}/approve"), &json!({}))
            .await;
        let approved: AuthorizationRequest = expect_json(approved, 200).await;
        record.granted_to.push(unit);
        if unit == Who::CountyUnit {
            let grant = approved.grant_id.unwrap();
            for other in records.iter_mut().filter(|r| r.class == "authorized" && r.provider != "a") {
                app.execute_sql(&format!(
                    "INSERT INTO grant_records (grant_id, record_id) VALUES ('{grant}', '{}')",
                    other.id
                ));
                other.granted_to.push(unit);
            }
        }
    }
}

fn state(record: &Known) -> &'static str {
    match (record.revoked, record.in_force) {
        (true, _) => "revoked",
        (false, true) => "active",
        (false, false) => "expired",
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

async fn r18_1_predicate_and_sql_filter_agree_on_generated_callers_and_records(app: &TestApp) {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let now = credit_api::clock::now();
    let today = credit_api::clock::today();
    let regions = ["360400", "360402", "360403", "360404"];
    let mut organisations = Vec::new();
    for (i, region) in regions.iter().enumerate() {
        for j in 0..2 {
            let level = if *region == "360400" { RegionLevel::City } else { RegionLevel::County };
            let uscc = test_uscc();
            let name = format!("生成单位{i}{j}");
            let new = credit_api::identity::store::NewOrganisation {
                name: &name,
                uscc: &uscc,
                level,
                region_code: region,
                kinds: &[OrganisationKind::DataProvider],
            };
            let id = credit_api::identity::store::insert_organisation(&mut conn, &new, None, now).unwrap();
            organisations.push((id, level, region.to_string()));
        }
    }
    let item = credit_api::catalog::store::current_by_code(&mut conn, "ADM_PENALTY").unwrap().unwrap();
    let mut rng = Rng(0x5EED_2026);
    let statuses = RecordStatus::ALL;
    let dates = [
        today - chrono::Duration::days(1),
        today,
        today + chrono::Duration::days(1),
        today + chrono::Duration::days(400),
    ];
    for (id, level, region) in &organisations {
        let provider =
            Provider { organisation_id: id.clone(), region_code: region.clone(), level: *level, user_id: "gen".into() };
        let drafts: Vec<Draft> = (0..30)
            .map(|n| Draft {
                subject: SubjectInput {
                    kind: SubjectKind::LegalPerson,
                    code: test_uscc(),
                    name: format!("生成主体{n}"),
                },
                decision_date: today - chrono::Duration::days(30),
                class: *rng.pick(&DisclosureClass::ALL),
                publish_until: *rng.pick(&dates),
                status: *rng.pick(&statuses),
                provider_ref: None,
                values: BTreeMap::from([("penalty_doc_no".to_owned(), format!("G-{n}"))]),
                content_hash: format!("h{n}"),
            })
            .collect();
        insert_drafts(&mut conn, &item, &provider, &drafts, now).unwrap();
    }
    let rows: Vec<RecordRow> =
        credit_api::schema::records::table.select(RecordRow::as_select()).load(&mut conn).unwrap();
    assert_eq!(rows.len(), 240);
    let all_roles = [
        Role::CityCreditAdmin,
        Role::CountyCreditAdmin,
        Role::UserUnit,
        Role::DataProvider,
        Role::AccountAdmin,
        Role::SystemAdmin,
        Role::DbAdmin,
        Role::SecurityAuditor,
    ];
    let mut viewers = vec![Viewer::Anonymous];
    for _ in 0..120 {
        let (organisation_id, level, region_code) = if rng.next() % 4 == 0 {
            // An organisation that provided nothing.
            let region = rng.pick(&regions).to_string();
            let level = if region == "360400" { RegionLevel::City } else { RegionLevel::County };
            ("someone-else".to_owned(), level, region)
        } else {
            rng.pick(&organisations).clone()
        };
        let roles: Vec<Role> = all_roles.iter().copied().filter(|_| rng.next() % 3 == 0).collect();
        let government_unit = rng.next() % 5 != 0;
        viewers.push(Viewer::Staff { organisation_id, level, region_code, roles, government_unit });
    }
    let grants = generate_grants(app, &mut conn, &mut rng, &organisations, &rows, now);
    assert!(grants > 0);
    let all_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut through_grants = 0;
    for viewer in &viewers {
        let held = access::grants::held(&mut conn, viewer, &all_ids).unwrap();
        let by_predicate: BTreeSet<&str> = rows
            .iter()
            .filter(|r| {
                let grants = held.get(&r.id).map(Vec::as_slice).unwrap_or_default();
                let basis = access::read_basis(viewer, &r.facts_with(grants), now);
                through_grants += usize::from(matches!(basis, Some(access::ReadBasis::Grant(_))));
                basis.is_some()
            })
            .map(|r| r.id.as_str())
            .collect();
        let by_filter: BTreeSet<String> = credit_api::schema::records::table
            .filter(access::readable(viewer, now))
            .select(credit_api::schema::records::id)
            .load::<String>(&mut conn)
            .unwrap()
            .into_iter()
            .collect();
        let by_filter: BTreeSet<&str> = by_filter.iter().map(String::as_str).collect();
        assert_eq!(by_predicate, by_filter, "predicate and filter disagree for {viewer:?}");
        let counted: i64 = credit_api::schema::records::table
            .filter(access::readable(viewer, now))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(counted as usize, by_predicate.len(), "counts agree for {viewer:?}");
    }
    assert!(through_grants > 0, "some generated reads go through a grant");
}

/// grants of every state (in force, expired, revoked) over random records, held by the generated
/// organisations, so the agreement of predicate and filter covers the grant input too. Returns how many.
fn generate_grants(
    app: &TestApp,
    conn: &mut credit_api::db::Db,
    rng: &mut Rng,
    organisations: &[(String, RegionLevel, String)],
    rows: &[RecordRow],
    now: chrono::NaiveDateTime,
) -> usize {
    use credit_api::schema::{authorization_requests, grant_records, grants, usage_agreements};
    let requester = app.create_user("gen.requester", PASSWORD, &[Role::UserUnit], "360402");
    let expiries =
        [now - chrono::Duration::hours(1), now + chrono::Duration::seconds(5), now + chrono::Duration::days(30)];
    let mut made = 0;
    for (n, (grantee, _, _)) in organisations.iter().enumerate() {
        let agreement = format!("gen-agreement-{n}");
        diesel::insert_into(usage_agreements::table)
            .values((
                usage_agreements::id.eq(&agreement),
                usage_agreements::organisation_id.eq(grantee),
                usage_agreements::document_no.eq("生成协议"),
                usage_agreements::valid_from.eq(now.date()),
                usage_agreements::valid_to.eq(now.date()),
                usage_agreements::status.eq("active"),
                usage_agreements::created_at.eq(now),
                usage_agreements::created_by.eq("gen"),
                usage_agreements::updated_at.eq(now),
                usage_agreements::updated_by.eq("gen"),
            ))
            .execute(conn)
            .unwrap();
        for g in 0..4 {
            let id = format!("gen-{n}-{g}");
            let provider = &rng.pick(organisations).0;
            diesel::insert_into(authorization_requests::table)
                .values((
                    authorization_requests::id.eq(&id),
                    authorization_requests::group_id.eq(&id),
                    authorization_requests::requester_id.eq(&requester),
                    authorization_requests::requester_org_id.eq(grantee),
                    authorization_requests::provider_org_id.eq(provider),
                    authorization_requests::agreement_id.eq(&agreement),
                    authorization_requests::purpose.eq("administrative_approval"),
                    authorization_requests::legal_basis.eq("生成"),
                    authorization_requests::period_days.eq(30),
                    authorization_requests::status.eq("approved"),
                    authorization_requests::created_at.eq(now),
                    authorization_requests::decide_by.eq(now.date()),
                ))
                .execute(conn)
                .unwrap();
            let revoked = rng.next() % 4 == 0;
            diesel::insert_into(grants::table)
                .values((
                    grants::id.eq(&id),
                    grants::request_id.eq(&id),
                    grants::grantee_org_id.eq(grantee),
                    grants::provider_org_id.eq(provider),
                    grants::purpose.eq("administrative_approval"),
                    grants::legal_basis.eq("生成"),
                    grants::granted_at.eq(now - chrono::Duration::days(1)),
                    grants::granted_by.eq("gen"),
                    grants::expires_at.eq(*rng.pick(&expiries)),
                    grants::revoked_at.eq(revoked.then_some(now)),
                ))
                .execute(conn)
                .unwrap();
            let mut picked = BTreeSet::new();
            for _ in 0..40 {
                picked.insert(rng.pick(rows).id.clone());
            }
            for record in picked {
                diesel::insert_into(grant_records::table)
                    .values((grant_records::grant_id.eq(&id), grant_records::record_id.eq(record)))
                    .execute(conn)
                    .unwrap();
            }
            made += 1;
        }
    }
    made
}

async fn r16_1_a_credit_service_agency_sees_no_shared_records(app: &TestApp) {
    let city = app.provider("prov_city", "360400").await;
    let shared = app.submit(&city, &penalty("九江共享记录有限公司", json!("shared"))).await;
    let public = app.submit(&city, &penalty("九江公开记录有限公司", json!("public"))).await;
    app.create_user("agency", PASSWORD, &[Role::UserUnit], "360400");
    // The account's organisation becomes a credit service agency and nothing else.
    app.execute_sql(
        "UPDATE organisation_kinds SET kind = 'credit_service_agency' WHERE organisation_id = \
         (SELECT organisation_id FROM users WHERE login_name = 'agency')",
    );
    let agency = app.sign_in("agency", PASSWORD).await;
    let shared_path = format!("/api/v1/records/{}", shared.id);
    assert_eq!(app.get_as(&agency, &shared_path).await.status(), 404, "政务共享 is for government units");
    assert_eq!(app.record_ids(&agency, "/api/v1/records").await, [public.id]);
    let unit = app.signed_in("unit", Role::UserUnit, "360400").await;
    assert_eq!(app.get_as(&unit, &shared_path).await.status(), 200, "a government user unit does see it");
}

/// One endpoint of the operations matrix: method, path, the roles admitted and the status they get; every other
/// role gets 403 and an anonymous caller 401.
struct Endpoint {
    method: reqwest::Method,
    path: String,
    body: Option<serde_json::Value>,
    allowed: &'static [Role],
    success: u16,
}

/// The database administrator's checks (R-13.1: database administrators keep them, the security auditor reads
/// them) and the sessions overview (R-8.2: the account office and the security auditor read it, the account office
/// ends sessions), for every role.
async fn r13_1_r8_2_who_reaches_the_database_checks_and_the_sessions_overview(app: &TestApp) {
    use credit_types::dbadmin::{DbCheckRecord, DbSnapshot};
    use reqwest::Method;
    let roles = [
        (Role::CityCreditAdmin, "360400"),
        (Role::CountyCreditAdmin, "360402"),
        (Role::UserUnit, "360402"),
        (Role::DataProvider, "360402"),
        (Role::AccountAdmin, "360400"),
        (Role::SystemAdmin, "360400"),
        (Role::DbAdmin, "360400"),
        (Role::SecurityAuditor, "360400"),
    ];
    let mut sessions = Vec::new();
    for (role, region) in roles {
        sessions.push((role, app.signed_in(&format!("matrix_{}", role.as_str()), role, region).await));
    }
    let dba = &sessions.iter().find(|(r, _)| *r == Role::DbAdmin).unwrap().1;
    let taken = app.client.post(app.url("/api/v1/ops/database/snapshots")).bearer_auth(&dba.access_token);
    let snapshot: DbSnapshot = expect_json(taken.send().await.unwrap(), 201).await;
    let body = json!({"state": "normal"});
    let check: DbCheckRecord = expect_json(app.post_as(dba, "/api/v1/ops/database/checks", &body).await, 201).await;
    let endpoint = |method: Method, path: &str, allowed: &'static [Role], success: u16| Endpoint {
        method,
        path: path.to_owned(),
        body: None,
        allowed,
        success,
    };
    const KEEPS_DB: &[Role] = &[Role::DbAdmin];
    const READS_DB: &[Role] = &[Role::DbAdmin, Role::SecurityAuditor];
    const READS_SESSIONS: &[Role] = &[Role::AccountAdmin, Role::SecurityAuditor];
    let endpoints = [
        endpoint(Method::GET, "/api/v1/ops/database/snapshots/latest", READS_DB, 200),
        endpoint(Method::GET, "/api/v1/ops/database/snapshots", READS_DB, 200),
        endpoint(Method::GET, &format!("/api/v1/ops/database/snapshots/{}", snapshot.id), READS_DB, 200),
        endpoint(Method::POST, "/api/v1/ops/database/snapshots", KEEPS_DB, 201),
        endpoint(Method::GET, "/api/v1/ops/database/checks", READS_DB, 200),
        endpoint(Method::GET, &format!("/api/v1/ops/database/checks/{}", check.id), READS_DB, 200),
        Endpoint { body: Some(body.clone()), ..endpoint(Method::POST, "/api/v1/ops/database/checks", KEEPS_DB, 201) },
        endpoint(Method::GET, "/api/v1/sessions", READS_SESSIONS, 200),
    ];
    for Endpoint { method, path, body, allowed, success } in &endpoints {
        for (role, session) in &sessions {
            let mut request = app.client.request(method.clone(), app.url(path)).bearer_auth(&session.access_token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            let expected = if allowed.contains(role) { *success } else { 403 };
            assert_eq!(status, expected, "{role:?}: {method} {path}");
        }
        let anonymous = app.client.request(method.clone(), app.url(path)).send().await.unwrap().status();
        assert_eq!(anonymous, 401, "anonymous: {method} {path}");
    }
    // Ending a session: the account office only, each time a victim's open session.
    for (role, session) in &sessions {
        let victim = app.sign_in(&format!("matrix_{}", Role::UserUnit.as_str()), PASSWORD).await;
        let claims = victim.access_token.split('.').nth(1).unwrap().to_owned();
        let claims: serde_json::Value = serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims).unwrap(),
        )
        .unwrap();
        let path = format!("/api/v1/sessions/{}", claims["sid"].as_str().unwrap());
        let status = app.client.delete(app.url(&path)).bearer_auth(&session.access_token).send().await.unwrap();
        let expected = if *role == Role::AccountAdmin { 204 } else { 403 };
        assert_eq!(status.status().as_u16(), expected, "{role:?}: DELETE {path}");
        assert_eq!(app.client.delete(app.url(&path)).send().await.unwrap().status(), 401, "anonymous: DELETE");
    }
}
