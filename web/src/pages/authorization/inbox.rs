//! `/workbench/authorization/inbox`: the requests a providing unit is to decide, pending first by default, with the
//! decision deadline and the overdue ones flagged.

use super::{purpose_text, Deadline, RequestBadge};
use crate::api;
use crate::components::select::choices;
use crate::components::{time, CodeSelect, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::authorization::{AuthorizationRequest, RequestBox, RequestListQuery, RequestStatus};
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn Inbox() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DataProvider]>
            <InboxPage />
        </RequireRole>
    }
}

#[component]
fn InboxPage() -> impl IntoView {
    let status = RwSignal::new(RequestStatus::Pending.as_str().to_owned());
    let overdue = RwSignal::new(false);
    let pager = Pager::<AuthorizationRequest>::new();
    let load = move || {
        pager.load(api::url::requests(&RequestListQuery {
            side: RequestBox::Inbox,
            status: RequestStatus::parse(&status.get_untracked()),
            overdue: overdue.get_untracked().then_some(true),
            purpose: None,
            limit: Some(50),
            cursor: None,
        }))
    };
    load();
    view! {
        <section class="panel" data-testid="inbox">
            <div class="title-row">
                <h1>"授权审核"</h1>
                <a class="button button--ghost-dark" href="/workbench/authorization/grants">"已授权"</a>
            </div>
            <p class="panel__hint">"其他单位申请使用本单位提供的“部门申请授权使用”类信息。请在办理期限(提交后 5 个工作日)内作出同意或拒绝的决定。"</p>
            <div class="filters" role="group" aria-label="筛选申请">
                <CodeSelect id="inbox-status" label="状态" all=choices(&RequestStatus::ALL) value=status on_change=move || load() />
                <label class="check filters__check">
                    <input type="checkbox" prop:checked=move || overdue.get()
                        on:change=move |ev| { overdue.set(event_target_checked(&ev)); load(); } />
                    "只看已超期"
                </label>
            </div>
            <ListTable caption="待本单位审核的授权申请" columns=["申请单位", "用途", "记录数", "提交时间", "办理期限", "状态", "操作"] numeric=&["记录数"] testid="inbox-table">
                <For each=move || pager.items.get() key=|r| (r.id.clone(), r.status) let:r>
                    <tr data-testid="inbox-row" class:row--overdue=r.overdue>
                        <td>{r.requester_org_name.clone()} <div class="muted">{r.requester_name.clone()}</div></td>
                        <td>{purpose_text(r.purpose, r.purpose_text.as_deref())}</td>
                        <td class="number">{r.record_count}</td>
                        <td>{time::minutes(r.created_at)}</td>
                        <td><Deadline decide_by=r.decide_by overdue=r.overdue /></td>
                        <td><RequestBadge status=r.status /></td>
                        <td>
                            <a class="button button--small" href=format!("/workbench/authorization/requests/{}", r.id)>
                                {if r.status == RequestStatus::Pending { "审核" } else { "查看" }}
                            </a>
                        </td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的申请。" testid="inbox" />
        </section>
    }
}
