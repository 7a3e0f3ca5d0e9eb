//! Entering a record (data providers, R-6.1): the catalog item chosen, the subject, and the shared inputs of the
//! decision and the values (`draft.rs`), checked as the user types with the validators the API runs.

use super::draft::{check_draft, draft_order, DecisionInputs, DraftSignals, ValueInputs};
use crate::api;
use crate::components::form::{refusal_line, summary};
use crate::components::{described_by, time, token, FormState, Labelled, RequireRole, TextInput};
use credit_types::catalog::{parse_date, CatalogItem, SubjectKind};
use credit_types::identity::Role;
use credit_types::records::{check_subject, NewRecordRequest, SubjectInput};
use credit_types::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeMap;
use validator::Validate;

/// `/workbench/records/new`: one record, for the user's own organisation.
#[component]
pub fn NewRecord() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DataProvider]>
            <NewRecordPage />
        </RequireRole>
    }
}

#[component]
fn NewRecordPage() -> impl IntoView {
    let query = use_query_map();
    let chosen = RwSignal::new(query.with_untracked(|q| q.get("item").unwrap_or_default()));
    let catalog = LocalResource::new(|| async move { api::catalog::items(&token()).await });
    view! {
        <section class="panel" data-testid="new-record">
            <h1>"新增信用记录"</h1>
            <p class="panel__hint">"记录以本单位名义提交,管辖区域为本单位所在行政区划。带 * 的为必填项;输入时即按平台规则检查。"</p>
            <Suspense fallback=|| view! { <p class="status" role="status">"正在加载资源目录…"</p> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(items) => {
                            let items: Vec<CatalogItem> = items.into_iter().filter(|i| i.active).collect();
                            let list = items.clone();
                            view! {
                                <div class="field">
                                    <label for="catalog_item">"目录项" <span class="field__required" aria-hidden="true">" *"</span></label>
                                    <select id="catalog_item" on:change=move |ev| chosen.set(event_target_value(&ev))>
                                        <option value="">"请选择目录项"</option>
                                        {list.into_iter().map(|i| {
                                            let code = i.code.clone();
                                            view! { <option value=i.code.clone() selected=move || chosen.get() == code>{format!("{}({})", i.name_zh, i.code)}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                {move || {
                                    let code = chosen.get();
                                    items.iter().find(|i| i.code == code).cloned().map(|item| view! { <RecordForm item /> })
                                }}
                            }.into_any()
                        }
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The subject of a new record, as typed.
#[derive(Clone, Copy)]
struct SubjectSignals {
    kind: RwSignal<String>,
    code: RwSignal<String>,
    name: RwSignal<String>,
}

impl SubjectSignals {
    fn new(item: &CatalogItem) -> SubjectSignals {
        SubjectSignals {
            kind: RwSignal::new(item.subject_kinds.first().map(|k| k.as_str().to_owned()).unwrap_or_default()),
            code: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
        }
    }

    /// The subject as sent (read without tracking, in an event handler); none without a kind.
    fn input(self) -> Option<SubjectInput> {
        Some(SubjectInput {
            kind: SubjectKind::parse(&self.kind.get_untracked())?,
            code: self.code.get_untracked().trim().to_uppercase(),
            name: self.name.get_untracked().trim().to_owned(),
        })
    }

    /// The API's subject rules: a kind the item applies to, a code with a right check character, a name.
    fn check(self, item: &CatalogItem) -> Vec<FieldError> {
        let Some(kind) = SubjectKind::parse(&self.kind.get()) else {
            return vec![FieldError::new("subject.kind", "required", "请选择主体类型")];
        };
        let mut errors = Vec::new();
        if !item.subject_kinds.contains(&kind) {
            errors.push(FieldError::new(
                "subject.kind",
                "kind_not_allowed",
                format!("目录项“{}”不适用于{}", item.name_zh, kind.label()),
            ));
        }
        let subject =
            SubjectInput { kind, code: self.code.get().trim().to_uppercase(), name: self.name.get().trim().to_owned() };
        errors.extend(check_subject(&subject, time::today(), "subject."));
        errors
    }
}

/// The provider's own reference's rule, as the API checks it.
fn check_reference(item: &CatalogItem, reference: &str) -> Vec<FieldError> {
    let request = NewRecordRequest {
        catalog_item: item.code.clone(),
        subject: SubjectInput { kind: SubjectKind::LegalPerson, code: String::new(), name: String::new() },
        decision_date: time::today(),
        disclosure_class: None,
        publish_days: None,
        provider_ref: Some(reference.trim().to_owned()).filter(|r| !r.is_empty()),
        values: BTreeMap::new(),
    };
    request.validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e))
}

/// The fields of a new record, as laid out.
fn record_order(item: &CatalogItem) -> Vec<String> {
    let mut order: Vec<String> =
        ["catalog_item", "subject.kind", "subject.code", "subject.name", "provider_ref"].map(String::from).to_vec();
    order.extend(draft_order(item));
    order
}

#[component]
fn RecordForm(item: CatalogItem) -> impl IntoView {
    let navigate = use_navigate();
    let subject = SubjectSignals::new(&item);
    let provider_ref = RwSignal::new(String::new());
    let draft = DraftSignals::new();
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let checked = item.clone();
    let form = FormState::new(move || {
        let mut errors = subject.check(&checked);
        errors.extend(check_draft(&checked, &draft));
        errors.extend(check_reference(&checked, &provider_ref.get()));
        errors
    });
    let order = StoredValue::new(record_order(&item));
    let item_code = item.code.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let (Some(subject), Some(decision_date)) =
            (subject.input(), parse_date(draft.decision_date.get_untracked().trim()))
        else {
            return;
        };
        let request = NewRecordRequest {
            catalog_item: item_code.clone(),
            subject,
            decision_date,
            disclosure_class: draft.class(),
            publish_days: draft.publish_days(),
            provider_ref: Some(provider_ref.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            values: draft.values(),
        };
        let navigate = navigate.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::records::create(&token(), &request).await;
            // Before anything the answer triggers: a success leaves this page and disposes its signals.
            pending.set(false);
            match result {
                Ok(record) => navigate(&format!("/workbench/records/{}?saved=created", record.id), Default::default()),
                Err(error) => {
                    let (errors, order) = (error.field_errors(), order.get_value());
                    failure.set(refusal_line(&error, &errors, &order));
                    form.refused(errors, &order);
                }
            }
        });
    };

    let fields = item.fields.clone();
    view! {
        <form class="form form--record" on:submit=submit novalidate=true data-testid="record-form">
            <SubjectInputs kinds=item.subject_kinds.clone() subject form />
            <fieldset class="group">
                <legend>"决定与公示"</legend>
                <DecisionInputs item=item.clone() draft form />
                <TextInput name="provider_ref" label="本单位编号" value=provider_ref form
                    hint="本单位对该记录的编号(可选);同一编号重复提交相同内容不会产生重复记录" />
            </fieldset>
            <fieldset class="group">
                <legend>"信息内容"</legend>
                <ValueInputs fields values=draft.values form />
            </fieldset>
            <p class="status status--error" role="alert" data-testid="form-error">{move || failure.get()}</p>
            <div class="form__actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在提交…" } else { "提交记录" }}
                </button>
                <a class="button button--ghost-dark" href="/workbench/records">"取消"</a>
            </div>
        </form>
    }
}

/// The subject's kind (of those the item applies to), code and name.
#[component]
fn SubjectInputs(kinds: Vec<SubjectKind>, subject: SubjectSignals, form: FormState) -> impl IntoView {
    let kind = subject.kind;
    let code_label = Memo::new(move |_| {
        SubjectKind::parse(&kind.get()).map(|k| k.code_label()).unwrap_or("统一社会信用代码或公民身份号码")
    });
    view! {
        <fieldset class="group">
            <legend>"信用主体"</legend>
            <Labelled name="subject.kind" label="主体类型" required=true empty=Signal::derive(move || kind.with(String::is_empty)) form>
                <select id="subject.kind" aria-describedby=described_by("subject.kind")
                    on:change=move |ev| { kind.set(event_target_value(&ev)); form.edited("subject.kind"); }>
                    {kinds.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </Labelled>
            {move || view! {
                <TextInput name="subject.code" label=code_label.get() value=subject.code form required=true mono=true
                    hint="18 位;输入时即核对校验位" />
            }}
            <TextInput name="subject.name" label="主体名称" value=subject.name form required=true />
        </fieldset>
    }
}
