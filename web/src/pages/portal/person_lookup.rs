//! Looking up a natural person on the portal: only by the full name and the full resident identity
//! number together, both required and checked as the user types (`check_person_lookup`, the API's own check); the
//! number goes in a POST body, never in the address. The answer is the person, masked, or the same "not found" for
//! whatever did not match.

use super::search::SubjectResult;
use crate::api::{self, ApiError};
use crate::components::{time, FormState, TextInput};
use credit_types::records::{check_person_lookup, PersonLookup, PublicSubject};
use credit_types::ErrorCode;
use leptos::prelude::*;

/// The message for a failed lookup.
fn lookup_error(error: &ApiError) -> String {
    match error.code() {
        Some(ErrorCode::RateLimited | ErrorCode::TooManyRequests) => {
            "按身份号码查询的次数已达上限,请稍后再试。".to_owned()
        }
        _ => error.friendly(),
    }
}

#[component]
pub fn PersonLookupForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // `None` until a lookup answered; then the subjects it found (none or one).
    let found = RwSignal::new(None::<Vec<PublicSubject>>);
    let lookup = move || PersonLookup { name: name.get(), id_number: id_number.get() };
    let form = FormState::new(move || check_person_lookup(&lookup(), time::today()));
    let order = ["name".to_owned(), "id_number".to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let body = untrack(lookup).normalised();
        pending.set(true);
        failure.set(None);
        found.set(None);
        leptos::task::spawn_local(async move {
            let result = api::portal::lookup_person(&body).await;
            pending.set(false);
            match result {
                Ok(page) => found.set(Some(page.items)),
                Err(error) => {
                    let errors = error.field_errors();
                    if errors.is_empty() {
                        failure.set(Some(lookup_error(&error)));
                    } else {
                        form.refused(errors, &["name".to_owned(), "id_number".to_owned()]);
                    }
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="person-lookup-title" data-testid="person-lookup">
            <h2 id="person-lookup-title">"查询自然人"</h2>
            <p class="panel__hint">
                "为保护个人信息,自然人的公示信息只能凭完整姓名和完整的公民身份号码查询,两项都须填写且完全一致;"
                "按名称的一部分或代码查询只涵盖法人和非法人组织及个体工商户。"
            </p>
            <form class="form form--inline" on:submit=submit novalidate=true data-testid="person-lookup-form">
                <TextInput name="name" label="完整姓名" value=name form required=true />
                <TextInput name="id_number" label="公民身份号码" value=id_number form required=true mono=true />
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在查询…" } else { "查询自然人" }}
                </button>
            </form>
            <p class="status status--error" role="alert" data-testid="person-lookup-error">{move || failure.get()}</p>
            <p class="status" role="status" aria-live="polite" data-testid="person-lookup-status">
                {move || found.with(|f| match f.as_ref().map(Vec::len) {
                    Some(0) => "未找到与该姓名和公民身份号码一致的公示信息。".to_owned(),
                    Some(_) => "已找到该自然人的公示信息。".to_owned(),
                    None => String::new(),
                })}
            </p>
            <ul class="results" data-testid="person-lookup-results">
                {move || found.get().unwrap_or_default().into_iter().map(|subject| view! { <SubjectResult subject /> }).collect_view()}
            </ul>
        </section>
    }
}
