//! The records a user may see (the server applies the access rule, R-18.1), filtered, fifty at a time.

use super::CONTENT_ROLES;
use crate::api;
use crate::auth::Auth;
use crate::components::{token, GrantedBadge, RequireRole, StatusBadge};
use credit_types::catalog::{parse_date, CatalogItem, DisclosureClass};
use credit_types::identity::Role;
use credit_types::records::{RecordStatus, RecordSummary};
use credit_types::Page;
use leptos::prelude::*;

#[component]
pub fn Records() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <RecordsPage />
        </RequireRole>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Done,
    Failed(String),
}

#[component]
fn RecordsPage() -> impl IntoView {
    let provider =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::DataProvider)));
    let q = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let class = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let items = RwSignal::new(Vec::<RecordSummary>::new());
    let next = RwSignal::new(None::<String>);
    let phase = RwSignal::new(Phase::Loading);
    let generation = StoredValue::new(0u32);
    let catalog = LocalResource::new(|| async move {
        api::get_json::<Vec<CatalogItem>>("/api/v1/catalog/items", Some(&token())).await.unwrap_or_default()
    });

    let load = move |cursor: Option<String>| {
        let text = q.get_untracked();
        let n = text.trim().chars().count();
        let (start, end) = (from.get_untracked(), to.get_untracked());
        let wrong = if n == 1 || n > 100 {
            Some("主体名称至少输入两个字,或输入完整代码")
        } else if matches!((parse_date(&start), parse_date(&end)), (Some(a), Some(b)) if a > b) {
            Some("起始日期不能晚于截止日期")
        } else {
            None
        };
        problem.set(wrong.map(str::to_owned));
        if wrong.is_some() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        phase.set(Phase::Loading);
        let url = api::with_query(
            "/api/v1/records",
            &[
                ("q", text),
                ("catalog_item", item.get_untracked()),
                ("status", status.get_untracked()),
                ("disclosure_class", class.get_untracked()),
                ("from", start),
                ("to", end),
                ("purpose", purpose.get_untracked()),
                ("limit", "50".into()),
                ("cursor", cursor.clone().unwrap_or_default()),
            ],
        );
        leptos::task::spawn_local(async move {
            let result = api::get_json::<Page<RecordSummary>>(&url, Some(&token())).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    if cursor.is_some() {
                        items.update(|list| list.extend(page.items));
                    } else {
                        items.set(page.items);
                    }
                    next.set(page.next_cursor);
                    phase.set(Phase::Done);
                }
                Err(error) => phase.set(Phase::Failed(error.friendly())),
            }
        });
    };
    load(None);

    let reset = move |_| {
        for signal in [q, item, status, class, from, to, purpose] {
            signal.set(String::new());
        }
        load(None);
    };
    let announcement = move || match phase.get() {
        Phase::Loading => "正在查询…".to_owned(),
        Phase::Done => {
            let more = if next.with(Option::is_some) { ",还有更多" } else { "" };
            format!("已显示 {} 条记录{more}", items.with(Vec::len))
        }
        Phase::Failed(_) => String::new(),
    };
    let detail_href =
        move |id: &str| api::with_query(&format!("/workbench/records/{id}"), &[("purpose", purpose.get_untracked())]);

    view! {
        <section class="panel" data-testid="records">
            <div class="title-row">
                <h1>"信用记录"</h1>
                {provider.then(|| view! {
                    <div class="actions">
                        <a class="button" href="/workbench/records/new">"新增记录"</a>
                        <a class="button button--ghost-dark" href="/workbench/upload">"批量上传"</a>
                    </div>
                })}
            </div>
            <p class="panel__hint">"列表只包含您有权查看的记录;查看非公开信息将连同查询目的记入审计日志。"</p>
            <form class="filters" role="search" aria-label="筛选信用记录" novalidate=true
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(None); }>
                <div class="field">
                    <label for="filter-q">"主体"</label>
                    <input id="filter-q" type="search" placeholder="名称(至少两个字)或完整代码" bind:value=q
                        aria-describedby="filter-error" />
                </div>
                <div class="field">
                    <label for="filter-item">"目录项"</label>
                    <select id="filter-item" prop:value=move || item.get() on:change=move |ev| item.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                catalog.await.into_iter().map(|i| view! { <option value=i.code.clone()>{i.name_zh}</option> }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <div class="field">
                    <label for="filter-status">"状态"</label>
                    <select id="filter-status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {RecordStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-class">"公开范围"</label>
                    <select id="filter-class" prop:value=move || class.get() on:change=move |ev| class.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        {DisclosureClass::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-from">"决定日期自"</label>
                    <input id="filter-from" type="date" bind:value=from />
                </div>
                <div class="field">
                    <label for="filter-to">"至"</label>
                    <input id="filter-to" type="date" bind:value=to />
                </div>
                <div class="field field--wide">
                    <label for="filter-purpose">"查询目的(可选)"</label>
                    <input id="filter-purpose" type="text" maxlength="200" placeholder="如:行政审批核查" bind:value=purpose />
                </div>
                <div class="filters__actions">
                    <button class="button" type="submit">"查询"</button>
                    <button class="button button--ghost-dark" type="button" on:click=reset>"重置"</button>
                </div>
                <p class="field__error filters__error" id="filter-error" role="alert">{move || problem.get()}</p>
            </form>
            <p class="status" role="status" aria-live="polite" data-testid="records-status">{announcement}</p>
            {move || match phase.get() {
                Phase::Failed(message) => Some(view! { <p class="status status--error" role="alert">{message}</p> }.into_any()),
                Phase::Done if items.with(Vec::is_empty) => Some(view! {
                    <p class="empty" data-testid="records-empty">"没有符合条件的记录。"</p>
                }.into_any()),
                _ => None,
            }}
            <div class="table-wrap">
                <table class="table table--wide" data-testid="record-table">
                    <caption class="visually-hidden">"信用记录列表"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"信用主体"</th>
                            <th scope="col">"目录项"</th>
                            <th scope="col">"提供单位"</th>
                            <th scope="col">"公开范围"</th>
                            <th scope="col">"决定日期"</th>
                            <th scope="col">"公示截止"</th>
                            <th scope="col">"状态"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || items.get() key=|r| (r.id.clone(), r.version) let:r>
                            <tr data-testid="record-row">
                                <td>
                                    <a href=detail_href(&r.id)>{r.subject.name.clone()}</a>
                                    <div class="mono muted">{r.subject.code.clone()}</div>
                                </td>
                                <td>{r.catalog_name.clone()}</td>
                                <td>{r.provider_name.clone()}</td>
                                <td>{r.disclosure_class.label()}</td>
                                <td>{r.decision_date.to_string()}</td>
                                <td>{r.publish_until.to_string()}</td>
                                <td>
                                    <StatusBadge status=r.status />
                                    {r.read_through_grant.is_some().then(|| view! { " " <GrantedBadge /> })}
                                </td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || next.with(Option::is_some)>
                <button class="button button--ghost-dark" type="button" disabled=move || phase.get() == Phase::Loading
                    on:click=move |_| load(next.get_untracked())>
                    {move || if phase.get() == Phase::Loading { "正在加载…" } else { "加载更多" }}
                </button>
            </Show>
        </section>
    }
}
