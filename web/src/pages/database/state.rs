//! The database's state: the newest snapshot with its state, the reasons and the figures of the backend in
//! use, a button to collect it now (database administrators), and the snapshots before it.

use super::holds;
use crate::api;
use crate::components::{time, token, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::dbadmin::{
    DbFigures, DbSnapshot, DbSnapshotQuery, DbSnapshotSummary, PostgresFigures, SnapshotState, SqliteFigures,
};
use credit_types::identity::Role;
use credit_types::ErrorCode;
use leptos::prelude::*;

#[component]
pub fn DatabaseState() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DbAdmin, Role::SecurityAuditor]>
            <DatabasePage />
        </RequireRole>
    }
}

/// The badge of a state.
pub fn state_badge(state: SnapshotState) -> impl IntoView {
    let class = match state {
        SnapshotState::Ok => "badge badge--ok",
        SnapshotState::Warning => "badge badge--warning",
        SnapshotState::Failed => "badge badge--danger",
    };
    view! { <span class=class>{state.label()}</span> }
}

#[component]
fn DatabasePage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let latest = LocalResource::new(move || {
        reload.track();
        async move { api::dbadmin::latest_snapshot(&token()).await }
    });
    let history = Pager::<DbSnapshotSummary>::new();
    Effect::new(move |_| {
        reload.track();
        history.load(api::url::db_snapshots(&DbSnapshotQuery { limit: Some(20), ..Default::default() }));
    });
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let take = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::dbadmin::take_snapshot(&token()).await {
                Ok(_) => {
                    message.set(Some("已采集当前数据库状态。".to_owned()));
                    reload.update(|n| *n += 1);
                }
                Err(error) => message.set(Some(error.friendly())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel" data-testid="database-state">
            <h1>"数据库状态"</h1>
            <p class="panel__hint">"每日自动采集一次;数据库管理员可随时立即采集。检查结论请在“数据库检查记录”中存档。"</p>
            <Show when=move || holds(Role::DbAdmin)>
                <button class="button" type="button" disabled=move || busy.get() on:click=take data-testid="take-snapshot">"立即采集"</button>
            </Show>
            {move || message.get().map(|m| view! { <p class="status" role="status">{m}</p> })}
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(snapshot) => view! { <Snapshot snapshot /> }.into_any(),
                        Err(error) if error.is(&[ErrorCode::NotFound]) => {
                            view! { <p class="empty">"尚无数据库状态快照。"</p> }.into_any()
                        }
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="panel">
            <h2>"历次采集"</h2>
            <ListTable caption="数据库状态快照,最新的在前" columns=["采集时间", "方式", "数据库", "状态", "原因"] testid="snapshot-table">
                <For each=move || history.items.get() key=|s| s.id.clone() let:s>
                    <tr>
                        <td>{time::minutes(s.taken_at)}</td>
                        <td>{s.trigger.label()}</td>
                        <td>{backend_name(&s.backend)}</td>
                        <td>{state_badge(s.state)}</td>
                        <td>{s.reasons.join(";")}</td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager=history empty="尚无数据库状态快照。" testid="snapshots" />
        </section>
    }
}

fn backend_name(backend: &str) -> &'static str {
    match backend {
        "sqlite" => "SQLite",
        "postgres" => "PostgreSQL",
        _ => "未知",
    }
}

/// Bytes as people read them.
pub fn size(bytes: i64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 * 1024 {
        format!("{:.2} GiB", bytes as f64 / (MIB * 1024.0))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB)
    }
}

#[component]
fn Snapshot(snapshot: DbSnapshot) -> impl IntoView {
    let by = snapshot.taken_by_name.clone().map(|name| format!("({name})")).unwrap_or_default();
    let reasons = snapshot.reasons.clone();
    view! {
        <div class="snapshot" data-testid="latest-snapshot">
            <p>
                "最近一次采集:" {time::minutes(snapshot.taken_at)} " · " {snapshot.trigger.label()} {by} " · 状态 "
                {state_badge(snapshot.state)}
            </p>
            {(!reasons.is_empty()).then(|| view! {
                <ul class="reasons" data-testid="snapshot-reasons">
                    {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                </ul>
            })}
            {match snapshot.figures {
                DbFigures::Sqlite(figures) => view! { <SqliteTable figures /> }.into_any(),
                DbFigures::Postgres(figures) => view! { <PostgresTable figures /> }.into_any(),
                DbFigures::Unavailable => view! { <p class="status status--error">"本次未能采集到数据库数据。"</p> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SqliteTable(figures: SqliteFigures) -> impl IntoView {
    let rows = vec![
        ("数据库", "SQLite".to_owned()),
        ("完整性检查(quick_check)", figures.quick_check.join(";")),
        ("数据库大小", format!("{}({} 页 × {} 字节)", size(figures.size_bytes), figures.page_count, figures.page_size)),
        ("空闲页", format!("{} 页({})", figures.free_pages, size(figures.free_pages * figures.page_size))),
        ("预写日志(WAL)", figures.wal_bytes.map(size).unwrap_or_else(|| "无".to_owned())),
        ("查询统计信息刷新", figures.statistics_refreshed_at.map(time::minutes).unwrap_or_else(|| "从未".to_owned())),
    ];
    view! { <Figures rows /> }
}

#[component]
fn PostgresTable(figures: PostgresFigures) -> impl IntoView {
    let transaction = figures
        .longest_transaction
        .as_ref()
        .map_or_else(|| "无".to_owned(), |t| format!("{:.0} 秒({})", t.seconds, t.state.clone().unwrap_or_default()));
    let replication = if figures.replicas.is_empty() {
        "无备库".to_owned()
    } else {
        figures
            .replicas
            .iter()
            .map(|r| {
                let lag = r.replay_lag_seconds.map(|l| format!(",回放延迟 {l:.0} 秒")).unwrap_or_default();
                format!("{}:{} / {}{lag}", r.application_name, r.state, r.sync_state)
            })
            .collect::<Vec<_>>()
            .join(";")
    };
    let rows = vec![
        ("数据库", format!("PostgreSQL {}{}", figures.version, if figures.in_recovery { "(备库)" } else { "" })),
        ("数据库大小", size(figures.size_bytes)),
        ("连接数", format!("{} / {}", figures.connections, figures.max_connections)),
        ("最长的未结束事务", transaction),
        ("死锁 / 恢复冲突(累计)", format!("{} / {}", figures.deadlocks, figures.conflicts)),
        ("复制", replication),
    ];
    view! {
        <Figures rows />
        <ListTable caption="最大的表及其失效元组" columns=["表", "大小", "有效元组", "失效元组", "最近清理", "最近分析"] numeric=&["大小", "有效元组", "失效元组"] testid="table-figures">
            {figures.tables.into_iter().map(|t| view! {
                <tr>
                    <td class="mono">{t.table}</td>
                    <td class="number">{size(t.size_bytes)}</td>
                    <td class="number">{t.live_tuples}</td>
                    <td class="number">{t.dead_tuples}</td>
                    <td>{t.last_vacuum_at.map(time::minutes).unwrap_or_default()}</td>
                    <td>{t.last_analyze_at.map(time::minutes).unwrap_or_default()}</td>
                </tr>
            }).collect_view()}
        </ListTable>
    }
}

/// A table of named figures.
#[component]
fn Figures(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <table class="table" data-testid="figures">
            <tbody>
                {rows.into_iter().map(|(name, value)| view! { <tr><th scope="row">{name}</th><td>{value}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}
