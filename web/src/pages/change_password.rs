//! Changing one's password: required at first sign-in and when the password is too old.

use crate::api;
use crate::auth::Auth;
use crate::components::Field;
use credit_types::identity::ChangePasswordRequest;
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ChangePassword() -> impl IntoView {
    let auth = Auth::get();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let pending = RwSignal::new(false);
    let forced = move || auth.session.with(|s| s.as_ref().is_some_and(|s| s.me.must_change_password));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = auth.session.get_untracked().map(|s| s.access_token) else { return };
        if new_password.get_untracked() != confirm.get_untracked() {
            errors.set(vec![FieldError::new("confirm_password", "mismatch", "两次输入的新密码不一致")]);
            return;
        }
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        let navigate = navigate.clone();
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::session::change_password(&token, &request).await {
                Ok(tokens) => {
                    auth.accept(tokens);
                    errors.set(Vec::new());
                    navigate("/workbench", Default::default());
                }
                Err(error) => {
                    let mut list = error.field_errors();
                    if list.is_empty() {
                        list.push(FieldError::new(
                            "new_password",
                            error.code().map_or("error", ErrorCode::as_str),
                            error.message(),
                        ));
                    }
                    errors.set(list);
                }
            }
            pending.set(false);
        });
    };

    view! {
        <Show when=move || auth.session.with(Option::is_some) fallback=|| view! { <Redirect path="/login" /> }>
            <section class="panel panel--narrow" data-testid="change-password">
                <h1>"修改密码"</h1>
                <Show when=forced>
                    <p class="status status--warning" role="status">
                        "您正在使用一次性密码或密码已超过有效期,请先设置新密码后再继续。"
                    </p>
                </Show>
                <p class="panel__hint">
                    "新密码至少 12 位,包含大写字母、小写字母、数字、符号中的至少三类,不含登录名,且不能与最近 5 次使用的密码相同。"
                </p>
                <form class="form" on:submit=submit.clone() novalidate=true>
                    <Field name="current_password" label="当前密码" kind="password" autocomplete="current-password" value=current errors=errors />
                    <Field name="new_password" label="新密码" kind="password" autocomplete="new-password" value=new_password errors=errors />
                    <Field name="confirm_password" label="再次输入新密码" kind="password" autocomplete="new-password" value=confirm errors=errors />
                    <button class="button" type="submit" disabled=move || pending.get()>"保存新密码"</button>
                </form>
            </section>
        </Show>
    }
}
