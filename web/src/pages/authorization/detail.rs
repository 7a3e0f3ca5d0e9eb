//! `/workbench/authorization/requests/:id`: one request as both sides see it (the target records, never their
//! content; the attachments), the provider's approval and rejection, the requester's withdrawal. A decision someone
//! else made first is explained and the page shows the request as it now stands.

use super::attachments::Attachments;
use super::decide::ApproveDialog;
use super::reason::{open, Notice, NoticeLine, ReasonAction, ReasonDialog};
use super::{me, purpose_text, Deadline, RequestBadge};
use crate::api::{self, ApiError};
use crate::components::{token, RequireRole};
use crate::pages::records::local_time;
use credit_types::authorization::{AuthorizationRequest, AuthorizationRequestDetail, RequestStatus, TargetRecord};
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What a decision someone else made first means to the person who tried to make it.
pub const ALREADY_DECIDED: &str =
    "该申请已经处理(可能已由本单位其他人员审核,或已被申请单位撤回),不能重复处理;页面已刷新为最新状态。";

#[component]
pub fn RequestDetail() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::UserUnit, Role::DataProvider]>
            <RequestDetailPage />
        </RequireRole>
    }
}

#[component]
fn RequestDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<Notice>);
    let data = LocalResource::new(move || {
        reload.track();
        let url = format!("/api/v1/authorization/requests/{}", api::urlencode(&id.get()));
        async move { api::get_json::<AuthorizationRequestDetail>(&url, Some(&token())).await }
    });
    let done = move |n: Notice| {
        notice.set(Some(n));
        reload.update(|n| *n += 1);
    };
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载申请…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => view! { <RequestView detail notice on_done=done reload /> }.into_any(),
                    Err(error) => view! { <Missing error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Missing(error: ApiError) -> impl IntoView {
    view! {
        <section class="panel" data-testid="request-missing">
            <h1>"授权申请"</h1>
            <p class="status status--error" role="alert">{error.friendly()}</p>
        </section>
    }
}

#[component]
fn RequestView(
    detail: AuthorizationRequestDetail,
    notice: RwSignal<Option<Notice>>,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let AuthorizationRequestDetail { request, records, attachments } = detail;
    let me = me();
    let org = me.as_ref().map(|m| m.organisation_id.clone()).unwrap_or_default();
    let holds = |role: Role| me.as_ref().is_some_and(|m| m.roles.contains(&role));
    let pending = request.status == RequestStatus::Pending;
    let provider_side = holds(Role::DataProvider) && org == request.provider_org_id;
    let requester_side = holds(Role::UserUnit) && org == request.requester_org_id;
    let decider = provider_side && pending;
    let may_withdraw = requester_side && pending;
    let (back_href, back_label) = if provider_side {
        ("/workbench/authorization/inbox", "授权审核")
    } else {
        ("/workbench/authorization/outbox", "授权申请")
    };
    // The requester reads approved records through the grant; the provider reads its own records anyway.
    let record_links = provider_side || (requester_side && request.status == RequestStatus::Approved);
    let read_purpose = purpose_text(request.purpose, request.purpose_text.as_deref());

    let approve = NodeRef::<leptos::html::Dialog>::new();
    let reasoned = NodeRef::<leptos::html::Dialog>::new();
    let action = RwSignal::new(None::<ReasonAction>);
    let url = |verb: &str| format!("/api/v1/authorization/requests/{}/{verb}", api::urlencode(&request.id));
    let reject_action = ReasonAction {
        url: url("reject"),
        title: "拒绝申请".into(),
        intro: format!("拒绝后,{} 不能查看这些记录;原因将告知申请单位。", request.requester_org_name),
        confirm: "确认拒绝".into(),
        done: "已拒绝该申请。".into(),
        conflict: ALREADY_DECIDED.into(),
    };
    let withdraw_action = ReasonAction {
        url: url("withdraw"),
        title: "撤回申请".into(),
        intro: format!("撤回后,{} 不再审核这份申请;如仍需使用,请重新提交。", request.provider_org_name),
        confirm: "确认撤回".into(),
        done: "申请已撤回。".into(),
        conflict: "该申请已由提供单位处理,不能撤回;页面已刷新为最新状态。".into(),
    };
    let start = move |chosen: ReasonAction| {
        action.set(Some(chosen));
        open(reasoned);
    };
    let grant_href = request.grant_id.as_ref().map(|_| {
        if provider_side {
            "/workbench/authorization/grants"
        } else {
            "/workbench/authorization/outbox"
        }
    });
    let request_for_dialog = request.clone();
    let on_done_approve = on_done.clone();
    let on_done_reason = on_done.clone();
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href=back_href>{back_label}</a> " › " <span aria-current="page">"申请详情"</span>
        </nav>
        <section class="panel" data-testid="request">
            <div class="title-row">
                <h1>"授权使用申请"</h1>
                <RequestBadge status=request.status />
            </div>
            <NoticeLine notice />
            <RequestFacts request=request.clone() />
            {grant_href.map(|href| view! {
                <p><a href=href data-testid="grant-link">"查看授权情况"</a></p>
            })}
            {(decider || may_withdraw).then(|| view! {
                <div class="toolbar">
                    {decider.then(|| view! {
                        <button class="button" type="button" on:click=move |_| open(approve)>"同意"</button>
                        <button class="button button--danger" type="button" on:click={
                            let reject_action = reject_action.clone();
                            move |_| start(reject_action.clone())
                        }>"拒绝"</button>
                    })}
                    {may_withdraw.then(|| view! {
                        <button class="button button--ghost-dark" type="button" on:click={
                            let withdraw_action = withdraw_action.clone();
                            move |_| start(withdraw_action.clone())
                        }>"撤回申请"</button>
                    })}
                </div>
            })}
        </section>
        <section class="panel" aria-labelledby="targets-title" data-testid="request-records">
            <h2 id="targets-title">{format!("申请的记录({} 条)", records.len())}</h2>
            <TargetTable records links=record_links purpose=read_purpose />
        </section>
        <Attachments request_id=request.id.clone() attachments may_upload=may_withdraw on_change=move || reload.update(|n| *n += 1) />
        {decider.then(|| view! { <ApproveDialog dialog=approve request=request_for_dialog.clone() on_done=on_done_approve.clone() /> })}
        {decider.then(|| view! { <ReasonDialog dialog=reasoned name="reject_reason" label="拒绝原因" action on_done=on_done_reason.clone() /> })}
        {may_withdraw.then(|| view! { <ReasonDialog dialog=reasoned name="withdraw_reason" label="撤回原因" action on_done=on_done.clone() /> })}
    }
}

#[component]
fn RequestFacts(request: AuthorizationRequest) -> impl IntoView {
    let decided = request.decided_at.map(|at| {
        let label = match request.status {
            RequestStatus::Approved => "审核意见",
            RequestStatus::Rejected => "拒绝原因",
            _ => "撤回原因",
        };
        let by = request.decided_by_name.clone().map(|name| view! { <dt>"处理人"</dt><dd data-testid="decided-by">{name}</dd> });
        view! {
            <dt>"处理时间"</dt>
            <dd>{local_time(at)}</dd>
            {by}
            {request.decision_note.clone().map(|note| view! { <dt>{label}</dt><dd data-testid="decision-note">{note}</dd> })}
        }
    });
    view! {
        <dl class="facts" data-testid="request-facts">
            <dt>"申请单位"</dt>
            <dd>{request.requester_org_name.clone()} " · " {request.requester_name.clone()}</dd>
            <dt>"提供单位"</dt>
            <dd>{request.provider_org_name.clone()}</dd>
            <dt>"用途"</dt>
            <dd>{purpose_text(request.purpose, request.purpose_text.as_deref())}</dd>
            <dt>"法律依据"</dt>
            <dd>{request.legal_basis.clone()}</dd>
            <dt>"申请使用期限"</dt>
            <dd>{request.period_days} " 天"</dd>
            <dt>"使用协议"</dt>
            <dd data-testid="request-agreement">{request.agreement_document_no.clone()}</dd>
            <dt>"提交时间"</dt>
            <dd>{local_time(request.created_at)}</dd>
            <dt>"办理期限"</dt>
            <dd><Deadline decide_by=request.decide_by overdue=request.overdue /></dd>
            {decided}
        </dl>
    }
}

/// The target records: what they are, never their content; linked when the reader may open them.
#[component]
fn TargetTable(records: Vec<TargetRecord>, links: bool, purpose: String) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"申请的记录"</caption>
                <thead>
                    <tr><th scope="col">"信用主体"</th><th scope="col">"目录项"</th><th scope="col">"决定日期"</th></tr>
                </thead>
                <tbody>
                    {records.into_iter().map(|r| {
                        let href = api::with_query(&format!("/workbench/records/{}", r.id), &[("purpose", purpose.clone())]);
                        view! {
                            <tr data-testid="request-record">
                                <td>
                                    {if links {
                                        view! { <a href=href>{r.subject_name.clone()}</a> }.into_any()
                                    } else {
                                        view! { <span>{r.subject_name.clone()}</span> }.into_any()
                                    }}
                                    <div class="mono muted">{r.subject_code}</div>
                                </td>
                                <td>{r.catalog_name} " · " <span class="mono">{r.catalog_code}</span></td>
                                <td>{r.decision_date.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
