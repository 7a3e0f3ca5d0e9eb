//! Setup in one line: accounts signed in by role, and valid records to submit, so tests read like the requirement.

use crate::{expect_json, test_uscc, Session, TestApp};
use credit_types::identity::{ApiClient, ApiClientWithSecret, ClientTokenResponse, Role};
use credit_types::records::{Record, RecordSummary};
use credit_types::Page;
use serde_json::{json, Value};

/// The password of every account made with [`TestApp::signed_in`] (it passes the password rules).
pub const PASSWORD: &str = "Records-Test-2026";

/// The city's region code: city-level organisations sit here.
pub const CITY: &str = "360400";

/// 濂溪区, the county most tests place county-level organisations in.
pub const LIANXI: &str = "360402";

impl TestApp {
    /// A new account holding `role` in a new organisation in `region`, signed in with [`PASSWORD`].
    pub async fn signed_in(&self, login: &str, role: Role, region: &str) -> Session {
        self.create_user(login, PASSWORD, &[role], region);
        self.sign_in(login, PASSWORD).await
    }

    /// A data provider of a new organisation in `region`, signed in.
    pub async fn provider(&self, login: &str, region: &str) -> Session {
        self.signed_in(login, Role::DataProvider, region).await
    }

    /// A new account holding `role` in the organisation of `of` (a colleague), signed in with [`PASSWORD`].
    pub async fn colleague(&self, of: &Session, login: &str, role: Role) -> Session {
        let organisation = self.organisation_of(of).await;
        self.create_colleague(login, PASSWORD, &[role], &organisation);
        self.sign_in(login, PASSWORD).await
    }

    /// The account office's administrator (login `office`, at the city), signed in.
    pub async fn account_office(&self) -> Session {
        self.signed_in("office", Role::AccountAdmin, CITY).await
    }

    /// The competent office's city credit admin (login `office`, at the city), signed in.
    pub async fn competent_office(&self) -> Session {
        self.signed_in("office", Role::CityCreditAdmin, CITY).await
    }

    /// The security auditor (login `auditor`, at the city), signed in.
    pub async fn auditor(&self) -> Session {
        self.signed_in("auditor", Role::SecurityAuditor, CITY).await
    }

    /// Registers an API client of `organisation_id` holding `scopes` (as `office`, an account admin) and signs it in
    /// with the client-credentials grant.
    pub async fn api_client(&self, office: &Session, organisation_id: &str, scopes: &[&str]) -> (ApiClient, Session) {
        let body = json!({"organisation_id": organisation_id, "name": "监管系统", "scopes": scopes,
            "rate_limit_per_minute": 1000});
        let created: ApiClientWithSecret = expect_json(self.post_as(office, "/api/v1/clients", &body).await, 201).await;
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            created.client.client_id, created.client_secret
        );
        let request = self.client.post(self.url("/api/v1/auth/token"));
        let response =
            request.header("content-type", "application/x-www-form-urlencoded").body(form).send().await.unwrap();
        let token: ClientTokenResponse = expect_json(response, 200).await;
        (created.client, Session { access_token: token.access_token, refresh_token: String::new() })
    }

    /// The ids of the records `session` finds at `path` (`/api/v1/records?…`), in the list's order.
    pub async fn record_ids(&self, session: &Session, path: &str) -> Vec<String> {
        let page: Page<RecordSummary> = self.get_json_as(session, path).await;
        page.items.into_iter().map(|r| r.id).collect()
    }

    /// Submits a record as `session` and returns it; panics unless it is created.
    pub async fn submit(&self, session: &Session, body: &Value) -> Record {
        expect_json(self.post_as(session, "/api/v1/records", body).await, 201).await
    }
}

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
