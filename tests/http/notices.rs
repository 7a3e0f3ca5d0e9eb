//! Notices to appellants: the worker retries a failed notice until it goes, two servers working
//! one outbox send each notice once, and a purged address is never sent to. The worker is driven directly with a
//! scripted sender and a clock a year ahead, so the app's own worker (real clock) never finds these notices due.

use chrono::{Duration, NaiveDateTime};
use credit_api::db::{Db, DbPool};
use credit_api::notices::worker::{self, Pass};
use credit_api::notices::{enqueue, purge_addresses, Outgoing, Recipient, SendError, Sender};
use credit_api::schema::notices;
use credit_tests::{on_both_backends, penalty, TestApp};
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::sync::Mutex;

on_both_backends!(
    r29_1_a_failing_notice_is_retried_with_backoff_until_sent_and_never_lost,
    r29_1_two_workers_on_one_outbox_send_each_notice_once,
    r28_1_notices_of_a_purged_contact_are_not_sent,
);

/// Fails the first `failures` sends (quoting the address, as mail servers do), then records what it sends.
#[derive(Default)]
struct Scripted {
    failures: Mutex<usize>,
    pause: Option<std::time::Duration>,
    sent: Mutex<Vec<(String, String)>>,
}

impl Sender for Scripted {
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move {
            if let Some(pause) = self.pause {
                actix_web::rt::time::sleep(pause).await;
            }
            {
                let mut failures = self.failures.lock().unwrap();
                if *failures > 0 {
                    *failures -= 1;
                    return Err(SendError(format!("550 mailbox {} unavailable", notice.address)));
                }
            }
            self.sent.lock().unwrap().push((notice.id.clone(), notice.address.clone()));
            Ok(())
        })
    }
}

impl Scripted {
    fn sent_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.sent.lock().unwrap().iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
    }
}

/// A year from now, to the microsecond as stored.
fn later() -> NaiveDateTime {
    credit_api::audit::chain::to_micros(chrono::Utc::now().naive_utc() + Duration::days(365))
}

/// `count` objections to new records, straight in the table (the notices need only rows to refer to).
async fn objections(app: &TestApp, count: usize) -> Vec<String> {
    let session = app.provider("notices.prov", "360402").await;
    let mut ids = Vec::new();
    for n in 0..count {
        let record = app.submit(&session, &penalty(&format!("九江通知测试{n}有限公司"), Value::Null)).await;
        let id = uuid::Uuid::new_v4().to_string();
        app.execute_sql(&format!(
            "INSERT INTO objections (id, tracking_number, query_code_hash, record_id, provider_org_id,
                 jurisdiction_region, appellant_name, phone, email, contact_key, relation, claim_type, description,
                 status, filed_at, accept_by)
             VALUES ('{id}', 'YY-{n}-{id}', 'x', '{record}', '{provider}', '360402', '张三', '13912340000',
                 'zhang.san@example.cn', 'k{n}', 'subject', 'content_wrong', '金额有误', 'submitted',
                 '2026-11-25 10:00:00', '2026-11-30')",
            record = record.id,
            provider = record.provider_id,
        ));
        ids.push(id);
    }
    ids
}

fn both(email: &str) -> Recipient {
    Recipient { phone: Some("13912340000".into()), email: Some(email.into()) }
}

fn email_only(email: &str) -> Recipient {
    Recipient { phone: None, email: Some(email.into()) }
}

fn queue(pool: &DbPool, objection: &str, to: &Recipient, at: NaiveDateTime) {
    let mut conn = pool.get().unwrap();
    enqueue(&mut conn, objection, to, "异议处理进度", "您的异议已受理。", at).unwrap();
}

#[derive(Debug, Queryable)]
struct Row {
    id: String,
    address: String,
    status: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    last_error: Option<String>,
    sent_at: Option<NaiveDateTime>,
}

fn rows(conn: &mut Db, objection: &str) -> Vec<Row> {
    notices::table
        .filter(notices::objection_id.eq(objection))
        .order(notices::id)
        .select((
            notices::id,
            notices::address,
            notices::status,
            notices::attempts,
            notices::next_attempt_at,
            notices::last_error,
            notices::sent_at,
        ))
        .load(conn)
        .unwrap()
}

async fn pass(pool: &DbPool, sender: &Scripted, now: NaiveDateTime) -> Pass {
    worker::run_once(pool, sender, now).await.unwrap()
}

async fn r29_1_a_failing_notice_is_retried_with_backoff_until_sent_and_never_lost(app: &TestApp) {
    let pool = app.pool();
    let objection = objections(app, 1).await.remove(0);
    let t0 = later();
    queue(&pool, &objection, &email_only("zhang.san@example.cn"), t0);
    let sender = Scripted { failures: Mutex::new(2), ..Scripted::default() };

    let first = pass(&pool, &sender, t0).await;
    assert_eq!(first, Pass { claimed: 1, failed: 1, ..Pass::default() });
    let row = rows(&mut pool.get().unwrap(), &objection).remove(0);
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(row.next_attempt_at, t0 + Duration::seconds(30), "first retry after 30 s");
    let error = row.last_error.unwrap();
    assert!(error.contains("z***@example.cn") && !error.contains("zhang.san"), "R-28.1: stored masked: {error}");

    assert_eq!(pass(&pool, &sender, t0 + Duration::seconds(29)).await.claimed, 0, "not due before its backoff");
    let second = pass(&pool, &sender, t0 + Duration::seconds(30)).await;
    assert_eq!(second.failed, 1);
    let row = rows(&mut pool.get().unwrap(), &objection).remove(0);
    assert_eq!(row.attempts, 2);
    assert_eq!(row.next_attempt_at, t0 + Duration::seconds(90), "the wait doubles: 60 s");

    let third = pass(&pool, &sender, t0 + Duration::seconds(90)).await;
    assert_eq!(third, Pass { claimed: 1, sent: 1, ..Pass::default() });
    let rows = rows(&mut pool.get().unwrap(), &objection);
    assert_eq!(rows.len(), 1, "nothing lost, nothing duplicated");
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("sent", 3));
    assert_eq!(rows[0].sent_at, Some(t0 + Duration::seconds(90)));
    assert_eq!(*sender.sent.lock().unwrap(), [(rows[0].id.clone(), "zhang.san@example.cn".to_owned())]);
    assert_eq!(pass(&pool, &sender, t0 + Duration::days(30)).await.claimed, 0, "a sent notice is done");
    assert_eq!(sender.sent.lock().unwrap().len(), 1);
}

async fn r29_1_two_workers_on_one_outbox_send_each_notice_once(app: &TestApp) {
    let objection = objections(app, 1).await.remove(0);
    let t0 = later();
    let (one, two) = (app.pool(), app.pool());
    for n in 0..16 {
        queue(&one, &objection, &both(&format!("appellant{n}@example.cn")), t0);
    }
    let sender = Scripted { pause: Some(std::time::Duration::from_millis(2)), ..Scripted::default() };
    async fn drain(pool: &DbPool, sender: &Scripted, now: NaiveDateTime) {
        while pass(pool, sender, now).await.claimed > 0 {}
    }
    futures_util::join!(drain(&one, &sender, t0), drain(&two, &sender, t0));

    let rows = rows(&mut one.get().unwrap(), &objection);
    assert_eq!(rows.len(), 32);
    let mut ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    assert_eq!(sender.sent_ids(), ids, "every notice sent, none twice");
    assert!(rows.iter().all(|r| r.status == "sent" && r.attempts == 1), "{rows:?}");
}

async fn r28_1_notices_of_a_purged_contact_are_not_sent(app: &TestApp) {
    let pool = app.pool();
    let ids = objections(app, 3).await;
    let (purged, kept, raced) = (&ids[0], &ids[1], &ids[2]);
    let t0 = later();
    queue(&pool, purged, &both("purged@example.cn"), t0);
    queue(&pool, kept, &email_only("kept@example.cn"), t0);
    queue(&pool, raced, &email_only("raced@example.cn"), t0);

    let mut conn = pool.get().unwrap();
    assert_eq!(purge_addresses(&mut conn, purged).unwrap(), 2);
    assert_eq!(purge_addresses(&mut conn, purged).unwrap(), 0, "purging again changes nothing");
    for row in rows(&mut conn, purged) {
        assert_eq!(row.address, "");
        assert_eq!(
            (row.status.as_str(), row.last_error.as_deref(), row.sent_at),
            ("sent", Some("contact purged"), None)
        );
    }
    // A purge that blanked an address without settling the notice: the worker settles it instead of sending.
    diesel::update(notices::table.filter(notices::objection_id.eq(raced)))
        .set(notices::address.eq(""))
        .execute(&mut conn)
        .unwrap();

    let sender = Scripted::default();
    assert_eq!(pass(&pool, &sender, t0).await, Pass { claimed: 2, sent: 1, purged: 1, ..Pass::default() });
    let sent = sender.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, "kept@example.cn", "only the objection whose contact was kept");
    let raced_row = rows(&mut conn, raced).remove(0);
    assert_eq!((raced_row.status.as_str(), raced_row.last_error.as_deref()), ("sent", Some("contact purged")));
    assert_eq!((raced_row.attempts, raced_row.sent_at), (0, None), "never attempted");

    assert_eq!(purge_addresses(&mut conn, kept).unwrap(), 1, "a delivered notice loses its address too");
    let kept_row = rows(&mut conn, kept).remove(0);
    assert_eq!((kept_row.address.as_str(), kept_row.status.as_str()), ("", "sent"));
    assert_eq!(kept_row.sent_at, Some(t0), "and keeps when it went");
    assert_eq!(pass(&pool, &sender, t0 + Duration::days(1)).await.claimed, 0);
}
