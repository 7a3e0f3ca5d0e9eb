//! The account office's register of API clients: register (secret shown once) and revoke.

use super::organisations::{with_fallback, OrganisationSelect};
use crate::api;
use crate::components::{error_for, token, Field, RequireRole};
use credit_types::identity::{ApiClient, ApiClientWithSecret, NewClientRequest, Role, SCOPES};
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

#[component]
fn ClientsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let secret = RwSignal::new(None::<(String, String)>);
    let clients = LocalResource::new(move || {
        reload.track();
        async move { api::get_json::<Vec<ApiClient>>("/api/v1/clients", Some(&token())).await }
    });
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
            match api::post_json::<_, ApiClientWithSecret>("/api/v1/clients", Some(&request), Some(&token())).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    secret.set(Some((created.client.client_id, created.client_secret)));
                    name.set(String::new());
                    scopes.set(Vec::new());
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.set(with_fallback(error, "name")),
            }
        });
    };
    let revoke = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ =
                api::post_json::<(), ApiClient>(&format!("/api/v1/clients/{id}/revoke"), None, Some(&token())).await;
            reload.update(|n| *n += 1);
        });
    };

    view! {
        <section class="panel" data-testid="clients">
            <h1>"接口客户端"</h1>
            <Show when=move || secret.with(Option::is_some)>
                <div class="secret" role="status" data-testid="client-secret">
                    <p>"客户端 " <code>{move || secret.with(|s| s.as_ref().map(|s| s.0.clone()))}</code> " 的密钥(仅显示这一次,请立即保存到对方系统):"</p>
                    <code class="secret__value">{move || secret.with(|s| s.as_ref().map(|s| s.1.clone()))}</code>
                    <button class="button button--small" type="button" on:click=move |_| secret.set(None)>"我已保存"</button>
                </div>
            </Show>
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(list) => view! {
                            <table class="table">
                                <thead><tr><th>"名称"</th><th>"client_id"</th><th>"权限范围"</th><th>"每分钟请求"</th><th>"状态"</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|c| {
                                        let id = c.id.clone();
                                        view! {
                                            <tr>
                                                <td>{c.name}</td>
                                                <td class="mono">{c.client_id}</td>
                                                <td>{c.scopes.join(" ")}</td>
                                                <td>{c.rate_limit_per_minute}</td>
                                                <td>{if c.active { "在用" } else { "已吊销" }}</td>
                                                <td>{c.active.then(|| view! {
                                                    <button class="button button--small button--danger" type="button" on:click=move |_| revoke(id.clone())>"吊销"</button>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
