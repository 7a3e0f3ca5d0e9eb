//! Demo data (`credit-api seed-demo`): what it makes, that every record passes the checks of a real submission,
//! the published password of the demo accounts inside and outside demo mode, and the refusal of a database that
//! holds real data.

use crate::portal::{urlencode, value_of};
use credit_api::catalog::store as catalog;
use credit_api::demo::seed::{
    units, Generator, ACCOUNTS, SHOWCASE_COMPANY, SHOWCASE_COMPANY_USCC, SHOWCASE_PERSON, SHOWCASE_PERSON_ADDRESS,
    SHOWCASE_PERSON_ID, SHOWCASE_REPRESENTATIVE_ID,
};
use credit_api::demo::{self, Existing, SeedError, DEFAULT_SEED, DEMO_PASSWORD};
use credit_api::records::rules::{draft, Submission};
use credit_api::records::store::{RecordRow, SubjectRow};
use credit_api::schema::{audit_events, organisations, records, subjects, users};
use credit_tests::{expect_json, expect_problem, on_both_backends, session_from, Backend, TestApp, TestOptions};
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::identity::{Role, TokenResponse};
use credit_types::records::{
    PublicRecord, PublicSubject, PublicSubjectPage, RecordStatus, RecordSummary, SubjectInput,
};
use credit_types::{ErrorCode, Page};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

const RECORDS: u32 = 300;

fn seed(app: &TestApp) -> demo::Summary {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    app.keyed(|| demo::seed(&mut conn, RECORDS, DEFAULT_SEED, app.contact_key())).unwrap()
}

fn count<T>(app: &TestApp, query: impl FnOnce(&mut credit_api::db::Db) -> QueryResult<T>) -> T {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    query(&mut conn).unwrap()
}

async fn seeding_makes_units_accounts_and_records_of_every_catalog_item(app: &TestApp) {
    let summary = seed(app);
    assert_eq!(summary.records, RECORDS as usize);
    assert_eq!(summary.organisations, units().len());
    assert!(summary.expired > 0, "some records are past their publication period");
    let (all_orgs, demo_orgs): (i64, i64) = count(app, |c| {
        Ok((
            organisations::table.count().get_result(c)?,
            organisations::table.filter(organisations::demo.eq(true)).count().get_result(c)?,
        ))
    });
    assert_eq!((all_orgs, demo_orgs), (units().len() as i64, units().len() as i64));
    assert!((30..=45).contains(&all_orgs), "about 30 organisations: {all_orgs}");
    let logins: Vec<(String, bool, bool)> =
        count(app, |c| users::table.select((users::login_name, users::demo, users::must_change_password)).load(c));
    let names: HashSet<&str> = logins.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(names, ACCOUNTS.iter().map(|a| a.login_name).collect::<HashSet<_>>());
    assert!(logins.iter().all(|(_, demo, must_change)| *demo && !*must_change), "{logins:?}");

    let rows: Vec<(String, String, String)> = count(app, |c| {
        records::table
            .inner_join(subjects::table)
            .select((records::catalog_item_id, subjects::kind, subjects::code))
            .load(c)
    });
    assert_eq!(rows.len(), RECORDS as usize);
    let items: HashSet<&str> = rows.iter().map(|(item, _, _)| item.as_str()).collect();
    let catalog_items = count(app, |c| catalog::list_current(c).map_err(|_| diesel::result::Error::NotFound));
    assert_eq!(items.len(), catalog_items.len(), "records of every catalog item");
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    for (_, kind, _) in &rows {
        *per_kind.entry(kind.as_str()).or_default() += 1;
    }
    let legal = per_kind.get("legal_person").copied().unwrap_or(0);
    assert!(legal > RECORDS as usize / 2, "mostly organisations: {per_kind:?}");
    assert!(per_kind.get("natural_person").is_some_and(|n| *n > 0), "{per_kind:?}");
    assert!(per_kind.get("individual_business").is_some_and(|n| *n > 0), "{per_kind:?}");
    let subject_count = rows.iter().map(|(_, _, code)| code).collect::<HashSet<_>>().len() as u32;
    assert!(
        (RECORDS / 5..=RECORDS / 3 + 2).contains(&subject_count),
        "about one subject per three records: {subject_count}"
    );
    let regions: HashSet<String> =
        count(app, |c| records::table.select(records::jurisdiction_region).distinct().load(c)).into_iter().collect();
    assert!(regions.len() > 5, "records across the counties: {regions:?}");
    let seeded: i64 =
        count(app, |c| audit_events::table.filter(audit_events::action.eq("demo.seed")).count().get_result(c));
    assert_eq!(seeded, 1);
}

async fn r6_1_every_demo_record_passes_the_checks_of_a_submission(app: &TestApp) {
    seed(app);
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let rows: Vec<(RecordRow, SubjectRow)> = records::table
        .inner_join(subjects::table)
        .select((RecordRow::as_select(), SubjectRow::as_select()))
        .load(&mut conn)
        .unwrap();
    let today = credit_api::clock::today();
    let mut definitions = HashMap::new();
    for (row, subject) in rows {
        let definition = definitions
            .entry((row.catalog_item_id.clone(), row.catalog_version))
            .or_insert_with(|| catalog::version(&mut conn, &row.catalog_item_id, row.catalog_version).unwrap());
        let submission = Submission {
            subject: SubjectInput { kind: subject.kind(), code: subject.code.clone(), name: subject.name.clone() },
            decision_date: row.decision_date,
            class: Some(row.class()),
            publish_days: Some(u32::try_from((row.publish_until - row.decision_date).num_days()).unwrap()),
            provider_ref: row.provider_ref.clone(),
            values: row.values().unwrap(),
        };
        let checked = draft(definition, submission, today)
            .unwrap_or_else(|errors| panic!("{} {} is refused: {errors:?}", definition.code, subject.name));
        assert_eq!(checked.content_hash, row.content_hash, "{}", row.id);
        // The demo objection marks one record; the mark is no part of the submission.
        let status = match row.status() {
            RecordStatus::UnderObjection => RecordStatus::Active,
            other => other,
        };
        assert_eq!(checked.status, status, "status follows the publication period: {}", row.id);
        assert!(checked.class.breadth() <= definition.default_class.breadth());
    }
}

async fn the_same_seed_makes_the_same_records(app: &TestApp) {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    let items = catalog::list_current(&mut conn).unwrap();
    let units = units();
    let today = credit_api::clock::today();
    let make = |seed| Generator::new(&items, &units, 200, seed, today).unwrap().next_chunk(1_000).unwrap();
    let first = make(DEFAULT_SEED);
    assert_eq!(first.len(), 200);
    assert_eq!(first, make(DEFAULT_SEED));
    let other = make(DEFAULT_SEED + 1);
    assert_ne!(first, other);
    assert_eq!(first[..5], other[..5], "the showcase records do not depend on the seed");
}

async fn the_showcase_subjects_are_published_masked_on_the_portal(app: &TestApp) {
    seed(app);
    let search = |q: String| async move {
        app.get_json::<Page<PublicSubject>>(&format!("/api/v1/portal/subjects?q={q}")).await.items
    };
    let company = search(SHOWCASE_COMPANY_USCC.to_owned()).await.remove(0);
    assert_eq!(company.name, SHOWCASE_COMPANY);
    let by_name = search(urlencode("长江建材")).await;
    assert!(by_name.iter().any(|s| s.name == SHOWCASE_COMPANY));
    let page: PublicSubjectPage = app.get_json(&format!("/api/v1/portal/subjects/{}", company.id)).await;
    let penalty = page
        .records
        .iter()
        .find(|r| r.catalog_code == "ADM_PENALTY" && r.provider_name == "九江市市场监督管理局")
        .expect("a published penalty by the city's market supervision bureau");
    let record: PublicRecord = app.get_json(&format!("/api/v1/portal/records/{}", penalty.id)).await;
    assert_eq!(value_of(&record, "legal_representative"), "张*三");
    let masked_id = format!("{}************", &SHOWCASE_REPRESENTATIVE_ID[..6]);
    assert_eq!(value_of(&record, "legal_rep_id"), masked_id);

    // the person is not found by number or name alone, only by both.
    assert!(search(SHOWCASE_PERSON_ID.to_owned()).await.is_empty());
    assert!(search(urlencode(SHOWCASE_PERSON)).await.iter().all(|s| s.kind != SubjectKind::NaturalPerson));
    let lookup = serde_json::json!({"name": SHOWCASE_PERSON, "id_number": SHOWCASE_PERSON_ID});
    let found: Page<PublicSubject> =
        expect_json(app.post_json("/api/v1/portal/persons/lookup", &lookup).await, 200).await;
    let person = found.items[0].clone();
    assert_eq!(person.kind, SubjectKind::NaturalPerson);
    assert_eq!(person.name, "李*海", "{SHOWCASE_PERSON} is masked");
    assert_eq!(person.code, "360403************", "only the region of the number is shown");
    let page: PublicSubjectPage = app.get_json(&format!("/api/v1/portal/subjects/{}", person.id)).await;
    let penalty = &page.records[0];
    assert_eq!(penalty.catalog_code, "ADM_PENALTY");
    let record: PublicRecord = app.get_json(&format!("/api/v1/portal/records/{}", penalty.id)).await;
    let address = value_of(&record, "address");
    assert_eq!(address, "江西省九江市浔阳区****", "{SHOWCASE_PERSON_ADDRESS} is masked to the district");
}

async fn r10_2_demo_accounts_must_change_the_published_password_outside_demo_mode(app: &TestApp) {
    seed(app);
    let signed_in: TokenResponse = expect_json(app.login("demo.city.provider", DEMO_PASSWORD).await, 200).await;
    assert!(signed_in.user.must_change_password);
    let session = app.sign_in("demo.city.provider", DEMO_PASSWORD).await;
    assert!(app.me(&session).await.must_change_password);
    expect_problem(app.get_as(&session, "/api/v1/records").await, 403, ErrorCode::PasswordChangeRequired).await;

    // Once changed, the published password is gone and the account works like any other.
    let changed = app
        .post_as(
            &session,
            "/api/v1/auth/password",
            &serde_json::json!({"current_password": DEMO_PASSWORD, "new_password": "Xunyang-River-2027"}),
        )
        .await;
    let session = session_from(changed).await;
    assert_eq!(app.get_as(&session, "/api/v1/records").await.status(), 200);
    assert!(!app.me(&session).await.must_change_password);
}

async fn seeding_refuses_a_database_that_holds_real_data(app: &TestApp) {
    app.create_user("wang.fang", "Jiu-jiang-2026", &[Role::DataProvider], "360402");
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    assert_eq!(demo::existing(&mut conn).unwrap(), Existing::Real { organisations: 1, users: 1, records: 0 });
    let refused = app.keyed(|| demo::seed(&mut conn, RECORDS, DEFAULT_SEED, app.contact_key())).unwrap_err();
    assert!(matches!(refused, SeedError::RealData { organisations: 1, users: 1, records: 0 }), "{refused}");
    assert!(refused.to_string().contains("not demo data"), "{refused}");
    let refused = app.keyed(|| demo::seed_if_empty(&mut conn, RECORDS, DEFAULT_SEED, app.contact_key())).unwrap_err();
    assert!(matches!(refused, SeedError::RealData { .. }), "{refused}");
    let organisations: i64 = organisations::table.count().get_result(&mut conn).unwrap();
    let records: i64 = records::table.count().get_result(&mut conn).unwrap();
    assert_eq!((organisations, records), (1, 0), "nothing was added");
}

async fn seeding_twice_is_refused_and_if_empty_leaves_the_demo_data_alone(app: &TestApp) {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    assert_eq!(demo::existing(&mut conn).unwrap(), Existing::Empty);
    assert!(app.keyed(|| demo::seed_if_empty(&mut conn, 20, 7, app.contact_key())).unwrap().is_some());
    assert_eq!(demo::existing(&mut conn).unwrap(), Existing::Demo);
    assert!(matches!(app.keyed(|| demo::seed(&mut conn, 20, 7, app.contact_key())), Err(SeedError::AlreadySeeded)));
    assert!(app.keyed(|| demo::seed_if_empty(&mut conn, 20, 7, app.contact_key())).unwrap().is_none());
    let records: i64 = records::table.count().get_result(&mut conn).unwrap();
    assert_eq!(records, 20);
    // A real account added beside the demo data makes the database a real one.
    drop(conn);
    app.create_user("li.na", "Jiu-jiang-2026", &[Role::UserUnit], "360400");
    let mut conn = pool.get().unwrap();
    assert!(matches!(
        app.keyed(|| demo::seed_if_empty(&mut conn, 20, 7, app.contact_key())),
        Err(SeedError::RealData { users: 1, .. })
    ));
}

on_both_backends!(
    seeding_makes_units_accounts_and_records_of_every_catalog_item,
    r6_1_every_demo_record_passes_the_checks_of_a_submission,
    the_same_seed_makes_the_same_records,
    the_showcase_subjects_are_published_masked_on_the_portal,
    r10_2_demo_accounts_must_change_the_published_password_outside_demo_mode,
    seeding_refuses_a_database_that_holds_real_data,
    seeding_twice_is_refused_and_if_empty_leaves_the_demo_data_alone,
);

/// In demo mode (`serve --demo`) every demo account signs in with the published password and works at once.
async fn r10_2_in_demo_mode_demo_accounts_sign_in_with_the_published_password(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, TestOptions { demo: true, ..TestOptions::default() }).await else {
        return;
    };
    seed(&app);
    for account in ACCOUNTS {
        let response = app.login(account.login_name, DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "{}", account.login_name);
        let signed_in: TokenResponse = response.json().await.unwrap();
        assert!(!signed_in.user.must_change_password, "{}", account.login_name);
        assert_eq!(signed_in.user.organisation_name, account.organisation);
        assert_eq!(signed_in.user.roles, [account.role]);
    }
    let provider = app.sign_in("demo.city.provider", DEMO_PASSWORD).await;
    assert_eq!(app.record_ids(&provider, "/api/v1/records?limit=5").await.len(), 5);
    let county = app.sign_in("demo.county.provider", DEMO_PASSWORD).await;
    let own: Page<RecordSummary> =
        app.get_json_as(&county, "/api/v1/records?catalog_item=ABNORMAL_OPERATION&limit=500").await;
    for record in &own.items {
        let readable =
            record.disclosure_class == DisclosureClass::Public || record.provider_name == "濂溪区市场监督管理局";
        assert!(readable, "{record:?}");
    }
    let subject_kinds: Vec<String> = count(&app, |c| subjects::table.select(subjects::kind).load(c));
    assert!(subject_kinds.iter().any(|k| k == SubjectKind::NaturalPerson.as_str()));
    let statuses: Vec<String> = count(&app, |c| records::table.select(records::status).distinct().load(c));
    let expected =
        [RecordStatus::Active, RecordStatus::Expired, RecordStatus::UnderObjection].map(RecordStatus::as_str);
    assert!(statuses.iter().all(|s| expected.contains(&s.as_str())), "{statuses:?}");
    let objections: i64 = count(&app, |c| credit_api::schema::objections::table.count().get_result(c));
    assert_eq!(objections, 1, "R-29.1: the demo objection to track on the portal");
}

mod demo_mode {
    #[actix_web::test]
    async fn sqlite_r10_2_in_demo_mode_demo_accounts_sign_in_with_the_published_password() {
        super::r10_2_in_demo_mode_demo_accounts_sign_in_with_the_published_password(credit_tests::Backend::Sqlite)
            .await;
    }

    #[actix_web::test]
    async fn postgres_r10_2_in_demo_mode_demo_accounts_sign_in_with_the_published_password() {
        super::r10_2_in_demo_mode_demo_accounts_sign_in_with_the_published_password(credit_tests::Backend::Postgres)
            .await;
    }
}
