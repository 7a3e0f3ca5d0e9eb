//! A new usage agreement (city credit admin): the user unit, the document number, the catalog items and purposes
//! it covers and its dates, checked as typed with the API's own rules.

use crate::api;
use crate::components::{described_by, token, FormState, Labelled, TextInput};
use crate::pages::records::today;
use credit_types::authorization::{check_agreement, Agreement, NewAgreementRequest, Purpose};
use credit_types::catalog::{parse_date, CatalogItem};
use credit_types::identity::{Organisation, OrganisationKind};
use credit_types::{FieldError, Page};
use leptos::prelude::*;
use validator::Validate;

const ORDER: [&str; 6] = ["organisation_id", "document_no", "catalog_items", "purposes", "valid_from", "valid_to"];

#[component]
pub fn NewAgreement(on_created: impl Fn(Agreement) + Clone + Send + Sync + 'static) -> impl IntoView {
    let organisation = RwSignal::new(String::new());
    let document_no = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<String>::new());
    let purposes = RwSignal::new(Vec::<Purpose>::new());
    let from = RwSignal::new(today().to_string());
    let to = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let units = LocalResource::new(|| async move {
        let url = format!("/api/v1/organisations?kind={}&limit=500", "user_unit");
        api::get_json::<Page<Organisation>>(&url, Some(&token())).await.map(|page| {
            page.items
                .into_iter()
                .filter(|o| o.active && o.kinds.contains(&OrganisationKind::UserUnit))
                .collect::<Vec<_>>()
        })
    });
    let catalog = LocalResource::new(|| async move {
        api::get_json::<Vec<CatalogItem>>("/api/v1/catalog/items", Some(&token())).await
    });

    let date = |signal: RwSignal<String>| parse_date(signal.get().trim());
    let draft = move || NewAgreementRequest {
        organisation_id: organisation.get(),
        document_no: document_no.get().trim().to_owned(),
        catalog_items: items.get(),
        purposes: purposes.get(),
        valid_from: date(from).unwrap_or_default(),
        valid_to: date(to).unwrap_or_default(),
    };
    let form = FormState::new(move || {
        let request = draft();
        let mut errors =
            request.validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e));
        let (start, end) = (date(from), date(to));
        if start.is_none() {
            errors.push(FieldError::new("valid_from", "required", "请填写起始日期"));
        }
        if end.is_none() {
            errors.push(FieldError::new("valid_to", "required", "请填写截止日期"));
        }
        if start.is_some() && end.is_some() {
            errors.extend(check_agreement(&request));
        }
        errors
    });
    let order = StoredValue::new(ORDER.map(String::from).to_vec());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(None);
            return;
        }
        let request = draft();
        let on_created = on_created.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::post_json::<_, Agreement>("/api/v1/agreements", Some(&request), Some(&token())).await;
            pending.set(false);
            match result {
                Ok(agreement) => on_created(agreement),
                Err(error) => {
                    let order = order.get_value();
                    failure.set(super::refusal(&error, &order));
                    form.refused(error.field_errors(), &order);
                }
            }
        });
    };
    let empty_org = Signal::derive(move || organisation.with(String::is_empty));
    let never_empty = Signal::derive(|| false);
    view! {
        <section class="panel" aria-labelledby="new-agreement-title" data-testid="new-agreement">
            <h2 id="new-agreement-title">"登记使用协议"</h2>
            <form class="form form--record" on:submit=submit novalidate=true data-testid="agreement-form">
                <fieldset class="group">
                    <legend>"协议"</legend>
                    <Labelled name="organisation_id" label="使用单位" required=true empty=empty_org form>
                        <select id="organisation_id" aria-required="true" aria-describedby=described_by("organisation_id")
                            aria-invalid=move || if form.shown("organisation_id", empty_org.get()).is_some() { "true" } else { "false" }
                            on:change=move |ev| { organisation.set(event_target_value(&ev)); form.edited("organisation_id"); }
                            on:blur=move |_| form.left("organisation_id")>
                            <option value="">"请选择使用单位"</option>
                            <Suspense>
                                {move || Suspend::new(async move {
                                    units.await.unwrap_or_default().into_iter().map(|o| {
                                        let id = o.id.clone();
                                        view! { <option value=o.id.clone() selected=move || organisation.get() == id>{o.name}</option> }
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                    </Labelled>
                    <TextInput name="document_no" label="协议编号" value=document_no form required=true placeholder="如:九信用协〔2026〕3号" />
                    <TextInput name="valid_from" label="起始日期" kind="date" value=from form required=true />
                    <TextInput name="valid_to" label="截止日期" kind="date" value=to form required=true />
                </fieldset>
                <fieldset class="group">
                    <legend>"协议范围"</legend>
                    <Labelled name="catalog_items" label="目录项" required=true empty=never_empty form class="field--span">
                        <div id="catalog_items" class="checks" role="group" aria-label="目录项" aria-describedby=described_by("catalog_items") tabindex="-1">
                            <Suspense>
                                {move || Suspend::new(async move {
                                    catalog.await.unwrap_or_default().into_iter().filter(|i| i.active).map(|i| {
                                        let code = i.code.clone();
                                        let toggle = i.code.clone();
                                        view! {
                                            <label class="check">
                                                <input type="checkbox" prop:checked=move || items.with(|l| l.contains(&code))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        items.update(|l| { l.retain(|c| *c != toggle); if on { l.push(toggle.clone()); } });
                                                        form.edited("catalog_items");
                                                    } />
                                                {i.name_zh} " " <span class="mono muted">{i.code}</span>
                                            </label>
                                        }
                                    }).collect_view()
                                })}
                            </Suspense>
                        </div>
                    </Labelled>
                    <Labelled name="purposes" label="用途" required=true empty=never_empty form class="field--span">
                        <div id="purposes" class="checks" role="group" aria-label="用途" aria-describedby=described_by("purposes") tabindex="-1">
                            {Purpose::ALL.into_iter().map(|p| view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=move || purposes.with(|l| l.contains(&p))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            purposes.update(|l| { l.retain(|x| *x != p); if on { l.push(p); } });
                                            form.edited("purposes");
                                        } />
                                    {p.label()}
                                </label>
                            }).collect_view()}
                        </div>
                    </Labelled>
                </fieldset>
                <p class="status status--error" role="alert" data-testid="agreement-error">{super::form_summary(form, failure)}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "正在登记…" } else { "登记协议" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
