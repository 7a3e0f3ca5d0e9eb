//! The account office's organisation register: search, and register a new organisation.

use crate::api;
use crate::components::{error_for, token, CheckList, Field, RegionNames, RequireRole};
use credit_types::identity::{NewOrganisationRequest, Organisation, OrganisationKind, OrganisationListQuery, Role};
use credit_types::{ErrorCode, FieldError, Region, RegionLevel};
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
    let regions = RegionNames::load();
    let list = LocalResource::new(move || {
        reload.track();
        let q = query.get().trim().to_owned();
        let query =
            OrganisationListQuery { q: Some(q).filter(|q| !q.is_empty()), limit: Some(200), ..Default::default() };
        async move { api::admin::organisations(&token(), &query).await }
    });
    view! {
        <section class="panel" data-testid="organisations">
            <h1>"单位管理"</h1>
            <label class="search">"搜索单位" <input type="search" placeholder="名称或统一社会信用代码" bind:value=query /></label>
            <Suspense fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! { <OrganisationTable organisations=page.items regions /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <NewOrganisation on_created=move || reload.update(|n| *n += 1) />
    }
}

#[component]
fn OrganisationTable(organisations: Vec<Organisation>, regions: RegionNames) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr><th>"名称"</th><th>"统一社会信用代码"</th><th>"层级"</th><th>"行政区划"</th><th>"类型"</th></tr></thead>
            <tbody>
                {organisations.into_iter().map(|o| {
                    let code = o.region_code.clone();
                    view! {
                        <tr data-testid="organisation-row">
                            <td>{o.name}</td>
                            <td class="mono">{o.uscc}</td>
                            <td>{o.level.label()}</td>
                            <td title=o.region_code>{move || regions.name(&code)}</td>
                            <td>{kinds_text(&o.kinds)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// An organisation's kinds, by their labels.
fn kinds_text(kinds: &[OrganisationKind]) -> String {
    kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

#[component]
fn NewOrganisation(on_created: impl Fn() + Clone + 'static) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let uscc = RwSignal::new(String::new());
    let level = RwSignal::new(RegionLevel::City);
    let region = RwSignal::new(CITY_CODE.to_owned());
    let kinds = RwSignal::new(Vec::<OrganisationKind>::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);

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
            match api::admin::create_organisation(&token(), &request).await {
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
                <LevelAndRegion level region errors />
                <KindChecks kinds errors />
                <button class="button" type="submit">"登记"</button>
                <p class="status status--ok" role="status" data-testid="organisation-created">{move || done.get()}</p>
            </form>
        </section>
    }
}

/// The city's own region code: a city-level organisation sits there.
const CITY_CODE: &str = "360400";

/// The level, and the region of that level the organisation sits in.
#[component]
fn LevelAndRegion(
    level: RwSignal<RegionLevel>,
    region: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let regions = LocalResource::new(api::regions::all);
    let choose_level = move |ev| {
        let chosen = RegionLevel::parse(&event_target_value(&ev)).unwrap_or(RegionLevel::City);
        level.set(chosen);
        region.set(if chosen == RegionLevel::City { CITY_CODE.into() } else { String::new() });
    };
    view! {
        <div class="field">
            <label for="level">"层级"</label>
            <select id="level" on:change=choose_level>
                {[RegionLevel::City, RegionLevel::County].into_iter().map(|l| view! {
                    <option value=l.as_str()>{l.label()}</option>
                }).collect_view()}
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
    }
}

/// The organisation's kinds, one checkbox each.
#[component]
fn KindChecks(kinds: RwSignal<Vec<OrganisationKind>>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"单位类型"</legend>
            <CheckList all=OrganisationKind::ALL.to_vec() chosen=kinds />
            <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "kinds"))}</p>
        </fieldset>
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
        let query = OrganisationListQuery { limit: Some(500), ..Default::default() };
        api::admin::organisations(&token(), &query).await
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
        list.push(FieldError::new(field, error.code().map_or("error", ErrorCode::as_str), error.message()));
    }
    list
}
