//! One record in the workbench: its fields, its version history (nothing a change replaced is lost), and for its
//! provider the amendment (with a reason, `If-Match`) and the revocation.

use super::form::{check_draft, draft_order, summary, today, DecisionInputs, DraftSignals, ValueInputs};
use super::CONTENT_ROLES;
use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::{described_by, token, FormState, GrantedBadge, Labelled, RequireRole, StatusBadge};
use crate::pages::objections::{notes_of, RecordNotes, HANDLER_ROLES};
use credit_types::catalog::{parse_date, CatalogItem};
use credit_types::identity::Role;
use credit_types::objections::RecordNote;
use credit_types::records::{AmendRecordRequest, Record, RecordStatus, RecordVersion, RevokeRecordRequest};
use credit_types::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;
use validator::Validate;

/// What a stale `If-Match` means to the person who sent it.
const STALE: &str = "记录已被他人修改,请刷新后重试";

#[component]
pub fn RecordDetail() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <RecordDetailPage />
        </RequireRole>
    }
}

/// A UTC time from the API in Jiujiang's time (UTC+8), as the platform's dates are counted.
pub fn local_time(at: chrono::NaiveDateTime) -> String {
    (at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()
}

type Loaded = (Record, String, Vec<RecordVersion>, Vec<RecordNote>);

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
        let id = api::urlencode(&id.get());
        let purpose = purpose.clone();
        async move {
            let pairs = [("purpose", purpose)];
            let url = api::with_query(&format!("/api/v1/records/{id}"), &pairs);
            // Read as JSON first: the notes of undetermined objections come along when the API sends them.
            let (value, etag) = api::get_tagged::<serde_json::Value>(&url, &token()).await?;
            let notes = notes_of(&value);
            let record = serde_json::from_value::<Record>(value).map_err(|e| ApiError::Unexpected(e.to_string()))?;
            let etag = etag.unwrap_or_else(|| format!("\"{}\"", record.version));
            let url = api::with_query(&format!("/api/v1/records/{id}/versions"), &pairs);
            let versions = api::get_json::<Vec<RecordVersion>>(&url, Some(&token())).await?;
            Ok::<Loaded, ApiError>((record, etag, versions, notes))
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载记录…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((record, etag, versions, notes)) => view! { <RecordView record etag versions notes reload notice /> }.into_any(),
                    Err(error) => {
                        // A user unit reads other units' authorised-use records only with their consent.
                        let may_ask = error.status() == Some(404)
                            && Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::UserUnit)));
                        let ask = format!("/workbench/authorization/new?record={}", api::urlencode(&id.get_untracked()));
                        view! {
                            <section class="panel" data-testid="record-missing">
                                <h1>"信用记录"</h1>
                                <p class="status status--error" role="alert">{error.friendly()}</p>
                                {may_ask.then(|| view! {
                                    <p>"“部门申请授权使用”类信息须经提供单位同意后方可查看;授权到期或被撤销后不能再查看。"
                                        <a href=ask>"申请授权使用"</a></p>
                                })}
                                <p><a href="/workbench/records">"返回记录列表"</a></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn RecordView(
    record: Record,
    etag: String,
    versions: Vec<RecordVersion>,
    notes: Vec<RecordNote>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let me = Auth::get().session.get_untracked().map(|s| s.me);
    // Who handles or oversees objections finds this record's objections from here.
    let objections = me.as_ref().is_some_and(|me| me.roles.iter().any(|r| HANDLER_ROLES.contains(r)));
    let objections_href = api::with_query("/workbench/objections", &[("record_id", record.id.clone())]);
    let under_objection = record.status == RecordStatus::UnderObjection;
    let may_change = me
        .is_some_and(|me| me.roles.contains(&Role::DataProvider) && me.organisation_id == record.provider_id)
        && record.status != RecordStatus::Revoked;
    let amending = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let open_revoke = move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let done = move |message: String| {
        amending.set(false);
        notice.set(Some(message));
        reload.update(|n| *n += 1);
    };
    let title = format!("{} · {}", record.catalog_item.name_zh, record.subject.name);
    // Said by the API, which alone applies the access rule.
    let granted = record.read_through_grant.is_some();
    let fields = record.fields.clone();
    let regions = LocalResource::new(api::regions);
    let region_code = record.jurisdiction_region.clone();
    let region = move || {
        let code = region_code.clone();
        regions
            .get()
            .and_then(|r| r.ok())
            .and_then(|list| list.into_iter().find(|r| r.code == code).map(|r| format!("{}({code})", r.name)))
            .unwrap_or(code)
    };
    let amend_record = record.clone();
    let amend_etag = etag.clone();
    let revoke_etag = etag.clone();
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
                    {granted.then(|| view! { <GrantedBadge /> })}
                </div>
            </div>
            <p class="status status--ok" role="status" aria-live="polite" data-testid="record-notice">{move || notice.get()}</p>
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
                <dd>"第 " {record.version} " 版,更新于 " {local_time(record.updated_at)}</dd>
            </dl>
            <h2>"信息内容"</h2>
            <dl class="facts facts--wide" data-testid="record-fields">
                {fields.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
            </dl>
            {under_objection.then(|| view! {
                <p class="status status--warning" data-testid="record-under-objection">"该记录有正在办理的异议,办结前在信用门户标注“异议处理中”。"</p>
            })}
            <RecordNotes notes />
            {objections.then(|| view! { <p><a href=objections_href data-testid="record-objections">"查看该记录的异议"</a></p> })}
            {may_change.then(|| view! {
                <div class="toolbar">
                    <button class="button" type="button" aria-expanded=move || amending.get().to_string()
                        on:click=move |_| amending.update(|a| *a = !*a)>"更正记录"</button>
                    <button class="button button--danger" type="button" on:click=open_revoke>"撤销记录"</button>
                </div>
            })}
        </section>
        <Show when=move || amending.get()>
            <AmendSection record=amend_record.clone() if_match=amend_etag.clone() on_done=done on_cancel=move || amending.set(false) />
        </Show>
        {may_change.then(|| view! { <RevokeDialog dialog record_id=record_id.clone() if_match=revoke_etag.clone() on_done=done /> })}
        <section class="panel" aria-labelledby="versions-title" data-testid="versions">
            <h2 id="versions-title">"版本历史"</h2>
            <ol class="versions">
                {versions.into_iter().enumerate().map(|(i, v)| view! { <VersionItem version=v open=i == 0 /> }).collect_view()}
            </ol>
        </section>
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
                    " · " {local_time(version.created_at)} " · " {version.created_by.clone()}
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

/// Loads the record's catalog item (current version) and shows the amendment form.
#[component]
fn AmendSection(
    record: Record,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let code = record.catalog_item.code.clone();
    let item = LocalResource::new(move || {
        let url = format!("/api/v1/catalog/items/{}", api::urlencode(&code));
        async move { api::get_json::<CatalogItem>(&url, Some(&token())).await }
    });
    view! {
        <section class="panel" aria-labelledby="amend-title" data-testid="amend">
            <h2 id="amend-title">"更正记录"</h2>
            <p class="panel__hint">"更正将保存为新版本,原版本保留在版本历史中。主体不能更改;主体有误的,请撤销后重新提交。"</p>
            <Suspense fallback=|| view! { <p class="status" role="status">"正在加载目录项…"</p> }>
                {
                    let record = record.clone();
                    let if_match = if_match.clone();
                    let on_done = on_done.clone();
                    let on_cancel = on_cancel.clone();
                    move || {
                        let record = record.clone();
                        let if_match = if_match.clone();
                        let on_done = on_done.clone();
                        let on_cancel = on_cancel.clone();
                        Suspend::new(async move {
                            match item.await {
                                Ok(item) => view! { <AmendForm record item if_match on_done on_cancel /> }.into_any(),
                                Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </section>
    }
}

#[component]
fn AmendForm(
    record: Record,
    item: CatalogItem,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let draft = DraftSignals::new();
    draft.decision_date.set(record.decision_date.to_string());
    // Class and period are always sent: left out, the API would reset them to the catalog's defaults.
    draft.class.set(record.disclosure_class.as_str().to_owned());
    draft.publish_days.set((record.publish_until - record.decision_date).num_days().to_string());
    draft.values.set(
        record
            .fields
            .iter()
            .filter(|f| item.fields.iter().any(|d| d.key == f.key))
            .map(|f| (f.key.clone(), f.value.clone()))
            .collect::<BTreeMap<_, _>>(),
    );
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let stale = RwSignal::new(false);
    let checked = item.clone();
    let form = FormState::new(move || {
        let mut errors = check_draft(&checked, &draft);
        let request = AmendRecordRequest {
            values: BTreeMap::new(),
            decision_date: today(),
            disclosure_class: None,
            publish_days: None,
            reason: reason.get().trim().to_owned(),
        };
        if let Err(e) = request.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors
    });
    let mut order = draft_order(&item);
    order.push("reason".to_owned());
    let order = StoredValue::new(order);
    let url = format!("/api/v1/records/{}", api::urlencode(&record.id));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let Some(decision_date) = parse_date(draft.decision_date.get_untracked().trim()) else { return };
        let request = AmendRecordRequest {
            values: draft.values(),
            decision_date,
            disclosure_class: draft.class(),
            publish_days: draft.publish_days(),
            reason: reason.get_untracked().trim().to_owned(),
        };
        let url = url.clone();
        let if_match = if_match.clone();
        let on_done = on_done.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::put_json_if_match::<_, Record>(&url, &request, &if_match, &token()).await;
            // Before anything the answer triggers: a success closes this form and disposes its signals.
            pending.set(false);
            match result {
                Ok(saved) => on_done(format!("已更正,保存为第 {} 版。", saved.version)),
                Err(error) => match error.status() {
                    Some(412) | Some(428) => {
                        stale.set(true);
                        failure.set(Some(STALE.to_owned()));
                    }
                    Some(409) => failure.set(Some("记录已撤销,不能更正。".to_owned())),
                    _ => {
                        let errors = error.field_errors();
                        failure.set(if errors.is_empty() { Some(error.friendly()) } else { summary(errors.len()) });
                        form.refused(errors, &order.get_value());
                    }
                },
            }
        });
    };
    let fields = item.fields.clone();
    let on_cancel = on_cancel.clone();
    view! {
        <form class="form form--record" on:submit=submit novalidate=true data-testid="amend-form">
            <fieldset class="group">
                <legend>"决定与公示"</legend>
                <DecisionInputs item=item.clone() draft form amend=true />
            </fieldset>
            <fieldset class="group">
                <legend>"信息内容"</legend>
                <ValueInputs fields values=draft.values form />
            </fieldset>
            <ReasonInput name="reason" label="更正原因" value=reason form />
            <div class="status status--error" role="alert" data-testid="amend-error">
                {move || failure.get()}
                <Show when=move || stale.get()>
                    " " <button class="button button--small" type="button" on:click=move |_| reload_page()>"刷新"</button>
                </Show>
            </div>
            <div class="form__actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存更正" }}
                </button>
                <button class="button button--ghost-dark" type="button" on:click=move |_| on_cancel()>"取消"</button>
            </div>
        </form>
    }
}

/// Reloads the page: after a stale write, the user starts again from what is stored now.
fn reload_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// A reason (2 to 500 characters) for a change.
#[component]
fn ReasonInput(name: &'static str, label: &'static str, value: RwSignal<String>, form: FormState) -> impl IntoView {
    let empty = Signal::derive(move || value.with(|v| v.trim().is_empty()));
    view! {
        <Labelled name=name label=label hint="将记入版本历史和审计日志" required=true empty form>
            <textarea
                id=name
                name=name
                rows="3"
                aria-required="true"
                aria-invalid=move || if form.shown(name, empty.get()).is_some() { "true" } else { "false" }
                aria-describedby=described_by(name)
                prop:value=move || value.get()
                on:input=move |ev| { value.set(event_target_value(&ev)); form.edited(name); }
                on:blur=move |_| form.left(name)
            ></textarea>
        </Labelled>
    }
}

/// The revocation, in a modal dialog: a reason, then the record is withdrawn (kept, never published again).
#[component]
fn RevokeDialog(
    dialog: NodeRef<leptos::html::Dialog>,
    record_id: String,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // The request names the field `reason`; in the dialog its input is `revoke_reason`, apart from the amendment's.
    let renamed = |errors: Vec<FieldError>| -> Vec<FieldError> {
        errors.into_iter().map(|e| FieldError { field: "revoke_reason".into(), ..e }).collect()
    };
    let form = FormState::new(move || {
        RevokeRecordRequest { reason: reason.get().trim().to_owned() }
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| renamed(credit_types::problem::field_errors(&e)))
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let url = format!("/api/v1/records/{}/revoke", api::urlencode(&record_id));
    let order = ["revoke_reason".to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let request = RevokeRecordRequest { reason: reason.get_untracked().trim().to_owned() };
        let url = url.clone();
        let if_match = if_match.clone();
        let on_done = on_done.clone();
        let order = order.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::post_json_if_match::<_, Record>(&url, &request, &if_match, &token()).await;
            pending.set(false);
            match result {
                Ok(_) => {
                    close();
                    on_done("记录已撤销,不再公示;历史版本仍可查阅。".to_owned());
                }
                Err(error) => match error.status() {
                    Some(412) | Some(428) => failure.set(Some(STALE.to_owned())),
                    Some(409) => failure.set(Some("记录已撤销。".to_owned())),
                    _ if !error.field_errors().is_empty() => form.refused(renamed(error.field_errors()), &order),
                    _ => failure.set(Some(error.friendly())),
                },
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="revoke-title" data-testid="revoke-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="revoke-title">"撤销记录"</h2>
                <p>"撤销后该记录不再公示,也不能再更正;记录及其历史版本仍然保留。"</p>
                <ReasonInput name="revoke_reason" label="撤销原因" value=reason form />
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <div class="form__actions">
                    <button class="button button--danger" type="submit" disabled=move || pending.get()>"确认撤销"</button>
                    <button class="button button--ghost-dark" type="button" on:click=move |_| close()>"取消"</button>
                </div>
            </form>
        </dialog>
    }
}
