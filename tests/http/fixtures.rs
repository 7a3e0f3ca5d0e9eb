//! Record fixtures shared by the records, access, portal and intake tests.

use credit_tests::{test_uscc, Session, TestApp};
use serde_json::{json, Value};

pub const PASSWORD: &str = "Records-Test-2026";

/// The values of a valid administrative penalty (catalog item ADM_PENALTY, version 1).
pub fn penalty_values(doc_no: &str) -> Value {
    json!({
        "penalty_doc_no": doc_no,
        "violation_type": "未按规定公示年度报告",
        "violation_facts": "经查,当事人未在规定期限内报送年度报告。",
        "legal_basis": "《企业信息公示暂行条例》第八条",
        "penalty_category": "罚款",
        "penalty_content": "罚款人民币伍仟元",
        "fine_amount": "5000.00",
        "authority": "九江市市场监督管理局",
        "legal_representative": "张小三",
    })
}

/// A new ADM_PENALTY record of a legal person with a fresh code, of `class` (`null` for the catalog default).
pub fn penalty(name: &str, class: Value) -> Value {
    json!({
        "catalog_item": "ADM_PENALTY",
        "subject": {"kind": "legal_person", "code": test_uscc(), "name": name},
        "decision_date": "2026-10-09",
        "disclosure_class": class,
        "values": penalty_values(&format!("九市监罚〔2026〕{}号", uuid::Uuid::new_v4().as_u128() % 100000)),
    })
}

/// Submits a record as `session` and returns it; panics unless it is created.
pub async fn submit(app: &TestApp, session: &Session, body: &Value) -> Value {
    let response = app.post_as(session, "/api/v1/records", body).await;
    assert_eq!(response.status(), 201, "created: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// A data provider of a new organisation in `region`, signed in.
pub async fn provider(app: &TestApp, login: &str, region: &str) -> Session {
    app.create_user(login, PASSWORD, &[credit_types::identity::Role::DataProvider], region);
    app.sign_in(login, PASSWORD).await
}

/// The ids in a page of a list.
pub fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}
