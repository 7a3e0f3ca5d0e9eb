//! The usage log of grants: who read which granted record, when and how; for one grant, or for
//! every grant the provider's unit gave.

use crate::api;
use crate::components::{time, Pager, PagerStatus};
use credit_types::authorization::{GrantUse, UseListQuery};
use leptos::prelude::*;

/// What a use was, in words.
fn action_label(action: &str) -> &str {
    match action {
        "read" => "查看记录",
        "versions" => "查看版本历史",
        "list" => "列表查询",
        "export" => "导出",
        other => other,
    }
}

/// A record id short enough for a table cell: its last twelve characters (the random part of the id).
fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 12 {
        id.to_owned()
    } else {
        format!("…{}", chars[chars.len() - 12..].iter().collect::<String>())
    }
}

#[component]
fn UseTable(pager: Pager<GrantUse>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="use-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"时间"</th>
                        <th scope="col">"使用人"</th>
                        <th scope="col">"使用单位"</th>
                        <th scope="col">"操作"</th>
                        <th scope="col">"记录"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || pager.items.get() key=|u| u.id.clone() let:u>
                        <tr data-testid="use-row">
                            <td>{time::minutes(u.used_at)}</td>
                            <td>{u.actor_name.clone()}</td>
                            <td>{u.grantee_org_name.clone()}</td>
                            <td>{action_label(&u.action).to_owned()}</td>
                            <td>
                                <a class="mono" href=format!("/workbench/records/{}", u.record_id) title=u.record_id.clone()
                                    aria-label=format!("记录 {}", u.record_id)>{short_id(&u.record_id)}</a>
                                <div class="muted">{u.record_label.clone()}</div>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// The usage log of one grant.
#[component]
pub fn GrantUses(grant_id: String) -> impl IntoView {
    let pager = Pager::<GrantUse>::new();
    pager.load(api::url::grant_uses(&grant_id, &UseListQuery { limit: Some(50), cursor: None }));
    view! {
        <div class="grant-uses" data-testid="grant-uses">
            <UseTable pager caption="该授权的使用记录" />
            <PagerStatus pager empty="该授权尚未被使用。" testid="grant-uses" />
        </div>
    }
}

/// Every use of the grants the user's unit gave.
#[component]
pub fn UnitUses() -> impl IntoView {
    let pager = Pager::<GrantUse>::new();
    pager.load(api::url::unit_uses(&UseListQuery { limit: Some(50), cursor: None }));
    view! {
        <section class="panel" aria-labelledby="uses-title" data-testid="unit-uses">
            <div class="title-row">
                <h2 id="uses-title">"本单位信息使用记录"</h2>
                <button class="button button--small button--ghost-dark" type="button" on:click=move |_| pager.reload()>"刷新"</button>
            </div>
            <p class="panel__hint">"其他单位通过本单位给予的授权查看信息的每一次记录。"</p>
            <UseTable pager caption="本单位信息使用记录" />
            <PagerStatus pager empty="还没有使用记录。" testid="unit-uses" />
        </section>
    }
}
