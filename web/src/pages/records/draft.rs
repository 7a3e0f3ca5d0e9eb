//! The part of a record both entry and amendment edit — the decision, its publication and the catalog item's
//! values — as inputs checked as the user types with the validators the API runs; the API's refusals land beside
//! the same inputs.

use crate::components::{described_by, time, FormState, Labelled, TextInput};
use credit_types::catalog::{check_values, parse_date, CatalogItem, DisclosureClass, FieldDefinition, FieldType};
use credit_types::FieldError;
use leptos::prelude::*;
use std::collections::BTreeMap;

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
        Some(day) if day > time::today() => {
            errors.push(FieldError::new("decision_date", "future", "决定日期不能晚于今天"))
        }
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
        <TextInput name="decision_date" label="决定日期" kind="date" value=draft.decision_date form required=true max=time::today().to_string() />
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
