//! Entering a record (data providers, R-6.1): the catalog item's fields as inputs, checked as the user types with
//! the validators the API runs, and the API's refusals shown beside the same fields. The inputs are shared with
//! the amendment form.

use crate::api;
use crate::components::{described_by, token, FormState, Labelled, RequireRole, TextInput};
use credit_types::catalog::{
    check_values, parse_date, CatalogItem, DisclosureClass, FieldDefinition, FieldType, SubjectKind,
};
use credit_types::identity::Role;
use credit_types::records::{check_subject, NewRecordRequest, Record, SubjectInput};
use credit_types::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeMap;
use validator::Validate;

/// Today in Jiujiang (China Standard Time, UTC+8, as the server counts days): decision dates may not lie after
/// it, birth dates in identity numbers neither.
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now().naive_utc() + chrono::Duration::hours(8)).date()
}

/// The part of a record both entry and amendment edit: the decision, its publication, the values.
#[derive(Clone, Copy)]
pub struct DraftSignals {
    pub decision_date: RwSignal<String>,
    /// `""` for the catalog's default class.
    pub class: RwSignal<String>,
    pub publish_days: RwSignal<String>,
    pub values: RwSignal<BTreeMap<String, String>>,
}

impl DraftSignals {
    pub fn new() -> DraftSignals {
        DraftSignals {
            decision_date: RwSignal::new(String::new()),
            class: RwSignal::new(String::new()),
            publish_days: RwSignal::new(String::new()),
            values: RwSignal::new(BTreeMap::new()),
        }
    }

    /// The values as sent: trimmed, empty ones left out (as the API treats them).
    pub fn values(&self) -> BTreeMap<String, String> {
        self.values.with_untracked(filled)
    }

    pub fn class(&self) -> Option<DisclosureClass> {
        DisclosureClass::parse(&self.class.get_untracked())
    }

    pub fn publish_days(&self) -> Option<u32> {
        self.publish_days.get_untracked().trim().parse().ok()
    }
}

fn filled(values: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    values.iter().map(|(k, v)| (k.clone(), v.trim().to_owned())).filter(|(_, v)| !v.is_empty()).collect()
}

/// The checks of the API's record rules on the shared part, with the API's field names and messages.
pub fn check_draft(item: &CatalogItem, draft: &DraftSignals) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let date = draft.decision_date.get();
    match parse_date(date.trim()) {
        None if date.trim().is_empty() => errors.push(FieldError::new("decision_date", "required", "请填写决定日期")),
        None => errors.push(FieldError::new("decision_date", "invalid", "决定日期格式应为 YYYY-MM-DD")),
        Some(day) if day > today() => errors.push(FieldError::new("decision_date", "future", "决定日期不能晚于今天")),
        Some(_) => {}
    }
    if let Some(class) = DisclosureClass::parse(&draft.class.get()) {
        if class.breadth() > item.default_class.breadth() {
            errors.push(FieldError::new(
                "disclosure_class",
                "wider_than_catalog",
                format!("公开范围不能宽于目录规定的“{}”(R-16.1)", item.default_class.label()),
            ));
        }
    }
    let days = draft.publish_days.get();
    if !days.trim().is_empty() {
        let range = || format!("公示期限应在 {} 至 {} 天之间", item.min_days, item.max_days);
        match days.trim().parse::<u32>() {
            Ok(n) if (item.min_days..=item.max_days).contains(&n) => {}
            Ok(_) => errors.push(FieldError::new("publish_days", "out_of_range", range())),
            Err(_) => errors.push(FieldError::new("publish_days", "invalid", format!("请输入整数天数;{}", range()))),
        }
    }
    errors.extend(draft.values.with(|values| check_values(&item.fields, &filled(values))));
    errors
}

/// The names of the shared part's fields, in the order they are laid out.
pub fn draft_order(item: &CatalogItem) -> Vec<String> {
    let mut order: Vec<String> = ["decision_date", "disclosure_class", "publish_days"].map(String::from).to_vec();
    order.extend(value_order(item));
    order
}

fn value_order(item: &CatalogItem) -> Vec<String> {
    item.fields.iter().map(|f| format!("values.{}", f.key)).collect()
}

/// The classes a record of `item` may have: its default and the narrower ones.
pub fn allowed_classes(item: &CatalogItem) -> Vec<DisclosureClass> {
    DisclosureClass::ALL.into_iter().filter(|c| c.breadth() <= item.default_class.breadth()).collect()
}

/// The inputs of the shared part: decision date, class and period.
#[component]
pub fn DecisionInputs(
    item: CatalogItem,
    draft: DraftSignals,
    form: FormState,
    #[prop(optional)] amend: bool,
) -> impl IntoView {
    let default_class = item.default_class;
    let classes = allowed_classes(&item);
    let class = draft.class;
    let class_hint = format!("目录规定为“{}”,只能选择同样或更窄的范围", default_class.label());
    let days_hint = format!("{} 至 {} 天;不填则按最长 {} 天", item.min_days, item.max_days, item.max_days);
    view! {
        <TextInput name="decision_date" label="决定日期" kind="date" value=draft.decision_date form required=true max=today().to_string() />
        <Labelled name="disclosure_class" label="公开范围" hint=class_hint empty=Signal::derive(|| false) form>
            <select
                id="disclosure_class"
                aria-describedby=described_by("disclosure_class")
                on:change=move |ev| { class.set(event_target_value(&ev)); form.edited("disclosure_class"); }
            >
                {(!amend).then(|| view! {
                    <option value="" selected=move || class.get().is_empty()>{format!("按目录默认({})", default_class.label())}</option>
                })}
                {classes.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=move || class.get() == c.as_str()>{c.label()}</option>
                }).collect_view()}
            </select>
        </Labelled>
        <TextInput name="publish_days" label="公示天数" kind="number" value=draft.publish_days form hint=days_hint
            min=item.min_days.to_string() max=item.max_days.to_string() placeholder=item.max_days.to_string() />
    }
}

/// One input per catalog field, by its type: text, date, money, code, or a choice for enums.
#[component]
pub fn ValueInputs(
    fields: Vec<FieldDefinition>,
    values: RwSignal<BTreeMap<String, String>>,
    form: FormState,
) -> impl IntoView {
    fields.into_iter().map(|field| view! { <ValueInput field values form /> }).collect_view()
}

#[component]
fn ValueInput(field: FieldDefinition, values: RwSignal<BTreeMap<String, String>>, form: FormState) -> impl IntoView {
    let name = format!("values.{}", field.key);
    let key = field.key.clone();
    let current = {
        let key = key.clone();
        move || values.with(|m| m.get(&key).cloned().unwrap_or_default())
    };
    let empty = {
        let current = current.clone();
        Signal::derive(move || current().trim().is_empty())
    };
    let set = {
        let key = key.clone();
        let name = name.clone();
        move |value: String| {
            values.update(|m| {
                m.insert(key.clone(), value);
            });
            form.edited(&name);
        }
    };
    let left = {
        let name = name.clone();
        move |_| form.left(&name)
    };
    let invalid = {
        let name = name.clone();
        move || if form.shown(&name, empty.get()).is_some() { "true" } else { "false" }
    };
    let hint = match field.field_type {
        FieldType::Money => format!("{}(单位:元,最多两位小数)", field.purpose),
        FieldType::Date => format!("{}(YYYY-MM-DD)", field.purpose),
        _ => field.purpose.clone(),
    };
    let required = if field.required { "true" } else { "false" };
    let control = match field.field_type {
        FieldType::Enum => {
            let options = field.options.clone();
            let set = set.clone();
            view! {
                <select id=name.clone() name=name.clone() aria-required=required aria-invalid=invalid aria-describedby=described_by(&name)
                    on:change=move |ev| set(event_target_value(&ev)) on:blur=left.clone()>
                    <option value="">"请选择"</option>
                    {options.into_iter().map(|o| {
                        let current = current.clone();
                        let chosen = o.clone();
                        let value = o.clone();
                        view! { <option value=value selected=move || current() == chosen>{o}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldType::Text => view! {
            <textarea id=name.clone() name=name.clone() rows="2" aria-required=required aria-invalid=invalid aria-describedby=described_by(&name)
                prop:value=current.clone() on:input=move |ev| set(event_target_value(&ev)) on:blur=left.clone()></textarea>
        }
        .into_any(),
        other => {
            let (kind, mode) = match other {
                FieldType::Date => ("date", "text"),
                FieldType::Money => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input id=name.clone() name=name.clone() type=kind inputmode=mode class:mono=other == FieldType::Code autocomplete="off"
                    aria-required=required aria-invalid=invalid aria-describedby=described_by(&name)
                    prop:value=current.clone() on:input=move |ev| set(event_target_value(&ev)) on:blur=left.clone() />
            }
            .into_any()
        }
    };
    view! {
        <Labelled name=name.clone() label=field.label.clone() hint required=field.required empty form>
            {control}
        </Labelled>
    }
}

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
    let catalog = LocalResource::new(|| async move {
        api::get_json::<Vec<CatalogItem>>("/api/v1/catalog/items", Some(&token())).await
    });
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

#[component]
fn RecordForm(item: CatalogItem) -> impl IntoView {
    let navigate = use_navigate();
    let kind = RwSignal::new(item.subject_kinds.first().map(|k| k.as_str().to_owned()).unwrap_or_default());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let provider_ref = RwSignal::new(String::new());
    let draft = DraftSignals::new();
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);

    let checked = item.clone();
    let form = FormState::new(move || {
        let mut errors = Vec::new();
        match SubjectKind::parse(&kind.get()) {
            None => errors.push(FieldError::new("subject.kind", "required", "请选择主体类型")),
            Some(kind) => {
                if !checked.subject_kinds.contains(&kind) {
                    errors.push(FieldError::new(
                        "subject.kind",
                        "kind_not_allowed",
                        format!("目录项“{}”不适用于{}", checked.name_zh, kind.label()),
                    ));
                }
                let subject =
                    SubjectInput { kind, code: code.get().trim().to_uppercase(), name: name.get().trim().to_owned() };
                errors.extend(check_subject(&subject, today(), "subject."));
            }
        }
        errors.extend(check_draft(&checked, &draft));
        let reference = provider_ref.get();
        let request = NewRecordRequest {
            catalog_item: checked.code.clone(),
            subject: SubjectInput { kind: SubjectKind::LegalPerson, code: String::new(), name: String::new() },
            decision_date: today(),
            disclosure_class: None,
            publish_days: None,
            provider_ref: Some(reference.trim().to_owned()).filter(|r| !r.is_empty()),
            values: BTreeMap::new(),
        };
        if let Err(e) = request.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors
    });

    let mut order: Vec<String> =
        ["catalog_item", "subject.kind", "subject.code", "subject.name", "provider_ref"].map(String::from).to_vec();
    order.extend(draft_order(&item));
    let order = StoredValue::new(order);
    let code_label = Memo::new(move |_| {
        SubjectKind::parse(&kind.get()).map(|k| k.code_label()).unwrap_or("统一社会信用代码或公民身份号码")
    });
    let item_code = item.code.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let (Some(subject_kind), Some(decision_date)) =
            (SubjectKind::parse(&kind.get_untracked()), parse_date(draft.decision_date.get_untracked().trim()))
        else {
            return;
        };
        let request = NewRecordRequest {
            catalog_item: item_code.clone(),
            subject: SubjectInput {
                kind: subject_kind,
                code: code.get_untracked().trim().to_uppercase(),
                name: name.get_untracked().trim().to_owned(),
            },
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
            let result = api::post_json::<_, Record>("/api/v1/records", Some(&request), Some(&token())).await;
            // Before anything the answer triggers: a success leaves this page and disposes its signals.
            pending.set(false);
            match result {
                Ok(record) => navigate(&format!("/workbench/records/{}?saved=created", record.id), Default::default()),
                Err(error) => {
                    let errors = error.field_errors();
                    let order = order.get_value();
                    let elsewhere = crate::components::form::unplaced(&errors, &order);
                    failure.set(Some(if errors.is_empty() {
                        error.friendly()
                    } else if elsewhere.is_empty() {
                        summary(errors.len()).unwrap_or_default()
                    } else {
                        elsewhere.join(";")
                    }));
                    form.refused(errors, &order);
                }
            }
        });
    };

    let kinds = item.subject_kinds.clone();
    let fields = item.fields.clone();
    view! {
        <form class="form form--record" on:submit=submit novalidate=true data-testid="record-form">
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
                    <TextInput name="subject.code" label=code_label.get() value=code form required=true mono=true
                        hint="18 位;输入时即核对校验位" />
                }}
                <TextInput name="subject.name" label="主体名称" value=name form required=true />
            </fieldset>
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

/// The line above a form that the check or the API refused.
pub fn summary(count: usize) -> Option<String> {
    (count > 0).then(|| format!("有 {count} 处需要更正,请查看标出的字段。"))
}
