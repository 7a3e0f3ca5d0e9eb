//! The security auditor's view of the audit trail: filtered events, newest first, and a chain check.

use super::organisations::urlencode;
use crate::api;
use crate::components::{token, RequireRole};
use credit_types::audit::AuditEvent;
use credit_types::identity::Role;
use credit_types::Page;
use leptos::prelude::*;
use serde::Deserialize;

#[component]
pub fn AuditLog() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::SecurityAuditor]>
            <AuditPage />
        </RequireRole>
    }
}

#[derive(Debug, Clone, Deserialize)]
struct BrokenLink {
    seq: i64,
    reason: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Verification {
    checked: i64,
    first_broken: Option<BrokenLink>,
}

#[component]
fn AuditPage() -> impl IntoView {
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<AuditEvent>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let verification = RwSignal::new(None::<String>);

    let load = move |cursor: Option<String>| {
        let mut url = "/api/v1/audit/events?limit=50".to_owned();
        let a = action.get_untracked();
        if !a.trim().is_empty() {
            url.push_str(&format!("&action={}", urlencode(a.trim())));
        }
        let o = outcome.get_untracked();
        if !o.is_empty() {
            url.push_str(&format!("&outcome={o}"));
        }
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        leptos::task::spawn_local(async move {
            match api::get_json::<Page<AuditEvent>>(&url, Some(&token())).await {
                Ok(page) => {
                    error.set(None);
                    if cursor.is_some() {
                        events.update(|list| list.extend(page.items));
                    } else {
                        events.set(page.items);
                    }
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    load(None);

    let verify = move |_| {
        leptos::task::spawn_local(async move {
            let text = match api::get_json::<Verification>("/api/v1/audit/verify", Some(&token())).await {
                Ok(Verification { checked, first_broken: None }) => format!("审计链完整:已校验 {checked} 条记录。"),
                Ok(Verification { checked, first_broken: Some(b) }) => {
                    format!("审计链在第 {} 条记录处断裂:{}(此前 {checked} 条完好)", b.seq, b.reason)
                }
                Err(e) => e.message(),
            };
            verification.set(Some(text));
        });
    };

    view! {
        <section class="panel" data-testid="audit">
            <h1>"审计日志"</h1>
            <div class="toolbar">
                <button class="button" type="button" on:click=verify>"校验审计链"</button>
                <p class="status" role="status" data-testid="verification">{move || verification.get()}</p>
            </div>
            <form class="form form--inline" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(None); }>
                <label class="search">"操作" <input type="search" placeholder="如 auth.login" bind:value=action /></label>
                <label class="search">"结果"
                    <select on:change=move |ev| outcome.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        <option value="success">"成功"</option>
                        <option value="failure">"失败"</option>
                        <option value="denied">"拒绝"</option>
                    </select>
                </label>
                <button class="button" type="submit">"筛选"</button>
            </form>
            <p class="status status--error" role="alert">{move || error.get()}</p>
            <table class="table">
                <thead><tr><th>"序号"</th><th>"时间(UTC)"</th><th>"操作者"</th><th>"操作"</th><th>"对象"</th><th>"结果"</th><th>"IP"</th></tr></thead>
                <tbody>
                    <For each=move || events.get() key=|e| e.seq let:e>
                        <tr data-testid="audit-row">
                            <td>{e.seq}</td>
                            <td class="mono">{e.occurred_at.clone()}</td>
                            <td>{format!("{} {}", e.actor_kind, e.actor_id.clone().unwrap_or_default())}</td>
                            <td class="mono">{e.action.clone()}</td>
                            <td>{format!("{} {}", e.target_kind.clone().unwrap_or_default(), e.target_id.clone().unwrap_or_default())}</td>
                            <td>{e.outcome.clone()}</td>
                            <td class="mono">{e.actor_ip.clone().unwrap_or_default()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=move || next.with(Option::is_some)>
                <button class="button button--ghost-dark" type="button" on:click=move |_| load(next.get_untracked())>"加载更多"</button>
            </Show>
        </section>
    }
}
