//! The one dialog for the steps that need a reason (rejecting, withdrawing or revoking authorised use; suspending,
//! resuming or ending an agreement; not accepting or closing an objection): the reason is checked as typed with the
//! API's own rule, a refusal stands under it, and a step someone else took first is explained instead of failing
//! silently. What differs between the steps is their words and their call, given as a [`ReasonAsk`].

use super::dialog::{finish, DialogActions};
use super::{token, FormState, Notice, TextArea};
use crate::api::ApiError;
use credit_types::{ErrorCode, FieldError};
use leptos::html::Dialog;
use leptos::prelude::*;
use std::future::Future;

/// The call behind a reason dialog.
pub trait ReasonedCall: Clone + Send + Sync + 'static {
    /// The API's rule on the reason, its errors named `reason`.
    fn check(&self, reason: &str) -> Vec<FieldError>;
    /// Makes the call with the reason.
    fn send(&self, token: String, reason: String) -> impl Future<Output = Result<(), ApiError>> + 'static;
    /// Whether the API's refusal with `code` means that someone else changed the thing first.
    fn conflict(&self, code: ErrorCode) -> bool;
}

/// What a reason dialog says and does once confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonAsk<C> {
    pub call: C,
    pub title: String,
    /// What the step does, in one or two sentences.
    pub intro: String,
    /// The reason's label and hint.
    pub label: String,
    pub hint: String,
    /// The confirm button's label.
    pub confirm: String,
    /// The notice after it succeeded.
    pub done: String,
    /// The notice when someone else changed the thing first.
    pub conflict: String,
}

/// The reason dialog (set `ask`, then open the dialog); `on_done` gets the notice to show after success or after
/// a conflict, both of which leave the page to reload what it shows.
#[component]
pub fn ReasonDialog<C: ReasonedCall>(
    dialog: NodeRef<Dialog>,
    /// The reason input's id, also the name its errors are shown under.
    name: &'static str,
    /// The dialog's test id; `{name}-dialog` when not given.
    #[prop(optional)]
    testid: Option<&'static str>,
    #[prop(default = 3)] rows: u32,
    ask: RwSignal<Option<ReasonAsk<C>>>,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let renamed = move |errors: Vec<FieldError>| -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|e| if e.field == "reason" { FieldError { field: name.into(), ..e } } else { e })
            .collect()
    };
    let form = FormState::new(move || {
        let text = reason.get().trim().to_owned();
        ask.with(|a| a.as_ref().map(|a| renamed(a.call.check(&text))).unwrap_or_default())
    });
    // A fresh dialog for every step.
    Effect::new(move |_| {
        if ask.with(Option::is_some) {
            reason.set(String::new());
            failure.set(None);
            form.submitted.set(false);
            form.server.set(Vec::new());
        }
    });
    let order = [name.to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = ask.get_untracked() else { return };
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let on_done = on_done.clone();
        let order = order.clone();
        pending.set(true);
        failure.set(None);
        let sent = current.call.send(token(), reason.get_untracked().trim().to_owned());
        leptos::task::spawn_local(async move {
            let result = sent.await;
            pending.set(false);
            match result {
                Ok(()) => {
                    finish(dialog, Notice::ok(current.done), &on_done);
                }
                Err(error) if error.code().is_some_and(|code| current.call.conflict(code)) => {
                    finish(dialog, Notice::warning(current.conflict), &on_done);
                }
                Err(error) if !error.field_errors().is_empty() => form.refused(renamed(error.field_errors()), &order),
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    let text = move |pick: fn(&ReasonAsk<C>) -> &String| move || ask.with(|a| a.as_ref().map(pick).cloned());
    let confirm = Signal::derive(move || ask.with(|a| a.as_ref().map(|a| a.confirm.clone()).unwrap_or_default()));
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=format!("{name}-title")
            data-testid=testid.map_or_else(|| format!("{name}-dialog"), str::to_owned)>
            <form class="form" on:submit=submit novalidate=true>
                <h2 id=format!("{name}-title")>{text(|a| &a.title)}</h2>
                <p>{text(|a| &a.intro)}</p>
                {move || ask.with(|a| a.as_ref().map(|a| (a.label.clone(), a.hint.clone()))).map(|(label, hint)| view! {
                    <TextArea name=name label hint value=reason form required=true rows />
                })}
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <DialogActions dialog confirm pending=pending.into() danger=true />
            </form>
        </dialog>
    }
}
