//! A new usage agreement (city credit admin): the user unit, the document number, the catalog items and purposes
//! it covers and its dates, checked as typed with the API's own rules.

use super::FormSend;
use crate::api;
use crate::components::{described_by, time, token, CheckList, FormState, Labelled, RequiredSelect, TextInput};
use credit_types::authorization::{check_agreement, Agreement, NewAgreementRequest, Purpose};
use credit_types::catalog::parse_date;
use credit_types::identity::{OrganisationKind, OrganisationListQuery};
use credit_types::FieldError;
use leptos::prelude::*;
use validator::Validate;

const ORDER: [&str; 6] = ["organisation_id", "document_no", "catalog_items", "purposes", "valid_from", "valid_to"];

/// The agreement as typed.
#[derive(Clone, Copy)]
struct Draft {
    organisation: RwSignal<String>,
    document_no: RwSignal<String>,
    items: RwSignal<Vec<String>>,
    purposes: RwSignal<Vec<Purpose>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            organisation: RwSignal::new(String::new()),
            document_no: RwSignal::new(String::new()),
            items: RwSignal::new(Vec::new()),
            purposes: RwSignal::new(Vec::new()),
            from: RwSignal::new(time::today().to_string()),
            to: RwSignal::new(String::new()),
        }
    }

    /// The request as it would be sent now (tracked); missing dates as the default, which the check reports.
    fn request(self) -> NewAgreementRequest {
        let date = |signal: RwSignal<String>| parse_date(signal.get().trim()).unwrap_or_default();
        NewAgreementRequest {
            organisation_id: self.organisation.get(),
            document_no: self.document_no.get().trim().to_owned(),
            catalog_items: self.items.get(),
            purposes: self.purposes.get(),
            valid_from: date(self.from),
            valid_to: date(self.to),
        }
    }

    /// The API's rules: the fields', and the dates' (both given, the start not after the end).
    fn check(self) -> Vec<FieldError> {
        let request = self.request();
        let mut errors =
            request.validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e));
        let given = |signal: RwSignal<String>| parse_date(signal.get().trim()).is_some();
        if !given(self.from) {
            errors.push(FieldError::new("valid_from", "required", "请填写起始日期"));
        }
        if !given(self.to) {
            errors.push(FieldError::new("valid_to", "required", "请填写截止日期"));
        }
        if given(self.from) && given(self.to) {
            errors.extend(check_agreement(&request));
        }
        errors
    }
}

#[component]
pub fn NewAgreement(on_created: impl Fn(Agreement) + Clone + Send + Sync + 'static) -> impl IntoView {
    let draft = Draft::new();
    let sending = FormSend::new(FormState::new(move || draft.check()), &ORDER);
    let form = sending.form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.ready() {
            let request = untrack(move || draft.request());
            sending.send(
                async move { api::authorization::create_agreement(&token(), &request).await },
                on_created.clone(),
            );
        }
    };
    view! {
        <section class="panel" aria-labelledby="new-agreement-title" data-testid="new-agreement">
            <h2 id="new-agreement-title">"登记使用协议"</h2>
            <form class="form form--record" on:submit=submit novalidate=true data-testid="agreement-form">
                <fieldset class="group">
                    <legend>"协议"</legend>
                    <UnitSelect value=draft.organisation form />
                    <TextInput name="document_no" label="协议编号" value=draft.document_no form required=true placeholder="如:九信用协〔2026〕3号" />
                    <TextInput name="valid_from" label="起始日期" kind="date" value=draft.from form required=true />
                    <TextInput name="valid_to" label="截止日期" kind="date" value=draft.to form required=true />
                </fieldset>
                <fieldset class="group">
                    <legend>"协议范围"</legend>
                    <ItemChecks items=draft.items form />
                    <Labelled name="purposes" label="用途" required=true empty=Signal::derive(|| false) form class="field--span">
                        <div id="purposes" class="checks" role="group" aria-label="用途" aria-describedby=described_by("purposes") tabindex="-1">
                            <CheckList all=Purpose::ALL.to_vec() chosen=draft.purposes on_change=move || form.edited("purposes") />
                        </div>
                    </Labelled>
                </fieldset>
                <p class="status status--error" role="alert" data-testid="agreement-error">{super::form_summary(form, sending.failure)}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || sending.pending.get()>
                        {move || if sending.pending.get() { "正在登记…" } else { "登记协议" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The user unit the agreement is with: the active user units.
#[component]
fn UnitSelect(value: RwSignal<String>, form: FormState) -> impl IntoView {
    let units = LocalResource::new(|| async move {
        let query =
            OrganisationListQuery { kind: Some(OrganisationKind::UserUnit), limit: Some(500), ..Default::default() };
        api::admin::organisations(&token(), &query).await.map(|page| {
            page.items
                .into_iter()
                .filter(|o| o.active && o.kinds.contains(&OrganisationKind::UserUnit))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <RequiredSelect name="organisation_id" label="使用单位" placeholder="请选择使用单位" value form>
            <Suspense>
                {move || Suspend::new(async move {
                    units.await.unwrap_or_default().into_iter().map(|o| {
                        let id = o.id.clone();
                        view! { <option value=o.id.clone() selected=move || value.get() == id>{o.name}</option> }
                    }).collect_view()
                })}
            </Suspense>
        </RequiredSelect>
    }
}

/// The catalog items the agreement covers: the active ones, one checkbox each.
#[component]
fn ItemChecks(items: RwSignal<Vec<String>>, form: FormState) -> impl IntoView {
    let catalog = LocalResource::new(|| async move { api::catalog::items(&token()).await });
    view! {
        <Labelled name="catalog_items" label="目录项" required=true empty=Signal::derive(|| false) form class="field--span">
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
    }
}
