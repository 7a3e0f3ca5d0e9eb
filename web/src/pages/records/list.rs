//! The records a user may see (the server applies the access rule, R-18.1), filtered, fifty at a time.

use super::{record_href, CONTENT_ROLES};
use crate::api;
use crate::auth::Auth;
use crate::components::select::choices;
use crate::components::{
    token, CodeSelect, GrantedBadge, ListTable, MoreButton, Pager, Phase, RequireRole, StatusBadge,
};
use credit_types::catalog::{parse_date, CatalogItem, DisclosureClass};
use credit_types::identity::Role;
use credit_types::records::{RecordListQuery, RecordStatus, RecordSummary};
use leptos::prelude::*;

#[component]
pub fn Records() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <RecordsPage />
        </RequireRole>
    }
}

/// The filters as typed.
#[derive(Clone, Copy)]
struct Filters {
    q: RwSignal<String>,
    item: RwSignal<String>,
    status: RwSignal<String>,
    class: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    purpose: RwSignal<String>,
}

impl Filters {
    fn new() -> Filters {
        let empty = || RwSignal::new(String::new());
        Filters {
            q: empty(),
            item: empty(),
            status: empty(),
            class: empty(),
            from: empty(),
            to: empty(),
            purpose: empty(),
        }
    }

    fn clear(self) {
        for signal in [self.q, self.item, self.status, self.class, self.from, self.to, self.purpose] {
            signal.set(String::new());
        }
    }

    /// The query, or why it cannot be sent (the API's own limits, said before asking).
    fn query(self) -> Result<RecordListQuery, &'static str> {
        let text = |signal: RwSignal<String>| Some(signal.get_untracked().trim().to_owned()).filter(|v| !v.is_empty());
        let q = text(self.q);
        let (from, to) = (parse_date(&self.from.get_untracked()), parse_date(&self.to.get_untracked()));
        let length = q.as_deref().map_or(0, |q| q.chars().count());
        if length == 1 || length > 100 {
            return Err("主体名称至少输入两个字,或输入完整代码");
        }
        if matches!((from, to), (Some(a), Some(b)) if a > b) {
            return Err("起始日期不能晚于截止日期");
        }
        Ok(RecordListQuery {
            q,
            catalog_item: text(self.item),
            status: RecordStatus::parse(&self.status.get_untracked()),
            disclosure_class: DisclosureClass::parse(&self.class.get_untracked()),
            from,
            to,
            purpose: text(self.purpose),
            limit: Some(50),
            ..Default::default()
        })
    }
}

#[component]
fn RecordsPage() -> impl IntoView {
    let provider =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::DataProvider)));
    let filters = Filters::new();
    let problem = RwSignal::new(None::<&'static str>);
    let pager = Pager::<RecordSummary>::new();
    let load = move || match filters.query() {
        Ok(query) => {
            problem.set(None);
            pager.load(api::url::records(&query));
        }
        Err(wrong) => problem.set(Some(wrong)),
    };
    load();
    let announcement = move || match pager.phase.get() {
        Phase::Loading => "正在查询…".to_owned(),
        Phase::Done => {
            let more = if pager.next.with(Option::is_some) { ",还有更多" } else { "" };
            format!("已显示 {} 条记录{more}", pager.items.with(Vec::len))
        }
        Phase::Idle | Phase::Failed(_) => String::new(),
    };
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
            <FilterForm filters problem on_search=load />
            <p class="status" role="status" aria-live="polite" data-testid="records-status">{announcement}</p>
            {move || match pager.phase.get() {
                Phase::Failed(message) => Some(view! { <p class="status status--error" role="alert">{message}</p> }.into_any()),
                _ if pager.empty() => Some(view! {
                    <p class="empty" data-testid="records-empty">"没有符合条件的记录。"</p>
                }.into_any()),
                _ => None,
            }}
            <RecordTable pager purpose=filters.purpose />
            <MoreButton pager />
        </section>
    }
}

#[component]
fn FilterForm(
    filters: Filters,
    problem: RwSignal<Option<&'static str>>,
    on_search: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let catalog = LocalResource::new(|| async move { api::catalog::items(&token()).await.unwrap_or_default() });
    let reset = move |_| {
        filters.clear();
        on_search();
    };
    view! {
        <form class="filters" role="search" aria-label="筛选信用记录" novalidate=true
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); on_search(); }>
            <div class="field">
                <label for="filter-q">"主体"</label>
                <input id="filter-q" type="search" placeholder="名称(至少两个字)或完整代码" bind:value=filters.q
                    aria-describedby="filter-error" />
            </div>
            <div class="field">
                <label for="filter-item">"目录项"</label>
                <select id="filter-item" prop:value=move || filters.item.get() on:change=move |ev| filters.item.set(event_target_value(&ev))>
                    <option value="">"全部"</option>
                    <Suspense>
                        {move || Suspend::new(async move {
                            catalog.await.into_iter().map(|i: CatalogItem| view! { <option value=i.code.clone()>{i.name_zh}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <CodeSelect id="filter-status" label="状态" all=choices(&RecordStatus::ALL) value=filters.status />
            <CodeSelect id="filter-class" label="公开范围" all=choices(&DisclosureClass::ALL) value=filters.class />
            <div class="field">
                <label for="filter-from">"决定日期自"</label>
                <input id="filter-from" type="date" bind:value=filters.from />
            </div>
            <div class="field">
                <label for="filter-to">"至"</label>
                <input id="filter-to" type="date" bind:value=filters.to />
            </div>
            <div class="field field--wide">
                <label for="filter-purpose">"查询目的(可选)"</label>
                <input id="filter-purpose" type="text" maxlength="200" placeholder="如:行政审批核查" bind:value=filters.purpose />
            </div>
            <div class="filters__actions">
                <button class="button" type="submit">"查询"</button>
                <button class="button button--ghost-dark" type="button" on:click=reset>"重置"</button>
            </div>
            <p class="field__error filters__error" id="filter-error" role="alert">{move || problem.get()}</p>
        </form>
    }
}

/// The records found; each links to its page, read for the purpose typed.
#[component]
fn RecordTable(pager: Pager<RecordSummary>, purpose: RwSignal<String>) -> impl IntoView {
    view! {
        <ListTable caption="信用记录列表" columns=["信用主体", "目录项", "提供单位", "公开范围", "决定日期", "公示截止", "状态"] testid="record-table">
            <For each=move || pager.items.get() key=|r| (r.id.clone(), r.version) let:r>
                <tr data-testid="record-row">
                    <td>
                        <a href=record_href(&r.id, &purpose.get_untracked())>{r.subject.name.clone()}</a>
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
        </ListTable>
    }
}
