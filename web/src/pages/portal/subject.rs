//! A subject's page on the portal: who it is (masked for natural persons) and its published records.

use super::portal_error;
use crate::api;
use crate::components::{Missing, ObjectionBadge};
use credit_types::records::PublicSubjectPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SubjectPage() -> impl IntoView {
    let params = use_params_map();
    let page = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        async move { api::portal::subject(&id).await }
    });
    view! {
        <Suspense fallback=|| view! { <p class="status" role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => subject_view(page).into_any(),
                    Err(error) => view! {
                        <Missing title="信用主体" message=portal_error(&error) testid="subject-missing" back="/search" back_text="重新查询" />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn subject_view(page: PublicSubjectPage) -> impl IntoView {
    let subject = page.subject;
    let count = page.records.len();
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/">"首页"</a> " › " <a href="/search">"信用信息查询"</a> " › " <span aria-current="page">{subject.name.clone()}</span>
        </nav>
        <section class="panel" data-testid="subject">
            <h1>{subject.name.clone()}</h1>
            <dl class="facts">
                <dt>"主体类型"</dt>
                <dd>{subject.kind.label()}</dd>
                <dt>{subject.kind.code_label()}</dt>
                <dd class="mono">{subject.code.clone()}</dd>
                <dt>"公示信息"</dt>
                <dd>{count} " 条"</dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="records-title">
            <h2 id="records-title">"公示的信用信息"</h2>
            <ul class="record-list" data-testid="subject-records">
                {page.records.into_iter().map(|r| view! {
                    <li class="record-card" data-testid="subject-record">
                        <div class="record-card__head">
                            <a class="record-card__title" href=format!("/records/{}", r.id)>{r.catalog_name.clone()}</a>
                            {r.under_objection.then(|| view! { <ObjectionBadge /> })}
                        </div>
                        <dl class="record-card__facts">
                            <div><dt>"决定日期"</dt><dd>{r.decision_date.to_string()}</dd></div>
                            <div><dt>"公示截止"</dt><dd>{r.publish_until.to_string()}</dd></div>
                            <div><dt>"提供单位"</dt><dd>{r.provider_name.clone()}</dd></div>
                        </dl>
                    </li>
                }).collect_view()}
            </ul>
            <p class="panel__hint">
                "以上为依法向社会公开且在公示期内的信用信息,个人信息已按规定脱敏。对信息有异议的,可向提供单位或信用主管部门提出异议申诉。"
            </p>
        </section>
    }
}
