//! 运维 for system administrators: the automatic health checks' board with a run on demand, and the
//! operation log. The security auditor reads both.

mod log;

pub use log::OperationLogPage;

use crate::api;
use crate::auth::Auth;
use crate::components::{time, token, RequireRole};
use credit_types::health::{HealthState, StatusBoard};
use credit_types::identity::Role;
use leptos::prelude::*;

/// The badge class of a check's state.
pub fn health_class(state: HealthState) -> &'static str {
    match state {
        HealthState::Ok => "badge badge--ok",
        HealthState::Warning => "badge badge--warning",
        HealthState::Failed => "badge badge--danger",
        HealthState::Unknown => "badge badge--muted",
    }
}

fn is_system_admin() -> bool {
    Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::SystemAdmin)))
}

#[component]
pub fn StatusBoardPage() -> impl IntoView {
    // Inside the guard: the board is read once the session is known.
    view! {
        <RequireRole roles=&[Role::SystemAdmin, Role::SecurityAuditor]>
            <StatusBoardPanel />
        </RequireRole>
    }
}

#[component]
fn StatusBoardPanel() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let ran = RwSignal::new(None::<Result<StatusBoard, String>>);
    let board = LocalResource::new(move || {
        reload.track();
        async move { api::ops::status(&token()).await }
    });
    let busy = RwSignal::new(false);
    let run = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            ran.set(Some(api::ops::run_checks(&token()).await.map_err(|e| e.friendly())));
            busy.set(false);
            reload.update(|n| *n += 1);
        });
    };
    view! {
            <section class="panel" data-testid="status-board">
                <h1>"运行状态"</h1>
                <p class="panel__hint">
                    "平台定时自动检查数据库、磁盘空间、数据备份、通知发件箱、批量报送、审计链和密钥文件;状态变化自动记入运行日志。"
                </p>
                {is_system_admin().then(|| view! {
                    <p>
                        <button class="button" type="button" on:click=run disabled=move || busy.get() data-testid="run-checks">
                            {move || if busy.get() { "正在检查…" } else { "立即检查" }}
                        </button>
                    </p>
                })}
                {move || ran.get().and_then(Result::err).map(|e| view! { <p class="status status--error" role="alert">{e}</p> })}
                <Transition fallback=|| view! { <p class="status" role="status">"正在读取运行状态…"</p> }>
                    {move || Suspend::new(async move {
                        match board.await {
                            Ok(board) => view! { <Board board /> }.into_any(),
                            Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
    }
}

#[component]
fn Board(board: StatusBoard) -> impl IntoView {
    let when = board.checked_at.map_or_else(
        || "尚未检查".to_owned(),
        |at| format!("{}(用时 {} 毫秒)", time::seconds(at), board.duration_ms.unwrap_or_default()),
    );
    let every = board.interval_seconds;
    let schedule = if every == 0 {
        "未启用定时检查".to_owned()
    } else {
        format!("每 {} 分钟自动检查一次", every.div_ceil(60))
    };
    view! {
        <dl class="facts">
            <dt>"总体状态"</dt>
            <dd><span class=health_class(board.state) data-testid="board-state">{board.state.label()}</span></dd>
            <dt>"最近检查"</dt>
            <dd>{when} " · " {schedule}</dd>
        </dl>
        <table class="table" data-testid="board-checks">
            <caption class="visually-hidden">"各项自动检查"</caption>
            <thead><tr><th scope="col">"检查项"</th><th scope="col">"状态"</th><th scope="col">"结果"</th><th scope="col">"持续自"</th></tr></thead>
            <tbody>
                {board.checks.into_iter().map(|c| view! {
                    <tr data-testid=format!("check-{}", c.check.as_str())>
                        <th scope="row">{c.check.label()}</th>
                        <td><span class=health_class(c.state)>{c.state.label()}</span></td>
                        <td>{c.summary}</td>
                        <td>{c.since.map_or_else(|| "—".to_owned(), time::minutes)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
