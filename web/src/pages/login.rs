//! Sign-in for government staff. Accounts come from the account office; there is no self-registration.

use crate::api;
use crate::auth::Auth;
use crate::components::Field;
use credit_types::identity::LoginRequest;
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Login() -> impl IntoView {
    let auth = Auth::get();
    let navigate = use_navigate();
    let login_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let pending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            login_name: login_name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::session::login(&request).await {
                Ok(tokens) => {
                    let must_change = tokens.user.must_change_password;
                    auth.accept(tokens);
                    errors.set(Vec::new());
                    navigate(if must_change { "/password" } else { "/workbench" }, Default::default());
                }
                Err(error) => {
                    let mut list = error.field_errors();
                    // Sign-in failures are not about one field: show them under the password.
                    if list.is_empty() {
                        list.push(FieldError::new(
                            "password",
                            error.code().map_or("error", ErrorCode::as_str),
                            error.message(),
                        ));
                    }
                    password.set(String::new());
                    errors.set(list);
                }
            }
            pending.set(false);
        });
    };

    view! {
        <section class="panel panel--narrow" data-testid="login">
            <h1>"工作台登录"</h1>
            <p class="panel__hint">"账号由市政府信息办统一注册和分配,不得转借他人使用。"</p>
            <form class="form" on:submit=submit novalidate=true>
                <Field name="login_name" label="登录名" autocomplete="username" value=login_name errors=errors />
                <Field name="password" label="密码" kind="password" autocomplete="current-password" value=password errors=errors />
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在登录…" } else { "登录" }}
                </button>
            </form>
        </section>
    }
}
