//! Periodic permission review: every account with its flags, and the sign-off.

use super::organisations::with_fallback;
use crate::api;
use crate::components::{time, token, Field, RequireRole};
use credit_types::identity::{ReviewFlag, ReviewReport, ReviewSignOff, Role};
use credit_types::FieldError;
use leptos::prelude::*;

#[component]
pub fn PermissionReviewPage() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::AccountAdmin, Role::SecurityAuditor]>
            <ReviewPage />
        </RequireRole>
    }
}

fn flag_label(flag: ReviewFlag) -> &'static str {
    match flag {
        ReviewFlag::NeverLoggedIn => "从未登录",
        ReviewFlag::Dormant => "长期未登录",
        ReviewFlag::Privileged => "特权角色",
        ReviewFlag::Expiring => "即将到期",
        ReviewFlag::Inactive => "已注销",
    }
}

#[component]
fn ReviewPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let report = LocalResource::new(move || {
        reload.track();
        async move { api::admin::review_report(&token()).await }
    });
    view! {
        <section class="panel" data-testid="review">
            <h1>"权限审查"</h1>
            <Suspense fallback=|| view! { <p class="status">"正在生成报告…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <ReportTable report /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <SignOff reload />
    }
}

#[component]
fn ReportTable(report: ReviewReport) -> impl IntoView {
    view! {
        <p class="panel__hint">"报告生成于 " {time::minutes(report.generated_at)} ",共 " {report.accounts.len()} " 个账号。"</p>
        <table class="table">
            <thead><tr><th>"登录名"</th><th>"姓名"</th><th>"单位"</th><th>"角色"</th><th>"最近登录"</th><th>"提示"</th></tr></thead>
            <tbody>
                {report.accounts.into_iter().map(|a| view! {
                    <tr>
                        <td class="mono">{a.login_name}</td>
                        <td>{a.full_name}</td>
                        <td>{a.organisation_name}</td>
                        <td>{a.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")}</td>
                        <td>{a.last_login_at.map_or_else(|| "—".to_owned(), time::minutes)}</td>
                        <td>{a.flags.iter().map(|f| view! { <span class="tag">{flag_label(*f)}</span> }).collect_view()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The sign-off of this review, and the reviews signed before.
#[component]
fn SignOff(reload: RwSignal<u32>) -> impl IntoView {
    let reviews = LocalResource::new(move || {
        reload.track();
        async move { api::admin::reviews(&token()).await }
    });
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ReviewSignOff { note: note.get_untracked() };
        leptos::task::spawn_local(async move {
            match api::admin::sign_review(&token(), &request).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    note.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.set(with_fallback(error, "note")),
            }
        });
    };
    view! {
        <section class="panel">
            <h2>"审查签署"</h2>
            <form class="form form--wide" on:submit=submit novalidate=true>
                <Field name="note" label="审查意见" value=note errors=errors />
                <button class="button" type="submit">"签署本次审查"</button>
            </form>
            <Suspense>
                {move || Suspend::new(async move {
                    reviews.await.unwrap_or_default().into_iter().map(|r| view! {
                        <p class="history">{time::minutes(r.created_at)} " · " {r.reviewed_by_name} " · " {r.account_count} " 个账号,"
                            {r.flagged_count} " 个有提示 · " {r.note}</p>
                    }).collect_view()
                })}
            </Suspense>
        </section>
    }
}
