//! The dialogs of an objection that need a reason: not accepting it (the reason is told to the appellant) and
//! closing it. Checked as typed with the API's rule; a step someone else took first (409) is explained.

use crate::api;
use crate::components::{described_by, refresh_counts, token, FormState, Labelled};
use crate::pages::authorization::{close, Notice};
use credit_types::objections::{Objection, ObjectionReason};
use credit_types::FieldError;
use leptos::html::Dialog;
use leptos::prelude::*;
use validator::Validate;

/// What a reason dialog does once confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonStep {
    /// The last part of the API's path: `not-accept` or `close`.
    pub verb: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub confirm: &'static str,
    pub done: &'static str,
}

pub const NOT_ACCEPT: ReasonStep = ReasonStep {
    verb: "not-accept",
    title: "不予受理",
    intro: "不予受理的,应当说明理由;理由将告知申诉人,异议标注随即解除。",
    label: "不予受理理由",
    hint: "将告知申诉人,并记入审计日志",
    confirm: "确认不予受理",
    done: "已决定不予受理,申诉人将收到通知。",
};

pub const CLOSE: ReasonStep = ReasonStep {
    verb: "close",
    title: "关闭异议",
    intro: "关闭后该异议归档,不能再办理。",
    label: "关闭说明",
    hint: "例如:已告知申诉人处理结果",
    confirm: "确认关闭",
    done: "异议已关闭归档。",
};

/// What a 409 means to the person who tried the step.
pub const STATE_CHANGED: &str =
    "该异议的状态已经改变(可能已由本单位其他人员办理,或已被申诉人撤回),页面已刷新为最新状态。";

/// The reason dialog of `step` (set it, then open the dialog); `on_done` gets the notice after success or after a
/// conflict, both of which leave the page to reload the objection.
#[component]
pub fn ReasonDialog(
    dialog: NodeRef<Dialog>,
    objection_id: String,
    step: RwSignal<Option<ReasonStep>>,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    const NAME: &str = "objection_reason";
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let renamed = |errors: Vec<FieldError>| -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|e| if e.field == "reason" { FieldError { field: NAME.into(), ..e } } else { e })
            .collect()
    };
    let form = FormState::new(move || {
        ObjectionReason { reason: reason.get().trim().to_owned() }
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| renamed(credit_types::problem::field_errors(&e)))
    });
    // A fresh dialog for every step.
    Effect::new(move |_| {
        if step.with(Option::is_some) {
            reason.set(String::new());
            failure.set(None);
            form.submitted.set(false);
            form.server.set(Vec::new());
        }
    });
    let id = StoredValue::new(objection_id);
    let order = [NAME.to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = step.get_untracked() else { return };
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let body = ObjectionReason { reason: reason.get_untracked().trim().to_owned() };
        let url = format!("/api/v1/objections/{}/{}", api::urlencode(&id.get_value()), current.verb);
        let on_done = on_done.clone();
        let order = order.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::post_json::<_, Objection>(&url, Some(&body), Some(&token())).await;
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
                    on_done(Notice::warning(STATE_CHANGED));
                }
                Err(error) if !error.field_errors().is_empty() => form.refused(renamed(error.field_errors()), &order),
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    let empty = Signal::derive(move || reason.with(|r| r.trim().is_empty()));
    let text = move |pick: fn(&ReasonStep) -> &'static str| move || step.with(|s| s.as_ref().map(pick).unwrap_or(""));
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="objection-reason-title" data-testid="objection-reason-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="objection-reason-title">{text(|s| s.title)}</h2>
                <p>{text(|s| s.intro)}</p>
                {move || {
                    let label = step.with(|s| s.as_ref().map(|s| s.label).unwrap_or("理由"));
                    let hint = step.with(|s| s.as_ref().map(|s| s.hint).unwrap_or(""));
                    view! {
                        <Labelled name=NAME label=label hint=hint required=true empty form>
                            <textarea
                                id=NAME
                                name=NAME
                                rows="4"
                                aria-required="true"
                                aria-invalid=move || if form.shown(NAME, empty.get()).is_some() { "true" } else { "false" }
                                aria-describedby=described_by(NAME)
                                prop:value=move || reason.get()
                                on:input=move |ev| { reason.set(event_target_value(&ev)); form.edited(NAME); }
                                on:blur=move |_| form.left(NAME)
                            ></textarea>
                        </Labelled>
                    }
                }}
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <div class="form__actions">
                    <button class="button button--danger" type="submit" disabled=move || pending.get()>{text(|s| s.confirm)}</button>
                    <button class="button button--ghost-dark" type="button" on:click=move |_| close(dialog)>"取消"</button>
                </div>
            </form>
        </dialog>
    }
}
