//! The archive of database checks (R-13.1: 状态信息、错误原因、解决办法进行存档): a database administrator records each
//! check (state, warnings seen, and for an abnormal state the error's cause and the solution, optionally with the
//! newest snapshot); everyone who reads them searches by words, state and China-time range.

use super::holds;
use super::state::state_badge;
use crate::api;
use crate::components::select::choices;
use crate::components::{error_for, time, token, CodeSelect, ListTable, Pager, PagerStatus, RequireRole};
use chrono::NaiveDateTime;
use credit_types::china_time;
use credit_types::dbadmin::{DbCheckQuery, DbCheckRecord, DbCheckState, NewDbCheckRecord};
use credit_types::identity::Role;
use credit_types::FieldError;
use leptos::prelude::*;

/// Records per page.
const PAGE: u32 = 50;

#[component]
pub fn DatabaseChecks() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DbAdmin, Role::SecurityAuditor]>
            <ChecksPage />
        </RequireRole>
    }
}

/// A `datetime-local` value (China time) as the UTC time the API reads.
fn utc_of(local: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let parsed = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Some(china_time::to_utc(parsed).and_utc())
}

#[component]
fn ChecksPage() -> impl IntoView {
    let pager = Pager::<DbCheckRecord>::new();
    let query = RwSignal::new(DbCheckQuery { limit: Some(PAGE), ..Default::default() });
    Effect::new(move |_| pager.load(api::url::db_checks(&query.get())));
    view! {
        <Show when=move || holds(Role::DbAdmin)>
            <NewCheck on_recorded=move || pager.reload() />
        </Show>
        <section class="panel" data-testid="db-checks">
            <h1>"数据库检查记录"</h1>
            <SearchForm query />
            <ListTable caption="数据库检查记录,最新的在前" columns=["记录时间", "检查人", "状态", "告警情况", "错误原因", "解决办法", "关联快照"] testid="db-check-table">
                <For each=move || pager.items.get() key=|r| r.id.clone() let:record>
                    <tr>
                        <td>{time::minutes(record.recorded_at)}</td>
                        <td>{record.recorded_by_name}</td>
                        <td>{check_badge(record.state)}</td>
                        <td>{record.warnings}</td>
                        <td>{record.error_cause}</td>
                        <td>{record.solution}</td>
                        <td>{record.snapshot_taken_at.map(time::minutes)} " " {record.snapshot_state.map(state_badge)}</td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager empty="没有符合条件的检查记录。" testid="db-checks" />
        </section>
    }
}

fn check_badge(state: DbCheckState) -> impl IntoView {
    let class = match state {
        DbCheckState::Normal => "badge badge--ok",
        DbCheckState::Abnormal => "badge badge--danger",
    };
    view! { <span class=class>{state.label()}</span> }
}

/// Words, state and China-time range; submitting reads the list again.
#[component]
fn SearchForm(query: RwSignal<DbCheckQuery>) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(DbCheckQuery {
            q: Some(q.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
            state: DbCheckState::parse(&state.get_untracked()),
            from: utc_of(&from.get_untracked()),
            to: utc_of(&to.get_untracked()),
            limit: Some(PAGE),
            cursor: None,
        });
    };
    view! {
        <form class="filters" role="search" aria-label="查找检查记录" novalidate=true on:submit=submit data-testid="db-check-search">
            <div class="field">
                <label for="db-check-q">"关键词"</label>
                <input id="db-check-q" type="search" bind:value=q />
            </div>
            <CodeSelect id="db-check-state" label="状态" all=choices(DbCheckState::ALL) value=state />
            <div class="field">
                <label for="db-check-from">"时间自(北京时间)"</label>
                <input id="db-check-from" type="datetime-local" bind:value=from />
            </div>
            <div class="field">
                <label for="db-check-to">"至"</label>
                <input id="db-check-to" type="datetime-local" bind:value=to />
            </div>
            <div class="filters__actions">
                <button class="button" type="submit">"查找"</button>
            </div>
        </form>
    }
}

/// A labelled text area whose API error stands under it.
#[component]
fn Text(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let error = move || errors.with(|e| error_for(e, name));
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label for=name>{label}</label>
            <textarea id=name name=name rows="3" bind:value=value aria-describedby=format!("{name}-error")></textarea>
            <p class="field__error" id=format!("{name}-error") data-testid=format!("error-{name}") role="alert">{error}</p>
        </div>
    }
}

/// The database administrator's form for one check; the state's rule (cause and solution for an abnormal state) is
/// checked here as the API checks it.
#[component]
fn NewCheck(on_recorded: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = RwSignal::new(DbCheckState::Normal.as_str().to_owned());
    let warnings = RwSignal::new(String::new());
    let cause = RwSignal::new(String::new());
    let solution = RwSignal::new(String::new());
    let link = RwSignal::new(true);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        let mut record = NewDbCheckRecord {
            state: DbCheckState::parse(&state.get_untracked()).unwrap_or(DbCheckState::Normal),
            warnings: text(warnings),
            error_cause: text(cause),
            solution: text(solution),
            snapshot_id: None,
        };
        let local = record.errors();
        if !local.is_empty() {
            errors.set(local);
            return;
        }
        let link = link.get_untracked();
        leptos::task::spawn_local(async move {
            if link {
                record.snapshot_id = api::dbadmin::latest_snapshot(&token()).await.ok().map(|s| s.id);
            }
            match api::dbadmin::record_check(&token(), &record).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    done.set(Some("检查记录已存档。".to_owned()));
                    for field in [warnings, cause, solution] {
                        field.set(String::new());
                    }
                    on_recorded();
                }
                Err(error) => {
                    done.set(Some(error.friendly()));
                    errors.set(error.field_errors());
                }
            }
        });
    };
    view! {
        <section class="panel" data-testid="new-db-check">
            <h2>"记录一次检查"</h2>
            <form class="form form--wide" on:submit=submit novalidate=true>
                <div class="field">
                    <label for="state">"状态"</label>
                    <select id="state" name="state" on:change=move |ev| state.set(event_target_value(&ev))>
                        {DbCheckState::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=move || state.with(|v| v == s.as_str())>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Text name="warnings" label="告警日志与状态信息" value=warnings errors />
                <Text name="error_cause" label="错误原因(状态异常时必填)" value=cause errors />
                <Text name="solution" label="解决办法(状态异常时必填)" value=solution errors />
                <label class="check">
                    <input type="checkbox" prop:checked=move || link.get() on:change=move |ev| link.set(event_target_checked(&ev)) />
                    "关联最近一次数据库状态快照"
                </label>
                <p class="field__error" role="alert">{move || errors.with(|e| error_for(e, "snapshot_id"))}</p>
                <button class="button" type="submit">"存档"</button>
                {move || done.get().map(|m| view! { <p class="status" role="status">{m}</p> })}
            </form>
        </section>
    }
}
