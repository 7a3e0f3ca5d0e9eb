//! `/workbench/authorization/new`: a user unit asks for authorised-use records, by subject and catalog item (with
//! a live preview of the records and of the usage agreement that covers them) or by record ids; the request is
//! split into one per providing unit.

use super::preview::TargetPreviewPanel;
use super::{purpose_text, MAX_DAYS};
use crate::api;
use crate::components::{described_by, token, FormState, Labelled, RequireRole, TextInput};
use crate::pages::records::today;
use credit_types::authorization::{check_request, FiledRequests, NewAuthorizationRequest, Purpose, RequestLimits};
use credit_types::catalog::{CatalogItem, DisclosureClass};
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
    check_uscc(code).is_ok() || check_resident_id(code, today()).is_ok()
}

const ORDER: [&str; 7] =
    ["records", "subject_code", "catalog_item", "purpose", "purpose_text", "legal_basis", "period_days"];

#[component]
fn NewRequestPage() -> impl IntoView {
    let navigate = use_navigate();
    let query = use_query_map();
    let prefill = |name: &str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let record = prefill("record");
    let mode = RwSignal::new(if record.is_empty() { Mode::BySubject } else { Mode::ByRecords });
    let records = RwSignal::new(record);
    let subject_code = RwSignal::new(prefill("subject_code").trim().to_uppercase());
    let catalog_item = RwSignal::new(prefill("catalog_item"));
    let purpose = RwSignal::new(String::new());
    let other = RwSignal::new(String::new());
    let legal_basis = RwSignal::new(String::new());
    let period = RwSignal::new("30".to_owned());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let catalog = LocalResource::new(|| async move {
        api::get_json::<Vec<CatalogItem>>("/api/v1/catalog/items", Some(&token())).await
    });
    // The platform's configured longest period; the API's default until it is read.
    let limits = LocalResource::new(|| async move {
        api::get_json::<RequestLimits>("/api/v1/authorization/limits", Some(&token())).await
    });
    let max_days =
        Signal::derive(move || limits.get().and_then(Result::ok).map_or(MAX_DAYS, |limits| limits.max_period_days));

    // The request as it would be sent now; `None` fields the live check reports itself.
    let draft = move || {
        let by_subject = mode.get() == Mode::BySubject;
        NewAuthorizationRequest {
            records: if by_subject { Vec::new() } else { records.with(|r| record_ids(r)) },
            subject_code: by_subject.then(|| subject_code.get().trim().to_uppercase()),
            catalog_item: by_subject.then(|| catalog_item.get()),
            purpose: Purpose::parse(&purpose.get()).unwrap_or(Purpose::AdministrativeApproval),
            purpose_text: Some(other.get().trim().to_owned()).filter(|t| !t.is_empty()),
            legal_basis: legal_basis.get().trim().to_owned(),
            period_days: period.get().trim().parse().unwrap_or(0),
        }
    };
    let form = FormState::new(move || {
        let request = draft();
        let mut errors = Vec::new();
        if Purpose::parse(&purpose.get()).is_none() {
            errors.push(FieldError::new("purpose", "required", "请选择用途"));
        }
        if let Err(e) = request.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors.extend(check_request(&request, max_days.get()));
        if let Some(code) = request.subject_code.as_deref().filter(|c| !c.is_empty()) {
            if !complete_code(code) {
                errors.push(FieldError::new(
                    "subject_code",
                    "invalid",
                    "请填写完整、正确的统一社会信用代码或公民身份号码",
                ));
            }
        }
        if period.with(|p| p.trim().parse::<u32>().is_err()) {
            errors.retain(|e| e.field != "period_days");
            errors.push(FieldError::new(
                "period_days",
                "invalid",
                format!("请输入 1 至 {} 的整数天数", max_days.get()),
            ));
        }
        errors
    });
    let order: Vec<String> = ORDER.map(String::from).to_vec();
    let order = StoredValue::new(order);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(None);
            return;
        }
        let request = draft();
        let navigate = navigate.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result =
                api::post_json::<_, FiledRequests>("/api/v1/authorization/requests", Some(&request), Some(&token()))
                    .await;
            pending.set(false);
            match result {
                Ok(filed) => navigate(
                    &format!("/workbench/authorization/outbox?filed={}", api::urlencode(&filed.group_id)),
                    Default::default(),
                ),
                Err(error) => {
                    let order = order.get_value();
                    failure.set(super::refusal(&error, &order));
                    form.refused(error.field_errors(), &order);
                }
            }
        });
    };

    let set_mode = move |chosen: Mode| {
        mode.set(chosen);
        form.server.set(Vec::new());
    };
    let code_for_preview = Signal::derive(move || subject_code.get().trim().to_uppercase());
    let item_for_preview = Signal::derive(move || catalog_item.get());
    let purpose_for_preview = Signal::derive(move || purpose.get());
    let empty = |signal: RwSignal<String>| Signal::derive(move || signal.with(|v| v.trim().is_empty()));
    let invalid = move |name: &'static str, signal: RwSignal<String>| {
        move || if form.shown(name, signal.with(|v| v.trim().is_empty())).is_some() { "true" } else { "false" }
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
                        <TextInput name="subject_code" label="主体代码" value=subject_code form required=true mono=true
                            hint="统一社会信用代码或公民身份号码(18 位)" />
                        <Labelled name="catalog_item" label="目录项" required=true empty=empty(catalog_item) form>
                            <select id="catalog_item" aria-required="true" aria-describedby=described_by("catalog_item")
                                aria-invalid=invalid("catalog_item", catalog_item)
                                on:change=move |ev| { catalog_item.set(event_target_value(&ev)); form.edited("catalog_item"); }
                                on:blur=move |_| form.left("catalog_item")>
                                <option value="">"请选择目录项"</option>
                                <Suspense>
                                    {move || Suspend::new(async move {
                                        catalog.await.unwrap_or_default().into_iter().filter(|i| i.active).map(|i| {
                                            let code = i.code.clone();
                                            let authorized = if i.default_class == DisclosureClass::Authorized { "(授权使用)" } else { "" };
                                            view! {
                                                <option value=i.code.clone() selected=move || catalog_item.get() == code>
                                                    {format!("{}{authorized} · {}", i.name_zh, i.code)}
                                                </option>
                                            }
                                        }).collect_view()
                                    })}
                                </Suspense>
                            </select>
                        </Labelled>
                    </Show>
                    <Show when=move || mode.get() == Mode::ByRecords>
                        <Labelled name="records" label="记录编号" hint="每行一个,或以逗号、空格分隔;一次最多 200 条" required=true
                            empty=empty(records) form class="field--span">
                            <textarea id="records" name="records" rows="3" class="mono" aria-required="true"
                                aria-invalid=invalid("records", records)
                                aria-describedby=described_by("records")
                                prop:value=move || records.get()
                                on:input=move |ev| { records.set(event_target_value(&ev)); form.edited("records"); }
                                on:blur=move |_| form.left("records")></textarea>
                        </Labelled>
                    </Show>
                    <p class="field__error" data-testid="error-records-mode" role="alert">
                        {move || (mode.get() == Mode::BySubject).then(|| form.server.with(|e| crate::components::error_for(e, "records"))).flatten()}
                    </p>
                </fieldset>
                <fieldset class="group">
                    <legend>"用途与依据"</legend>
                    <Labelled name="purpose" label="用途" required=true empty=empty(purpose) form>
                        <select id="purpose" aria-required="true" aria-describedby=described_by("purpose")
                            aria-invalid=invalid("purpose", purpose)
                            on:change=move |ev| { purpose.set(event_target_value(&ev)); form.edited("purpose"); form.edited("catalog_item"); }
                            on:blur=move |_| form.left("purpose")>
                            <option value="">"请选择用途"</option>
                            {Purpose::ALL.into_iter().map(|p| view! {
                                <option value=p.as_str() selected=move || purpose.get() == p.as_str()>{purpose_text(p, None)}</option>
                            }).collect_view()}
                        </select>
                    </Labelled>
                    <Show when=move || purpose.get() == Purpose::Other.as_str()>
                        <TextInput name="purpose_text" label="用途说明" value=other form required=true hint="用途为“其他”时说明具体用途" />
                    </Show>
                    <Labelled name="legal_basis" label="法律依据" required=true empty=empty(legal_basis) form class="field--span"
                        hint="使用该信息所依据的法律、法规、规章或规范性文件及条款">
                        <textarea id="legal_basis" name="legal_basis" rows="2" aria-required="true"
                            aria-invalid=invalid("legal_basis", legal_basis)
                            aria-describedby=described_by("legal_basis")
                            prop:value=move || legal_basis.get()
                            on:input=move |ev| { legal_basis.set(event_target_value(&ev)); form.edited("legal_basis"); }
                            on:blur=move |_| form.left("legal_basis")></textarea>
                    </Labelled>
                    {move || {
                        let max = max_days.get();
                        view! {
                            <TextInput name="period_days" label="申请使用期限(天)" kind="number" value=period form required=true
                                min="1" max=max.to_string() hint=format!("默认 30 天,最长 {max} 天,自同意之日起计算") />
                        }
                    }}
                </fieldset>
                <Show when=move || mode.get() == Mode::BySubject>
                    <TargetPreviewPanel subject_code=code_for_preview catalog_item=item_for_preview purpose=purpose_for_preview />
                </Show>
                <p class="status status--error" role="alert" data-testid="form-error">{super::form_summary(form, failure)}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "正在提交…" } else { "提交申请" }}
                    </button>
                    <a class="button button--ghost-dark" href="/workbench/authorization/outbox">"取消"</a>
                </div>
            </form>
        </section>
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
