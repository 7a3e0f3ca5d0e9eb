//! A labelled form field whose error, from the API's field errors, stands right under it.

use credit_types::FieldError;
use leptos::prelude::*;

/// The messages of the errors for `field`, joined.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    let messages: Vec<&str> = errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect();
    (!messages.is_empty()).then(|| messages.join(";"))
}

#[component]
pub fn Field(
    /// The API's name of the field, also the input's id and name.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let error = move || errors.with(|e| error_for(e, name));
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label for=name>{label}</label>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                bind:value=value
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=described
            />
            <p class="field__error" id=error_id data-testid=format!("error-{name}") role="alert">
                {error}
            </p>
        </div>
    }
}
