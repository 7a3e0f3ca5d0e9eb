//! What a snapshot's figures mean: the state (ok, warning, failed) and the reasons people read, by fixed
//! thresholds. Deadlocks and conflicts are counted since the statistics' reset, so they warn when they grew since the
//! previous snapshot (or, with none, when there are any).

use chrono::{DateTime, Duration, Utc};
use credit_types::dbadmin::{DbFigures, PostgresFigures, SnapshotState, SqliteFigures};

/// Free pages worth reclaiming: more than this share of the file, and more than `FREE_BYTES_WARN`.
pub const FREE_SHARE_WARN: f64 = 0.25;
pub const FREE_BYTES_WARN: i64 = 64 * 1024 * 1024;
/// A write-ahead log this large has not been checkpointed for long.
pub const WAL_BYTES_WARN: i64 = 256 * 1024 * 1024;
/// The planner's statistics are refreshed daily; older than this, the daily job has not run.
pub const STATISTICS_MAX_AGE_HOURS: i64 = 48;
/// Connections against `max_connections`.
pub const CONNECTIONS_WARN: f64 = 0.8;
pub const CONNECTIONS_FAIL: f64 = 0.95;
/// An open transaction holds back vacuum and locks: warned after 5 minutes, a failure after an hour.
pub const TRANSACTION_WARN_SECONDS: f64 = 300.0;
pub const TRANSACTION_FAIL_SECONDS: f64 = 3600.0;
/// A table whose dead tuples are more than this share of its tuples, and more than `DEAD_TUPLES_WARN`.
pub const DEAD_SHARE_WARN: f64 = 0.2;
pub const DEAD_TUPLES_WARN: i64 = 10_000;
/// A standby this far behind.
pub const REPLAY_LAG_WARN_SECONDS: f64 = 300.0;

/// The findings so far: the worst state and the reasons.
#[derive(Debug, Default)]
struct Findings {
    warnings: Vec<String>,
    failures: Vec<String>,
}

impl Findings {
    fn warn(&mut self, reason: String) {
        self.warnings.push(reason);
    }

    fn fail(&mut self, reason: String) {
        self.failures.push(reason);
    }

    fn verdict(self) -> (SnapshotState, Vec<String>) {
        let state = if !self.failures.is_empty() {
            SnapshotState::Failed
        } else if !self.warnings.is_empty() {
            SnapshotState::Warning
        } else {
            SnapshotState::Ok
        };
        (state, self.failures.into_iter().chain(self.warnings).collect())
    }
}

/// The state of `figures` taken at `now`, given the previous snapshot's figures, with the reasons it is not ok.
pub fn assess(figures: &DbFigures, previous: Option<&DbFigures>, now: DateTime<Utc>) -> (SnapshotState, Vec<String>) {
    let mut findings = Findings::default();
    match figures {
        DbFigures::Sqlite(sqlite) => assess_sqlite(sqlite, now, &mut findings),
        DbFigures::Postgres(pg) => {
            let previous = match previous {
                Some(DbFigures::Postgres(previous)) => Some(previous),
                _ => None,
            };
            assess_postgres(pg, previous, &mut findings)
        }
        DbFigures::Unavailable => findings.fail("无法采集数据库状态".to_owned()),
    }
    findings.verdict()
}

/// A probe that could not run: failed, with its error.
pub fn unavailable(error: &str) -> (SnapshotState, Vec<String>) {
    (SnapshotState::Failed, vec![format!("无法采集数据库状态:{error}")])
}

fn mib(bytes: i64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn assess_sqlite(figures: &SqliteFigures, now: DateTime<Utc>, findings: &mut Findings) {
    if figures.quick_check != ["ok"] {
        findings.fail(format!("完整性检查(quick_check)发现问题:{}", figures.quick_check.join(";")));
    }
    let free_bytes = figures.free_pages.saturating_mul(figures.page_size);
    let share = if figures.page_count > 0 { figures.free_pages as f64 / figures.page_count as f64 } else { 0.0 };
    if share > FREE_SHARE_WARN && free_bytes > FREE_BYTES_WARN {
        findings.warn(format!("空闲页占 {:.0}%({}),可在维护窗口执行 VACUUM 回收空间", share * 100.0, mib(free_bytes)));
    }
    if let Some(wal) = figures.wal_bytes.filter(|w| *w > WAL_BYTES_WARN) {
        findings.warn(format!("预写日志(WAL)达 {},检查点可能被长事务阻塞", mib(wal)));
    }
    match figures.statistics_refreshed_at {
        None => findings.warn("查询规划统计信息从未刷新".to_owned()),
        Some(at) if now - at > Duration::hours(STATISTICS_MAX_AGE_HOURS) => {
            findings.warn(format!("查询规划统计信息已超过 {STATISTICS_MAX_AGE_HOURS} 小时未刷新"))
        }
        Some(_) => {}
    }
}

fn assess_postgres(figures: &PostgresFigures, previous: Option<&PostgresFigures>, findings: &mut Findings) {
    if figures.max_connections > 0 {
        let share = figures.connections as f64 / figures.max_connections as f64;
        let text = format!("连接数 {} / {}({:.0}%)", figures.connections, figures.max_connections, share * 100.0);
        if share >= CONNECTIONS_FAIL {
            findings.fail(format!("{text},即将耗尽"));
        } else if share >= CONNECTIONS_WARN {
            findings.warn(format!("{text},接近上限"));
        }
    }
    if let Some(transaction) = &figures.longest_transaction {
        let minutes = transaction.seconds / 60.0;
        let state = transaction.state.as_deref().unwrap_or("未知");
        if transaction.seconds >= TRANSACTION_FAIL_SECONDS {
            findings.fail(format!("有事务已持续 {minutes:.0} 分钟({state}),阻碍清理并可能持有锁"));
        } else if transaction.seconds >= TRANSACTION_WARN_SECONDS {
            findings.warn(format!("有事务已持续 {minutes:.0} 分钟({state})"));
        }
    }
    let grown = |now: i64, before: Option<i64>| match before {
        Some(before) if now >= before => now - before,
        // No previous figure, or the statistics were reset since: what is counted now.
        _ => now,
    };
    let deadlocks = grown(figures.deadlocks, previous.map(|p| p.deadlocks));
    if deadlocks > 0 {
        findings.warn(format!("自上次采集以来发生 {deadlocks} 次死锁"));
    }
    let conflicts = grown(figures.conflicts, previous.map(|p| p.conflicts));
    if conflicts > 0 {
        findings.warn(format!("自上次采集以来发生 {conflicts} 次恢复冲突"));
    }
    for table in &figures.tables {
        let total = table.live_tuples.saturating_add(table.dead_tuples);
        let share = if total > 0 { table.dead_tuples as f64 / total as f64 } else { 0.0 };
        if table.dead_tuples > DEAD_TUPLES_WARN && share > DEAD_SHARE_WARN {
            findings.warn(format!(
                "表 {} 的失效元组 {} 行(占 {:.0}%),自动清理可能滞后",
                table.table,
                table.dead_tuples,
                share * 100.0
            ));
        }
    }
    for replica in &figures.replicas {
        if replica.state != "streaming" {
            findings.warn(format!("备库 {} 的复制状态为 {}", replica.application_name, replica.state));
        }
        if let Some(lag) = replica.replay_lag_seconds.filter(|lag| *lag > REPLAY_LAG_WARN_SECONDS) {
            findings.warn(format!("备库 {} 回放延迟 {:.0} 秒", replica.application_name, lag));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::dbadmin::{OpenTransaction, ReplicaFigures, TableFigures};

    fn now() -> DateTime<Utc> {
        Utc::now()
    }

    fn sqlite() -> SqliteFigures {
        SqliteFigures {
            quick_check: vec!["ok".into()],
            size_bytes: 4096 * 1000,
            page_count: 1000,
            page_size: 4096,
            free_pages: 10,
            wal_bytes: Some(4096),
            statistics_refreshed_at: Some(now()),
        }
    }

    fn postgres() -> PostgresFigures {
        PostgresFigures {
            version: "16.4".into(),
            size_bytes: 10_000_000,
            connections: 10,
            max_connections: 100,
            longest_transaction: None,
            deadlocks: 0,
            conflicts: 0,
            in_recovery: false,
            tables: vec![TableFigures {
                table: "records".into(),
                size_bytes: 1,
                live_tuples: 100_000,
                dead_tuples: 100,
                last_vacuum_at: None,
                last_analyze_at: None,
            }],
            replicas: Vec::new(),
        }
    }

    fn state(figures: DbFigures, previous: Option<DbFigures>) -> (SnapshotState, Vec<String>) {
        assess(&figures, previous.as_ref(), now())
    }

    #[test]
    fn r13_1_a_healthy_sqlite_database_is_ok() {
        assert_eq!(state(DbFigures::Sqlite(sqlite()), None), (SnapshotState::Ok, Vec::new()));
    }

    #[test]
    fn r13_1_sqlite_integrity_problems_fail_and_upkeep_warns() {
        let broken = SqliteFigures { quick_check: vec!["row 3 missing from index x".into()], ..sqlite() };
        let (verdict, reasons) = state(DbFigures::Sqlite(broken), None);
        assert_eq!(verdict, SnapshotState::Failed);
        assert!(reasons[0].contains("row 3 missing"), "{reasons:?}");

        let bloated = SqliteFigures {
            page_count: 100_000,
            free_pages: 50_000,
            wal_bytes: Some(WAL_BYTES_WARN + 1),
            statistics_refreshed_at: Some(now() - Duration::days(3)),
            ..sqlite()
        };
        let (verdict, reasons) = state(DbFigures::Sqlite(bloated), None);
        assert_eq!(verdict, SnapshotState::Warning);
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        let never = SqliteFigures { statistics_refreshed_at: None, ..sqlite() };
        assert_eq!(state(DbFigures::Sqlite(never), None).0, SnapshotState::Warning);
    }

    #[test]
    fn r13_1_postgres_connections_transactions_and_dead_tuples() {
        assert_eq!(state(DbFigures::Postgres(postgres()), None), (SnapshotState::Ok, Vec::new()));
        let busy = PostgresFigures { connections: 85, ..postgres() };
        assert_eq!(state(DbFigures::Postgres(busy), None).0, SnapshotState::Warning);
        let full = PostgresFigures { connections: 99, ..postgres() };
        assert_eq!(state(DbFigures::Postgres(full), None).0, SnapshotState::Failed);
        let open = |seconds| PostgresFigures {
            longest_transaction: Some(OpenTransaction {
                seconds,
                state: Some("idle in transaction".into()),
                application_name: None,
            }),
            ..postgres()
        };
        assert_eq!(state(DbFigures::Postgres(open(10.0)), None).0, SnapshotState::Ok);
        assert_eq!(state(DbFigures::Postgres(open(600.0)), None).0, SnapshotState::Warning);
        assert_eq!(state(DbFigures::Postgres(open(7200.0)), None).0, SnapshotState::Failed);
        let mut dead = postgres();
        dead.tables[0].dead_tuples = 50_000;
        let (verdict, reasons) = state(DbFigures::Postgres(dead), None);
        assert_eq!(verdict, SnapshotState::Warning);
        assert!(reasons[0].contains("records"), "{reasons:?}");
    }

    #[test]
    fn r13_1_deadlocks_warn_when_they_grew_since_the_previous_snapshot() {
        let before = PostgresFigures { deadlocks: 3, ..postgres() };
        let same = PostgresFigures { deadlocks: 3, ..postgres() };
        assert_eq!(state(DbFigures::Postgres(same), Some(DbFigures::Postgres(before.clone()))).0, SnapshotState::Ok);
        let more = PostgresFigures { deadlocks: 5, ..postgres() };
        let (verdict, reasons) = state(DbFigures::Postgres(more), Some(DbFigures::Postgres(before)));
        assert_eq!(verdict, SnapshotState::Warning);
        assert!(reasons[0].contains('2'), "{reasons:?}");
        let first = PostgresFigures { deadlocks: 1, ..postgres() };
        assert_eq!(state(DbFigures::Postgres(first), None).0, SnapshotState::Warning);
    }

    #[test]
    fn r13_1_replication_that_is_not_streaming_or_lags_warns() {
        let replica = |state: &str, lag| ReplicaFigures {
            application_name: "standby1".into(),
            client_address: Some("10.0.0.2".into()),
            state: state.into(),
            sync_state: "async".into(),
            replay_lag_seconds: lag,
        };
        let fine = PostgresFigures { replicas: vec![replica("streaming", Some(1.0))], ..postgres() };
        assert_eq!(state(DbFigures::Postgres(fine), None).0, SnapshotState::Ok);
        let behind = PostgresFigures { replicas: vec![replica("catchup", Some(900.0))], ..postgres() };
        let (verdict, reasons) = state(DbFigures::Postgres(behind), None);
        assert_eq!((verdict, reasons.len()), (SnapshotState::Warning, 2));
    }

    #[test]
    fn r13_1_an_unavailable_probe_fails() {
        assert_eq!(state(DbFigures::Unavailable, None).0, SnapshotState::Failed);
        assert!(unavailable("connection refused").1[0].contains("connection refused"));
    }
}
