//! `/workbench/authorization/outbox`: the requests the user's unit made, with their deadlines and withdrawal while
//! pending, and the grants the unit holds.

use super::held::HeldGrants;
use super::reason::{self, AuthorizationChange};
use super::{purpose_text, Deadline, RequestBadge};
use crate::api;
use crate::components::dialog::open;
use crate::components::select::choices;
use crate::components::{
    time, CodeSelect, ListTable, Notice, NoticeLine, Pager, PagerStatus, Phase, ReasonAsk, ReasonDialog, RequireRole,
};
use credit_types::authorization::{AuthorizationRequest, RequestBox, RequestListQuery, RequestStatus};
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
        pager.load(api::url::requests(&RequestListQuery {
            side: RequestBox::Outbox,
            status: RequestStatus::parse(&status.get_untracked()),
            overdue: None,
            purpose: None,
            limit: Some(50),
            cursor: None,
        }))
    };
    load();
    if !filed.is_empty() {
        announce_filing(pager, notice, filed.clone());
    }
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let ask = RwSignal::new(None::<ReasonAsk<AuthorizationChange>>);
    let withdraw = move |request: &AuthorizationRequest| {
        ask.set(Some(reason::withdraw(request, "该申请已由提供单位处理,不能撤回;列表已刷新。")));
        open(dialog);
    };
    let on_done = move |n: Notice| {
        notice.set(Some(n));
        pager.reload();
    };
    view! {
        <section class="panel" data-testid="outbox">
            <div class="title-row">
                <h1>"授权申请"</h1>
                <a class="button" href="/workbench/authorization/new">"申请授权使用"</a>
            </div>
            <p class="panel__hint">"本单位提交的授权使用申请。提供单位应在 5 个工作日内作出决定;同意后,本单位可在授权期限内查看相关记录。"</p>
            <NoticeLine notice />
            <div class="filters" role="group" aria-label="筛选申请">
                <CodeSelect id="outbox-status" label="状态" all=choices(&RequestStatus::ALL) value=status on_change=move || load() />
            </div>
            <OutboxTable pager filed withdraw />
            <PagerStatus pager empty="还没有符合条件的申请。" testid="outbox" />
        </section>
        <ReasonDialog dialog name="withdraw_reason" ask on_done />
        <HeldGrants />
    }
}

/// Once the list is in, says how many requests the filing `group` made (one per providing unit).
fn announce_filing(pager: Pager<AuthorizationRequest>, notice: RwSignal<Option<Notice>>, group: String) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || pager.phase.get() != Phase::Done {
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

/// The unit's requests, those of the filing `filed` marked fresh; pending ones may be withdrawn.
#[component]
fn OutboxTable(
    pager: Pager<AuthorizationRequest>,
    filed: String,
    withdraw: impl Fn(&AuthorizationRequest) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let filed = StoredValue::new(filed);
    view! {
        <ListTable caption="本单位的授权申请" columns=["提交时间", "提供单位", "用途", "记录数", "办理期限", "状态", "操作"] numeric=&["记录数"] testid="outbox-table">
            <For each=move || pager.items.get() key=|r| (r.id.clone(), r.status) let:r>
                {
                    let fresh = filed.with_value(|g| !g.is_empty() && *g == r.group_id);
                    let pending = r.status == RequestStatus::Pending;
                    let target = r.clone();
                    view! {
                        <tr data-testid="outbox-row" class:row--fresh=fresh>
                            <td><a href=format!("/workbench/authorization/requests/{}", r.id)>{time::minutes(r.created_at)}</a></td>
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
        </ListTable>
    }
}
