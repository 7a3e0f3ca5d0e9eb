//! One record in the workbench: its fields, its version history (nothing a change replaced is lost), and for its
//! provider the amendment and the revocation (`amend.rs`).

use super::amend::{AmendSection, RevokeDialog};
use super::CONTENT_ROLES;
use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::dialog::open;
use crate::components::{time, token, GrantedBadge, Missing, RegionNames, RequireRole, StatusBadge};
use crate::pages::objections::{RecordNotes, HANDLER_ROLES};
use credit_types::identity::Role;
use credit_types::records::{ReadQuery, Record, RecordStatus, RecordVersion};
use credit_types::ErrorCode;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RecordDetail() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <RecordDetailPage />
        </RequireRole>
    }
}

/// A record as read, its version tag, and its history.
type Loaded = (Record, String, Vec<RecordVersion>);

#[component]
fn RecordDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let purpose = query.with_untracked(|q| q.get("purpose").unwrap_or_default());
    let notice = RwSignal::new(match query.with_untracked(|q| q.get("saved")).as_deref() {
        Some("created") => Some("记录已提交。".to_owned()),
        _ => None,
    });
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        let read = ReadQuery { purpose: Some(purpose.clone()).filter(|p| !p.trim().is_empty()) };
        async move {
            let (record, etag) = api::records::get(&token(), &id, &read).await?;
            let versions = api::records::versions(&token(), &id, &read).await?;
            Ok::<Loaded, ApiError>((record, etag, versions))
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载记录…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((record, etag, versions)) => view! { <RecordView record etag versions reload notice /> }.into_any(),
                    Err(error) => view! { <RecordMissing error id=id.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A record that cannot be read; a user unit may ask its provider for consent.
#[component]
fn RecordMissing(error: ApiError, id: String) -> impl IntoView {
    // A user unit reads other units' authorised-use records only with their consent.
    let may_ask = error.is(&[ErrorCode::NotFound])
        && Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::UserUnit)));
    let ask = api::with_query("/workbench/authorization/new", &[("record", id)]);
    view! {
        <Missing title="信用记录" message=error.friendly() testid="record-missing" back="/workbench/records" back_text="返回记录列表">
            {may_ask.then(|| view! {
                <p>"“部门申请授权使用”类信息须经提供单位同意后方可查看;授权到期或被撤销后不能再查看。"
                    <a href=ask.clone()>"申请授权使用"</a></p>
            })}
        </Missing>
    }
}

#[component]
fn RecordView(
    record: Record,
    etag: String,
    versions: Vec<RecordVersion>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let me = Auth::get().session.get_untracked().map(|s| s.me);
    let may_change = me
        .is_some_and(|me| me.roles.contains(&Role::DataProvider) && me.organisation_id == record.provider_id)
        && record.status != RecordStatus::Revoked;
    let amending = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let done = move |message: String| {
        amending.set(false);
        notice.set(Some(message));
        reload.update(|n| *n += 1);
    };
    let title = format!("{} · {}", record.catalog_item.name_zh, record.subject.name);
    let (amend_record, amend_etag) = (record.clone(), etag.clone());
    let record_id = record.id.clone();
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href="/workbench/records">"信用记录"</a> " › " <span aria-current="page">{title.clone()}</span>
        </nav>
        <section class="panel" data-testid="record">
            <div class="title-row">
                <h1>{title}</h1>
                <div class="actions">
                    <StatusBadge status=record.status />
                    // Said by the API, which alone applies the access rule.
                    {record.read_through_grant.is_some().then(|| view! { <GrantedBadge /> })}
                </div>
            </div>
            <p class="status status--ok" role="status" aria-live="polite" data-testid="record-notice">{move || notice.get()}</p>
            <RecordFacts record=record.clone() />
            {may_change.then(|| view! {
                <div class="toolbar">
                    <button class="button" type="button" aria-expanded=move || amending.get().to_string()
                        on:click=move |_| amending.update(|a| *a = !*a)>"更正记录"</button>
                    <button class="button button--danger" type="button" on:click=move |_| open(dialog)>"撤销记录"</button>
                </div>
            })}
        </section>
        <Show when=move || amending.get()>
            <AmendSection record=amend_record.clone() if_match=amend_etag.clone() on_done=done on_cancel=move || amending.set(false) />
        </Show>
        {may_change.then(|| view! { <RevokeDialog dialog record_id=record_id.clone() if_match=etag.clone() on_done=done /> })}
        <section class="panel" aria-labelledby="versions-title" data-testid="versions">
            <h2 id="versions-title">"版本历史"</h2>
            <ol class="versions">
                {versions.into_iter().enumerate().map(|(i, v)| view! { <VersionItem version=v open=i == 0 /> }).collect_view()}
            </ol>
        </section>
    }
}

/// What the record is, its content, its objection notes, and for handlers the way to its objections.
#[component]
fn RecordFacts(record: Record) -> impl IntoView {
    // Who handles or oversees objections finds this record's objections from here.
    let handles = Auth::get()
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.iter().any(|r| HANDLER_ROLES.contains(r))));
    let objections_href = api::with_query("/workbench/objections", &[("record_id", record.id.clone())]);
    let regions = RegionNames::load();
    let region_code = record.jurisdiction_region.clone();
    let region = move || {
        let name = regions.name(&region_code);
        if name == region_code {
            name
        } else {
            format!("{name}({region_code})")
        }
    };
    view! {
        <dl class="facts">
            <dt>"信用主体"</dt>
            <dd>{record.subject.name.clone()} "(" {record.subject.kind.label()} ")"</dd>
            <dt>{record.subject.kind.code_label()}</dt>
            <dd class="mono">{record.subject.code.clone()}</dd>
            <dt>"目录项"</dt>
            <dd>{record.catalog_item.name_zh.clone()} " · " <span class="mono">{record.catalog_item.code.clone()}</span> " · 第 " {record.catalog_item.version} " 版"</dd>
            <dt>"提供单位"</dt>
            <dd>{record.provider_name.clone()}</dd>
            <dt>"管辖区域"</dt>
            <dd>{region}</dd>
            <dt>"公开范围"</dt>
            <dd>{record.disclosure_class.label()}</dd>
            <dt>"决定日期"</dt>
            <dd>{record.decision_date.to_string()}</dd>
            <dt>"公示截止"</dt>
            <dd>{record.publish_until.to_string()}</dd>
            {record.provider_ref.clone().map(|r| view! { <dt>"本单位编号"</dt><dd class="mono">{r}</dd> })}
            <dt>"版本"</dt>
            <dd>"第 " {record.version} " 版,更新于 " {time::minutes(record.updated_at)}</dd>
        </dl>
        <h2>"信息内容"</h2>
        <dl class="facts facts--wide" data-testid="record-fields">
            {record.fields.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
        </dl>
        {(record.status == RecordStatus::UnderObjection).then(|| view! {
            <p class="status status--warning" data-testid="record-under-objection">"该记录有正在办理的异议,办结前在信用门户标注“异议处理中”。"</p>
        })}
        <RecordNotes notes=record.notes />
        {handles.then(|| view! { <p><a href=objections_href data-testid="record-objections">"查看该记录的异议"</a></p> })}
    }
}

#[component]
fn VersionItem(version: RecordVersion, open: bool) -> impl IntoView {
    let reason = if version.reason == "created" { "首次提交".to_owned() } else { version.reason.clone() };
    view! {
        <li class="version" data-testid="version">
            <details open=open>
                <summary>
                    <strong>"第 " {version.version} " 版"</strong>
                    " · " {time::minutes(version.created_at)} " · " {version.created_by.clone()}
                    " · " <span class="version__reason">{reason}</span>
                </summary>
                <dl class="facts facts--wide">
                    <dt>"状态"</dt><dd>{version.status.label()}</dd>
                    <dt>"公开范围"</dt><dd>{version.disclosure_class.label()}</dd>
                    <dt>"决定日期"</dt><dd>{version.decision_date.to_string()}</dd>
                    <dt>"公示截止"</dt><dd>{version.publish_until.to_string()}</dd>
                    <dt>"目录版本"</dt><dd>"第 " {version.catalog_version} " 版"</dd>
                    {version.fields.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
                </dl>
            </details>
        </li>
    }
}
