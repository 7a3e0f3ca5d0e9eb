//! The measured workloads: the bare handler, portal search, the authenticated record list, batch intake, and the
//! raw diesel insert that batch intake is compared with.

use crate::client::{short, Conn, Scenario, Step, StepFuture};
use crate::data::{self, Rng, PROVIDERS};
use credit_api::db::DbPool;
use credit_api::records::store::Provider;
use credit_api::schema::records;
use diesel::prelude::*;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// `GET /` on the bare actix-web server.
pub struct Bare;

impl Scenario for Bare {
    fn step<'a>(&'a self, conn: &'a mut Conn, _: usize, _: u64) -> StepFuture<'a> {
        Box::pin(async move { Step::from_answer(conn.get("/", None).await) })
    }
}

/// `GET /api/v1/portal/subjects?q=…` with name fragments that occur in stored names.
pub struct PortalSearch {
    paths: Vec<String>,
}

impl PortalSearch {
    pub fn new(subjects: usize, count: usize) -> PortalSearch {
        let mut rng = Rng::new(77);
        let paths = (0..count)
            .map(|_| {
                let q = data::name_fragment(&mut rng, subjects);
                let q: String = form_urlencoded_component(&q);
                format!("/api/v1/portal/subjects?q={q}")
            })
            .collect();
        PortalSearch { paths }
    }
}

impl Scenario for PortalSearch {
    fn step<'a>(&'a self, conn: &'a mut Conn, worker: usize, seq: u64) -> StepFuture<'a> {
        let path = &self.paths[(worker * 7_919 + seq as usize) % self.paths.len()];
        Box::pin(async move { Step::from_answer(conn.get(path, None).await) })
    }
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
fn form_urlencoded_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `GET /api/v1/records?limit=20` as a city user unit: the access rule as a SQL filter, and an audit event for
/// every page holding non-public records.
pub struct RecordList {
    pub token: String,
}

impl Scenario for RecordList {
    fn step<'a>(&'a self, conn: &'a mut Conn, _: usize, _: u64) -> StepFuture<'a> {
        Box::pin(async move { Step::from_answer(conn.get("/api/v1/records?limit=20", Some(&self.token)).await) })
    }
}

/// `POST /api/v1/intake/batches` with `rows` ADM_PENALTY rows (half about stored subjects, half about new ones),
/// then polling the batch until it is final. A step is one batch, end to end; its units are the records created.
pub struct Intake {
    token: String,
    rows: usize,
    /// Subjects as stored (kind, code, name): rows about them must name them exactly so.
    stored: Vec<(String, String, String)>,
    run: String,
    next_subject: AtomicUsize,
}

impl Intake {
    /// `subjects` is how many subject indices the load drew from: new subjects get indices far above them.
    pub fn new(token: String, rows: usize, subjects: usize, stored: Vec<(String, String, String)>) -> Intake {
        let run = uuid::Uuid::new_v4().simple().to_string()[..6].to_owned();
        Intake { token, rows, stored, run, next_subject: AtomicUsize::new(subjects.max(1) * 10) }
    }

    /// Up to `count` stored subjects, spread over the table.
    pub fn stored_subjects(pool: &DbPool, count: i64) -> Result<Vec<(String, String, String)>, String> {
        use credit_api::schema::subjects;
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        subjects::table
            .select((subjects::kind, subjects::code, subjects::name))
            .order(subjects::code.asc())
            .limit(count)
            .load(&mut *conn)
            .map_err(|e| e.to_string())
    }

    fn body(&self, worker: usize, seq: u64) -> serde_json::Value {
        let mut rng = Rng::new(((worker as u64) << 40) ^ seq ^ 0xBA7C);
        let spec = &PROVIDERS[0];
        let today = credit_api::clock::today();
        let rows: Vec<serde_json::Value> = (0..self.rows)
            .map(|r| {
                let (kind, code, name) = if r % 2 == 0 && !self.stored.is_empty() {
                    self.stored[rng.below(self.stored.len())].clone()
                } else {
                    let (kind, code, name) = data::subject(self.next_subject.fetch_add(1, Ordering::Relaxed));
                    (kind.as_str().to_owned(), code, name)
                };
                let content = data::content(&mut rng, spec, today, seq * 100_000 + r as u64);
                serde_json::json!({
                    "subject_kind": kind,
                    "subject_code": code,
                    "subject_name": name,
                    "decision_date": content.decision_date.to_string(),
                    "disclosure_class": content.class.as_str(),
                    "publish_days": content.publish_days.to_string(),
                    "provider_ref": format!("B{}-{worker}-{seq}-{r}", self.run),
                    "values": content.values,
                })
            })
            .collect();
        serde_json::json!({"catalog_item": "ADM_PENALTY", "rows": rows})
    }
}

impl Scenario for Intake {
    fn step<'a>(&'a self, conn: &'a mut Conn, worker: usize, seq: u64) -> StepFuture<'a> {
        Box::pin(async move {
            let body = self.body(worker, seq);
            let batch = match conn.post_json("/api/v1/intake/batches", Some(&self.token), &body).await {
                Ok((status, body)) if status.as_u16() == 202 => body,
                Ok((status, body)) => return Step::Failed(format!("upload {status}: {}", short(&body))),
                Err(error) => return Step::Failed(format!("upload transport: {error}")),
            };
            let Some(id) = batch_field(&batch, "id") else { return Step::Failed("upload: no batch id".into()) };
            let path = format!("/api/v1/intake/batches/{id}");
            let give_up = Instant::now() + BATCH_TIMEOUT;
            loop {
                tokio::time::sleep(POLL_INTERVAL).await;
                if Instant::now() > give_up {
                    return Step::Failed(format!("batch not final after {} s", BATCH_TIMEOUT.as_secs()));
                }
                let body = match conn.get(&path, Some(&self.token)).await {
                    Ok((status, body)) if status.is_success() => body,
                    Ok((status, body)) => return Step::Failed(format!("poll {status}: {}", short(&body))),
                    Err(error) => return Step::Failed(format!("poll transport: {error}")),
                };
                match batch_field(&body, "status").as_deref() {
                    Some("succeeded") => {
                        let created: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                        return Step::Done { units: created["created"].as_u64().unwrap_or_default() };
                    }
                    Some("rejected" | "failed") => {
                        return Step::Failed(format!("batch not stored: {}", short(&body)));
                    }
                    _ => {}
                }
            }
        })
    }
}

/// How often an uploader asks after its batch (64 uploaders polling every few milliseconds would be a load test of
/// the polling instead).
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// How long a batch may take from upload to final status before it counts as failed.
const BATCH_TIMEOUT: Duration = Duration::from_secs(300);

fn batch_field(body: &[u8], field: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value[field].as_str().map(str::to_owned)
}

/// Signs in and returns the access token.
pub async fn sign_in(addr: SocketAddr, login_name: &str, password: &str) -> Result<String, String> {
    let mut conn = Conn::open(addr).await.map_err(|e| e.to_string())?;
    let body = serde_json::json!({"login_name": login_name, "password": password});
    let (status, body) = conn.post_json("/api/v1/auth/login", None, &body).await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("sign-in of {login_name} failed: {status} {}", short(&body)));
    }
    batch_field(&body, "access_token").ok_or_else(|| "no access token in the sign-in answer".to_owned())
}

#[derive(Insertable)]
#[diesel(table_name = records, treat_none_as_default_value = false)]
struct RawRecord {
    id: String,
    subject_id: String,
    catalog_item_id: String,
    catalog_version: i32,
    provider_id: String,
    jurisdiction_region: String,
    jurisdiction_level: &'static str,
    disclosure_class: &'static str,
    decision_date: chrono::NaiveDate,
    publish_until: chrono::NaiveDate,
    status: &'static str,
    version: i32,
    provider_ref: Option<String>,
    content_hash: String,
    field_values: String,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
    created_by: String,
    updated_by: String,
}

/// The raw insert rate: `rows` ready-made rows straight into `records` with diesel multi-row INSERTs of 500 rows,
/// `per_transaction` rows per transaction, on one connection, nothing else written. Returns (rows, elapsed).
pub fn raw_insert(
    pool: &DbPool,
    provider: &Provider,
    rows: usize,
    per_transaction: usize,
) -> Result<(usize, Duration), String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let item = crate::load::penalty_item(pool)?;
    let subject_ids: Vec<String> = credit_api::schema::subjects::table
        .select(credit_api::schema::subjects::id)
        .limit(10_000)
        .load(&mut *conn)
        .map_err(|e| e.to_string())?;
    if subject_ids.is_empty() {
        return Err("no subjects to attach raw records to".into());
    }
    let today = credit_api::clock::today();
    let now = credit_api::clock::now();
    let run = uuid::Uuid::new_v4().simple().to_string()[..6].to_owned();
    let mut rng = Rng::new(4242);
    let spec = &PROVIDERS[1];
    let prepared: Vec<RawRecord> = (0..rows)
        .map(|n| {
            let content = data::content(&mut rng, spec, today, n as u64);
            let publish_until = content.decision_date + chrono::Duration::days(i64::from(content.publish_days));
            RawRecord {
                id: credit_api::db::new_id(),
                subject_id: subject_ids[n % subject_ids.len()].clone(),
                catalog_item_id: item.item_id.clone(),
                catalog_version: item.version,
                provider_id: provider.organisation_id.clone(),
                jurisdiction_region: provider.region_code.clone(),
                jurisdiction_level: provider.level.as_str(),
                disclosure_class: content.class.as_str(),
                decision_date: content.decision_date,
                publish_until,
                status: if publish_until < today { "expired" } else { "active" },
                version: 1,
                provider_ref: Some(format!("R{run}-{n}")),
                content_hash: format!("{:016x}{:016x}{:016x}{:016x}", rng.next_u64(), rng.next_u64(), n, n),
                field_values: serde_json::to_string(&content.values).unwrap_or_default(),
                created_at: now,
                updated_at: now,
                created_by: provider.user_id.clone(),
                updated_by: provider.user_id.clone(),
            }
        })
        .collect();
    let started = Instant::now();
    for transaction in prepared.chunks(per_transaction.max(1)) {
        credit_api::db::write_transaction(&mut conn, |conn| {
            for chunk in transaction.chunks(500) {
                credit_api::insert_many!(conn, records::table, chunk)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(|e| e.to_string())?;
    }
    Ok((rows, started.elapsed()))
}
