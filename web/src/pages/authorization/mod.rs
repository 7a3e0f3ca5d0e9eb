//! Authorised use of credit information: the user unit's requests and the grants it
//! holds, the providing unit's inbox, decisions and grants given with their usage log, and the competent office's
//! usage agreements.

mod agreement_form;
mod agreements;
mod attachments;
mod card;
mod decide;
mod detail;
mod grants;
mod held;
mod inbox;
mod new;
mod outbox;
mod preview;
mod reason;
mod uses;

pub use agreements::Agreements;
pub use card::AuthorizationCard;
pub use detail::RequestDetail;
pub use grants::GrantsGiven;
pub use inbox::Inbox;
pub use new::NewRequest;
pub use outbox::Outbox;

use crate::auth::Auth;
use credit_types::authorization::{GrantBox, GrantListQuery, GrantStatus, Purpose, RequestStatus};
use credit_types::identity::{Me, Role};
use leptos::prelude::*;

/// The longest grant a request may ask for, in days: the API's default, used until its configured limit is read.
pub const MAX_DAYS: u32 = 90;

/// The signed-in user, read once when a page is built.
pub fn me() -> Option<Me> {
    Auth::get().session.with_untracked(|s| s.as_ref().map(|s| s.me.clone()))
}

/// Whether the signed-in user holds `role`.
pub fn has_role(role: Role) -> bool {
    me().is_some_and(|me| me.roles.contains(&role))
}

/// A purpose as people read it: the label, and for "other" what it means.
pub fn purpose_text(purpose: Purpose, text: Option<&str>) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) if purpose == Purpose::Other => format!("其他:{text}"),
        _ => purpose.label().to_owned(),
    }
}

/// The first page of the grants of `side` in the status chosen (its code; empty for all).
pub fn grant_list(side: GrantBox, status: &str) -> String {
    let status = GrantStatus::parse(status);
    crate::api::url::grants(&GrantListQuery { side, status, expiring_soon: None, limit: Some(50), cursor: None })
}

/// A request's state as a badge.
#[component]
pub fn RequestBadge(status: RequestStatus) -> impl IntoView {
    let modifier = match status {
        RequestStatus::Pending => "badge--info",
        RequestStatus::Approved => "badge--ok",
        RequestStatus::Rejected => "badge--danger",
        RequestStatus::Withdrawn => "badge--muted",
    };
    view! { <span class=format!("badge {modifier}") data-testid="request-status">{status.label()}</span> }
}

/// A grant's state as a badge, with "即将到期" beside an active grant ending within a week.
#[component]
pub fn GrantBadge(status: GrantStatus, #[prop(optional)] expiring_soon: bool) -> impl IntoView {
    let modifier = match status {
        GrantStatus::Active => "badge--ok",
        GrantStatus::Expired | GrantStatus::Revoked => "badge--muted",
    };
    view! {
        <span class=format!("badge {modifier}") data-testid="grant-status">{status.label()}</span>
        {(expiring_soon && status == GrantStatus::Active).then(|| view! {
            " " <span class="badge badge--warning" data-testid="expiring-soon">"即将到期"</span>
        })}
    }
}

/// The decision deadline, flagged when it has passed with no decision.
#[component]
pub fn Deadline(decide_by: chrono::NaiveDate, overdue: bool) -> impl IntoView {
    view! {
        <span class:deadline--overdue=overdue>{decide_by.to_string()}</span>
        {overdue.then(|| view! { " " <span class="badge badge--danger" data-testid="overdue">"已超期"</span> })}
    }
}

/// The line above a form's buttons: the API's message when it refused without naming fields, else, once the user
/// tried to submit, how many fields still need correcting (kept current as they are corrected).
pub fn form_summary(
    form: crate::components::FormState,
    failure: RwSignal<Option<String>>,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        if let Some(message) = failure.get() {
            return Some(message);
        }
        let mut fields: Vec<String> = form.server.with(|e| e.iter().map(|e| e.field.clone()).collect());
        if form.submitted.get() {
            fields.extend(form.local.with(|e| e.iter().map(|e| e.field.clone()).collect::<Vec<_>>()));
        }
        fields.sort();
        fields.dedup();
        crate::components::form::summary(fields.len())
    }
}

/// What to say above a form the API refused: its message when it named no field, the errors it gave for fields not
/// on the form, or nothing (the fields show their errors and `form_summary` counts them).
pub fn refusal(error: &crate::api::ApiError, order: &[String]) -> Option<String> {
    let errors = error.field_errors();
    let elsewhere = crate::components::form::unplaced(&errors, order);
    if errors.is_empty() {
        Some(error.friendly())
    } else if elsewhere.is_empty() {
        None
    } else {
        Some(elsewhere.join(";"))
    }
}

/// Sending a form of authorised use: at most one at a time, only once the live check passes, and a refusal shown
/// above the form (`refusal`) and beside its fields.
#[derive(Clone, Copy)]
pub struct FormSend {
    pub form: crate::components::FormState,
    /// The fields as laid out.
    pub order: StoredValue<Vec<String>>,
    pub pending: RwSignal<bool>,
    pub failure: RwSignal<Option<String>>,
}

impl FormSend {
    pub fn new(form: crate::components::FormState, order: &[&str]) -> FormSend {
        FormSend {
            form,
            order: StoredValue::new(order.iter().map(|f| (*f).to_owned()).collect()),
            pending: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Whether the form may be sent now: nothing under way, and the live check passed (else it shows why).
    pub fn ready(self) -> bool {
        let ready = !self.pending.get_untracked() && self.form.ready(&self.order.get_value());
        if !ready {
            self.failure.set(None);
        }
        ready
    }

    /// Makes the `call`, then gives its answer to `done`, or shows the API's refusal.
    pub fn send<T: 'static>(
        self,
        call: impl std::future::Future<Output = Result<T, crate::api::ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.pending.set(true);
        self.failure.set(None);
        leptos::task::spawn_local(async move {
            let result = call.await;
            self.pending.set(false);
            match result {
                Ok(answer) => done(answer),
                Err(error) => {
                    let order = self.order.get_value();
                    self.failure.set(refusal(&error, &order));
                    self.form.refused(error.field_errors(), &order);
                }
            }
        });
    }
}
