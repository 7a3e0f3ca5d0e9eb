//! `/workbench/authorization/outbox`: the requests the user's unit made, with their deadlines and withdrawal while
//! pending, and the grants the unit holds.

use super::held::HeldGrants;
use super::pager::{Pager, PagerStatus};
use super::reason::{open, Notice, NoticeLine, ReasonAction, ReasonDialog};
use super::{purpose_text, Deadline, RequestBadge};
use crate::api;
use crate::components::RequireRole;
use crate::pages::records::local_time;
use credit_types::authorization::{AuthorizationRequest, RequestStatus};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Outbox() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::UserUnit]>
            <OutboxPage />
        </RequireRole>
    }
}

#[component]
fn OutboxPage() -> impl IntoView {
    let filed = use_query_map().with_untracked(|q| q.get("filed").unwrap_or_default());
    let status = RwSignal::new(String::new());
    let pager = Pager::<AuthorizationRequest>::new();
    let notice = RwSignal::new(None::<Notice>);
    let load = move || {
        pager.load(api::with_query(
            "/api/v1/authorization/requests",
            &[("box", "outbox".into()), ("status", status.get_untracked()), ("limit", "50".into())],
        ))
    };
    load();
    if !filed.is_empty() {
        // Once the list is in, say how many requests the filing made.
        let group = filed.clone();
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || pager.phase.get() != super::pager::Phase::Done {
                return done.unwrap_or(false);
            }
            let count = pager.items.with(|list| list.iter().filter(|r| r.group_id == group).count());
            let text = if count > 1 {
                format!("申请已提交,按提供单位拆分为 {count} 份,等待提供单位审核。")
            } else {
                "申请已提交,等待提供单位审核。".to_owned()
            };
            notice.set(Some(Notice::ok(text)));
            true
        });
    }
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let action = RwSignal::new(None::<ReasonAction>);
    let withdraw = move |request: &AuthorizationRequest| {
        action.set(Some(ReasonAction {
            url: format!("/api/v1/authorization/requests/{}/withdraw", api::urlencode(&request.id)),
            title: "撤回申请".into(),
            intro: format!("撤回后,{} 不再审核这份申请;如仍需使用,请重新提交。", request.provider_org_name),
            confirm: "确认撤回".into(),
            done: "申请已撤回。".into(),
            conflict: "该申请已由提供单位处理,不能撤回;列表已刷新。".into(),
        }));
        open(dialog);
    };
    let on_done = move |n: Notice| {
        notice.set(Some(n));
        pager.reload();
    };
    let filed = StoredValue::new(filed);
    view! {
        <section class="panel" data-testid="outbox">
            <div class="title-row">
                <h1>"授权申请"</h1>
                <a class="button" href="/workbench/authorization/new">"申请授权使用"</a>
            </div>
            <p class="panel__hint">"本单位提交的授权使用申请。提供单位应在 5 个工作日内作出决定;同意后,本单位可在授权期限内查看相关记录。"</p>
            <NoticeLine notice />
            <form class="filters" role="search" aria-label="筛选申请" novalidate=true
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); }>
                <div class="field">
                    <label for="outbox-status">"状态"</label>
                    <select id="outbox-status" on:change=move |ev| { status.set(event_target_value(&ev)); load(); }>
                        <option value="">"全部"</option>
                        {RequestStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
            </form>
            <div class="table-wrap">
                <table class="table table--wide" data-testid="outbox-table">
                    <caption class="visually-hidden">"本单位的授权申请"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"提交时间"</th>
                            <th scope="col">"提供单位"</th>
                            <th scope="col">"用途"</th>
                            <th scope="col" class="number">"记录数"</th>
                            <th scope="col">"办理期限"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || pager.items.get() key=|r| (r.id.clone(), r.status) let:r>
                            {
                                let fresh = filed.with_value(|g| !g.is_empty() && *g == r.group_id);
                                let pending = r.status == RequestStatus::Pending;
                                let target = r.clone();
                                view! {
                                    <tr data-testid="outbox-row" class:row--fresh=fresh>
                                        <td><a href=format!("/workbench/authorization/requests/{}", r.id)>{local_time(r.created_at)}</a></td>
                                        <td>{r.provider_org_name.clone()}</td>
                                        <td>{purpose_text(r.purpose, r.purpose_text.as_deref())}</td>
                                        <td class="number">{r.record_count}</td>
                                        <td><Deadline decide_by=r.decide_by overdue=r.overdue /></td>
                                        <td><RequestBadge status=r.status /></td>
                                        <td>
                                            {pending.then(|| view! {
                                                <button class="button button--small button--ghost-dark" type="button"
                                                    on:click=move |_| withdraw(&target)>"撤回"</button>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <PagerStatus pager empty="还没有符合条件的申请。" testid="outbox" />
        </section>
        <ReasonDialog dialog name="withdraw_reason" label="撤回原因" action on_done />
        <HeldGrants />
    }
}
