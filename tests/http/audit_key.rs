//! The audit chain's key and anchors: an attacker with the database but without the key file, who edits an
//! event and rechains the trail with plain SHA-256, is named by verify; a history rewritten so that it recomputes no
//! longer matches its anchors; another key is reported as the key, not as a broken chain; a trail of v1 events (a
//! database from before the key) followed by v2 events verifies, a rewritten v1 prefix breaks the first v2 event,
//! and a v1 event after a v2 one is a break.

use crate::audit::append_many;
use credit_api::audit::anchor::{self, AnchorLog};
use credit_api::audit::chain::{self, EventFields, Version};
use credit_api::audit::store::StoredEvent;
use credit_api::audit::{Actor, AuditAction, Outcome};
use credit_api::db::{Db, DbPool, DbTarget};
use credit_api::keys::AuditKey;
use credit_api::schema::{audit_events, audit_head};
use credit_tests::{on_both_backends, TestApp};
use credit_types::audit::{AnchorStatus, KeyProblemKind, Verification};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::ops::RangeInclusive;

on_both_backends!(
    r30_1_an_event_edited_and_rechained_with_sha256_without_the_key_is_named_by_verify,
    r30_1_a_rewritten_history_no_longer_matches_its_anchor,
    r30_1_verification_with_another_key_reports_the_key_not_a_broken_chain,
    r30_1_a_v1_trail_followed_by_v2_events_verifies_and_its_v1_prefix_cannot_be_rewritten,
    r30_1_a_v1_event_after_a_v2_event_is_a_break,
);

/// What an attacker without the key can compute for an event: a SHA-256, of the v1 encoding (stored as v1) or of
/// the v2 encoding (stored as v2, to pass for a MAC).
fn unkeyed(version: Version, seq: i64, prev_hash: &str, event: &EventFields) -> String {
    hex::encode(Sha256::digest(chain::canonical(version, seq, prev_hash, event)))
}

/// Rewrites the events in `seqs` as an attacker without the key would: `edit` changes an event's content, and each
/// hash in `seqs` is recomputed as `version` with plain SHA-256 and relinked; when that reaches the last event, the
/// head follows. The app's protection must have been lifted.
fn rechain(pool: &DbPool, seqs: RangeInclusive<i64>, version: Version, edit: impl Fn(i64, &mut EventFields)) {
    let mut conn = pool.get().unwrap();
    let stored: Vec<StoredEvent> =
        audit_events::table.order(audit_events::seq.asc()).select(StoredEvent::as_select()).load(&mut conn).unwrap();
    let last = stored.last().map_or(0, |row| row.seq);
    let mut prev_hash = chain::GENESIS_HASH.to_owned();
    for row in stored.into_iter().take_while(|row| row.seq <= *seqs.end()) {
        if row.seq < *seqs.start() {
            prev_hash = row.hash;
            continue;
        }
        let mut event = row.fields();
        edit(row.seq, &mut event);
        let hash = unkeyed(version, row.seq, &prev_hash, &event);
        diesel::update(audit_events::table.find(row.seq))
            .set((
                audit_events::actor_id.eq(&event.actor_id),
                audit_events::detail.eq(&event.detail),
                audit_events::prev_hash.eq(&prev_hash),
                audit_events::hash.eq(&hash),
                audit_events::version.eq(version.number()),
            ))
            .execute(&mut conn)
            .unwrap();
        prev_hash = hash;
    }
    if *seqs.end() >= last {
        diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(&prev_hash)).execute(&mut conn).unwrap();
    }
}

/// Every event from `seq` on.
const TO_THE_END: i64 = i64::MAX;

/// Appends one event as the code before the audit key did: plain SHA-256, version 1.
fn append_v1(conn: &mut Db, detail: &str) {
    let event = EventFields::new(&Actor::System, AuditAction::AuditVerify, Outcome::Success).detail(detail);
    let event = EventFields { occurred_at: chain::to_micros(event.occurred_at), ..event };
    conn.transaction(|conn| insert_v1(conn, &event)).unwrap();
}

fn insert_v1(conn: &mut Db, event: &EventFields) -> QueryResult<()> {
    diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq + 1)).execute(conn)?;
    let (seq, prev_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    let hash = chain::sha256_v1(seq, &prev_hash, event);
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::seq.eq(seq),
            audit_events::occurred_at.eq(event.occurred_at),
            audit_events::actor_kind.eq(&event.actor_kind),
            audit_events::action.eq(&event.action),
            audit_events::outcome.eq(&event.outcome),
            audit_events::detail.eq(&event.detail),
            audit_events::request_id.eq(&event.request_id),
            audit_events::prev_hash.eq(&prev_hash),
            audit_events::hash.eq(&hash),
            audit_events::version.eq(1),
        ))
        .execute(conn)?;
    diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(hash)).execute(conn)?;
    Ok(())
}

fn verify_with(pool: &DbPool, key: Option<&AuditKey>, anchors: &AnchorLog) -> Verification {
    credit_api::audit::verify(&mut pool.get().unwrap(), key, anchors).unwrap()
}

fn broken_at(verification: &Verification) -> (i64, String) {
    let broken = verification.first_broken.clone().unwrap_or_else(|| panic!("a break: {verification:?}"));
    (broken.seq, broken.reason)
}

async fn r30_1_an_event_edited_and_rechained_with_sha256_without_the_key_is_named_by_verify(app: &TestApp) {
    let pool = app.pool();
    append_many(&pool, app.audit_key(), 10);
    assert!(app.verify_audit_trail().intact());
    app.lift_audit_trail_protection();
    // Event 5 edited, then 5 to 10 rechained: each link holds, but a SHA-256 is no MAC.
    rechain(&pool, 5..=TO_THE_END, Version::Hmac, |seq, e| {
        if seq == 5 {
            e.actor_id = Some("someone-else".into());
        }
    });
    let verification = app.verify_audit_trail();
    let (seq, reason) = broken_at(&verification);
    assert_eq!((seq, verification.checked), (5, 4));
    assert!(reason.contains("MAC") && reason.contains("changed"), "{reason}");
    assert_eq!(verification.key_problem, None, "the key is the trail's: the events before verified with it");
    // Rechained as v1 instead (no MAC to forge): the way back to plain SHA-256 is a break.
    rechain(&pool, 5..=TO_THE_END, Version::Sha256, |_, _| {});
    let (seq, reason) = broken_at(&app.verify_audit_trail());
    assert_eq!(seq, 5);
    assert!(reason.contains("plain SHA-256 after events with a MAC"), "{reason}");
}

async fn r30_1_a_rewritten_history_no_longer_matches_its_anchor(app: &TestApp) {
    let pool = app.pool();
    append_many(&pool, app.audit_key(), 5);
    let mut conn = pool.get().unwrap();
    let anchored = anchor::write_head(&mut conn, app.audit_key(), app.audit_anchors(), chrono::Utc::now()).unwrap();
    assert_eq!(anchored.seq, 5);
    let verification = app.verify_audit_trail();
    assert!(verification.intact(), "{verification:?}");
    assert_eq!((verification.anchors.latest[0].seq, verification.anchors.latest[0].status), (5, AnchorStatus::Matches));
    // The whole history rewritten as v1, content changed: every event recomputes, the chain itself looks intact…
    app.lift_audit_trail_protection();
    rechain(&pool, 1..=TO_THE_END, Version::Sha256, |seq, e| e.detail = Some(format!("rewritten {seq}")));
    let verification = app.verify_audit_trail();
    assert_eq!((verification.first_broken.clone(), verification.checked), (None, 5));
    // …but not the anchor written outside the database.
    let mismatch = verification.anchors.first_mismatch.clone().expect("the anchor no longer matches");
    assert_eq!((mismatch.seq, mismatch.status, mismatch.mac), (5, AnchorStatus::Differs, anchored.mac));
    assert!(!verification.intact());
    // Events removed from the end (and the head set back): the anchored one is missing.
    if matches!(app.database, DbTarget::Sqlite(_)) {
        app.execute_sql("DROP TRIGGER audit_events_no_delete");
    }
    app.execute_sql(
        "DELETE FROM audit_events WHERE seq >= 4; \
         UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_events WHERE seq = 3)",
    );
    let mismatch = app.verify_audit_trail().anchors.first_mismatch.expect("the anchored event is gone");
    assert_eq!((mismatch.seq, mismatch.status), (5, AnchorStatus::Missing));
}

async fn r30_1_verification_with_another_key_reports_the_key_not_a_broken_chain(app: &TestApp) {
    let pool = app.pool();
    append_many(&pool, app.audit_key(), 3);
    let other_path = app.data_dir().join("elsewhere/audit.key");
    let other = AuditKey::load_or_create(&other_path).unwrap();
    let anchors = anchor::read(app.audit_anchors()).unwrap();
    assert!(!anchors.anchors.is_empty(), "the start anchors the head");
    // The anchors name the trail's key: another key is named as such, and no event is called broken.
    let verification = verify_with(&pool, Some(&other), &anchors);
    let problem = verification.key_problem.clone().expect("the key is reported");
    assert_eq!(
        (problem.kind, verification.first_broken.clone(), verification.checked),
        (KeyProblemKind::Mismatch, None, 0)
    );
    assert!(
        problem.detail.contains(&other.id()) && problem.detail.contains(&app.audit_key().id()),
        "{}",
        problem.detail
    );
    assert!(!verification.intact());
    // Without anchors, the first event with a MAC tells the key apart, still as a key problem.
    let verification = verify_with(&pool, Some(&other), &AnchorLog::default());
    let problem = verification.key_problem.clone().expect("the key is reported");
    assert_eq!((problem.kind, verification.first_broken.clone()), (KeyProblemKind::Mismatch, None));
    assert!(problem.detail.contains("event 1, the first written with a MAC"), "{}", problem.detail);
    // No key at all.
    let verification = verify_with(&pool, None, &anchors);
    let problem = verification.key_problem.clone().expect("the missing key is reported");
    assert_eq!((problem.kind, verification.first_broken), (KeyProblemKind::Missing, None));
    // The right key: intact.
    assert!(verify_with(&pool, Some(app.audit_key()), &anchors).intact());
}

async fn r30_1_a_v1_trail_followed_by_v2_events_verifies_and_its_v1_prefix_cannot_be_rewritten(app: &TestApp) {
    let pool = app.pool();
    let mut conn = pool.get().unwrap();
    for n in 1..=3 {
        append_v1(&mut conn, &format!("before the key {n}"));
    }
    append_many(&pool, app.audit_key(), 3);
    let versions: Vec<i32> =
        audit_events::table.order(audit_events::seq.asc()).select(audit_events::version).load(&mut conn).unwrap();
    assert_eq!(versions, [1, 1, 1, 2, 2, 2]);
    let verification = app.verify_audit_trail();
    assert!(verification.intact(), "{verification:?}");
    assert_eq!(verification.checked, 6);
    // Event 2 rewritten and the v1 prefix rechained (no key needed for v1): the first v2 event no longer links.
    app.lift_audit_trail_protection();
    let stored: Vec<String> =
        audit_events::table.order(audit_events::seq.asc()).select(audit_events::hash).load(&mut conn).unwrap();
    let edited = |seq: i64, e: &mut EventFields| {
        if seq == 2 {
            e.detail = Some("rewritten".into());
        }
    };
    rechain(&pool, 1..=3, Version::Sha256, edited);
    let (seq, reason) = broken_at(&app.verify_audit_trail());
    assert_eq!(seq, 4);
    assert!(reason.contains("does not link"), "{reason}");
    // Its link rewritten too: its MAC, which covers the link, fails.
    let new_last_v1: String = audit_events::table.find(3).select(audit_events::hash).first(&mut conn).unwrap();
    assert_ne!(new_last_v1, stored[2]);
    diesel::update(audit_events::table.find(4))
        .set(audit_events::prev_hash.eq(&new_last_v1))
        .execute(&mut conn)
        .unwrap();
    let (seq, reason) = broken_at(&app.verify_audit_trail());
    assert_eq!(seq, 4);
    assert!(reason.contains("MAC"), "{reason}");
}

async fn r30_1_a_v1_event_after_a_v2_event_is_a_break(app: &TestApp) {
    let pool = app.pool();
    append_many(&pool, app.audit_key(), 2);
    append_v1(&mut pool.get().unwrap(), "slipped in as v1");
    let verification = app.verify_audit_trail();
    let (seq, reason) = broken_at(&verification);
    assert_eq!((seq, verification.checked), (3, 2));
    assert!(reason.contains("never goes back to v1"), "{reason}");
}
