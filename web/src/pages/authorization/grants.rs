//! `/workbench/authorization/grants`: the grants the provider's unit gave, with their usage, and their revocation
//! (the grantee loses access at once); below, the unit's whole usage log.

use super::reason::{self, AuthorizationChange};
use super::uses::{GrantUses, UnitUses};
use super::{grant_list, purpose_text, GrantBadge};
use crate::components::dialog::open;
use crate::components::select::choices;
use crate::components::{
    time, CodeSelect, ListTable, Notice, NoticeLine, Pager, PagerStatus, ReasonAsk, ReasonDialog, RequireRole,
};
use credit_types::authorization::{Grant, GrantBox, GrantStatus};
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
    let status = RwSignal::new(GrantStatus::Active.as_str().to_owned());
    let pager = Pager::<Grant>::new();
    let notice = RwSignal::new(None::<Notice>);
    let load = move || pager.load(grant_list(GrantBox::Given, &status.get_untracked()));
    load();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let ask = RwSignal::new(None::<ReasonAsk<AuthorizationChange>>);
    let revoke = move |grant: Grant| {
        ask.set(Some(reason::revoke(&grant)));
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
                <CodeSelect id="grants-status" label="状态" all=choices(&GrantStatus::ALL) value=status on_change=move || load() />
            </div>
            <ListTable caption="本单位给予的授权" columns=["使用单位", "用途", "记录数", "授权时间", "到期时间", "状态", "查看次数", "操作"] numeric=&["记录数", "查看次数"] testid="grants-table">
                <For each=move || pager.items.get() key=|g| (g.id.clone(), g.status, g.use_count) let:g>
                    <GrantRow grant=g on_revoke=revoke />
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的授权。" testid="grants" />
        </section>
        <ReasonDialog dialog name="revoke_reason" ask on_done />
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
            <td>{time::minutes(grant.granted_at)}<div class="muted">{grant.granted_by_name.clone()}</div></td>
            <td>{time::minutes(grant.expires_at)}</td>
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
