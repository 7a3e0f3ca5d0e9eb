//! `/workbench/objections/overview`: the competent office's (and county lead unit's) view of the objections of its
//! area: counts by state, what is due soon and overdue, and the overdue objections with their escalation.

use super::{current_deadline, DeadlineLeft, ObjectionStatusBadge};
use crate::api;
use crate::components::{time, token, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::identity::Role;
use credit_types::objections::{Objection, ObjectionCounts, ObjectionListQuery};
use leptos::prelude::*;

#[component]
pub fn ObjectionOverview() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::CityCreditAdmin, Role::CountyCreditAdmin]>
            <OverviewPage />
        </RequireRole>
    }
}

/// One figure of the overview, linking to the queue filtered to it.
struct Figure {
    label: &'static str,
    value: u32,
    href: &'static str,
    alert: bool,
    testid: &'static str,
}

fn figures(c: &ObjectionCounts) -> Vec<Figure> {
    let figure = |label, value, href, alert, testid| Figure { label, value, href, alert, testid };
    vec![
        figure("待受理", c.submitted, "/workbench/objections?status=submitted", false, "count-submitted"),
        figure("办理中", c.accepted, "/workbench/objections?status=accepted", false, "count-accepted"),
        figure("即将到期", c.due_soon, "/workbench/objections", c.due_soon > 0, "count-due-soon"),
        figure("已超期", c.overdue, "/workbench/objections?overdue=true", c.overdue > 0, "count-overdue"),
        figure("已督办", c.escalated, "/workbench/objections?overdue=true", c.escalated > 0, "count-escalated"),
        figure("已办结", c.decided, "/workbench/objections?status=decided", false, "count-decided"),
        figure("不予受理", c.not_accepted, "/workbench/objections?status=not_accepted", false, "count-not-accepted"),
        figure("已关闭", c.closed, "/workbench/objections?status=closed", false, "count-closed"),
        figure("已撤回", c.withdrawn, "/workbench/objections?status=withdrawn", false, "count-withdrawn"),
    ]
}

#[component]
fn OverviewPage() -> impl IntoView {
    let counts = LocalResource::new(|| async move { api::objections::counts(&token()).await });
    let pager = Pager::<Objection>::new();
    pager.load(api::url::objections(&ObjectionListQuery {
        overdue: Some(true),
        limit: Some(100),
        ..Default::default()
    }));
    view! {
        <section class="panel" data-testid="objection-overview">
            <h1>"异议概况"</h1>
            <p class="panel__hint">"本辖区信用信息异议的办理情况。超过受理或办结期限的异议自动报送督办,请督促信息提供单位及时办理。"</p>
            <Suspense fallback=|| view! { <p class="status" role="status">"正在加载统计…"</p> }>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(c) => view! {
                            <div class="stats" data-testid="objection-counts">
                                {figures(&c).into_iter().map(|f| view! {
                                    <a class="stat" class:stat--alert=f.alert href=f.href data-testid=f.testid>
                                        <span class="stat__value">{f.value}</span>
                                        <span class="stat__label">{f.label}</span>
                                    </a>
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="panel" aria-labelledby="overdue-title" data-testid="overdue-objections">
            <h2 id="overdue-title">"超期异议"</h2>
            <ListTable caption="超期未办理的异议" columns=["受理编号", "提供单位", "信用信息", "期限", "督办", "状态"]>
                <For each=move || pager.items.get() key=|o| o.id.clone() let:o>
                    <tr class="row--overdue" data-testid="overdue-row">
                        <td><a class="mono" href=format!("/workbench/objections/{}", o.id)>{o.tracking_number.clone()}</a></td>
                        <td>{o.provider_org_name.clone()}</td>
                        <td>{o.subject_name.clone()} <div class="muted">{o.catalog_name.clone()}</div></td>
                        <td><DeadlineLeft deadline=current_deadline(&o) days_left=o.days_left overdue=o.overdue /></td>
                        <td>{o.escalated_at.map(time::minutes).unwrap_or_else(|| "待督办".to_owned())}</td>
                        <td><ObjectionStatusBadge status=o.status /></td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager empty="没有超期的异议。" testid="overdue-objections" />
        </section>
    }
}
