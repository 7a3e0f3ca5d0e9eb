//! The grants the user's unit holds: which records it may read, until when (marked a week before the end), and
//! links to read them.

use super::{grant_list, purpose_text, GrantBadge};
use crate::components::select::choices;
use crate::components::{time, CodeSelect, ListTable, Pager, PagerStatus};
use crate::pages::records::record_href;
use credit_types::authorization::{Grant, GrantBox, GrantStatus};
use leptos::prelude::*;

#[component]
pub fn HeldGrants() -> impl IntoView {
    let status = RwSignal::new(GrantStatus::Active.as_str().to_owned());
    let pager = Pager::<Grant>::new();
    let load = move || pager.load(grant_list(GrantBox::Held, &status.get_untracked()));
    load();
    view! {
        <section class="panel" aria-labelledby="held-title" data-testid="held-grants">
            <h2 id="held-title">"已获授权"</h2>
            <p class="panel__hint">"授权期限内,本单位可查看以下记录的完整内容;每次查看均记入使用记录,提供单位可查阅。"</p>
            <div class="filters">
                <CodeSelect id="held-status" label="状态" all=choices(&GrantStatus::ALL) value=status on_change=move || load() />
            </div>
            <ListTable caption="本单位持有的授权" columns=["提供单位", "用途", "授权记录", "授权时间", "到期时间", "状态", "查看次数"] numeric=&["查看次数"] testid="held-table">
                <For each=move || pager.items.get() key=|g| (g.id.clone(), g.status, g.use_count) let:g>
                    <tr data-testid="held-row">
                        <td>
                            {g.provider_org_name.clone()}
                            <div><a class="muted" href=format!("/workbench/authorization/requests/{}", g.request_id)>"查看申请"</a></div>
                        </td>
                        <td>{purpose_text(g.purpose, g.purpose_text.as_deref())}</td>
                        <td><RecordLinks grant=g.clone() /></td>
                        <td>{time::minutes(g.granted_at)}</td>
                        <td>{time::minutes(g.expires_at)}</td>
                        <td><GrantBadge status=g.status expiring_soon=g.expiring_soon /></td>
                        <td class="number">{g.use_count}</td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的授权。" testid="held" />
        </section>
    }
}

/// One link per granted record (only an active grant opens them); the grant's purpose goes with the read, for the
/// audit log.
#[component]
fn RecordLinks(grant: Grant) -> impl IntoView {
    let active = grant.status == GrantStatus::Active;
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
                    let href = record_href(id, &purpose);
                    view! { <li><a href=href data-testid="granted-record" title=id.clone()>{label}</a></li> }.into_any()
                } else {
                    view! { <li class="muted" title=id.clone()>{label}</li> }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}
