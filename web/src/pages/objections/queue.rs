//! `/workbench/objections`: the objections the user handles or oversees, filtered by state, by overdue and by
//! record, with the running deadline coloured (due soon, overdue) and the appellants' contacts masked.

use super::{contact_line, current_deadline, due_soon, DeadlineLeft, ObjectionStatusBadge, HANDLER_ROLES};
use crate::api;
use crate::components::select::choices;
use crate::components::{time, CodeSelect, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::objections::{Objection, ObjectionListQuery, ObjectionStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ObjectionQueue() -> impl IntoView {
    view! {
        <RequireRole roles=HANDLER_ROLES>
            <QueuePage />
        </RequireRole>
    }
}

#[component]
fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let initial = |name: &str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let status = RwSignal::new(initial("status"));
    let overdue = RwSignal::new(initial("overdue") == "true");
    let record_id = RwSignal::new(initial("record_id"));
    let pager = Pager::<Objection>::new();
    let load = move || {
        pager.load(api::url::objections(&ObjectionListQuery {
            status: ObjectionStatus::parse(&status.get_untracked()),
            overdue: overdue.get_untracked().then_some(true),
            record_id: Some(record_id.get_untracked()).filter(|id| !id.is_empty()),
            limit: Some(50),
            cursor: None,
        }))
    };
    load();
    view! {
        <section class="panel" data-testid="objection-queue">
            <h1>"异议处理"</h1>
            <p class="panel__hint">
                "对信用信息提出的异议,由信息提供单位在提交后 3 个工作日内决定是否受理,受理后 15 个工作日内核查并办结;"
                "超期的异议标红并报送信用主管部门督办。申诉人联系方式在列表中脱敏显示。"
            </p>
            <div class="filters" role="group" aria-label="筛选异议">
                <CodeSelect id="objection-status" label="状态" all=choices(ObjectionStatus::ALL) value=status on_change=move || load() />
                <label class="check filters__check">
                    <input type="checkbox" prop:checked=move || overdue.get()
                        on:change=move |ev| { overdue.set(event_target_checked(&ev)); load(); } />
                    "只看已超期"
                </label>
            </div>
            <Show when=move || record_id.with(|r| !r.is_empty())>
                <p class="status" data-testid="record-filter">
                    "仅显示一条信用记录的异议。 "
                    <button class="link-button" type="button" on:click=move |_| { record_id.set(String::new()); load(); }>"显示全部"</button>
                </p>
            </Show>
            <ListTable caption="异议列表" columns=["受理编号", "信用信息", "申诉人", "异议类型", "提交时间", "办理期限", "状态", "操作"] testid="objection-table">
                <For each=move || pager.items.get() key=|o| (o.id.clone(), o.status, o.overdue) let:o>
                    <QueueRow objection=o />
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的异议。" testid="objection-queue" />
        </section>
    }
}

#[component]
fn QueueRow(objection: Objection) -> impl IntoView {
    let href = format!("/workbench/objections/{}", objection.id);
    let soon = due_soon(&objection);
    let action = match objection.status {
        ObjectionStatus::Submitted => "受理审查",
        ObjectionStatus::Accepted => "核查办理",
        _ => "查看",
    };
    view! {
        <tr data-testid="objection-row" class:row--overdue=objection.overdue class:row--soon=soon>
            <td class="mono">{objection.tracking_number.clone()}</td>
            <td>{objection.subject_name.clone()} <div class="muted">{objection.catalog_name.clone()}</div></td>
            <td>{objection.appellant_name.clone()} <div class="muted mono">{contact_line(&objection)}</div></td>
            <td>{objection.claim_type.label()}</td>
            <td>{time::minutes(objection.filed_at)}</td>
            <td>
                <DeadlineLeft deadline=current_deadline(&objection) days_left=objection.days_left overdue=objection.overdue />
                {objection.escalated_at.map(|_| view! { " " <span class="badge badge--danger" data-testid="escalated">"已督办"</span> })}
            </td>
            <td><ObjectionStatusBadge status=objection.status /></td>
            <td><a class="button button--small" href=href>{action}</a></td>
        </tr>
    }
}
