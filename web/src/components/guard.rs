//! Shows its children only to a signed-in user holding one of the roles; otherwise the sign-in page, the password
//! change, or a plain refusal. The API checks the same roles again: this only spares people dead ends.

use crate::auth::{Auth, Restore};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let auth = Auth::get();
    view! {
        <Show
            when=move || auth.restore.get() == Restore::Done
            fallback=|| view! { <p class="status" role="status">"正在恢复登录状态…"</p> }
        >
            {
                let children = children.clone();
                move || match auth.session.get() {
                    None => view! { <Redirect path="/login" /> }.into_any(),
                    Some(session) if session.me.must_change_password => view! { <Redirect path="/password" /> }.into_any(),
                    Some(session) if !roles.iter().any(|r| session.me.roles.contains(r)) => view! {
                        <section class="panel" data-testid="forbidden">
                            <h1>"无权访问"</h1>
                            <p>"您的账号没有访问此页面的权限。"</p>
                        </section>
                    }
                    .into_any(),
                    Some(_) => children().into_any(),
                }
            }
        </Show>
    }
}

/// The signed-in user's access token (empty when signed out: the API then answers 401).
pub fn token() -> String {
    Auth::token()
}
