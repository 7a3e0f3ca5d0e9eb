//! The account office's account register: register accounts (one-time password shown once), unlock, reset
//! passwords, deactivate with handover and reactivate.

use super::organisations::{with_fallback, OrganisationSelect};
use crate::api;
use crate::components::{error_for, token, CheckList, Field, RequireRole};
use credit_types::identity::{DeactivateRequest, NewUserRequest, Role, User, UserListQuery};
use credit_types::FieldError;
use leptos::prelude::*;

#[component]
pub fn Users() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::AccountAdmin]>
            <UsersPage />
        </RequireRole>
    }
}

/// A one-time password to hand over, shown once.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    login_name: String,
    password: String,
}

#[component]
fn UsersPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<Shown>);
    let notice = RwSignal::new(None::<String>);
    let users = LocalResource::new(move || {
        reload.track();
        let q = query.get().trim().to_owned();
        let query = UserListQuery { q: Some(q).filter(|q| !q.is_empty()), limit: Some(200), ..Default::default() };
        async move { api::admin::users(&token(), &query).await }
    });
    let refresh = move || reload.update(|n| *n += 1);
    let self_id = crate::auth::Auth::get().session.get_untracked().map(|s| s.me.id).unwrap_or_default();
    let self_id = StoredValue::new(self_id);
    view! {
        <section class="panel" data-testid="users">
            <h1>"账号管理"</h1>
            <OneTimePassword shown />
            <p class="status status--ok" role="status">{move || notice.get()}</p>
            <label class="search">"搜索账号" <input type="search" placeholder="登录名或姓名" bind:value=query /></label>
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(page) => view! { <UserTable users=page.items self_id=self_id.get_value() shown notice on_change=refresh /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <NewUser shown on_created=refresh />
    }
}

/// The one-time password of an account just registered or reset, until the administrator says it is handed over.
#[component]
fn OneTimePassword(shown: RwSignal<Option<Shown>>) -> impl IntoView {
    view! {
        <Show when=move || shown.with(Option::is_some)>
            <div class="secret" role="status" data-testid="one-time-password">
                <p>"账号 " <strong>{move || shown.with(|s| s.as_ref().map(|s| s.login_name.clone()))}</strong>
                   " 的一次性密码(仅显示这一次,请当面或以保密方式交给本人,首次登录须修改):"</p>
                <code class="secret__value">{move || shown.with(|s| s.as_ref().map(|s| s.password.clone()))}</code>
                <button class="button button--small" type="button" on:click=move |_| shown.set(None)>"我已妥善交付"</button>
            </div>
        </Show>
    }
}

#[component]
fn UserTable(
    users: Vec<User>,
    /// The signed-in administrator: nobody deactivates their own account.
    self_id: String,
    shown: RwSignal<Option<Shown>>,
    notice: RwSignal<Option<String>>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let all = users.clone();
    view! {
        <table class="table">
            <thead><tr><th>"登录名"</th><th>"姓名"</th><th>"单位"</th><th>"角色"</th><th>"状态"</th><th>"操作"</th></tr></thead>
            <tbody>
                {users.into_iter().map(|user| {
                    let colleagues: Vec<User> = all.iter().filter(|u| u.active && u.id != user.id && u.organisation_id == user.organisation_id).cloned().collect();
                    let is_self = user.id == self_id;
                    view! { <UserRow user colleagues is_self shown notice on_change=on_change.clone() /> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn UserRow(
    user: User,
    colleagues: Vec<User>,
    is_self: bool,
    shown: RwSignal<Option<Shown>>,
    notice: RwSignal<Option<String>>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let deactivating = RwSignal::new(false);
    let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
    let id = user.id.clone();
    let on_deactivated = on_change.clone();
    view! {
        <tr data-testid="user-row">
            <td class="mono">{user.login_name.clone()}</td>
            <td>{user.full_name.clone()}</td>
            <td>{user.organisation_name.clone()}</td>
            <td>{roles.join("、")}</td>
            <td>{if user.active { "在用" } else { "已注销" }}</td>
            <td class="actions"><UserActions user is_self shown notice deactivating on_change /></td>
        </tr>
        <Show when=move || deactivating.get()>
            <DeactivateRow id=id.clone() colleagues=colleagues.clone() notice deactivating on_change=on_deactivated.clone() />
        </Show>
    }
}

/// Unlock, reset the password and deactivate an active account; reactivate a deactivated one.
#[component]
fn UserActions(
    user: User,
    is_self: bool,
    shown: RwSignal<Option<Shown>>,
    notice: RwSignal<Option<String>>,
    deactivating: RwSignal<bool>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let id = StoredValue::new(user.id.clone());
    let login = StoredValue::new(user.login_name.clone());
    let unlock = {
        let on_change = on_change.clone();
        move |_| {
            let on_change = on_change.clone();
            leptos::task::spawn_local(async move {
                let outcome = api::admin::unlock(&token(), &id.get_value()).await.map(|_| "已解除锁定".to_owned());
                notice.set(Some(outcome.unwrap_or_else(|e| e.message())));
                on_change();
            });
        }
    };
    let reactivate = move |_| {
        let on_change = on_change.clone();
        leptos::task::spawn_local(async move {
            let outcome = api::admin::reactivate(&token(), &id.get_value()).await.map(|_| "已恢复账号".to_owned());
            notice.set(Some(outcome.unwrap_or_else(|e| e.message())));
            on_change();
        });
    };
    let reset = move |_| {
        leptos::task::spawn_local(async move {
            match api::admin::reset_password(&token(), &id.get_value()).await {
                Ok(done) => shown.set(Some(Shown { login_name: login.get_value(), password: done.one_time_password })),
                Err(error) => notice.set(Some(error.message())),
            }
        });
    };
    if user.active {
        view! {
            <button class="button button--small" type="button" on:click=unlock>"解锁"</button>
            <button class="button button--small" type="button" on:click=reset>"重置密码"</button>
            {(!is_self).then(|| view! {
                <button class="button button--small button--danger" type="button" on:click=move |_| deactivating.set(true)>"注销"</button>
            })}
        }
        .into_any()
    } else {
        view! { <button class="button button--small" type="button" on:click=reactivate>"恢复"</button> }.into_any()
    }
}

/// The deactivation form under an account's row: the reason and the colleague who takes over its work.
#[component]
fn DeactivateRow(
    id: String,
    colleagues: Vec<User>,
    notice: RwSignal<Option<String>>,
    deactivating: RwSignal<bool>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let successor = RwSignal::new(colleagues.first().map(|u| u.id.clone()).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let deactivate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = DeactivateRequest { reason: reason.get_untracked(), successor_id: successor.get_untracked() };
        let (id, on_change) = (id.clone(), on_change.clone());
        leptos::task::spawn_local(async move {
            match api::admin::deactivate(&token(), &id, &request).await {
                Ok(handover) => {
                    notice.set(Some(format!(
                        "已注销 {} 的账号,{} 项交接给 {}",
                        handover.user_name,
                        handover.items.len(),
                        handover.successor_name
                    )));
                    deactivating.set(false);
                    on_change();
                }
                Err(error) => errors.set(with_fallback(error, "reason")),
            }
        });
    };
    view! {
        <tr class="row-form">
            <td colspan="6">
                <form class="form form--inline" on:submit=deactivate novalidate=true>
                    <Field name="reason" label="注销原因" value=reason errors=errors />
                    <div class="field">
                        <label for="successor_id">"交接人(同单位)"</label>
                        <select id="successor_id" on:change=move |ev| successor.set(event_target_value(&ev))>
                            {colleagues.iter().map(|u| view! { <option value=u.id.clone()>{format!("{}({})", u.full_name, u.login_name)}</option> }).collect_view()}
                        </select>
                        <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "successor_id"))}</p>
                    </div>
                    <button class="button button--danger" type="submit">"确认注销并交接"</button>
                    <button class="button button--ghost-dark" type="button" on:click=move |_| deactivating.set(false)>"取消"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn NewUser(shown: RwSignal<Option<Shown>>, on_created: impl Fn() + Clone + 'static) -> impl IntoView {
    let organisation = RwSignal::new(String::new());
    let login_name = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let optional = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|v| !v.is_empty());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = NewUserRequest {
            organisation_id: organisation.get_untracked(),
            login_name: login_name.get_untracked().trim().to_owned(),
            full_name: full_name.get_untracked(),
            phone: optional(phone),
            email: optional(email),
            roles: roles.get_untracked(),
            expires_on: None,
        };
        let on_created = on_created.clone();
        leptos::task::spawn_local(async move {
            match api::admin::create_user(&token(), &request).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    shown.set(Some(Shown { login_name: created.user.login_name, password: created.one_time_password }));
                    for field in [login_name, full_name, phone, email] {
                        field.set(String::new());
                    }
                    roles.set(Vec::new());
                    on_created();
                }
                Err(error) => errors.set(with_fallback(error, "login_name")),
            }
        });
    };

    view! {
        <section class="panel">
            <h2>"注册账号"</h2>
            <form class="form form--wide" on:submit=submit novalidate=true>
                <OrganisationSelect id="organisation_id" value=organisation errors=errors />
                <Field name="login_name" label="登录名" value=login_name errors=errors />
                <Field name="full_name" label="姓名" value=full_name errors=errors />
                <Field name="phone" label="电话(可选)" kind="tel" value=phone errors=errors />
                <Field name="email" label="电子邮箱(可选)" kind="email" value=email errors=errors />
                <RoleChecks roles errors />
                <button class="button" type="submit">"注册"</button>
            </form>
        </section>
    }
}

/// The account's roles, one checkbox each.
#[component]
fn RoleChecks(roles: RwSignal<Vec<Role>>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"角色"</legend>
            <CheckList all=Role::ALL.to_vec() chosen=roles />
            <p class="field__error" role="alert" data-testid="error-roles">{move || errors.with(|e| error_for(e, "roles"))}</p>
        </fieldset>
    }
}
