//! How the app holds its data: a read transaction refuses every write while a write transaction makes it, on
//! both backends; and a stored code the app does not know is an error, never quietly read as another.

use credit_api::db::{read_transaction, write_transaction, Db, DbManager, DbTarget};
use credit_api::schema::regions;
use credit_tests::{expect_problem, on_both_backends, penalty, TestApp, LIANXI};
use credit_types::{ErrorCode, Region};
use diesel::prelude::*;
use diesel::result::Error;
use serde_json::json;

on_both_backends!(
    r3_1_a_read_transaction_refuses_writes_and_changes_nothing,
    r3_1_an_unknown_action_stored_in_the_trail_is_an_internal_error,
    r3_1_an_unknown_record_status_is_an_internal_error_never_a_default,
);

const RENAME: &str = "UPDATE regions SET name = '改名区' WHERE code = '360402'";
const INSERT: &str = "INSERT INTO regions (code, name, name_en, level, kind, parent_code) \
                      VALUES ('360499', '新设区', 'New District', 'county', 'district', '360400')";

fn region_count(conn: &mut Db) -> i64 {
    regions::table.count().get_result(conn).unwrap()
}

async fn r3_1_a_read_transaction_refuses_writes_and_changes_nothing(app: &TestApp) {
    let pool = DbManager::pool(app.database.clone()).unwrap();
    let mut conn = pool.get().unwrap();
    let before = region_count(&mut conn);
    for sql in [RENAME, INSERT] {
        let refused = read_transaction(&mut conn, |conn| diesel::sql_query(sql).execute(conn));
        assert!(refused.is_err(), "a read transaction ran {sql}");
    }
    let read: Result<i64, Error> = read_transaction(&mut conn, |conn| Ok(region_count(conn)));
    assert_eq!(read.unwrap(), before, "reads still work, and nothing was added");
    let lianxi: Region = app.get_json("/api/v1/regions/360402").await;
    assert_eq!(lianxi.name, "濂溪区", "nothing was renamed");

    // The same work in a write transaction, on the same connection afterwards, is done.
    for sql in [RENAME, INSERT] {
        let changed: Result<usize, Error> = write_transaction(&mut conn, |conn| diesel::sql_query(sql).execute(conn));
        assert_eq!(changed.unwrap(), 1, "{sql}");
    }
    assert_eq!(region_count(&mut conn), before + 1);
    let renamed: Region = app.get_json("/api/v1/regions/360402").await;
    assert_eq!(renamed.name, "改名区");
}

async fn r3_1_an_unknown_action_stored_in_the_trail_is_an_internal_error(app: &TestApp) {
    let auditor = app.auditor().await;
    // Someone with direct database access writes an action this release does not know into event 1.
    app.lift_audit_trail_protection();
    app.execute_sql("UPDATE audit_events SET action = 'auth.bogus' WHERE seq = 1");
    let one = app.get_as(&auditor, "/api/v1/audit/events/1").await;
    expect_problem(one, 500, ErrorCode::InternalError).await;
    let list = app.get_as(&auditor, "/api/v1/audit/events").await;
    expect_problem(list, 500, ErrorCode::InternalError).await;
}

/// A stored status that is no known one fails the read (logged, with the request id), never reads as a default.
async fn r3_1_an_unknown_record_status_is_an_internal_error_never_a_default(app: &TestApp) {
    let provider = app.provider("prov", LIANXI).await;
    let record = app.submit(&provider, &penalty("九江未知状态有限公司", json!("shared"))).await;
    // A value a newer release (or a hand edit) might store, past the CHECK constraint that guards the column.
    let update = format!("UPDATE records SET status = 'bogus' WHERE id = '{}'", record.id);
    match &app.database {
        DbTarget::Sqlite(_) => app.execute_sql(&format!("PRAGMA ignore_check_constraints = 1; {update}")),
        DbTarget::Postgres(_) => {
            app.execute_sql(&format!("ALTER TABLE records DROP CONSTRAINT records_status_check; {update}"))
        }
    }
    let read = app.get_as(&provider, &format!("/api/v1/records/{}", record.id)).await;
    expect_problem(read, 500, ErrorCode::InternalError).await;
    let listed = app.get_as(&provider, "/api/v1/records").await;
    expect_problem(listed, 500, ErrorCode::InternalError).await;
}
