//! Objections to credit records (异议申诉, R-29.1) in the workbench: the handlers' queue with its deadline colours,
//! one objection with its evidence and the accept / not-accept / decide / close dialogs (a correction amends the
//! record), the competent office's overview, and the working-day calendar the deadlines are counted on. The
//! portal's filing and tracking pages share the badges, the deadline and the step list.

mod accept;
mod calendar;
mod correction;
mod decide;
mod detail;
mod evidence;
mod notes;
mod overview;
mod queue;
mod reason;
mod steps;

pub use calendar::CalendarEditor;
pub use detail::ObjectionDetail;
pub use notes::RecordNotes;
pub use overview::ObjectionOverview;
pub use queue::ObjectionQueue;
pub use steps::Steps;

use chrono::NaiveDate;
use credit_types::identity::Role;
use credit_types::objections::{Objection, ObjectionStatus, Outcome};
use leptos::prelude::*;

/// Who opens the workbench's objection pages: the providing units' data providers handle their records'
/// objections, the credit admins oversee those of their area.
pub const HANDLER_ROLES: &[Role] = &[Role::DataProvider, Role::CityCreditAdmin, Role::CountyCreditAdmin];

/// Working days left at or under which a deadline counts as due soon.
pub const DUE_SOON_DAYS: i32 = 2;

/// The deadline that runs now: acceptance while submitted, decision while accepted, none after.
pub fn current_deadline(objection: &Objection) -> Option<NaiveDate> {
    match objection.status {
        ObjectionStatus::Submitted => Some(objection.accept_by),
        ObjectionStatus::Accepted => objection.decide_by,
        _ => None,
    }
}

/// Whether an open objection's deadline is near (and not yet past).
pub fn due_soon(objection: &Objection) -> bool {
    objection.status.open() && !objection.overdue && objection.days_left.is_some_and(|d| d <= DUE_SOON_DAYS)
}

/// An objection's state as a badge.
#[component]
pub fn ObjectionStatusBadge(status: ObjectionStatus) -> impl IntoView {
    let modifier = match status {
        ObjectionStatus::Submitted | ObjectionStatus::Accepted => "badge--info",
        ObjectionStatus::Decided => "badge--ok",
        ObjectionStatus::NotAccepted => "badge--warning",
        ObjectionStatus::Closed | ObjectionStatus::Withdrawn => "badge--muted",
    };
    view! { <span class=format!("badge {modifier}") data-testid="objection-status">{status.label()}</span> }
}

/// How a decided objection ended, as a badge.
#[component]
pub fn OutcomeBadge(outcome: Outcome) -> impl IntoView {
    let modifier = match outcome {
        Outcome::Corrected => "badge--ok",
        Outcome::Upheld => "badge--info",
        Outcome::Undetermined => "badge--warning",
    };
    view! { <span class=format!("badge {modifier}") data-testid="objection-outcome">{outcome.label()}</span> }
}

/// The current deadline with what is left of it: red once past, amber within [`DUE_SOON_DAYS`] working days.
#[component]
pub fn DeadlineLeft(deadline: Option<NaiveDate>, days_left: Option<i32>, overdue: bool) -> impl IntoView {
    let Some(deadline) = deadline else {
        return view! { <span class="muted">"—"</span> }.into_any();
    };
    let flag = match (overdue, days_left) {
        (true, Some(d)) if d < 0 => Some(("badge--danger", "deadline-overdue", format!("已超期 {} 个工作日", -d))),
        (true, _) => Some(("badge--danger", "deadline-overdue", "已超期".to_owned())),
        (false, Some(0)) => Some(("badge--warning", "deadline-soon", "今日到期".to_owned())),
        (false, Some(d)) if d <= DUE_SOON_DAYS => Some(("badge--warning", "deadline-soon", format!("剩 {d} 个工作日"))),
        (false, Some(d)) => Some(("badge--muted", "deadline-left", format!("剩 {d} 个工作日"))),
        (false, None) => None,
    };
    view! {
        <span class:deadline--overdue=overdue class:deadline--soon=!overdue && days_left.is_some_and(|d| d <= DUE_SOON_DAYS)>
            {deadline.to_string()}
        </span>
        {flag.map(|(modifier, testid, text)| view! {
            " " <span class=format!("badge {modifier}") data-testid=testid>{text}</span>
        })}
    }
    .into_any()
}

/// A contact as a list shows it: the phone, else the e-mail (both masked by the API), or that it was purged.
pub fn contact_line(objection: &Objection) -> String {
    if objection.contact_purged {
        return "已按规定清除".to_owned();
    }
    objection.phone.clone().or_else(|| objection.email.clone()).unwrap_or_else(|| "—".to_owned())
}
