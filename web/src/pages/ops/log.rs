//! The operation log (运行日志, R-12.1): search by words, kind, severity and dates, page by page, export as CSV; a
//! system administrator writes new entries (a hardware fault with its device, symptom and who was told) and corrects
//! an entry by writing one that points at it — entries are never changed.

use crate::api;
use crate::components::form::refusal_line;
use crate::components::select::choices;
use crate::components::{
    time, token, ChoiceSelect, CodeSelect, FormState, ListTable, Pager, PagerStatus, RequireRole, TextArea, TextInput,
};
use chrono::{NaiveDate, NaiveTime};
use credit_types::identity::Role;
use credit_types::oplog::{HardwareFault, NewOpLogEntry, OpLogEntry, OpLogKind, OpLogQuery, OpLogSeverity};
use credit_types::{china_time, FieldError};
use leptos::prelude::*;

/// Entries per page.
const PAGE: u32 = 50;

fn severity_class(severity: OpLogSeverity) -> &'static str {
    match severity {
        OpLogSeverity::Info => "badge badge--info",
        OpLogSeverity::Warning => "badge badge--warning",
        OpLogSeverity::Error => "badge badge--danger",
    }
}

/// The start of a China-time day, as the API's instant.
fn day_start(day: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let day: NaiveDate = day.parse().ok()?;
    Some(china_time::to_utc(day.and_time(NaiveTime::MIN)).and_utc())
}

#[component]
pub fn OperationLogPage() -> impl IntoView {
    // Inside the guard: the list is read once the session is known.
    view! {
        <RequireRole roles=&[Role::SystemAdmin, Role::SecurityAuditor]>
            <OperationLog />
        </RequireRole>
    }
}

#[component]
fn OperationLog() -> impl IntoView {
    let writes = super::is_system_admin();
    let pager = Pager::<OpLogEntry>::new();
    let (q, kind, severity, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let query = move || OpLogQuery {
        q: Some(q.get_untracked()).filter(|q| !q.trim().is_empty()),
        kind: OpLogKind::parse(&kind.get_untracked()),
        severity: OpLogSeverity::parse(&severity.get_untracked()),
        from: day_start(&from.get_untracked()),
        // Up to the end of the day chosen.
        to: day_start(&to.get_untracked()).map(|t| t + chrono::Duration::days(1)),
        limit: Some(PAGE),
        ..Default::default()
    };
    let search = move || pager.load(api::url::ops_log(&query()));
    search();
    let corrects = RwSignal::new(None::<OpLogEntry>);
    let export = RwSignal::new(None::<Result<String, String>>);
    let download = move |_| {
        leptos::task::spawn_local(async move {
            let csv = api::ops::export(&token(), &OpLogQuery { limit: None, ..query() }).await;
            export.set(Some(
                csv.map(|csv| format!("data:text/csv;charset=utf-8,{}", api::urlencode(&csv)))
                    .map_err(|e| e.friendly()),
            ));
        });
    };
    view! {
            {writes.then(|| view! { <NewEntry corrects on_written=Callback::new(move |_| pager.reload()) /> })}
            <section class="panel" aria-labelledby="oplog-title">
                <h1 id="oplog-title">"运行日志"</h1>
                <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); search(); } data-testid="oplog-search">
                    <div class="field">
                        <label for="oplog-q">"关键词"</label>
                        <input id="oplog-q" type="search" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev)) />
                    </div>
                    <CodeSelect id="oplog-kind" label="类型" all=choices(OpLogKind::ALL) value=kind />
                    <CodeSelect id="oplog-severity" label="级别" all=choices(OpLogSeverity::ALL) value=severity />
                    <div class="field">
                        <label for="oplog-from">"自"</label>
                        <input id="oplog-from" type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="oplog-to">"至"</label>
                        <input id="oplog-to" type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) />
                    </div>
                    <button class="button" type="submit">"查询"</button>
                    <button class="button button--secondary" type="button" on:click=download data-testid="oplog-export">"导出 CSV"</button>
                </form>
                {move || export.get().map(|csv| match csv {
                    Ok(href) => view! { <p><a href=href download="operation-log.csv" data-testid="oplog-export-link">"下载运行日志 CSV"</a></p> }.into_any(),
                    Err(error) => view! { <p class="status status--error" role="alert">{error}</p> }.into_any(),
                })}
                <ListTable caption="运行日志,最近的在前" columns=["时间", "类型", "级别", "内容", "记录人", ""] testid="oplog">
                    <For each=move || pager.items.get() key=|e| (e.id.clone(), e.corrected_by.len()) let:entry>
                        <EntryRow entry=entry.clone() writes corrects />
                    </For>
                </ListTable>
                <PagerStatus pager empty="没有符合条件的记录。" testid="oplog" />
            </section>
    }
}

#[component]
fn EntryRow(entry: OpLogEntry, writes: bool, corrects: RwSignal<Option<OpLogEntry>>) -> impl IntoView {
    let fault = entry.hardware.clone().map(|h| {
        format!("设备:{};现象:{};已通知 {}({})", h.device, h.symptom, h.notified, time::minutes(h.notified_at))
    });
    let corrected = (!entry.corrected_by.is_empty()).then_some("已被更正");
    let correction = entry.corrects.is_some().then_some("更正记录");
    let pick = entry.clone();
    view! {
        <tr>
            <td>{time::minutes(entry.recorded_at)}</td>
            <td>{entry.kind.label()}</td>
            <td><span class=severity_class(entry.severity)>{entry.severity.label()}</span></td>
            <td>
                {correction.map(|c| view! { <span class="badge badge--info">{c}</span> " " })}
                {entry.text.clone()}
                {fault.map(|f| view! { <br /><span class="muted">{f}</span> })}
                {corrected.map(|c| view! { " " <span class="badge badge--muted">{c}</span> })}
            </td>
            <td>{entry.author_name.clone()}</td>
            <td>
                {(writes && entry.kind.written_by_people()).then(|| view! {
                    <button class="button button--link" type="button" on:click=move |_| corrects.set(Some(pick.clone()))>"更正"</button>
                })}
            </td>
        </tr>
    }
}

/// A new entry; with `corrects` set, a correction of that entry.
#[component]
fn NewEntry(corrects: RwSignal<Option<OpLogEntry>>, on_written: Callback<()>) -> impl IntoView {
    let (kind, severity, text) =
        (RwSignal::new(String::new()), RwSignal::new("info".to_owned()), RwSignal::new(String::new()));
    let (device, symptom, notified, notified_at) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let fault = move || kind.get() == OpLogKind::HardwareFault.as_str();
    let hardware = move || {
        fault().then(|| HardwareFault {
            device: device.get(),
            symptom: symptom.get(),
            notified: notified.get(),
            notified_at: chrono::NaiveDateTime::parse_from_str(&notified_at.get(), "%Y-%m-%dT%H:%M")
                .map(|local| china_time::to_utc(local).and_utc())
                .unwrap_or_default(),
        })
    };
    let entry = move || {
        OpLogKind::parse(&kind.get()).map(|k| NewOpLogEntry {
            kind: k,
            severity: OpLogSeverity::parse(&severity.get()).unwrap_or(OpLogSeverity::Info),
            text: text.get(),
            corrects: corrects.get().map(|e| e.id),
            hardware: hardware(),
        })
    };
    let form = FormState::new(move || {
        let mut errors = match entry() {
            Some(e) => e.errors(),
            None => vec![FieldError::new("kind", "required", "请选择类型")],
        };
        if fault() {
            for (name, value) in [
                ("device", device.get()),
                ("symptom", symptom.get()),
                ("notified", notified.get()),
                ("notified_at", notified_at.get()),
            ] {
                if value.trim().is_empty() {
                    errors.push(FieldError::new(name, "required", "硬件故障须填写此项"));
                }
            }
            errors.retain(|e| e.field != "hardware");
        }
        errors
    });
    let order: Vec<String> =
        ["kind", "severity", "text", "device", "symptom", "notified", "notified_at"].map(String::from).to_vec();
    let refusal = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let written = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let order = order.clone();
        if busy.get_untracked() || !form.ready(&order) {
            return;
        }
        let Some(request) = entry() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::ops::write_entry(&token(), &request).await {
                Ok(_) => {
                    text.set(String::new());
                    corrects.set(None);
                    written.set(true);
                    refusal.set(None);
                    on_written.run(());
                }
                Err(error) => {
                    let errors = error.field_errors();
                    refusal.set(refusal_line(&error, &errors, &order));
                    form.refused(errors, &order);
                }
            }
            busy.set(false);
        });
    };
    let people_kinds: Vec<(&'static str, &'static str)> =
        choices(OpLogKind::ALL).into_iter().filter(|(code, _)| *code != OpLogKind::AutomaticCheck.as_str()).collect();
    view! {
        <section class="panel" aria-labelledby="oplog-new-title">
            <h2 id="oplog-new-title">{move || if corrects.with(Option::is_some) { "更正运行日志" } else { "填写运行日志" }}</h2>
            {move || corrects.get().map(|old| view! {
                <p class="notice" data-testid="oplog-correcting">
                    "更正 " {time::minutes(old.recorded_at)} " 的记录:" {old.text.clone()} " "
                    <button class="button button--link" type="button" on:click=move |_| corrects.set(None)>"取消更正"</button>
                </p>
            })}
            <form class="form" novalidate=true on:submit=submit data-testid="oplog-form">
                <ChoiceSelect name="kind" label="类型" all=people_kinds value=kind form />
                <ChoiceSelect name="severity" label="级别" all=choices(OpLogSeverity::ALL) value=severity form />
                <TextArea name="text" label="内容" value=text form required=true />
                {move || fault().then(|| view! {
                    <fieldset class="field">
                        <legend>"硬件故障"</legend>
                        <TextInput name="device" label="设备" value=device form required=true />
                        <TextInput name="symptom" label="故障现象" value=symptom form required=true />
                        <TextInput name="notified" label="已通知(人员或单位)" value=notified form required=true />
                        <TextInput name="notified_at" label="通知时间" kind="datetime-local" value=notified_at form required=true />
                    </fieldset>
                })}
                <p class="status status--error" role="alert" hidden=move || refusal.with(Option::is_none)>{move || refusal.get()}</p>
                <p class="status" role="status" hidden=move || !written.get()>"已记入运行日志。"</p>
                <button class="button" type="submit" disabled=move || busy.get()>"记入运行日志"</button>
            </form>
        </section>
    }
}
