//! Workbench home for government staff: who is signed in, the functions their roles open (with what waits in
//! them), the authorisation counts of providers and user units, and for credit admins the statistics of the records
//! they oversee.

use super::authorization::AuthorizationCard;
use super::dashboard::Dashboard;
use crate::auth::{Auth, Restore};
use crate::components::{alerted, menu_entries, pending_counts, DashboardAlerts, PendingBadge};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Workbench() -> impl IntoView {
    let auth = Auth::get();
    let counts = pending_counts();
    view! {
        <Show
            when=move || auth.restore.get() == Restore::Done
            fallback=|| view! { <p class="status" role="status">"正在恢复登录状态…"</p> }
        >
            {move || match auth.session.get() {
                None => view! { <Redirect path="/login" /> }.into_any(),
                Some(session) if session.me.must_change_password => view! { <Redirect path="/password" /> }.into_any(),
                Some(session) => {
                    let me = session.me;
                    let roles: Vec<&'static str> = me.roles.iter().map(|r| r.label()).collect();
                    let oversees = me.roles.iter().any(|r| matches!(r, Role::CityCreditAdmin | Role::CountyCreditAdmin));
                    let authorizes = me.roles.iter().any(|r| matches!(r, Role::DataProvider | Role::UserUnit));
                    let alarms = alerted(&me.roles).then(|| view! { <DashboardAlerts roles=me.roles.clone() /> });
                    view! {
                        {alarms}
                        <section class="panel" data-testid="workbench">
                            <h1>"工作台"</h1>
                            <p>"欢迎," {me.full_name.clone()} "。"</p>
                            <dl class="facts">
                                <dt>"所在单位"</dt>
                                <dd>{me.organisation_name.clone()}</dd>
                                <dt>"角色"</dt>
                                <dd>{roles.join("、")}</dd>
                                <dt>"登录名"</dt>
                                <dd>{me.login_name.clone()}</dd>
                            </dl>
                            <nav class="tiles" aria-label="工作台功能">
                                {menu_entries(&me.roles).into_iter().map(|e| view! {
                                    <a class="tile" href=e.href>
                                        <span class="tile__label">{e.label} <PendingBadge badge=e.badge counts /></span>
                                        <span class="tile__hint">{e.hint}</span>
                                    </a>
                                }).collect_view()}
                                <a class="tile" href="/password">
                                    <span class="tile__label">"修改密码"</span>
                                    <span class="tile__hint">"定期更换登录密码"</span>
                                </a>
                            </nav>
                        </section>
                        {authorizes.then(|| view! { <AuthorizationCard roles=me.roles.clone() /> })}
                        {oversees.then(|| view! { <Dashboard /> })}
                    }
                    .into_any()
                }
            }}
        </Show>
    }
}
