//! The approval of a request, in a modal dialog: an optional note and, if the provider wishes, a shorter period
//! than was asked; a request someone else decided first (409) is explained.

use super::reason::ALREADY_DECIDED;
use crate::api;
use crate::components::dialog::finish;
use crate::components::{token, DialogActions, FormState, Notice, TextArea, TextInput};
use credit_types::authorization::{ApproveRequest, AuthorizationRequest};
use credit_types::{ErrorCode, FieldError};
use leptos::html::Dialog;
use leptos::prelude::*;
use validator::Validate;

#[component]
pub fn ApproveDialog(
    dialog: NodeRef<Dialog>,
    request: AuthorizationRequest,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let asked = request.period_days;
    let body = move || ApproveRequest {
        note: Some(note.get().trim().to_owned()).filter(|n| !n.is_empty()),
        period_days: period.get().trim().parse().ok(),
    };
    let form = FormState::new(move || {
        let mut errors =
            body().validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e));
        let days = period.get();
        match days.trim().parse::<u32>() {
            _ if days.trim().is_empty() => {}
            Ok(n) if (1..=asked).contains(&n) => {}
            _ => {
                errors.retain(|e| e.field != "period_days");
                errors.push(FieldError::new("period_days", "range", format!("授权期限应为 1 至 {asked} 天的整数")));
            }
        }
        errors
    });
    let order = ["note".to_owned(), "period_days".to_owned()];
    let id = StoredValue::new(request.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let body = body();
        let on_done = on_done.clone();
        let order = order.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::authorization::approve(&token(), &id.get_value(), &body).await;
            pending.set(false);
            match result {
                Ok(approved) => {
                    let days = body.period_days.unwrap_or(approved.period_days);
                    finish(
                        dialog,
                        Notice::ok(format!("已同意,授权 {days} 天;申请单位现在可以查看这些记录。")),
                        &on_done,
                    );
                }
                Err(error) if error.is(&[ErrorCode::AlreadyDecided]) => {
                    finish(dialog, Notice::warning(ALREADY_DECIDED), &on_done);
                }
                Err(error) if !error.field_errors().is_empty() => form.refused(error.field_errors(), &order),
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="approve-title" data-testid="approve-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="approve-title">"同意申请"</h2>
                <p>{format!(
                    "同意后,{} 可在授权期限内查看这 {} 条记录的完整内容,每次查看都会记入使用记录。",
                    request.requester_org_name, request.record_count
                )}</p>
                <TextArea name="note" label="审核意见(可选)" value=note form rows=2 />
                <TextInput name="period_days" label="授权期限(天,可选)" kind="number" value=period form
                    min="1" max=asked.to_string() placeholder=asked.to_string()
                    hint=format!("申请 {asked} 天;可以缩短,不能延长。不填则按申请的期限") />
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <DialogActions dialog confirm="确认同意" pending=pending.into() />
            </form>
        </dialog>
    }
}
