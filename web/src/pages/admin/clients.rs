//! The account office's register of API clients: register (secret shown once) and revoke.

use super::organisations::{with_fallback, OrganisationSelect};
use crate::api;
use crate::components::{error_for, time, token, Field, RequireRole};
use credit_types::identity::{ApiClient, NewClientRequest, Role, SCOPES};
use credit_types::FieldError;
use leptos::prelude::*;

#[component]
pub fn Clients() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::AccountAdmin]>
            <ClientsPage />
        </RequireRole>
    }
}

/// A new client's id and secret, shown once.
type Secret = Option<(String, String)>;

#[component]
fn ClientsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let secret = RwSignal::new(None);
    let clients = LocalResource::new(move || {
        reload.track();
        async move { api::admin::clients(&token()).await }
    });
    let refresh = move || reload.update(|n| *n += 1);
    view! {
        <section class="panel" data-testid="clients">
            <h1>"接口客户端"</h1>
            <ClientSecret secret />
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(list) => view! { <ClientTable clients=list on_revoked=refresh /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <NewClient secret on_created=refresh />
    }
}

#[component]
fn ClientSecret(secret: RwSignal<Secret>) -> impl IntoView {
    view! {
        <Show when=move || secret.with(Option::is_some)>
            <div class="secret" role="status" data-testid="client-secret">
                <p>"客户端 " <code>{move || secret.with(|s| s.as_ref().map(|s| s.0.clone()))}</code> " 的密钥(仅显示这一次,请立即保存到对方系统):"</p>
                <code class="secret__value">{move || secret.with(|s| s.as_ref().map(|s| s.1.clone()))}</code>
                <button class="button button--small" type="button" on:click=move |_| secret.set(None)>"我已保存"</button>
            </div>
        </Show>
    }
}

#[component]
fn ClientTable(clients: Vec<ApiClient>, on_revoked: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let revoke = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::admin::revoke_client(&token(), &id).await;
            on_revoked();
        });
    };
    view! {
        <table class="table">
            <thead><tr><th>"名称"</th><th>"所属单位"</th><th>"client_id"</th><th>"权限范围"</th><th>"每分钟请求"</th><th>"登记时间"</th><th>"状态"</th><th></th></tr></thead>
            <tbody>
                {clients.into_iter().map(|c| {
                    let id = c.id.clone();
                    view! {
                        <tr>
                            <td>{c.name}</td>
                            <td>{c.organisation_name}</td>
                            <td class="mono">{c.client_id}</td>
                            <td class="mono">{c.scopes.join(" ")}</td>
                            <td>{c.rate_limit_per_minute}</td>
                            <td>{time::minutes(c.created_at)}</td>
                            <td>{if c.active { "在用" } else { "已吊销" }}</td>
                            <td>{c.active.then(|| view! {
                                <button class="button button--small button--danger" type="button" on:click=move |_| revoke(id.clone())>"吊销"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewClient(secret: RwSignal<Secret>, on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let organisation = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let limit = RwSignal::new("60".to_owned());
    let scopes = RwSignal::new(Vec::<String>::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(rate) = limit.get_untracked().trim().parse::<i32>() else {
            errors.set(vec![FieldError::new("rate_limit_per_minute", "number", "请输入整数")]);
            return;
        };
        let request = NewClientRequest {
            organisation_id: organisation.get_untracked(),
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
            rate_limit_per_minute: rate,
        };
        leptos::task::spawn_local(async move {
            match api::admin::create_client(&token(), &request).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    secret.set(Some((created.client.client_id, created.client_secret)));
                    name.set(String::new());
                    scopes.set(Vec::new());
                    on_created();
                }
                Err(error) => errors.set(with_fallback(error, "name")),
            }
        });
    };
    view! {
        <section class="panel">
            <h2>"注册客户端"</h2>
            <form class="form form--wide" on:submit=submit novalidate=true>
                <OrganisationSelect id="client_organisation" value=organisation errors=errors />
                <Field name="name" label="系统名称" value=name errors=errors />
                <Field name="rate_limit_per_minute" label="每分钟请求上限" kind="number" value=limit errors=errors />
                <fieldset class="field">
                    <legend>"权限范围"</legend>
                    {SCOPES.into_iter().map(|scope| view! {
                        <label class="check">
                            <input type="checkbox" value=scope prop:checked=move || scopes.with(|l| l.iter().any(|s| s == scope)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                scopes.update(|list| { list.retain(|s| s != scope); if on { list.push(scope.to_owned()); } });
                            } />
                            <code>{scope}</code>
                        </label>
                    }).collect_view()}
                    <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "scopes"))}</p>
                </fieldset>
                <button class="button" type="submit">"注册"</button>
            </form>
        </section>
    }
}
