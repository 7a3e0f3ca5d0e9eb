//! Choices of one code by its label: a filter (or all of them), and a required field of a form.

use super::form::{described_by, FormState, Labelled};
use credit_types::Labelled as Coded;
use leptos::prelude::*;

/// Every code of `all` with its label, for a select (one, not generic, select serves every kind of code).
pub fn choices<T: Coded>(all: &[T]) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|c| (c.code(), c.label())).collect()
}

/// A labelled select of the codes of `all` (by their labels) and "全部" (the empty value), bound to `value`;
/// `on_change` hears each choice (e.g. to read the list again).
#[component]
pub fn CodeSelect(
    id: &'static str,
    label: &'static str,
    /// Codes and labels, from [`choices`].
    all: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    #[prop(optional, into)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    let choose = move |ev| {
        value.set(event_target_value(&ev));
        if let Some(on_change) = on_change {
            on_change.run(());
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=choose>
                <option value="" selected=move || value.with(String::is_empty)>"全部"</option>
                {all.into_iter().map(|(code, text)| view! {
                    <option value=code selected=move || value.with(|v| v == code)>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// A required select bound to `value`, as the field `name` of `form`: `placeholder` until chosen, then the options
/// `children` give (e.g. read from the API). A change also clears the API's verdict on the field `also`, when its
/// check depends on this one.
#[component]
pub fn RequiredSelect(
    name: &'static str,
    label: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
    form: FormState,
    #[prop(optional)] also: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let empty = Signal::derive(move || value.with(|v| v.trim().is_empty()));
    let choose = move |ev| {
        value.set(event_target_value(&ev));
        form.edited(name);
        if let Some(other) = also {
            form.edited(other);
        }
    };
    view! {
        <Labelled name=name label=label required=true empty form>
            <select id=name name=name aria-required="true" aria-describedby=described_by(name)
                aria-invalid=move || if form.shown(name, empty.get()).is_some() { "true" } else { "false" }
                on:change=choose on:blur=move |_| form.left(name)>
                <option value="">{placeholder}</option>
                {children()}
            </select>
        </Labelled>
    }
}

/// A required choice of one code of `all` by its label ("请选择" until chosen), as the field `name` of `form`.
#[component]
pub fn ChoiceSelect(
    name: &'static str,
    label: &'static str,
    /// Codes and labels, from [`choices`].
    all: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    form: FormState,
) -> impl IntoView {
    view! {
        <RequiredSelect name label placeholder="请选择" value form>
            {all.into_iter().map(|(code, text)| view! {
                <option value=code selected=move || value.with(|v| v == code)>{text}</option>
            }).collect_view()}
        </RequiredSelect>
    }
}
