//! The workbench home's authorisation card: what waits for the unit's decision, what it asked for and what it
//! holds, with links to each list.

use crate::components::pending_counts;
use credit_types::authorization::AuthorizationCounts;
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn AuthorizationCard(roles: Vec<Role>) -> impl IntoView {
    let provider = roles.contains(&Role::DataProvider);
    let user = roles.contains(&Role::UserUnit);
    let counts = pending_counts();
    move || {
        let c: AuthorizationCounts = counts.get()?.authorization?;
        let waiting = c.inbox_pending > 0;
        Some(view! {
            <section class="panel" aria-labelledby="authz-card-title" data-testid="authorization-card">
                <h2 id="authz-card-title">"授权使用"</h2>
                <div class="stats">
                    {provider.then(|| view! {
                        <a class="stat" class:stat--alert=waiting href="/workbench/authorization/inbox" data-testid="stat-inbox">
                            <span class="stat__value">{c.inbox_pending}</span>
                            <span class="stat__label">"待审核申请"</span>
                            {(c.inbox_overdue > 0).then(|| view! { <span class="badge badge--danger">{format!("{} 件已超期", c.inbox_overdue)}</span> })}
                        </a>
                        <a class="stat" href="/workbench/authorization/grants">
                            <span class="stat__value">{c.given_active}</span>
                            <span class="stat__label">"给予的有效授权"</span>
                        </a>
                    })}
                    {user.then(|| view! {
                        <a class="stat" href="/workbench/authorization/outbox" data-testid="stat-outbox">
                            <span class="stat__value">{c.outbox_pending}</span>
                            <span class="stat__label">"待批复的申请"</span>
                        </a>
                        <a class="stat" href="/workbench/authorization/outbox#held-title">
                            <span class="stat__value">{c.held_active}</span>
                            <span class="stat__label">"持有的有效授权"</span>
                            {(c.held_expiring_soon > 0).then(|| view! { <span class="badge badge--warning">{format!("{} 项即将到期", c.held_expiring_soon)}</span> })}
                        </a>
                    })}
                </div>
            </section>
        })
    }
}
