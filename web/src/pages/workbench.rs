//! Workbench home for government staff: who is signed in, with which organisation and roles.

use crate::auth::{Auth, Restore};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Workbench() -> impl IntoView {
    let auth = Auth::get();
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
                    view! {
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
                                {me.roles.contains(&Role::AccountAdmin).then(|| view! {
                                    <a class="tile" href="/workbench/organisations">"单位管理"</a>
                                    <a class="tile" href="/workbench/users">"账号管理"</a>
                                    <a class="tile" href="/workbench/clients">"接口客户端"</a>
                                })}
                                {(me.roles.contains(&Role::AccountAdmin) || me.roles.contains(&Role::SecurityAuditor)).then(|| view! {
                                    <a class="tile" href="/workbench/reviews">"权限审查"</a>
                                })}
                                {me.roles.contains(&Role::SecurityAuditor).then(|| view! {
                                    <a class="tile" href="/workbench/audit">"审计日志"</a>
                                })}
                                <a class="tile" href="/password">"修改密码"</a>
                            </nav>
                        </section>
                    }
                    .into_any()
                }
            }}
        </Show>
    }
}
