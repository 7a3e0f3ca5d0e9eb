//! The sessions overview: every open session with its account, unit, start, last use, address and browser;
//! accounts using sessions from more than one address at once are marked; the account office ends a session.

use crate::api;
use crate::auth::Auth;
use crate::components::{time, token, ListTable, Pager, PagerStatus, RequireRole};
use credit_types::identity::{OpenSession, Role, SessionQuery};
use leptos::prelude::*;

/// Sessions per page.
const PAGE: u32 = 100;

#[component]
pub fn Sessions() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::AccountAdmin, Role::SecurityAuditor]>
            <SessionsPage />
        </RequireRole>
    }
}

#[component]
fn SessionsPage() -> impl IntoView {
    let flagged_only = RwSignal::new(false);
    let pager = Pager::<OpenSession>::new();
    Effect::new(move |_| {
        let query =
            SessionQuery { flagged: flagged_only.get().then_some(true), limit: Some(PAGE), ..Default::default() };
        pager.load(api::url::sessions(&query));
    });
    let ends =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::AccountAdmin)));
    let message = RwSignal::new(None::<String>);
    let end = move |id: String, who: String| {
        leptos::task::spawn_local(async move {
            match api::sessions::end(&token(), &id).await {
                Ok(()) => message.set(Some(format!("已结束 {who} 的会话。"))),
                Err(error) => message.set(Some(error.friendly())),
            }
            pager.reload();
        });
    };
    view! {
        <section class="panel" data-testid="sessions">
            <h1>"在线会话"</h1>
            <p class="panel__hint">"同一账号同时从多个地址使用时标为“异常”:账号仅限本人使用。"</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || flagged_only.get() on:change=move |ev| flagged_only.set(event_target_checked(&ev)) data-testid="flagged-only" />
                "只看异常账号"
            </label>
            {move || message.get().map(|m| view! { <p class="status" role="status">{m}</p> })}
            <ListTable caption="在线会话,最新的在前" columns=["账号", "单位", "登录时间", "最近使用", "地址", "浏览器", "", ""] testid="session-table">
                <For each=move || pager.items.get() key=|s| s.id.clone() let:s>
                    {
                        let (id, who) = (s.id.clone(), s.full_name.clone());
                        let address = match (&s.address, &s.last_address) {
                            (Some(first), Some(last)) if first != last => format!("{first} → {last}"),
                            (first, last) => last.clone().or_else(|| first.clone()).unwrap_or_else(|| "未知".to_owned()),
                        };
                        view! {
                            <tr class:row--flagged=s.flagged>
                                <td>{s.full_name} " " <span class="mono">"(" {s.login_name} ")"</span></td>
                                <td>{s.organisation_name}</td>
                                <td>{time::minutes(s.started_at)}</td>
                                <td>{time::minutes(s.last_used_at)}</td>
                                <td class="mono">{address}</td>
                                <td title=s.user_agent.unwrap_or_default()>{s.browser}</td>
                                <td>{s.flagged.then(|| view! { <span class="badge badge--danger" data-testid="session-flag">"异常:多地址同时在线"</span> })}</td>
                                <td>{ends.then(|| view! {
                                    <button class="button button--small button--danger" type="button" on:click=move |_| end(id.clone(), who.clone())>"结束会话"</button>
                                })}</td>
                            </tr>
                        }
                    }
                </For>
            </ListTable>
            <PagerStatus pager empty="没有在线会话。" testid="sessions" />
        </section>
    }
}
