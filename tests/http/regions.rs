//! The regions API: the seeded city and divisions, filters, cursor pagination, lookup.

use credit_tests::{expect_problem, on_both_backends, TestApp};
use credit_types::ErrorCode;
use credit_types::{Page, Region, RegionLevel, RegionLookupResult};
use serde_json::json;

on_both_backends!(
    lists_jiujiang_and_its_thirteen_divisions,
    filters_by_level_and_parent,
    cursor_pages_walk_every_region_once_in_order,
    gets_one_region_by_code,
    an_unknown_region_is_a_404_problem,
    lookup_keeps_the_order_asked_and_lists_unknown_codes,
);

const DIVISIONS: [&str; 13] = [
    "360402", "360403", "360404", "360423", "360424", "360425", "360426", "360428", "360429", "360430", "360481",
    "360482", "360483",
];

async fn page(app: &TestApp, query: &str) -> Page<Region> {
    let response = app.get(&format!("/api/v1/regions{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

async fn lists_jiujiang_and_its_thirteen_divisions(app: &TestApp) {
    let regions = page(app, "?limit=500").await;
    assert_eq!(regions.next_cursor, None);
    assert_eq!(regions.items.len(), 14);
    let city = &regions.items[0];
    assert_eq!((city.code.as_str(), city.name.as_str(), city.level), ("360400", "九江市", RegionLevel::City));
    assert_eq!(city.parent_code, None);
    let codes: Vec<&str> = regions.items[1..].iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, DIVISIONS);
    assert!(regions.items[1..]
        .iter()
        .all(|r| r.level == RegionLevel::County && r.parent_code.as_deref() == Some("360400")));
    let lushan = regions.items.iter().find(|r| r.code == "360483").unwrap();
    assert_eq!((lushan.name.as_str(), lushan.kind.as_str()), ("庐山市", "county_city"));
}

async fn filters_by_level_and_parent(app: &TestApp) {
    assert_eq!(page(app, "?level=city").await.items.len(), 1);
    assert_eq!(page(app, "?level=county&limit=100").await.items.len(), 13);
    assert_eq!(page(app, "?parent=360400&limit=100").await.items.len(), 13);
    assert!(page(app, "?parent=360402").await.items.is_empty());
}

async fn cursor_pages_walk_every_region_once_in_order(app: &TestApp) {
    let mut seen = Vec::new();
    let mut query = "?limit=4".to_owned();
    loop {
        let page = page(app, &query).await;
        assert!(page.items.len() <= 4);
        seen.extend(page.items.into_iter().map(|r| r.code));
        match page.next_cursor {
            Some(cursor) => query = format!("?limit=4&cursor={cursor}"),
            None => break,
        }
    }
    let mut expected = vec!["360400".to_owned()];
    expected.extend(DIVISIONS.iter().map(|c| c.to_string()));
    assert_eq!(seen, expected);
}

async fn gets_one_region_by_code(app: &TestApp) {
    let response = app.get("/api/v1/regions/360424").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("cache-control").unwrap().to_str().unwrap().contains("public"));
    let region: Region = response.json().await.unwrap();
    assert_eq!(
        (region.name.as_str(), region.name_en.as_str(), region.kind.as_str()),
        ("修水县", "Xiushui County", "county")
    );
}

async fn an_unknown_region_is_a_404_problem(app: &TestApp) {
    let problem = expect_problem(app.get("/api/v1/regions/110101").await, 404, ErrorCode::NotFound).await;
    assert!(problem.detail.contains("110101"));
    assert_eq!(problem.instance.as_deref(), Some("/api/v1/regions/110101"));
}

async fn lookup_keeps_the_order_asked_and_lists_unknown_codes(app: &TestApp) {
    let response =
        app.post_json("/api/v1/regions/lookup", &json!({"codes": ["360483", "110101", "360400", "360483"]})).await;
    assert_eq!(response.status(), 200);
    let result: RegionLookupResult = response.json().await.unwrap();
    let found: Vec<&str> = result.found.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(found, ["360483", "360400"]);
    assert_eq!(result.unknown, ["110101"]);
}
