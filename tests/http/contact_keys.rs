//! Appellants' contact keys: keyed with the contact key kept outside the database, not a plain SHA-256 of
//! the phone that anyone could find by trying every number; still one open objection per appellant and record;
//! replaced by a random value when the contact is purged; and brought in line at start for a database whose keys
//! were written before (the open ones recomputed, the purged ones made random), once.

use crate::objections::{credentials, file, objection, post_filing, published};
use credit_api::db::DbPool;
use credit_api::objections::contacts::{self, Rekeyed};
use credit_api::objections::rules::{self, UNLINKABLE_PREFIX};
use credit_api::schema::{notices, objections};
use credit_tests::{expect_problem, on_both_backends, TestApp};
use credit_types::ErrorCode;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

on_both_backends!(
    r28_1_the_stored_contact_key_is_keyed_and_the_same_phone_still_collides,
    r28_1_after_the_purge_no_stored_value_is_the_phone_or_a_hash_of_it,
    r28_1_contact_keys_of_an_older_database_are_rekeyed_once_at_start,
);

/// The hashes someone could try against a stored key: plain SHA-256 of the number, as stored before, and of the
/// text the key is made of; and, for the purge, the keyed value itself.
fn hashes_of(app: &TestApp, phone: &str) -> Vec<String> {
    let plain = |text: String| hex::encode(Sha256::digest(text));
    vec![
        plain(phone.to_owned()),
        plain(format!("phone:{phone}")),
        rules::contact_key(app.contact_key(), Some(phone), None),
    ]
}

fn stored_key(pool: &DbPool, tracking_number: &str) -> String {
    objections::table
        .filter(objections::tracking_number.eq(tracking_number))
        .select(objections::contact_key)
        .first(&mut pool.get().unwrap())
        .unwrap()
}

async fn r28_1_the_stored_contact_key_is_keyed_and_the_same_phone_still_collides(app: &TestApp) {
    let pool = app.pool();
    let (_prov, record) = published(app).await;
    let phone = "13907920031";
    let first = file(app, &objection(&record.id, phone)).await;
    let key = stored_key(&pool, &first.tracking_number);
    let [sha_of_phone, sha_of_text, keyed] = <[String; 3]>::try_from(hashes_of(app, phone)).unwrap();
    assert_ne!(key, sha_of_phone, "not the SHA-256 of the phone");
    assert_ne!(key, sha_of_text, "not the SHA-256 it used to be");
    assert_eq!(key, keyed, "the HMAC under the contact key");
    // The same phone, written differently, is the same appellant: 409, naming nothing of the open objection.
    let again = post_filing(app, None, &objection(&record.id, &format!(" {phone} ")), &[]).await;
    let problem = expect_problem(again, 409, ErrorCode::DuplicateObjection).await;
    assert!(!problem.detail.contains(&first.tracking_number), "{}", problem.detail);
}

async fn r28_1_after_the_purge_no_stored_value_is_the_phone_or_a_hash_of_it(app: &TestApp) {
    let pool = app.pool();
    let (_prov, record) = published(app).await;
    let phone = "13907920032";
    let filed = file(app, &objection(&record.id, phone)).await;
    let withdrawn = app.post_json("/api/v1/portal/objections/withdraw", &credentials(&filed)).await;
    assert_eq!(withdrawn.status(), 200);
    app.execute_sql(&format!(
        "UPDATE objections SET ended_at = '2026-01-01 00:00:00' WHERE tracking_number = '{}'",
        filed.tracking_number
    ));
    let mut conn = pool.get().unwrap();
    let now = credit_api::clock::now();
    assert_eq!(app.keyed(|| credit_api::objections::jobs::purge_contacts(&mut conn, now, 180)).unwrap(), 1);
    let (id, name, stored_phone, email, key): (String, String, Option<String>, Option<String>, String) =
        objections::table
            .filter(objections::tracking_number.eq(&filed.tracking_number))
            .select((
                objections::id,
                objections::appellant_name,
                objections::phone,
                objections::email,
                objections::contact_key,
            ))
            .first(&mut conn)
            .unwrap();
    let addresses: Vec<String> =
        notices::table.filter(notices::objection_id.eq(&id)).select(notices::address).load(&mut conn).unwrap();
    let mut stored: Vec<String> = [Some(name), stored_phone, email, Some(key.clone())].into_iter().flatten().collect();
    stored.extend(addresses);
    let hashes = hashes_of(app, phone);
    for value in &stored {
        assert!(!value.contains(phone), "{value}");
        assert!(!hashes.contains(value), "{value} is a hash of the phone");
    }
    assert!(key.starts_with(UNLINKABLE_PREFIX), "{key}");
}

async fn r28_1_contact_keys_of_an_older_database_are_rekeyed_once_at_start(app: &TestApp) {
    let pool = app.pool();
    let (_prov, record) = published(app).await;
    let (open_phone, purged_phone) = ("13907920033", "13907920034");
    let open = file(app, &objection(&record.id, open_phone)).await;
    let ended = file(app, &objection(&record.id, purged_phone)).await;
    let withdrawn = app.post_json("/api/v1/portal/objections/withdraw", &credentials(&ended)).await;
    assert_eq!(withdrawn.status(), 200);
    // As the code before the contact key left them: plain SHA-256 keys, one of a contact purged since.
    let sha = |phone: &str| hex::encode(Sha256::digest(format!("phone:{phone}")));
    let old = |tracking: &str, phone: &str, purged: &str| {
        format!("UPDATE objections SET contact_key = '{}'{purged} WHERE tracking_number = '{tracking}'", sha(phone))
    };
    app.execute_sql(&old(&open.tracking_number, open_phone, ""));
    app.execute_sql(&old(
        &ended.tracking_number,
        purged_phone,
        ", phone = NULL, appellant_name = '(已清除)', contact_purged_at = '2026-01-01 00:00:00'",
    ));
    let rekey = || {
        let mut conn = pool.get().unwrap();
        app.keyed(|| credit_api::db::write_transaction(&mut conn, |conn| contacts::rekey(conn, app.contact_key())))
            .unwrap()
    };
    assert_eq!(rekey(), Rekeyed { recomputed: 1, unlinked: 1 });
    assert_eq!(stored_key(&pool, &open.tracking_number), rules::contact_key(app.contact_key(), Some(open_phone), None));
    let purged = stored_key(&pool, &ended.tracking_number);
    assert!(purged.starts_with(UNLINKABLE_PREFIX) && !hashes_of(app, purged_phone).contains(&purged), "{purged}");
    assert_eq!(rekey(), Rekeyed::default(), "once: a second run changes nothing");
    assert_eq!(stored_key(&pool, &ended.tracking_number), purged);
    // The rekeyed open objection still recognises its appellant.
    let again = post_filing(app, None, &objection(&record.id, open_phone), &[]).await;
    expect_problem(again, 409, ErrorCode::DuplicateObjection).await;
    assert!(app.verify_audit_trail().intact(), "the rekeying is audited in the chain");
}
