//! Forms that check as the user types, with the same validators the API runs (`credit_types`), and that show the
//! API's own field errors beside the same fields when it still refuses.
//!
//! A field's error shows as soon as its value is wrong; an empty required field is reported only once the user has
//! left it or tried to submit, so that a fresh form is not a wall of red.

use crate::api::ApiError;
use credit_types::FieldError;
use leptos::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;

/// The error state of one form: what the user has visited, whether they tried to submit, the API's errors, and
/// the live check.
#[derive(Clone, Copy)]
pub struct FormState {
    touched: RwSignal<BTreeSet<String>>,
    pub submitted: RwSignal<bool>,
    /// Errors from the API's last answer, until the field is edited.
    pub server: RwSignal<Vec<FieldError>>,
    /// The live check of the current values.
    pub local: Memo<Vec<FieldError>>,
}

impl FormState {
    pub fn new(check: impl Fn() -> Vec<FieldError> + Send + Sync + 'static) -> FormState {
        FormState {
            touched: RwSignal::new(BTreeSet::new()),
            submitted: RwSignal::new(false),
            server: RwSignal::new(Vec::new()),
            local: Memo::new(move |_| check()),
        }
    }

    /// The message to show under field `name`, whose value is `empty` or not.
    pub fn shown(&self, name: &str, empty: bool) -> Option<String> {
        let visited = self.touched.with(|t| t.contains(name));
        self.shown_when(name, !empty || visited)
    }

    /// The message to show under field `name`: the API's, else the live check's when `visible` (or after a submit
    /// attempt), and always when it names prohibited personal data.
    pub fn shown_when(&self, name: &str, visible: bool) -> Option<String> {
        let server = self.server.with(|list| super::error_for(list, name));
        if server.is_some() {
            return server;
        }
        let errors = self.local.get();
        let urgent = errors.iter().any(|e| e.field == name && e.code == "prohibited_personal_data");
        if visible || urgent || self.submitted.get() {
            super::error_for(&errors, name)
        } else {
            None
        }
    }

    /// The user changed `name`: the API's verdict on the old value no longer applies.
    pub fn edited(&self, name: &str) {
        if self.server.with_untracked(|list| list.iter().any(|e| e.field == name)) {
            self.server.update(|list| list.retain(|e| e.field != name));
        }
    }

    /// The user left `name`.
    pub fn left(&self, name: &str) {
        if !self.touched.with_untracked(|t| t.contains(name)) {
            self.touched.update(|t| {
                t.insert(name.to_owned());
            });
        }
    }

    /// Marks the form submitted; when the live check finds errors, moves the focus to the first of them (in the
    /// order of `order`, the fields as laid out) and returns false.
    pub fn ready(&self, order: &[String]) -> bool {
        self.submitted.set(true);
        self.server.set(Vec::new());
        let errors = self.local.get_untracked();
        if errors.is_empty() {
            return true;
        }
        focus_first(order, &errors);
        false
    }

    /// Takes the API's field errors, and moves the focus to the first field they name.
    pub fn refused(&self, errors: Vec<FieldError>, order: &[String]) {
        focus_first(order, &errors);
        self.server.set(errors);
    }
}

/// Focuses the input of the first field (in `order`) that has an error.
pub fn focus_first(order: &[String], errors: &[FieldError]) {
    let Some(name) = order.iter().find(|name| errors.iter().any(|e| &e.field == *name)) else { return };
    focus(name);
}

/// Focuses the element with id `id`, if there is one.
pub fn focus(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Errors that name none of the fields laid out in `order`: for the summary above the form.
pub fn unplaced(errors: &[FieldError], order: &[String]) -> Vec<String> {
    errors.iter().filter(|e| !order.contains(&e.field)).map(|e| e.message.clone()).collect()
}

/// The line above a form that the check or the API refused.
pub fn summary(count: usize) -> Option<String> {
    (count > 0).then(|| format!("有 {count} 处需要更正,请查看标出的字段。"))
}

/// The line above a form the API refused with `errors` (the field errors as this form names them): the API's
/// message when it named no field, the errors of fields not on the form, or how many fields need correcting.
pub fn refusal_line(error: &ApiError, errors: &[FieldError], order: &[String]) -> Option<String> {
    let elsewhere = unplaced(errors, order);
    if errors.is_empty() {
        Some(error.friendly())
    } else if elsewhere.is_empty() {
        summary(errors.len())
    } else {
        Some(elsewhere.join(";"))
    }
}

/// A labelled control (the children, whose id must be `name` and which should point `aria-describedby` at
/// `described_by(name)`), its hint, and its error right under it.
#[component]
pub fn Labelled(
    /// The field's name in the API's errors, also the control's id.
    #[prop(into)]
    name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// Whether the value is empty (errors of empty fields wait until the field is left).
    #[prop(into)]
    empty: Signal<bool>,
    form: FormState,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView {
    let error = {
        let name = name.clone();
        move || form.shown(&name, empty.get())
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some()
    };
    let testid = format!("error-{name}");
    view! {
        <div class=format!("field {}", class.unwrap_or_default()) class:field--invalid=invalid>
            <label for=name.clone()>
                {label}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">" *"</span><span class="visually-hidden">"(必填)"</span> })}
            </label>
            {children()}
            {hint.filter(|h| !h.is_empty()).map(|hint| view! { <p class="field__hint" id=format!("{name}-hint")>{hint}</p> })}
            <p class="field__error" id=format!("{name}-error") data-testid=testid role="alert">{error}</p>
        </div>
    }
}

/// The ids a control's `aria-describedby` names: its hint and its error.
pub fn described_by(name: &str) -> String {
    format!("{name}-hint {name}-error")
}

/// What a text control bound to `value` does with `form`: edits clear the API's verdict on the field, leaving it
/// lets an empty required value be reported, and whether its error shows now.
struct Bound {
    on_input: Box<dyn Fn(leptos::ev::Event) + Send + Sync>,
    on_blur: Box<dyn Fn(leptos::ev::FocusEvent) + Send + Sync>,
    empty: Signal<bool>,
    invalid: Signal<&'static str>,
}

impl Bound {
    fn new(name: &str, value: RwSignal<String>, form: FormState) -> Bound {
        let edited = name.to_owned();
        let left = name.to_owned();
        let shown = name.to_owned();
        let empty = Signal::derive(move || value.with(|v| v.trim().is_empty()));
        Bound {
            on_input: Box::new(move |ev| {
                value.set(event_target_value(&ev));
                form.edited(&edited);
            }),
            on_blur: Box::new(move |_| form.left(&left)),
            empty,
            invalid: Signal::derive(move || if form.shown(&shown, empty.get()).is_some() { "true" } else { "false" }),
        }
    }
}

/// A text input bound to `value`, reporting edits and departures to `form`.
#[component]
pub fn TextInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    form: FormState,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional)] mono: bool,
    #[prop(optional, into)] min: Option<String>,
    #[prop(optional, into)] max: Option<String>,
) -> impl IntoView {
    let Bound { on_input, on_blur, empty, invalid } = Bound::new(&name, value, form);
    view! {
        <Labelled name=name.clone() label hint=hint.unwrap_or_default() required empty form>
            <input
                id=name.clone()
                name=name.clone()
                type=kind
                class:mono=mono
                placeholder=placeholder.clone()
                min=min.clone()
                max=max.clone()
                autocomplete="off"
                prop:value=move || value.get()
                on:input=on_input
                on:blur=on_blur
                aria-required=if required { "true" } else { "false" }
                aria-invalid=invalid
                aria-describedby=described_by(&name)
            />
        </Labelled>
    }
}

/// A text area bound to `value`, reporting edits and departures to `form`; `children` follow it (e.g. a counter).
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    form: FormState,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] mono: bool,
    /// Classes of the field around it (e.g. `field--span`).
    #[prop(optional, into)]
    class: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let Bound { on_input, on_blur, empty, invalid } = Bound::new(&name, value, form);
    view! {
        <Labelled name=name.clone() label hint=hint.unwrap_or_default() required empty form class=class.unwrap_or_default()>
            <textarea
                id=name.clone()
                name=name.clone()
                rows=rows
                class:mono=mono
                prop:value=move || value.get()
                on:input=on_input
                on:blur=on_blur
                aria-required=if required { "true" } else { "false" }
                aria-invalid=invalid
                aria-describedby=described_by(&name)
            ></textarea>
            {children.map(|c| c())}
        </Labelled>
    }
}
