//! `/workbench/authorization/requests/:id`: one request as both sides see it (the target records, never their
//! content; the attachments), the provider's approval and rejection, the requester's withdrawal. A decision someone
//! else made first is explained and the page shows the request as it now stands.

use super::attachments::Attachments;
use super::decide::ApproveDialog;
use super::reason::{self, AuthorizationChange};
use super::{me, purpose_text, Deadline, RequestBadge};
use crate::api;
use crate::components::dialog::open;
use crate::components::{time, token, Missing, NoticeLine, ReasonAsk, ReasonDialog, Reloadable, RequireRole};
use credit_types::authorization::{AuthorizationRequest, AuthorizationRequestDetail, RequestStatus, TargetRecord};
use credit_types::identity::Role;
use leptos::prelude::*;

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
    let page = Reloadable::new();
    let data = LocalResource::new(move || {
        let id = page.id();
        async move { api::authorization::request(&token(), &id).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载申请…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => view! { <RequestView detail page /> }.into_any(),
                    Err(error) => view! { <Missing title="授权申请" message=error.friendly() testid="request-missing" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Which side of a request the signed-in user is on, and what that side may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Side {
    provider: bool,
    requester: bool,
    pending: bool,
}

impl Side {
    fn of(request: &AuthorizationRequest) -> Side {
        let me = me();
        let org = me.as_ref().map(|m| m.organisation_id.clone()).unwrap_or_default();
        let holds = |role: Role| me.as_ref().is_some_and(|m| m.roles.contains(&role));
        Side {
            provider: holds(Role::DataProvider) && org == request.provider_org_id,
            requester: holds(Role::UserUnit) && org == request.requester_org_id,
            pending: request.status == RequestStatus::Pending,
        }
    }

    fn decides(self) -> bool {
        self.provider && self.pending
    }

    fn withdraws(self) -> bool {
        self.requester && self.pending
    }
}

#[component]
fn RequestView(detail: AuthorizationRequestDetail, page: Reloadable) -> impl IntoView {
    let AuthorizationRequestDetail { request, records, attachments } = detail;
    let side = Side::of(&request);
    let (back_href, back_label) = if side.provider {
        ("/workbench/authorization/inbox", "授权审核")
    } else {
        ("/workbench/authorization/outbox", "授权申请")
    };
    // The requester reads approved records through the grant; the provider reads its own records anyway.
    let record_links = side.provider || (side.requester && request.status == RequestStatus::Approved);
    let read_purpose = purpose_text(request.purpose, request.purpose_text.as_deref());
    let grant_href = request.grant_id.as_ref().map(|_| {
        if side.provider {
            "/workbench/authorization/grants"
        } else {
            "/workbench/authorization/outbox"
        }
    });
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href=back_href>{back_label}</a> " › " <span aria-current="page">"申请详情"</span>
        </nav>
        <section class="panel" data-testid="request">
            <div class="title-row">
                <h1>"授权使用申请"</h1>
                <RequestBadge status=request.status />
            </div>
            <NoticeLine notice=page.notice />
            <RequestFacts request=request.clone() />
            {grant_href.map(|href| view! {
                <p><a href=href data-testid="grant-link">"查看授权情况"</a></p>
            })}
            <Decisions request=request.clone() side page />
        </section>
        <section class="panel" aria-labelledby="targets-title" data-testid="request-records">
            <h2 id="targets-title">{format!("申请的记录({} 条)", records.len())}</h2>
            <TargetTable records links=record_links purpose=read_purpose />
        </section>
        <Attachments request_id=request.id.clone() attachments may_upload=side.withdraws() on_change=move || page.reload() />
    }
}

/// The provider's approval and rejection, the requester's withdrawal, each in its dialog.
#[component]
fn Decisions(request: AuthorizationRequest, side: Side, page: Reloadable) -> impl IntoView {
    let approve = NodeRef::<leptos::html::Dialog>::new();
    let reasoned = NodeRef::<leptos::html::Dialog>::new();
    let ask = RwSignal::new(None::<ReasonAsk<AuthorizationChange>>);
    let reject = StoredValue::new(reason::reject(&request));
    let withdraw =
        StoredValue::new(reason::withdraw(&request, "该申请已由提供单位处理,不能撤回;页面已刷新为最新状态。"));
    let start = move |chosen: StoredValue<ReasonAsk<AuthorizationChange>>| {
        ask.set(Some(chosen.get_value()));
        open(reasoned);
    };
    let done = page.done();
    view! {
        {(side.decides() || side.withdraws()).then(|| view! {
            <div class="toolbar">
                {side.decides().then(|| view! {
                    <button class="button" type="button" on:click=move |_| open(approve)>"同意"</button>
                    <button class="button button--danger" type="button" on:click=move |_| start(reject)>"拒绝"</button>
                })}
                {side.withdraws().then(|| view! {
                    <button class="button button--ghost-dark" type="button" on:click=move |_| start(withdraw)>"撤回申请"</button>
                })}
            </div>
        })}
        {side.decides().then(|| view! {
            <ApproveDialog dialog=approve request=request.clone() on_done=done />
            <ReasonDialog dialog=reasoned name="reject_reason" ask on_done=done />
        })}
        {side.withdraws().then(|| view! { <ReasonDialog dialog=reasoned name="withdraw_reason" ask on_done=done /> })}
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
            <dd>{time::minutes(at)}</dd>
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
            <dd>{time::minutes(request.created_at)}</dd>
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
