//! `/workbench/audit/:seq`: one audit event in full, every field in words with its ids, hashes and request id, and
//! links that narrow the list to its person, unit or target. The list's filters ride along in the address, so the
//! way back returns to the same list.

use super::audit_filters::Filters;
use super::audit_words::{self, OutcomeBadge};
use crate::api;
use crate::components::{time, token, RequireRole};
use credit_types::audit::AuditEvent;
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AuditEventPage() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::SecurityAuditor]>
            <EventPage />
        </RequireRole>
    }
}

#[component]
fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let seq = Memo::new(move |_| params.with(|p| p.get("seq").and_then(|s| s.parse::<i64>().ok())));
    let filters = Memo::new(move |_| query.with(|q| Filters::read(|name| q.get(name))));
    let event = LocalResource::new(move || {
        let seq = seq.get();
        async move {
            match seq {
                Some(seq) => Some(api::audit::event(&token(), seq).await),
                None => None,
            }
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href=move || filters.get().href()>"审计日志"</a> " › "
            <span aria-current="page">{move || seq.get().map(|s| format!("第 {s} 条"))}</span>
        </nav>
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载审计事件…"</p> }>
            {move || Suspend::new(async move {
                match event.await {
                    Some(Ok(event)) => view! { <EventView event filters=filters.get_untracked() /> }.into_any(),
                    Some(Err(error)) => view! { <Missing message=error.friendly() back=filters.get_untracked().href() /> }.into_any(),
                    None => view! { <Missing message="审计事件序号不正确。".to_owned() back=filters.get_untracked().href() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Missing(message: String, back: String) -> impl IntoView {
    view! {
        <section class="panel" data-testid="audit-event-missing">
            <h1>"审计事件"</h1>
            <p class="status status--error" role="alert">{message}</p>
            <p><a href=back>"返回审计日志"</a></p>
        </section>
    }
}

#[component]
fn EventView(event: AuditEvent, filters: Filters) -> impl IntoView {
    let actor = audit_words::actor(&event);
    let target = audit_words::target(&event).unwrap_or_else(|| "—".to_owned());
    let narrow = [
        event
            .actor_id
            .as_ref()
            .map(|id| (filters.with_actor(id).href(), format!("只看 {actor} 的操作"), "narrow-actor")),
        event.organisation_id.as_ref().map(|id| {
            let name = event.organisation_name.clone().unwrap_or_else(|| id.clone());
            (filters.with_organisation(id).href(), format!("只看 {name} 的操作"), "narrow-organisation")
        }),
        event.target_id.as_ref().map(|id| {
            (filters.with_target(event.target_kind, id).href(), format!("只看关于 {target} 的操作"), "narrow-target")
        }),
    ];
    view! {
        <section class="panel" data-testid="audit-event">
            <div class="title-row">
                <h1>{format!("第 {} 条审计事件:{}", event.seq, event.action.label())}</h1>
                <OutcomeBadge outcome=event.outcome />
            </div>
            <EventFacts event=event.clone() actor target=target.clone() />
            <ul class="inline-list" aria-label="按此事件筛选">
                {narrow.into_iter().flatten().map(|(href, text, testid)| view! {
                    <li><a href=href data-testid=testid>{text}</a></li>
                }).collect_view()}
            </ul>
            <p><a href=filters.href()>"返回审计日志"</a></p>
        </section>
    }
}

/// Every field of the event, in words, with the ids and hashes beside them.
#[component]
fn EventFacts(event: AuditEvent, actor: String, target: String) -> impl IntoView {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    view! {
        <dl class="facts facts--wide" data-testid="audit-event-facts">
            <dt>"序号"</dt><dd>{event.seq}</dd>
            <dt>"时间(北京时间)"</dt><dd>{time::seconds(event.occurred_at)}</dd>
            <dt>"操作者"</dt><dd data-testid="audit-event-actor">{actor} "(" {event.actor_kind.label()} ")"</dd>
            <dt>"操作者编号"</dt><dd class="mono">{or_dash(event.actor_id.clone())}</dd>
            <dt>"所属单位"</dt><dd>{or_dash(event.organisation_name.clone())}</dd>
            <dt>"单位编号"</dt><dd class="mono">{or_dash(event.organisation_id.clone())}</dd>
            <dt>"IP 地址"</dt><dd class="mono">{or_dash(event.actor_ip.clone())}</dd>
            <dt>"操作"</dt><dd>{event.action.label()} " " <span class="mono muted">{event.action.as_str()}</span></dd>
            <dt>"对象"</dt><dd>{target}</dd>
            <dt>"对象编号"</dt><dd class="mono">{or_dash(event.target_id.clone())}</dd>
            <dt>"用途或依据"</dt><dd>{or_dash(event.purpose.clone())}</dd>
            <dt>"结果"</dt><dd>{event.outcome.label()}</dd>
            <dt>"说明"</dt><dd class="prewrap">{or_dash(event.detail.clone())}</dd>
            <dt>"请求编号"</dt><dd class="mono">{or_dash(event.request_id.clone())}</dd>
            <dt>"前一条哈希"</dt><dd class="mono">{event.prev_hash.clone()}</dd>
            <dt>"本条哈希"</dt><dd class="mono">{event.hash.clone()}</dd>
        </dl>
    }
}
