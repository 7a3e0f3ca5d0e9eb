//! The dialogs that need a reason (reject, withdraw, revoke, suspend, resume, end) and the notice a page shows after
//! one: the reason is checked as typed with the API's own rule, a refusal stands under it, and an action someone
//! else took first (409) is explained instead of failing silently.

use crate::api;
use crate::components::{described_by, refresh_counts, token, FormState, Labelled};
use credit_types::authorization::ReasonBody;
use credit_types::FieldError;
use leptos::html::Dialog;
use leptos::prelude::*;
use validator::Validate;

/// A line for the page after an action: what happened, or why it did not.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub ok: bool,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), ok: true }
    }

    pub fn warning(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), ok: false }
    }
}

/// The page's notice, announced politely.
#[component]
pub fn NoticeLine(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let class = move || match notice.get() {
        Some(Notice { ok: false, .. }) => "status status--warning",
        _ => "status status--ok",
    };
    view! {
        <p class=class role="status" aria-live="polite" data-testid="notice">
            {move || notice.get().map(|n| n.text)}
        </p>
    }
}

/// What a reason dialog does once confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonAction {
    /// The API call (POST, body `{reason}`).
    pub url: String,
    pub title: String,
    /// What the action does, in one or two sentences.
    pub intro: String,
    /// The confirm button's label.
    pub confirm: String,
    /// The notice after it succeeded.
    pub done: String,
    /// The notice when someone else changed the thing first (409).
    pub conflict: String,
}

/// Opens a modal dialog.
pub fn open(dialog: NodeRef<Dialog>) {
    if let Some(dialog) = dialog.get_untracked() {
        let _ = dialog.show_modal();
    }
}

/// Closes a modal dialog.
pub fn close(dialog: NodeRef<Dialog>) {
    if let Some(dialog) = dialog.get_untracked() {
        dialog.close();
    }
}

/// A dialog asking for the reason of `action` (set it, then `open` the dialog); `on_done` gets the notice to show
/// after success or after a conflict, both of which leave the page to reload what it shows.
#[component]
pub fn ReasonDialog(
    dialog: NodeRef<Dialog>,
    /// The reason input's id, also the name its errors are shown under.
    name: &'static str,
    label: &'static str,
    action: RwSignal<Option<ReasonAction>>,
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
        ReasonBody { reason: reason.get().trim().to_owned() }
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| renamed(credit_types::problem::field_errors(&e)))
    });
    // A fresh dialog for every action.
    Effect::new(move |_| {
        if action.with(Option::is_some) {
            reason.set(String::new());
            failure.set(None);
            form.submitted.set(false);
            form.server.set(Vec::new());
        }
    });
    let order = [name.to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = action.get_untracked() else { return };
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let body = ReasonBody { reason: reason.get_untracked().trim().to_owned() };
        let on_done = on_done.clone();
        let order = order.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::post_json::<_, serde_json::Value>(&current.url, Some(&body), Some(&token())).await;
            pending.set(false);
            match result {
                Ok(_) => {
                    close(dialog);
                    refresh_counts();
                    on_done(Notice::ok(current.done));
                }
                Err(error) if error.status() == Some(409) => {
                    close(dialog);
                    refresh_counts();
                    on_done(Notice::warning(current.conflict));
                }
                Err(error) if !error.field_errors().is_empty() => form.refused(renamed(error.field_errors()), &order),
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    let title_id = format!("{name}-title");
    let empty = Signal::derive(move || reason.with(|r| r.trim().is_empty()));
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=title_id.clone() data-testid=format!("{name}-dialog")>
            <form class="form" on:submit=submit novalidate=true>
                <h2 id=format!("{name}-title")>{move || action.with(|a| a.as_ref().map(|a| a.title.clone()))}</h2>
                <p>{move || action.with(|a| a.as_ref().map(|a| a.intro.clone()))}</p>
                <Labelled name=name label=label hint="将记入审计日志" required=true empty form>
                    <textarea
                        id=name
                        name=name
                        rows="3"
                        aria-required="true"
                        aria-invalid=move || if form.shown(name, empty.get()).is_some() { "true" } else { "false" }
                        aria-describedby=described_by(name)
                        prop:value=move || reason.get()
                        on:input=move |ev| { reason.set(event_target_value(&ev)); form.edited(name); }
                        on:blur=move |_| form.left(name)
                    ></textarea>
                </Labelled>
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <div class="form__actions">
                    <button class="button button--danger" type="submit" disabled=move || pending.get()>
                        {move || action.with(|a| a.as_ref().map(|a| a.confirm.clone()))}
                    </button>
                    <button class="button button--ghost-dark" type="button" on:click=move |_| close(dialog)>"取消"</button>
                </div>
            </form>
        </dialog>
    }
}
