//! `/workbench/authorization/new`: a user unit asks for authorised-use records, by subject and catalog item (with
//! a live preview of the records and of the usage agreement that covers them) or by record ids; the request is
//! split into one per providing unit.

use super::preview::TargetPreviewPanel;
use super::{purpose_text, FormSend, MAX_DAYS};
use crate::api;
use crate::components::{time, token, FormState, RequireRole, RequiredSelect, TextArea, TextInput};
use credit_types::authorization::{check_request, NewAuthorizationRequest, Purpose};
use credit_types::catalog::DisclosureClass;
use credit_types::codes::{check_resident_id, check_uscc};
use credit_types::identity::Role;
use credit_types::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use validator::Validate;

#[component]
pub fn NewRequest() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::UserUnit]>
            <NewRequestPage />
        </RequireRole>
    }
}

/// How the targets are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    BySubject,
    ByRecords,
}

/// Record ids as typed: separated by spaces, commas or new lines.
fn record_ids(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\u{ff0c}' | '\u{ff1b}' | '\u{3001}'))
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A complete subject code: a unified social credit code or a resident identity number with a right check character.
pub fn complete_code(code: &str) -> bool {
    check_uscc(code).is_ok() || check_resident_id(code, time::today()).is_ok()
}

const ORDER: [&str; 7] =
    ["records", "subject_code", "catalog_item", "purpose", "purpose_text", "legal_basis", "period_days"];

/// The request as typed.
#[derive(Clone, Copy)]
struct Draft {
    mode: RwSignal<Mode>,
    records: RwSignal<String>,
    subject_code: RwSignal<String>,
    catalog_item: RwSignal<String>,
    purpose: RwSignal<String>,
    other: RwSignal<String>,
    legal_basis: RwSignal<String>,
    period: RwSignal<String>,
}

impl Draft {
    /// An empty request, or one for the record, or subject and item, named in the address.
    fn new(prefill: impl Fn(&str) -> String) -> Draft {
        let record = prefill("record");
        Draft {
            mode: RwSignal::new(if record.is_empty() { Mode::BySubject } else { Mode::ByRecords }),
            records: RwSignal::new(record),
            subject_code: RwSignal::new(prefill("subject_code").trim().to_uppercase()),
            catalog_item: RwSignal::new(prefill("catalog_item")),
            purpose: RwSignal::new(String::new()),
            other: RwSignal::new(String::new()),
            legal_basis: RwSignal::new(String::new()),
            period: RwSignal::new("30".to_owned()),
        }
    }

    /// The request as it would be sent now (tracked); fields the live check reports stand as their defaults.
    fn request(self) -> NewAuthorizationRequest {
        let by_subject = self.mode.get() == Mode::BySubject;
        NewAuthorizationRequest {
            records: if by_subject { Vec::new() } else { self.records.with(|r| record_ids(r)) },
            subject_code: by_subject.then(|| self.subject_code.get().trim().to_uppercase()),
            catalog_item: by_subject.then(|| self.catalog_item.get()),
            purpose: Purpose::parse(&self.purpose.get()).unwrap_or(Purpose::AdministrativeApproval),
            purpose_text: Some(self.other.get().trim().to_owned()).filter(|t| !t.is_empty()),
            legal_basis: self.legal_basis.get().trim().to_owned(),
            period_days: self.period.get().trim().parse().unwrap_or(0),
        }
    }

    /// The API's rules on the request, with the platform's longest period `max_days`.
    fn check(self, max_days: u32) -> Vec<FieldError> {
        let request = self.request();
        let mut errors = Vec::new();
        if Purpose::parse(&self.purpose.get()).is_none() {
            errors.push(FieldError::new("purpose", "required", "请选择用途"));
        }
        if let Err(e) = request.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors.extend(check_request(&request, max_days));
        if request.subject_code.as_deref().is_some_and(|c| !c.is_empty() && !complete_code(c)) {
            errors.push(FieldError::new("subject_code", "invalid", "请填写完整、正确的统一社会信用代码或公民身份号码"));
        }
        if self.period.with(|p| p.trim().parse::<u32>().is_err()) {
            errors.retain(|e| e.field != "period_days");
            errors.push(FieldError::new("period_days", "invalid", format!("请输入 1 至 {max_days} 的整数天数")));
        }
        errors
    }
}

#[component]
fn NewRequestPage() -> impl IntoView {
    let navigate = use_navigate();
    let query = use_query_map();
    let draft = Draft::new(|name| query.with_untracked(|q| q.get(name).unwrap_or_default()));
    // The platform's configured longest period; the API's default until it is read.
    let limits = LocalResource::new(|| async move { api::authorization::limits(&token()).await });
    let max_days =
        Signal::derive(move || limits.get().and_then(Result::ok).map_or(MAX_DAYS, |limits| limits.max_period_days));
    let sending = FormSend::new(FormState::new(move || draft.check(max_days.get())), &ORDER);
    let form = sending.form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.ready() {
            let request = untrack(move || draft.request());
            let navigate = navigate.clone();
            sending.send(async move { api::authorization::file(&token(), &request).await }, move |filed| {
                navigate(
                    &api::with_query("/workbench/authorization/outbox", &[("filed", filed.group_id)]),
                    Default::default(),
                )
            });
        }
    };
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href="/workbench/authorization/outbox">"授权申请"</a> " › " <span aria-current="page">"申请授权使用"</span>
        </nav>
        <section class="panel" data-testid="new-request">
            <h1>"申请授权使用信用信息"</h1>
            <p class="panel__hint">
                "“部门申请授权使用”类信息须经提供单位同意后方可查看,并须在本单位有效的信用信息使用协议范围内,写明用途和法律依据。"
                "涉及多个提供单位的,将按提供单位拆分为多份申请,分别审核。"
            </p>
            <form class="form form--record" on:submit=submit novalidate=true data-testid="request-form">
                <TargetInputs draft form />
                <PurposeInputs draft form max_days />
                <Show when=move || draft.mode.get() == Mode::BySubject>
                    <TargetPreviewPanel
                        subject_code=Signal::derive(move || draft.subject_code.get().trim().to_uppercase())
                        catalog_item=draft.catalog_item.into()
                        purpose=draft.purpose.into() />
                </Show>
                <p class="status status--error" role="alert" data-testid="form-error">{super::form_summary(form, sending.failure)}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || sending.pending.get()>
                        {move || if sending.pending.get() { "正在提交…" } else { "提交申请" }}
                    </button>
                    <a class="button button--ghost-dark" href="/workbench/authorization/outbox">"取消"</a>
                </div>
            </form>
        </section>
    }
}

/// What is asked for: by subject and catalog item, or by record ids.
#[component]
fn TargetInputs(draft: Draft, form: FormState) -> impl IntoView {
    let mode = draft.mode;
    let set_mode = move |chosen: Mode| {
        mode.set(chosen);
        form.server.set(Vec::new());
    };
    view! {
        <fieldset class="group">
            <legend>"申请对象"</legend>
            <div class="field" role="radiogroup" aria-label="申请方式">
                <label class="check">
                    <input type="radio" name="mode" prop:checked=move || mode.get() == Mode::BySubject
                        on:change=move |_| set_mode(Mode::BySubject) />
                    "按信用主体和目录项"
                </label>
                <label class="check">
                    <input type="radio" name="mode" prop:checked=move || mode.get() == Mode::ByRecords
                        on:change=move |_| set_mode(Mode::ByRecords) />
                    "按记录编号"
                </label>
            </div>
            <Show when=move || mode.get() == Mode::BySubject>
                <TextInput name="subject_code" label="主体代码" value=draft.subject_code form required=true mono=true
                    hint="统一社会信用代码或公民身份号码(18 位)" />
                <CatalogItemSelect value=draft.catalog_item form />
            </Show>
            <Show when=move || mode.get() == Mode::ByRecords>
                <TextArea name="records" label="记录编号" hint="每行一个,或以逗号、空格分隔;一次最多 200 条" required=true
                    value=draft.records form mono=true class="field--span" />
            </Show>
            <p class="field__error" data-testid="error-records-mode" role="alert">
                {move || (mode.get() == Mode::BySubject).then(|| form.server.with(|e| crate::components::error_for(e, "records"))).flatten()}
            </p>
        </fieldset>
    }
}

/// The catalog item asked for, among the active ones; those of authorised use marked.
#[component]
fn CatalogItemSelect(value: RwSignal<String>, form: FormState) -> impl IntoView {
    let catalog = LocalResource::new(|| async move { api::catalog::items(&token()).await });
    view! {
        <RequiredSelect name="catalog_item" label="目录项" placeholder="请选择目录项" value form>
            <Suspense>
                {move || Suspend::new(async move {
                    catalog.await.unwrap_or_default().into_iter().filter(|i| i.active).map(|i| {
                        let code = i.code.clone();
                        let authorized = if i.default_class == DisclosureClass::Authorized { "(授权使用)" } else { "" };
                        view! {
                            <option value=i.code.clone() selected=move || value.get() == code>
                                {format!("{}{authorized} · {}", i.name_zh, i.code)}
                            </option>
                        }
                    }).collect_view()
                })}
            </Suspense>
        </RequiredSelect>
    }
}

/// Why the records are asked for: the purpose, its legal basis and the period.
#[component]
fn PurposeInputs(draft: Draft, form: FormState, max_days: Signal<u32>) -> impl IntoView {
    let purpose = draft.purpose;
    view! {
        <fieldset class="group">
            <legend>"用途与依据"</legend>
            // The agreement that must cover the item depends on the purpose too.
            <RequiredSelect name="purpose" label="用途" placeholder="请选择用途" value=purpose form also="catalog_item">
                {Purpose::ALL.into_iter().map(|p| view! {
                    <option value=p.as_str() selected=move || purpose.get() == p.as_str()>{purpose_text(p, None)}</option>
                }).collect_view()}
            </RequiredSelect>
            <Show when=move || purpose.get() == Purpose::Other.as_str()>
                <TextInput name="purpose_text" label="用途说明" value=draft.other form required=true hint="用途为“其他”时说明具体用途" />
            </Show>
            <TextArea name="legal_basis" label="法律依据" required=true rows=2 value=draft.legal_basis form class="field--span"
                hint="使用该信息所依据的法律、法规、规章或规范性文件及条款" />
            {move || {
                let max = max_days.get();
                view! {
                    <TextInput name="period_days" label="申请使用期限(天)" kind="number" value=draft.period form required=true
                        min="1" max=max.to_string() hint=format!("默认 30 天,最长 {max} 天,自同意之日起计算") />
                }
            }}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_split_on_any_separator() {
        assert_eq!(record_ids(" a, b\nc;d ,e\u{ff0c}f\u{3001}g "), ["a", "b", "c", "d", "e", "f", "g"]);
        assert!(record_ids("  ").is_empty());
    }
}
