//! The security auditor's view of the audit trail: events newest first, read as words (who, for which
//! unit, did what to what, with what outcome), filtered by person, organisation, target, action, outcome and time;
//! each event opens in full; and the check of the whole chain with its anchors (`audit_chain`).

use super::audit_chain::VerifyChain;
use super::audit_filters::{local_value, parse_local, Filter, Filters, LIST};
use super::audit_words::{self, OutcomeBadge};
use crate::api;
use crate::components::select::choices;
use crate::components::{time, CodeSelect, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::audit::{AuditAction, AuditEvent, AuditOutcome, TargetKind};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Events per page.
const PAGE: u32 = 50;

#[component]
pub fn AuditLog() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::SecurityAuditor]>
            <AuditPage />
        </RequireRole>
    }
}

#[component]
fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(|q| Filters::read(|name| q.get(name))));
    let pager = Pager::<AuditEvent>::new();
    Effect::new(move |_| pager.load(api::url::audit_events(&filters.get().query(PAGE))));
    view! {
        <section class="panel" data-testid="audit">
            <h1>"审计日志"</h1>
            <VerifyChain />
            {move || view! { <FilterForm filters=filters.get() /> }}
            <FilterChips filters pager />
            <ListTable caption="审计事件,最新的在前" columns=["序号", "时间", "操作者", "所属单位", "操作", "对象", "结果"] testid="audit-table">
                <For each=move || { filters.track(); pager.items.get() } key=move |e| (e.seq, filters.with_untracked(Filters::href)) let:event>
                    <EventRow event filters=filters.get_untracked() />
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的审计事件。" testid="audit" />
        </section>
    }
}

/// The filters typed or chosen: action, outcome, target and time range (person and organisation are applied from
/// the rows). Submitting goes to the list's address with them.
#[component]
fn FilterForm(filters: Filters) -> impl IntoView {
    let navigate = use_navigate();
    let action = RwSignal::new(filters.action.map(|a| a.as_str().to_owned()).unwrap_or_default());
    let outcome = RwSignal::new(filters.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default());
    let target_kind = RwSignal::new(filters.target_kind.map(|k| k.as_str().to_owned()).unwrap_or_default());
    let target_id = RwSignal::new(filters.target_id.clone().unwrap_or_default());
    let from = RwSignal::new(filters.from.map(local_value).unwrap_or_default());
    let to = RwSignal::new(filters.to.map(local_value).unwrap_or_default());
    let kept = StoredValue::new(filters);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = Filters {
            action: AuditAction::parse(&action.get_untracked()),
            outcome: AuditOutcome::parse(&outcome.get_untracked()),
            target_kind: TargetKind::parse(&target_kind.get_untracked()),
            target_id: Some(target_id.get_untracked().trim().to_owned()).filter(|id| !id.is_empty()),
            from: parse_local(&from.get_untracked()),
            to: parse_local(&to.get_untracked()),
            ..kept.get_value()
        };
        navigate(&chosen.href(), Default::default());
    };
    view! {
        <form class="filters" role="search" aria-label="筛选审计事件" novalidate=true on:submit=submit data-testid="audit-filters">
            <CodeSelect id="audit-action" label="操作" all=choices(AuditAction::ALL) value=action />
            <CodeSelect id="audit-outcome" label="结果" all=choices(AuditOutcome::ALL) value=outcome />
            <CodeSelect id="audit-target-kind" label="对象类型" all=choices(TargetKind::ALL) value=target_kind />
            <div class="field">
                <label for="audit-target-id">"对象编号"</label>
                <input id="audit-target-id" type="text" class="mono" autocomplete="off" bind:value=target_id />
            </div>
            <div class="field">
                <label for="audit-from">"时间自(北京时间)"</label>
                <input id="audit-from" type="datetime-local" bind:value=from />
            </div>
            <div class="field">
                <label for="audit-to">"至"</label>
                <input id="audit-to" type="datetime-local" bind:value=to />
            </div>
            <div class="filters__actions">
                <button class="button" type="submit">"筛选"</button>
                <a class="button button--ghost-dark" href=LIST>"清除"</a>
            </div>
        </form>
    }
}

/// The filters in force, each a chip whose "×" removes it; people, units and targets by the names the listed
/// events give them.
#[component]
fn FilterChips(filters: Memo<Filters>, pager: Pager<AuditEvent>) -> impl IntoView {
    let name = move |pick: fn(&AuditEvent) -> Option<String>| pager.items.with(|list| list.iter().find_map(pick));
    let chip = move |filter: Filter| -> (String, String) {
        let f = filters.get();
        let id = |value: &Option<String>| value.clone().unwrap_or_default();
        let text = match filter {
            Filter::Actor => format!("操作者:{}", name(|e| e.actor_name.clone()).unwrap_or_else(|| id(&f.actor_id))),
            Filter::Organisation => {
                format!("单位:{}", name(|e| e.organisation_name.clone()).unwrap_or_else(|| id(&f.organisation_id)))
            }
            Filter::Target => {
                let kind = f.target_kind.map_or("对象", |k| k.label());
                let named = f.target_id.as_ref().and(name(|e| e.target_name.clone()));
                format!("{kind}:{}", named.unwrap_or_else(|| id(&f.target_id)))
            }
            Filter::Action => format!("操作:{}", f.action.map_or("", |a| a.label())),
            Filter::Outcome => format!("结果:{}", f.outcome.map_or("", |o| o.label())),
            Filter::From => {
                format!("自 {}", f.from.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default())
            }
            Filter::To => format!("至 {}", f.to.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()),
        };
        (text, f.without(filter).href())
    };
    view! {
        <ul class="chips" aria-label="当前筛选条件" data-testid="audit-chips">
            {move || filters.get().active().into_iter().map(|filter| {
                let (text, without) = chip(filter);
                view! {
                    <li class="chip" data-testid="audit-chip">
                        {text.clone()}
                        <a class="chip__remove" href=without aria-label=format!("移除筛选条件 {text}")>"×"</a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One event: its people, unit and target link to the list filtered by them; its number to its detail.
#[component]
fn EventRow(event: AuditEvent, filters: Filters) -> impl IntoView {
    let by_actor = event.actor_id.as_ref().map(|id| filters.with_actor(id).href());
    let by_organisation = event.organisation_id.as_ref().map(|id| filters.with_organisation(id).href());
    let by_target = event.target_id.as_ref().map(|id| filters.with_target(event.target_kind, id).href());
    let actor = audit_words::actor(&event);
    let target = audit_words::target(&event).unwrap_or_else(|| "—".to_owned());
    view! {
        <tr data-testid="audit-row">
            <td><a class="mono" href=filters.event_href(event.seq) data-testid="audit-event-link" aria-label=format!("查看第 {} 条审计事件", event.seq)>{event.seq}</a></td>
            <td class="mono">{time::seconds(event.occurred_at)}</td>
            <td><FilterLink href=by_actor text=actor title=event.actor_id.clone() testid="audit-actor" /></td>
            <td><FilterLink href=by_organisation text=event.organisation_name.clone().unwrap_or_else(|| "—".to_owned())
                title=event.organisation_id.clone() testid="audit-organisation" /></td>
            <td title=event.action.as_str()>{event.action.label()}</td>
            <td><FilterLink href=by_target text=target title=event.target_id.clone() testid="audit-target" /></td>
            <td><OutcomeBadge outcome=event.outcome /></td>
        </tr>
    }
}

/// A name in a row that, followed, narrows the list to it; plain text when there is nothing to narrow by.
#[component]
fn FilterLink(href: Option<String>, text: String, title: Option<String>, testid: &'static str) -> impl IntoView {
    match href {
        Some(href) => view! {
            <a href=href title=title data-testid=testid>{text}</a>
        }
        .into_any(),
        None => view! { <span title=title>{text}</span> }.into_any(),
    }
}
