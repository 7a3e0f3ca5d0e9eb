//! The dashboards' red banners: today's pre-work check missing past its time, or an item found with a
//! problem; shown to system administrators (with the way to the check) and to credit administrators.

use crate::api;
use crate::components::token;
use credit_types::identity::Role;
use leptos::prelude::*;

/// Whether `roles` see the banners.
pub fn alerted(roles: &[Role]) -> bool {
    roles.iter().any(|r| {
        matches!(r, Role::SystemAdmin | Role::CityCreditAdmin | Role::CountyCreditAdmin | Role::SecurityAuditor)
    })
}

#[component]
pub fn DashboardAlerts(roles: Vec<Role>) -> impl IntoView {
    let checks = roles.contains(&Role::SystemAdmin);
    let alerts = LocalResource::new(move || async move { api::prework::alerts(&token()).await.unwrap_or_default() });
    move || {
        alerts
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|alert| {
                view! {
                    <div class="alarm" role="alert" data-testid="dashboard-alert">
                        <strong>{alert.kind.label()}</strong>
                        " " {alert.message}
                        {checks.then(|| view! { " " <a href="/workbench/daily-check">"去检查"</a> })}
                    </div>
                }
            })
            .collect_view()
    }
}
