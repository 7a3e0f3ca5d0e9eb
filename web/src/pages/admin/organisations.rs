//! The account office's organisation register: search, and register a new organisation.

use super::kind_label;
use crate::api;
use crate::components::{error_for, token, Field, RequireRole};
use credit_types::identity::{NewOrganisationRequest, Organisation, OrganisationKind, Role};
use credit_types::{FieldError, Page, Region, RegionLevel};
use leptos::prelude::*;

#[component]
pub fn Organisations() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::AccountAdmin]>
            <OrganisationsPage />
        </RequireRole>
    }
}

#[component]
fn OrganisationsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let query = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        reload.track();
        let q = query.get();
        async move {
            let url = if q.trim().is_empty() {
                "/api/v1/organisations?limit=200".to_owned()
            } else {
                format!("/api/v1/organisations?limit=200&q={}", urlencode(q.trim()))
            };
            api::get_json::<Page<Organisation>>(&url, Some(&token())).await
        }
    });
    view! {
        <section class="panel" data-testid="organisations">
            <h1>"单位管理"</h1>
            <label class="search">"搜索单位" <input type="search" placeholder="名称或统一社会信用代码" bind:value=query /></label>
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! {
                            <table class="table">
                                <thead><tr><th>"名称"</th><th>"统一社会信用代码"</th><th>"层级"</th><th>"行政区划"</th><th>"类型"</th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|o| view! {
                                        <tr data-testid="organisation-row">
                                            <td>{o.name}</td>
                                            <td class="mono">{o.uscc}</td>
                                            <td>{level_label(o.level)}</td>
                                            <td class="mono">{o.region_code}</td>
                                            <td>{o.kinds.iter().map(|k| kind_label(*k)).collect::<Vec<_>>().join("、")}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <NewOrganisation on_created=move || reload.update(|n| *n += 1) />
    }
}

pub fn level_label(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::City => "市级",
        RegionLevel::County => "县级",
    }
}

pub use crate::api::urlencode;

#[component]
fn NewOrganisation(on_created: impl Fn() + Clone + 'static) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let uscc = RwSignal::new(String::new());
    let level = RwSignal::new(RegionLevel::City);
    let region = RwSignal::new("360400".to_owned());
    let kinds = RwSignal::new(Vec::<OrganisationKind>::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);
    let regions = LocalResource::new(api::regions);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The same GB 32100 check the server applies, to answer at once.
        if let Err(e) = credit_types::codes::check_uscc(uscc.get_untracked().trim()) {
            errors.set(vec![FieldError::new("uscc", "uscc", e.message())]);
            return;
        }
        let request = NewOrganisationRequest {
            name: name.get_untracked(),
            uscc: uscc.get_untracked().trim().to_owned(),
            level: level.get_untracked(),
            region_code: region.get_untracked(),
            kinds: kinds.get_untracked(),
        };
        let on_created = on_created.clone();
        leptos::task::spawn_local(async move {
            match api::post_json::<_, Organisation>("/api/v1/organisations", Some(&request), Some(&token())).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    done.set(Some(format!("已登记:{}", created.name)));
                    name.set(String::new());
                    uscc.set(String::new());
                    kinds.set(Vec::new());
                    on_created();
                }
                Err(error) => errors.set(with_fallback(error, "name")),
            }
        });
    };

    view! {
        <section class="panel">
            <h2>"登记单位"</h2>
            <form class="form form--wide" on:submit=submit novalidate=true>
                <Field name="name" label="单位名称" value=name errors=errors />
                <Field name="uscc" label="统一社会信用代码" value=uscc errors=errors />
                <div class="field">
                    <label for="level">"层级"</label>
                    <select id="level" on:change=move |ev| {
                        let chosen = if event_target_value(&ev) == "county" { RegionLevel::County } else { RegionLevel::City };
                        level.set(chosen);
                        region.set(if chosen == RegionLevel::City { "360400".into() } else { String::new() });
                    }>
                        <option value="city">"市级"</option>
                        <option value="county">"县级"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="region_code">"行政区划"</label>
                    <select id="region_code" on:change=move |ev| region.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                let wanted = level.get();
                                regions.await.unwrap_or_default().into_iter().filter(|r: &Region| r.level == wanted).map(|r| {
                                    let code = r.code.clone();
                                    view! { <option value=r.code.clone() selected=move || region.get() == code>{r.name}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "region_code"))}</p>
                </div>
                <fieldset class="field">
                    <legend>"单位类型"</legend>
                    {OrganisationKind::ALL.into_iter().map(|kind| view! {
                        <label class="check">
                            <input type="checkbox" value=kind.as_str() prop:checked=move || kinds.with(|l| l.contains(&kind)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                kinds.update(|list| { list.retain(|k| *k != kind); if on { list.push(kind); } });
                            } />
                            {kind_label(kind)}
                        </label>
                    }).collect_view()}
                    <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "kinds"))}</p>
                </fieldset>
                <button class="button" type="submit">"登记"</button>
                <p class="status status--ok" role="status" data-testid="organisation-created">{move || done.get()}</p>
            </form>
        </section>
    }
}

/// A choice among the registered organisations, with its field error under it.
#[component]
pub fn OrganisationSelect(
    id: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let organisations = LocalResource::new(|| async move {
        api::get_json::<Page<Organisation>>("/api/v1/organisations?limit=500", Some(&token())).await
    });
    view! {
        <div class="field">
            <label for=id>"所属单位"</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"请选择"</option>
                <Suspense>
                    {move || Suspend::new(async move {
                        organisations.await.map(|p| p.items).unwrap_or_default().into_iter()
                            .map(|o| view! { <option value=o.id.clone()>{o.name}</option> })
                            .collect_view()
                    })}
                </Suspense>
            </select>
            <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "organisation_id"))}</p>
        </div>
    }
}

/// Field errors of a failed call, or its message under `field` when it named none.
pub fn with_fallback(error: api::ApiError, field: &str) -> Vec<FieldError> {
    let mut list = error.field_errors();
    if list.is_empty() {
        list.push(FieldError::new(field, error.code().unwrap_or("error"), error.message()));
    }
    list
}
