//! Small pieces of the credit vocabulary shared by portal and workbench pages.

use credit_types::records::RecordStatus;
use leptos::prelude::*;

/// A record's state as a badge; "异议处理中" stands out.
#[component]
pub fn StatusBadge(status: RecordStatus) -> impl IntoView {
    let modifier = match status {
        RecordStatus::Active => "badge--ok",
        RecordStatus::UnderObjection => "badge--warning",
        RecordStatus::Corrected => "badge--info",
        RecordStatus::Revoked | RecordStatus::Expired => "badge--muted",
    };
    view! { <span class=format!("badge {modifier}") data-testid="status-badge">{status.label()}</span> }
}

/// The badge of a published record under objection.
#[component]
pub fn ObjectionBadge() -> impl IntoView {
    view! { <span class="badge badge--warning" data-testid="objection-badge">"异议处理中"</span> }
}

/// A record a user unit reads through another unit's grant.
#[component]
pub fn GrantedBadge() -> impl IntoView {
    view! { <span class="badge badge--info" data-testid="granted-badge">"经授权查看"</span> }
}
