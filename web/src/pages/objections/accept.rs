//! Accepting an objection, in a modal dialog: from then on the decision deadline runs.

use super::reason::STATE_CHANGED;
use crate::api;
use crate::components::dialog::finish;
use crate::components::{token, DialogActions, Notice};
use credit_types::objections::Objection;
use credit_types::ErrorCode;
use leptos::html::Dialog;
use leptos::prelude::*;

#[component]
pub fn AcceptDialog(
    dialog: NodeRef<Dialog>,
    objection: Objection,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let id = StoredValue::new(objection.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let on_done = on_done.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::objections::accept(&token(), &id.get_value()).await;
            pending.set(false);
            match result {
                Ok(accepted) => {
                    let by = accepted.decide_by.map(|d| format!(",请于 {d} 前核查办结")).unwrap_or_default();
                    finish(dialog, Notice::ok(format!("已受理{by}。")), &on_done);
                }
                Err(error) if error.is(&[ErrorCode::ObjectionState]) => {
                    finish(dialog, Notice::warning(STATE_CHANGED), &on_done);
                }
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="accept-title" data-testid="accept-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="accept-title">"受理异议"</h2>
                <p>{format!(
                    "受理 {} 对“{} · {}”提出的异议。受理后,办结期限按工作日起算,申诉人将收到受理通知;记录在办结前继续标注“异议处理中”。",
                    objection.appellant_name, objection.subject_name, objection.catalog_name
                )}</p>
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <DialogActions dialog confirm="确认受理" pending=pending.into() />
            </form>
        </dialog>
    }
}
