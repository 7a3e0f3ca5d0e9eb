//! `/objections/track`: the appellant follows an objection with its tracking number and query code: each step
//! with its date, the deadline, the outcome and its reason, and the record as the portal now shows it; while the
//! objection is open, it can be withdrawn. The code is sent in a POST body, never in the address.

use super::record::PublicFields;
use crate::api::{self, ApiError};
use crate::components::dialog::{close, open, DialogActions};
use crate::components::{time, FormState, Notice, NoticeLine, ObjectionBadge, TextArea, TextInput};
use crate::pages::objections::{ObjectionStatusBadge, OutcomeBadge, Steps};
use credit_types::objections::{ObjectionStatus, ObjectionTrack, TrackRequest, WithdrawObjection};
use credit_types::ErrorCode;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use validator::Validate;

/// The message for a failed tracking call.
fn track_error(error: &ApiError) -> String {
    match error.code() {
        Some(ErrorCode::NotFound) => "受理编号或查询码不正确,请核对后重试。".to_owned(),
        Some(ErrorCode::RateLimited | ErrorCode::TooManyRequests) => "查询过于频繁,请稍后再试。".to_owned(),
        _ => error.friendly(),
    }
}

#[component]
pub fn ObjectionTrackPage() -> impl IntoView {
    let number = RwSignal::new(use_query_map().with_untracked(|q| q.get("number").unwrap_or_default()));
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let track = RwSignal::new(None::<ObjectionTrack>);
    // The credentials of the objection shown, for its withdrawal.
    let asked = StoredValue::new(None::<TrackRequest>);
    let request = move || TrackRequest {
        tracking_number: number.get().trim().to_owned(),
        query_code: code.get().trim().to_owned(),
    };
    let form = FormState::new(move || {
        request().validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e))
    });
    let order = ["tracking_number".to_owned(), "query_code".to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let body = TrackRequest {
            tracking_number: number.get_untracked().trim().to_owned(),
            query_code: code.get_untracked().trim().to_owned(),
        };
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::portal::track(&body).await;
            pending.set(false);
            match result {
                Ok(found) => {
                    asked.set_value(Some(body));
                    track.set(Some(found));
                }
                Err(error) => {
                    track.set(None);
                    failure.set(Some(track_error(&error)));
                }
            }
        });
    };
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/">"首页"</a> " › " <span aria-current="page">"异议办理进度查询"</span>
        </nav>
        <section class="panel" data-testid="objection-track">
            <h1>"异议办理进度查询"</h1>
            <p class="panel__hint">"请输入提交异议时获得的受理编号和查询码。查询码只在提交时显示一次,请妥善保管,不要告知他人。"</p>
            <form class="form form--inline" on:submit=submit novalidate=true data-testid="track-form">
                <TextInput name="tracking_number" label="受理编号" value=number form required=true mono=true />
                <TextInput name="query_code" label="查询码" value=code form required=true mono=true />
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在查询…" } else { "查询" }}
                </button>
            </form>
            <p class="status status--error" role="alert" data-testid="track-error">{move || failure.get()}</p>
        </section>
        {move || track.get().map(|found| view! { <TrackView found track asked /> })}
    }
}

#[component]
fn TrackView(
    found: ObjectionTrack,
    track: RwSignal<Option<ObjectionTrack>>,
    asked: StoredValue<Option<TrackRequest>>,
) -> impl IntoView {
    let notice = RwSignal::new(None::<Notice>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let open_now = found.status.open();
    let reason_label = match found.status {
        ObjectionStatus::NotAccepted => "不予受理理由",
        ObjectionStatus::Withdrawn => "撤回原因",
        _ => "处理理由",
    };
    let state_line = match found.status {
        ObjectionStatus::Submitted => format!("异议已提交,等待信息提供单位受理(受理期限 {})。", found.accept_by),
        ObjectionStatus::Accepted => match found.decide_by {
            Some(day) => format!("异议已受理,正在核查(办结期限 {day})。"),
            None => "异议已受理,正在核查。".to_owned(),
        },
        ObjectionStatus::NotAccepted => "信息提供单位决定不予受理。".to_owned(),
        ObjectionStatus::Decided => "异议已办结。".to_owned(),
        ObjectionStatus::Closed => "异议已办结归档。".to_owned(),
        ObjectionStatus::Withdrawn => "异议已撤回。".to_owned(),
    };
    let steps = found.steps.clone();
    view! {
        <section class="panel" aria-labelledby="track-title" data-testid="track-result">
            <div class="title-row">
                <h2 id="track-title">"受理编号 " <span class="mono">{found.tracking_number.clone()}</span></h2>
                <div class="actions">
                    <ObjectionStatusBadge status=found.status />
                    {found.outcome.map(|outcome| view! { <OutcomeBadge outcome /> })}
                </div>
            </div>
            <NoticeLine notice />
            <p class="status" class:status--ok=!open_now data-testid="track-state">{state_line}</p>
            <dl class="facts facts--wide" data-testid="track-facts">
                <dt>"异议类型"</dt>
                <dd>{found.claim_type.label()}</dd>
                <dt>"提交时间"</dt>
                <dd>{time::minutes(found.filed_at)}</dd>
                <dt>"受理期限"</dt>
                <dd>{found.accept_by.to_string()}</dd>
                <dt>"办结期限"</dt>
                <dd>{found.decide_by.map(|d| d.to_string()).unwrap_or_else(|| "受理后按工作日起算".to_owned())}</dd>
                {found.outcome.map(|o| view! { <dt>"处理结果"</dt><dd data-testid="track-outcome">{o.label()}</dd> })}
                {found.reason.clone().map(|r| view! { <dt>{reason_label}</dt><dd class="prewrap" data-testid="track-reason">{r}</dd> })}
            </dl>
            <h3>"办理过程"</h3>
            <Steps steps />
            {open_now.then(|| view! {
                <div class="toolbar">
                    <button class="button button--ghost-dark" type="button" on:click=move |_| open(dialog)>"撤回异议"</button>
                </div>
            })}
        </section>
        <section class="panel" aria-labelledby="track-record-title" data-testid="track-record">
            {match found.record.clone() {
                Some(record) => {
                    let href = format!("/records/{}", record.id);
                    view! {
                        <div class="title-row">
                            <h2 id="track-record-title">"信用信息(现行公示内容)"</h2>
                            {record.under_objection.then(|| view! { <ObjectionBadge /> })}
                        </div>
                        <p>{record.subject_name.clone()} " · " {record.catalog_name.clone()} " · " {record.provider_name.clone()}</p>
                        <PublicFields fields=record.fields.clone() />
                        <p><a href=href>"在信用门户查看该信息"</a></p>
                    }.into_any()
                }
                None => view! {
                    <h2 id="track-record-title">"信用信息"</h2>
                    <p class="muted">"该信息已不在信用门户公示。"</p>
                }.into_any(),
            }}
        </section>
        {open_now.then(|| view! { <WithdrawDialog dialog track asked notice /> })}
    }
}

/// The appellant's withdrawal, with an optional reason.
#[component]
fn WithdrawDialog(
    dialog: NodeRef<leptos::html::Dialog>,
    track: RwSignal<Option<ObjectionTrack>>,
    asked: StoredValue<Option<TrackRequest>>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    const NAME: &str = "withdraw_reason";
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let body = move |reason: String| {
        let asked =
            asked.get_value().unwrap_or(TrackRequest { tracking_number: String::new(), query_code: String::new() });
        WithdrawObjection { tracking_number: asked.tracking_number, query_code: asked.query_code, reason }
    };
    let form = FormState::new(move || {
        body(reason.get().trim().to_owned())
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| credit_types::problem::field_errors(&e))
            .into_iter()
            .filter(|e| e.field == "reason")
            .map(|e| credit_types::FieldError { field: NAME.into(), ..e })
            .collect()
    });
    let order = [NAME.to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let request = body(reason.get_untracked().trim().to_owned());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::portal::withdraw(&request).await;
            pending.set(false);
            match result {
                Ok(now) => {
                    close(dialog);
                    track.set(Some(now));
                    notice.try_set(Some(Notice::ok("异议已撤回,该信息的异议标注随即解除。")));
                }
                Err(error) if error.is(&[ErrorCode::ObjectionState]) => {
                    failure.set(Some("该异议已经办结或撤回,不能再撤回。请重新查询最新状态。".to_owned()));
                }
                Err(error) => failure.set(Some(track_error(&error))),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="withdraw-title" data-testid="withdraw-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="withdraw-title">"撤回异议"</h2>
                <p>"撤回后,信息提供单位不再办理这项异议,该信息的异议标注随即解除。如仍有异议,可以重新提出。"</p>
                <TextArea name=NAME label="撤回原因(可选)" hint="最多 500 个字" value=reason form />
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <DialogActions dialog confirm="确认撤回" pending=pending.into() danger=true />
            </form>
        </dialog>
    }
}
