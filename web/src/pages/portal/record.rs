//! One published record on the portal, its values masked by the catalog's rules.

use super::portal_error;
use crate::api;
use crate::components::ObjectionBadge;
use credit_types::records::PublicRecord;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PublicRecordPage() -> impl IntoView {
    let params = use_params_map();
    let record = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        async move { api::get_json::<PublicRecord>(&format!("/api/v1/portal/records/{}", api::urlencode(&id)), None).await }
    });
    view! {
        <Suspense fallback=|| view! { <p class="status" role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => record_view(record).into_any(),
                    Err(error) => view! {
                        <section class="panel" data-testid="record-missing">
                            <h1>"信用信息"</h1>
                            <p class="status status--error" role="alert">{portal_error(&error)}</p>
                            <p><a href="/search">"重新查询"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn record_view(record: PublicRecord) -> impl IntoView {
    let subject_href = format!("/subjects/{}", record.subject_id);
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/">"首页"</a> " › " <a href="/search">"信用信息查询"</a> " › "
            <a href=subject_href.clone()>{record.subject_name.clone()}</a> " › " <span aria-current="page">{record.catalog_name.clone()}</span>
        </nav>
        <section class="panel" data-testid="public-record">
            <div class="title-row">
                <h1>{record.catalog_name.clone()}</h1>
                {record.under_objection.then(|| view! { <ObjectionBadge /> })}
            </div>
            {record.under_objection.then(|| view! {
                <p class="status status--warning">"该信息的异议正在处理中,处理结果以更正后的公示为准。"</p>
            })}
            <dl class="facts">
                <dt>"信用主体"</dt>
                <dd><a href=subject_href>{record.subject_name.clone()}</a></dd>
                <dt>"提供单位"</dt>
                <dd>{record.provider_name.clone()}</dd>
                <dt>"决定日期"</dt>
                <dd>{record.decision_date.to_string()}</dd>
                <dt>"公示截止"</dt>
                <dd>{record.publish_until.to_string()}</dd>
            </dl>
            <h2>"信息内容"</h2>
            <dl class="facts facts--wide" data-testid="public-fields">
                {record.fields.into_iter().map(|f| view! {
                    <dt>{f.label}</dt>
                    <dd>{if f.value.is_empty() { "—".to_owned() } else { f.value }}</dd>
                }).collect_view()}
            </dl>
            <p class="panel__hint">"依照《九江市公共信用信息平台和信用门户网站安全管理办法》,姓名、身份证件号码、联系方式和住址等个人信息已脱敏显示。"</p>
        </section>
    }
}
