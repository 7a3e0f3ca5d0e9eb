//! `/workbench/authorization/grants`: the grants the provider's unit gave, with their usage, and their revocation
//! (the grantee loses access at once); below, the unit's whole usage log.

use super::pager::{Pager, PagerStatus};
use super::reason::{open, Notice, NoticeLine, ReasonAction, ReasonDialog};
use super::uses::{GrantUses, UnitUses};
use super::{purpose_text, GrantBadge};
use crate::api;
use crate::components::RequireRole;
use crate::pages::records::local_time;
use credit_types::authorization::{Grant, GrantStatus};
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn GrantsGiven() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DataProvider]>
            <GrantsPage />
        </RequireRole>
    }
}

#[component]
fn GrantsPage() -> impl IntoView {
    let status = RwSignal::new("active".to_owned());
    let pager = Pager::<Grant>::new();
    let notice = RwSignal::new(None::<Notice>);
    let load = move || {
        pager.load(api::with_query(
            "/api/v1/authorization/grants",
            &[("box", "given".into()), ("status", status.get_untracked()), ("limit", "50".into())],
        ))
    };
    load();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let action = RwSignal::new(None::<ReasonAction>);
    let revoke = move |grant: Grant| {
        action.set(Some(ReasonAction {
            url: format!("/api/v1/authorization/grants/{}/revoke", api::urlencode(&grant.id)),
            title: "撤销授权".into(),
            intro: format!(
                "撤销后,{} 立即不能再查看这 {} 条记录;原因将告知该单位。",
                grant.grantee_org_name,
                grant.record_ids.len()
            ),
            confirm: "确认撤销".into(),
            done: "授权已撤销。".into(),
            conflict: "该授权已经撤销或到期;列表已刷新。".into(),
        }));
        open(dialog);
    };
    let on_done = move |n: Notice| {
        notice.set(Some(n));
        pager.reload();
    };
    view! {
        <section class="panel" data-testid="grants">
            <div class="title-row">
                <h1>"已授权"</h1>
                <a class="button button--ghost-dark" href="/workbench/authorization/inbox">"授权审核"</a>
            </div>
            <p class="panel__hint">"本单位同意其他单位使用的信息。发现超范围使用等情况的,可随时撤销授权。"</p>
            <NoticeLine notice />
            <div class="filters">
                <div class="field">
                    <label for="grants-status">"状态"</label>
                    <select id="grants-status" on:change=move |ev| { status.set(event_target_value(&ev)); load(); }>
                        <option value="active" selected=true>"有效"</option>
                        <option value="expired">"已到期"</option>
                        <option value="revoked">"已撤销"</option>
                        <option value="">"全部"</option>
                    </select>
                </div>
            </div>
            <div class="table-wrap">
                <table class="table table--wide" data-testid="grants-table">
                    <caption class="visually-hidden">"本单位给予的授权"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"使用单位"</th>
                            <th scope="col">"用途"</th>
                            <th scope="col" class="number">"记录数"</th>
                            <th scope="col">"授权时间"</th>
                            <th scope="col">"到期时间"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col" class="number">"查看次数"</th>
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || pager.items.get() key=|g| (g.id.clone(), g.status, g.use_count) let:g>
                            <GrantRow grant=g on_revoke=revoke />
                        </For>
                    </tbody>
                </table>
            </div>
            <PagerStatus pager empty="没有符合条件的授权。" testid="grants" />
        </section>
        <ReasonDialog dialog name="revoke_reason" label="撤销原因" action on_done />
        <UnitUses />
    }
}

/// One grant, and under it, on request, its usage log.
#[component]
fn GrantRow(grant: Grant, on_revoke: impl Fn(Grant) + Copy + Send + Sync + 'static) -> impl IntoView {
    let showing = RwSignal::new(false);
    let active = grant.status == GrantStatus::Active;
    let revoked = grant.revoke_reason.clone().map(|reason| match &grant.revoked_by_name {
        Some(name) => format!("{name}撤销:{reason}"),
        None => format!("撤销原因:{reason}"),
    });
    let chosen = grant.clone();
    let id = grant.id.clone();
    let uses_id = format!("uses-{}", grant.id);
    view! {
        <tr data-testid="grant-row">
            <td>
                {grant.grantee_org_name.clone()}
                <div><a class="muted" href=format!("/workbench/authorization/requests/{}", grant.request_id)>"查看申请"</a></div>
            </td>
            <td>{purpose_text(grant.purpose, grant.purpose_text.as_deref())}</td>
            <td class="number">{grant.record_ids.len()}</td>
            <td>{local_time(grant.granted_at)}<div class="muted">{grant.granted_by_name.clone()}</div></td>
            <td>{local_time(grant.expires_at)}</td>
            <td><GrantBadge status=grant.status expiring_soon=grant.expiring_soon /> <div class="muted">{revoked}</div></td>
            <td class="number">{grant.use_count}</td>
            <td>
                <div class="actions">
                    <button class="button button--small button--ghost-dark" type="button"
                        aria-expanded=move || showing.get().to_string() aria-controls=uses_id.clone()
                        on:click=move |_| showing.update(|s| *s = !*s)>"使用记录"</button>
                    {active.then(|| view! {
                        <button class="button button--small button--danger" type="button"
                            on:click=move |_| on_revoke(chosen.clone())>"撤销"</button>
                    })}
                </div>
            </td>
        </tr>
        <Show when=move || showing.get()>
            <tr class="row-form" id=format!("uses-{id}")>
                <td colspan="8"><GrantUses grant_id=id.clone() /></td>
            </tr>
        </Show>
    }
}
