//! The daily pre-work check for system administrators: today's three items, each beside what the automatic
//! health checks say of it, confirmed one by one (正常, or 有问题 with what it is); and the days before. The security
//! auditor reads both.

mod history;
mod item;

use crate::api;
use crate::auth::Auth;
use crate::components::{time, token, RequireRole};
use credit_types::identity::Role;
use credit_types::prework::{DailyCheck, DailyCheckState};
use history::History;
use item::ItemCard;
use leptos::prelude::*;

#[component]
pub fn DailyCheckPage() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::SystemAdmin, Role::SecurityAuditor]>
            <Today />
            <History />
        </RequireRole>
    }
}

/// The badge class of a day's state.
pub fn state_class(state: DailyCheckState) -> &'static str {
    match state {
        DailyCheckState::Passed => "badge badge--ok",
        DailyCheckState::Pending => "badge badge--info",
        DailyCheckState::NotRequired => "badge badge--muted",
        DailyCheckState::Missing | DailyCheckState::Problems => "badge badge--danger",
    }
}

#[component]
fn Today() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let check = LocalResource::new(move || {
        reload.track();
        async move { api::prework::today(&token()).await }
    });
    let confirms =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::SystemAdmin)));
    view! {
        <section class="panel" data-testid="daily-check">
            <h1>"上班前检查"</h1>
            <p class="panel__hint">
                "每个工作日上班前检查公共信用信息平台、信用门户网站和数据备份,逐项确认;自动检查的结果列在每一项旁边,供对照。"
            </p>
            <Transition fallback=|| view! { <p class="status" role="status">"正在读取今日检查…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(check) => view! { <Checklist check confirms reload /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Checklist(check: DailyCheck, confirms: bool, reload: RwSignal<u32>) -> impl IntoView {
    let due = time::minutes(check.due_at);
    let when = if check.working_day {
        format!("工作日,应于 {} 前完成", due.rsplit(' ').next().unwrap_or(&due))
    } else {
        "非工作日,无须检查(也可检查)".to_owned()
    };
    let day = check.work_day;
    view! {
        <dl class="facts">
            <dt>"日期"</dt>
            <dd>{day.to_string()} " · " {when}</dd>
            <dt>"状态"</dt>
            <dd>
                <span class=state_class(check.state) data-testid="daily-check-state">{check.state.label()}</span>
                {check.late.then_some(" (逾期完成)")}
            </dd>
        </dl>
        <div class="checklist">
            {check.items.into_iter().map(|item| view! { <ItemCard item day confirms reload /> }).collect_view()}
        </div>
    }
}
