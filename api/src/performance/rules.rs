//! The archive's rules: how long snapshots are kept and thinned, and how they become the points of a chart.

use super::store::SnapshotRow;
use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, Utc};
use credit_types::performance::PerformancePoint;

/// Snapshots younger than this are all kept.
pub const FULL_DAYS: i64 = 7;
/// Snapshots older than this are removed.
pub const KEEP_DAYS: i64 = 400;

/// The end of the hour a snapshot falls in: a snapshot covers the window before its slot, so 10:05 … 11:00 belong to
/// the hour ending 11:00.
pub fn hour_end(taken_at: NaiveDateTime) -> NaiveDateTime {
    let just_before = taken_at - Duration::microseconds(1);
    just_before.duration_trunc(Duration::hours(1)).unwrap_or(just_before) + Duration::hours(1)
}

/// The snapshots (their slots, oldest first) to remove at `now`: all older than [`KEEP_DAYS`]; of those older than
/// [`FULL_DAYS`], all but the latest of each hour (one per hour kept, the one on the hour when there is one).
pub fn to_remove(slots: &[NaiveDateTime], now: NaiveDateTime) -> Vec<NaiveDateTime> {
    let keep_until = now - Duration::days(KEEP_DAYS);
    let full_from = now - Duration::days(FULL_DAYS);
    let mut remove = Vec::new();
    let mut sorted: Vec<NaiveDateTime> = slots.to_vec();
    sorted.sort();
    for (i, slot) in sorted.iter().enumerate() {
        if *slot < keep_until {
            remove.push(*slot);
        } else if *slot < full_from {
            let next_in_same_hour = sorted.get(i + 1).is_some_and(|next| hour_end(*next) == hour_end(*slot));
            if next_in_same_hour {
                remove.push(*slot);
            }
        }
    }
    remove
}

/// One point per snapshot.
pub fn points(rows: &[SnapshotRow]) -> Vec<PerformancePoint> {
    rows.iter().map(|row| merge(row.taken_at, std::slice::from_ref(row))).collect()
}

/// One point per hour (the hour's end), from the hour's snapshots: requests, seconds and errors added up;
/// percentiles averaged weighted by the requests of each snapshot (an approximation: percentiles do not add); memory
/// the highest; the database's size the last known.
pub fn hourly(rows: &[SnapshotRow]) -> Vec<PerformancePoint> {
    let mut points = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let hour = hour_end(rows[start].taken_at);
        let end = rows[start..].iter().position(|r| hour_end(r.taken_at) != hour).map_or(rows.len(), |n| start + n);
        points.push(merge(hour, &rows[start..end]));
        start = end;
    }
    points
}

fn merge(at: NaiveDateTime, rows: &[SnapshotRow]) -> PerformancePoint {
    let requests: i64 = rows.iter().map(|r| r.requests).sum();
    let errors: i64 = rows.iter().map(|r| r.errors).sum();
    let seconds: f64 = rows.iter().map(|r| r.window_seconds).sum();
    let weighted = |pick: fn(&SnapshotRow) -> Option<f64>| {
        let (sum, weight) = rows
            .iter()
            .filter_map(|r| pick(r).map(|value| (value * r.requests as f64, r.requests as f64)))
            .fold((0.0, 0.0), |(s, w), (value, weight)| (s + value, w + weight));
        (weight > 0.0).then(|| sum / weight)
    };
    PerformancePoint {
        at: DateTime::<Utc>::from_naive_utc_and_offset(at, Utc),
        seconds,
        requests,
        requests_per_second: if seconds > 0.0 { requests as f64 / seconds } else { 0.0 },
        error_rate: if requests > 0 { errors as f64 / requests as f64 } else { 0.0 },
        p50_ms: weighted(|r| r.p50_ms),
        p95_ms: weighted(|r| r.p95_ms),
        p99_ms: weighted(|r| r.p99_ms),
        memory_bytes: rows.iter().map(|r| r.memory_bytes).max().unwrap_or(0),
        database_bytes: rows.iter().rev().find_map(|r| r.database_bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap_or_default()
    }

    fn row(taken_at: NaiveDateTime, requests: i64, p95: f64) -> SnapshotRow {
        SnapshotRow {
            taken_at,
            window_seconds: 300.0,
            requests,
            errors: requests / 10,
            p50_ms: Some(p95 / 2.0),
            p95_ms: Some(p95),
            p99_ms: Some(p95 * 2.0),
            memory_bytes: requests * 1000,
            database_bytes: Some(4096),
            instance: "web1".into(),
        }
    }

    #[test]
    fn r14_2_a_snapshot_belongs_to_the_hour_its_window_ends_in() {
        assert_eq!(hour_end(at(20, 10, 5)), at(20, 11, 0));
        assert_eq!(hour_end(at(20, 11, 0)), at(20, 11, 0));
        assert_eq!(hour_end(at(20, 11, 0) + Duration::seconds(1)), at(20, 12, 0));
    }

    #[test]
    fn r14_2_thinning_keeps_one_per_hour_past_a_week_and_nothing_past_400_days() {
        let now = at(28, 12, 0);
        let every_five_minutes =
            |from: NaiveDateTime, hours: i64| (0..hours * 12).map(move |i| from + Duration::minutes(5 * i));
        let recent: Vec<_> = every_five_minutes(now - Duration::hours(24), 24).collect();
        let old: Vec<_> = every_five_minutes(now - Duration::days(10), 3).collect();
        let ancient: Vec<_> = every_five_minutes(now - Duration::days(401), 1).collect();
        let all: Vec<_> = [recent.clone(), old.clone(), ancient.clone()].concat();
        let removed = to_remove(&all, now);
        assert!(recent.iter().all(|s| !removed.contains(s)), "a week's snapshots are all kept");
        assert!(ancient.iter().all(|s| removed.contains(s)), "past 400 days nothing is kept");
        let kept_old: Vec<_> = old.iter().filter(|s| !removed.contains(s)).copied().collect();
        let hours: std::collections::BTreeSet<_> = old.iter().map(|s| hour_end(*s)).collect();
        assert_eq!(kept_old.len(), hours.len(), "one per hour: {kept_old:?}");
        for hour in hours {
            let latest = old.iter().filter(|s| hour_end(**s) == hour).max();
            assert!(latest.is_some_and(|l| kept_old.contains(l)), "the latest of the hour ending {hour} is kept");
        }
        assert_eq!(to_remove(&[all.clone(), Vec::new()].concat(), now).len(), removed.len());
        let thinned: Vec<_> = all.iter().filter(|s| !removed.contains(s)).copied().collect();
        assert!(to_remove(&thinned, now).is_empty(), "thinning twice changes nothing");
    }

    #[test]
    fn r14_2_hourly_points_add_up_counts_and_weigh_percentiles_by_requests() {
        let rows = [row(at(20, 10, 5), 100, 10.0), row(at(20, 10, 10), 300, 30.0), row(at(20, 11, 5), 0, 0.0)];
        let hours = hourly(&rows);
        assert_eq!(hours.len(), 2);
        let first = &hours[0];
        assert_eq!(first.at.naive_utc(), at(20, 11, 0));
        assert_eq!((first.requests, first.seconds), (400, 600.0));
        assert!((first.requests_per_second - 400.0 / 600.0).abs() < 1e-9);
        assert!((first.error_rate - 40.0 / 400.0).abs() < 1e-9);
        assert_eq!(first.p95_ms, Some(25.0), "(100 × 10 + 300 × 30) / 400");
        assert_eq!(first.memory_bytes, 300_000);
        let idle = &hours[1];
        assert_eq!((idle.requests, idle.p95_ms, idle.error_rate), (0, None, 0.0), "no requests, no percentiles");
        assert_eq!(points(&rows).len(), 3);
    }
}
