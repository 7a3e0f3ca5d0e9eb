//! The grants the user's unit holds: which records it may read, until when (marked a week before the end), and
//! links to read them.

use super::pager::{Pager, PagerStatus};
use super::{purpose_text, GrantBadge};
use crate::api;
use crate::pages::records::local_time;
use credit_types::authorization::Grant;
use leptos::prelude::*;

#[component]
pub fn HeldGrants() -> impl IntoView {
    let status = RwSignal::new("active".to_owned());
    let pager = Pager::<Grant>::new();
    let load = move || {
        pager.load(api::with_query(
            "/api/v1/authorization/grants",
            &[("box", "held".into()), ("status", status.get_untracked()), ("limit", "50".into())],
        ))
    };
    load();
    view! {
        <section class="panel" aria-labelledby="held-title" data-testid="held-grants">
            <h2 id="held-title">"已获授权"</h2>
            <p class="panel__hint">"授权期限内,本单位可查看以下记录的完整内容;每次查看均记入使用记录,提供单位可查阅。"</p>
            <div class="filters">
                <div class="field">
                    <label for="held-status">"状态"</label>
                    <select id="held-status" on:change=move |ev| { status.set(event_target_value(&ev)); load(); }>
                        <option value="active" selected=true>"有效"</option>
                        <option value="expired">"已到期"</option>
                        <option value="revoked">"已撤销"</option>
                        <option value="">"全部"</option>
                    </select>
                </div>
            </div>
            <div class="table-wrap">
                <table class="table table--wide" data-testid="held-table">
                    <caption class="visually-hidden">"本单位持有的授权"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"提供单位"</th>
                            <th scope="col">"用途"</th>
                            <th scope="col">"授权记录"</th>
                            <th scope="col">"授权时间"</th>
                            <th scope="col">"到期时间"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col" class="number">"查看次数"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || pager.items.get() key=|g| (g.id.clone(), g.status, g.use_count) let:g>
                            <tr data-testid="held-row">
                                <td>
                                    {g.provider_org_name.clone()}
                                    <div><a class="muted" href=format!("/workbench/authorization/requests/{}", g.request_id)>"查看申请"</a></div>
                                </td>
                                <td>{purpose_text(g.purpose, g.purpose_text.as_deref())}</td>
                                <td><RecordLinks grant=g.clone() /></td>
                                <td>{local_time(g.granted_at)}</td>
                                <td>{local_time(g.expires_at)}</td>
                                <td><GrantBadge status=g.status expiring_soon=g.expiring_soon /></td>
                                <td class="number">{g.use_count}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <PagerStatus pager empty="没有符合条件的授权。" testid="held" />
        </section>
    }
}

/// One link per granted record (only an active grant opens them); the grant's purpose goes with the read, for the
/// audit log.
#[component]
fn RecordLinks(grant: Grant) -> impl IntoView {
    let active = grant.status == credit_types::authorization::GrantStatus::Active;
    let purpose = purpose_text(grant.purpose, grant.purpose_text.as_deref());
    view! {
        <ul class="inline-list">
            {grant.record_ids.iter().enumerate().map(|(i, id)| {
                let label = grant
                    .records
                    .iter()
                    .find(|r| &r.id == id)
                    .map_or_else(|| format!("记录 {}", i + 1), |r| format!("{} · {}", r.subject_name, r.catalog_name));
                if active {
                    let href = api::with_query(&format!("/workbench/records/{id}"), &[("purpose", purpose.clone())]);
                    view! { <li><a href=href data-testid="granted-record" title=id.clone()>{label}</a></li> }.into_any()
                } else {
                    view! { <li class="muted" title=id.clone()>{label}</li> }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}
