//! Natural persons on the portal: never found by part of a name or by a number alone, found only by
//! the full name and the full number together; a miss looks the same whichever half was wrong; no run of requests
//! tells a right guess at a masked digit from a wrong one; lookups by code are limited per address and per IPv6 /64.

use crate::portal::urlencode;
use credit_tests::{
    expect_json, expect_problem, on_both_backends, penalty, test_resident_id, test_uscc, Backend, Session, TestApp,
    TestOptions,
};
use credit_types::catalog::SubjectKind;
use credit_types::records::{PublicSubject, PublicSubjectPage, Record};
use credit_types::{ErrorCode, Page};
use serde_json::{json, Value};

on_both_backends!(
    r16_2_partial_names_and_codes_never_find_natural_persons,
    r28_1_a_natural_person_is_found_only_by_full_name_and_full_number,
    r28_1_no_sequence_of_portal_requests_below_the_limit_confirms_a_masked_digit,
);

const LOOKUP: &str = "/api/v1/portal/persons/lookup";

/// A public penalty (`class` absent: the catalog's default, public) on the natural person `name` with number `id`.
async fn person(app: &TestApp, session: &Session, name: &str, id: &str, class: Value) -> Record {
    let mut body = penalty("", class);
    body["subject"] = json!({"kind": "natural_person", "code": id, "name": name});
    app.submit(session, &body).await
}

/// `POST /portal/persons/lookup` with `name` and `id_number`.
async fn lookup(app: &TestApp, name: &str, id_number: &str) -> reqwest::Response {
    app.post_json(LOOKUP, &json!({"name": name, "id_number": id_number})).await
}

/// What a client can tell of an answer: status, the headers that describe the body, and the body itself.
async fn look(response: reqwest::Response) -> (u16, String, String, String) {
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    (response.status().as_u16(), content_type, cache, response.text().await.unwrap())
}

/// `number`'s first 17 characters with the check character GB 11643 gives them.
fn with_check_digit(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

async fn search(app: &TestApp, q: &str) -> Vec<PublicSubject> {
    app.get_json::<Page<PublicSubject>>(&format!("/api/v1/portal/subjects?q={q}")).await.items
}

async fn r16_2_partial_names_and_codes_never_find_natural_persons(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let id = test_resident_id("360403", "19750318");
    person(app, &session, "李四海", &id, Value::Null).await;
    let mut shop = penalty("", Value::Null);
    let shop_code = test_uscc();
    shop["subject"] = json!({"kind": "individual_business", "code": shop_code, "name": "九江市浔阳区李四海建材店"});
    app.submit(&session, &shop).await;
    let company = app.submit(&session, &penalty("九江四海贸易有限公司", Value::Null)).await;
    for q in ["李四", "四海", "李四海", "李*海"] {
        let found = search(app, &urlencode(q)).await;
        assert!(found.iter().all(|s| s.kind != SubjectKind::NaturalPerson), "searching {q}: {found:?}");
    }
    // Organisations and individual businesses are found as before, by part of the name and by code.
    let kinds = |found: Vec<PublicSubject>| found.into_iter().map(|s| s.kind).collect::<Vec<_>>();
    assert_eq!(kinds(search(app, &urlencode("李四海")).await), [SubjectKind::IndividualBusiness]);
    let both = kinds(search(app, &urlencode("四海")).await);
    assert!(both.contains(&SubjectKind::IndividualBusiness) && both.contains(&SubjectKind::LegalPerson), "{both:?}");
    assert_eq!(kinds(search(app, &shop_code).await), [SubjectKind::IndividualBusiness]);
    assert_eq!(search(app, &company.subject.code).await[0].id, company.subject.id);
    // The person's number, in either case of its check character, finds nothing.
    for q in [id.clone(), id.to_lowercase()] {
        assert!(search(app, &q).await.is_empty(), "searching the number {q}");
    }
}

async fn r28_1_a_natural_person_is_found_only_by_full_name_and_full_number(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let id = test_resident_id("360403", "19750318");
    let record = person(app, &session, "李四海", &id, Value::Null).await;
    let found: Page<PublicSubject> = expect_json(lookup(app, " 李四海 ", &format!(" {id} ")).await, 200).await;
    let shown = &found.items[0];
    assert_eq!((shown.kind, shown.name.as_str(), shown.record_count), (SubjectKind::NaturalPerson, "李*海", 1));
    assert_eq!(shown.code, format!("{}************", &id[..6]));
    assert_eq!(shown.id, record.subject.id);
    assert_eq!(found.next_cursor, None);
    let page: PublicSubjectPage = app.get_json(&format!("/api/v1/portal/subjects/{}", shown.id)).await;
    assert_eq!(&page.subject, shown, "the lookup shows no more than the subject page");

    // Someone with only non-public records, and a number nobody has.
    let hidden = test_resident_id("360403", "19800101");
    person(app, &session, "王五", &hidden, json!("shared")).await;
    let nobody = test_resident_id("360402", "19750318");
    let miss = look(lookup(app, "李四海", &nobody).await).await;
    assert_eq!(miss.0, 200);
    assert_eq!(miss.2, "no-store", "a lookup is never cached");
    let empty: Page<PublicSubject> = serde_json::from_str(&miss.3).unwrap();
    assert!(empty.items.is_empty());
    // A wrong, partial or masked name with the right number, and a person without published records, all answer
    // exactly as a number nobody has.
    for (name, number) in
        [("李小海", &id), ("李四", &id), ("四海", &id), ("李*海", &id), ("李四海 ", &hidden), ("王五", &hidden)]
    {
        assert_eq!(look(lookup(app, name, number).await).await, miss, "{name} with {number}");
    }
    // Not a number at all: refused for what it is, before anything is looked up.
    let mut wrong_check = id.clone();
    wrong_check.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
    let problem = expect_problem(lookup(app, "李四海", &wrong_check).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "id_number");
    let problem = expect_problem(lookup(app, "", &id).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "name");
}

/// The old attack: the masked number shows the region; every guess at the hidden digits is asked of every portal
/// answer that takes a number. Each answers the right number exactly as it answers the wrong ones, unless the full
/// right name comes with it.
async fn r28_1_no_sequence_of_portal_requests_below_the_limit_confirms_a_masked_digit(app: &TestApp) {
    let session = app.provider("prov", "360403").await;
    let id = test_resident_id("360403", "19750318");
    person(app, &session, "李四海", &id, Value::Null).await;
    let mut guesses: Vec<String> =
        (1..=31).map(|day| with_check_digit(&format!("{}197503{day:02}{}", &id[..6], &id[14..17]))).collect();
    guesses.extend("0123456789X".chars().map(|check| format!("{}{check}", &id[..17])));
    assert!(guesses.contains(&id));
    let mut searched = Vec::new();
    let mut masked_name = Vec::new();
    let mut wrong_name = Vec::new();
    for guess in &guesses {
        searched.push(look(app.get(&format!("/api/v1/portal/subjects?q={guess}")).await).await);
        masked_name.push(without_request_id(look(lookup(app, "李*海", guess).await).await));
        wrong_name.push(without_request_id(look(lookup(app, "李一海", guess).await).await));
    }
    let right = guesses.iter().position(|g| g == &id).unwrap();
    let valid = |i: usize| with_check_digit(&guesses[i][..17]) == guesses[i];
    for i in 0..guesses.len() {
        assert_eq!(searched[i], searched[right], "a search by {} answers as one by the right number", guesses[i]);
        // A number whose check digit is wrong is refused by arithmetic alone, the same for all of them.
        let like = if valid(i) { right } else { (0..guesses.len()).find(|j| !valid(*j)).unwrap() };
        assert_eq!(masked_name[i], masked_name[like], "{} with the masked name", guesses[i]);
        assert_eq!(wrong_name[i], wrong_name[like], "{} with a wrong name", guesses[i]);
    }
    assert_eq!(masked_name[right], wrong_name[right]);
    // Guessing the masked character of the name with the right number: only the full right name is an answer.
    for middle in "一二三五六七八九十小大明华国".chars() {
        let answer = look(lookup(app, &format!("李{middle}海"), &id).await).await;
        assert_eq!(without_request_id(answer), wrong_name[right], "李{middle}海");
    }
    let hit: Page<PublicSubject> = expect_json(lookup(app, "李四海", &id).await, 200).await;
    assert_eq!(hit.items.len(), 1, "the full name with the full number finds the person");
}

/// An answer with the request id left out of its body (a 422 quotes it; nothing else differs between requests).
fn without_request_id(look: (u16, String, String, String)) -> (u16, String, String, String) {
    let (status, content_type, cache, body) = look;
    let mut value: Value = serde_json::from_str(&body).unwrap();
    if let Some(object) = value.as_object_mut() {
        object.remove("request_id");
    }
    (status, content_type, cache, value.to_string())
}

/// lookups by code — a search by an 18-character code and a person's lookup — share an hourly allowance per
/// IPv4 address and per IPv6 /64; a name search is not one of them. On both databases (the limit is in memory).
#[actix_web::test]
async fn r28_1_lookups_by_code_are_limited_per_address_and_per_64() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let loopback: std::net::IpAddr = [127, 0, 0, 1].into();
        let options =
            TestOptions { portal_lookups_per_hour: Some(3), trusted_proxies: vec![loopback], ..TestOptions::default() };
        let Some(app) = TestApp::spawn_with(backend, options).await else { continue };
        let code = test_uscc();
        let person = json!({"name": "李四海", "id_number": test_resident_id("360403", "19750318")});
        let by_code = |from: &str| {
            let url = app.url(&format!("/api/v1/portal/subjects?q={code}"));
            app.client.get(url).header("x-forwarded-for", from).send()
        };
        let by_person =
            |from: &str| app.client.post(app.url(LOOKUP)).json(&person).header("x-forwarded-for", from).send();
        // Three addresses of one /64 share its allowance.
        assert_eq!(by_code("2001:db8:1:2::1").await.unwrap().status(), 200);
        assert_eq!(by_person("2001:db8:1:2::2").await.unwrap().status(), 200);
        assert_eq!(by_code("2001:db8:1:2:ffff:ffff:ffff:3").await.unwrap().status(), 200);
        let limited = by_person("2001:db8:1:2::4").await.unwrap();
        let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&retry_after), "{retry_after}");
        expect_problem(limited, 429, ErrorCode::RateLimited).await;
        assert_eq!(by_code("2001:db8:1:2::5").await.unwrap().status(), 429, "searches by code too");
        let name_search = app.url(&format!("/api/v1/portal/subjects?q={}", urlencode("九江")));
        let named = app.client.get(name_search).header("x-forwarded-for", "2001:db8:1:2::6").send().await.unwrap();
        assert_eq!(named.status(), 200, "a search by name is no lookup by code");
        assert_eq!(by_person("2001:db8:1:3::1").await.unwrap().status(), 200, "another /64 has its own allowance");
        // IPv4: per address.
        for _ in 0..3 {
            assert_eq!(by_person("203.0.113.7").await.unwrap().status(), 200);
        }
        assert_eq!(by_code("203.0.113.7").await.unwrap().status(), 429);
        assert_eq!(by_code("203.0.113.8").await.unwrap().status(), 200, "another address has its own allowance");
    }
}
