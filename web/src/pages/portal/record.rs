//! One published record on the portal, its values masked by the catalog's rules, with the notes
//! undetermined objections left on it and the form to object to it.

use super::objection_filed::FiledNotice;
use super::objection_form::ObjectionForm;
use super::portal_error;
use crate::api;
use crate::components::{Missing, ObjectionBadge};
use crate::pages::objections::RecordNotes;
use credit_types::objections::FiledObjection;
use credit_types::records::{PublicRecord, RecordField};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PublicRecordPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0u32);
    // The answer to a filing on this page, kept above the record (which is read again after the filing).
    let filed = RwSignal::new(None::<(String, FiledObjection)>);
    let record = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        async move { api::portal::record(&id).await }
    });
    let on_filed = move |record_id: String, answer: FiledObjection| {
        filed.set(Some((record_id, answer)));
        reload.update(|n| *n += 1);
    };
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => record_view(record, filed, on_filed).into_any(),
                    Err(error) => view! {
                        <Missing title="信用信息" message=portal_error(&error) testid="record-missing" back="/search" back_text="重新查询" />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A record's published values (masked by the server).
#[component]
pub fn PublicFields(fields: Vec<RecordField>) -> impl IntoView {
    view! {
        <dl class="facts facts--wide" data-testid="public-fields">
            {fields.into_iter().map(|f| view! {
                <dt>{f.label}</dt>
                <dd>{if f.value.is_empty() { "—".to_owned() } else { f.value }}</dd>
            }).collect_view()}
        </dl>
    }
}

fn record_view(
    record: PublicRecord,
    filed: RwSignal<Option<(String, FiledObjection)>>,
    on_filed: impl Fn(String, FiledObjection) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let subject_href = format!("/subjects/{}", record.subject_id);
    let record_id = record.id.clone();
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
            <PublicFields fields=record.fields.clone() />
            <p class="panel__hint">"依照《九江市公共信用信息平台和信用门户网站安全管理办法》,姓名、身份证件号码、联系方式和住址等个人信息已脱敏显示。"</p>
            <RecordNotes notes=record.notes.clone() />
        </section>
        <ObjectionSection record_id filed on_filed />
    }
}

/// "提出异议": the form behind a button, or, once filed, the tracking number and query code.
#[component]
fn ObjectionSection(
    record_id: String,
    filed: RwSignal<Option<(String, FiledObjection)>>,
    on_filed: impl Fn(String, FiledObjection) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let writing = RwSignal::new(false);
    let id = StoredValue::new(record_id);
    let answer = move || filed.get().filter(|(record, _)| *record == id.get_value()).map(|(_, answer)| answer);
    view! {
        <section class="panel" aria-labelledby="objection-title" data-testid="objection-section">
            <h2 id="objection-title">"异议申诉"</h2>
            {move || match answer() {
                Some(answer) => view! { <FiledNotice filed=answer /> }.into_any(),
                None => view! {
                    <p>"信用主体(或其法定代表人、委托代理人)认为该信息有误、不完整、已超过公示期限或并非本人(本单位)信息的,可以提出异议。"
                        "信息提供单位自提交之日起 3 个工作日内决定是否受理,受理后 15 个工作日内核查办结。"</p>
                    <Show when=move || !writing.get()>
                        <button class="button" type="button" aria-expanded="false" on:click=move |_| writing.set(true)>"提出异议"</button>
                    </Show>
                    <Show when=move || writing.get()>
                        <ObjectionForm
                            record_id=id.get_value()
                            on_filed=move |answer| { writing.set(false); on_filed(id.get_value(), answer); }
                            on_cancel=move || writing.set(false)
                        />
                    </Show>
                }.into_any(),
            }}
            <p class="panel__hint">"已提出异议的,可" <a href="/objections/track">"凭受理编号和查询码查询办理进度"</a> "。"</p>
        </section>
    }
}
