//! `/workbench/objections/:id`: one objection with all its facts, its steps and its evidence; for the providing
//! unit's data providers the next step (accept or not, decide, close). Overseers read it with the contacts masked.

use super::accept::AcceptDialog;
use super::decide::DecideDialog;
use super::evidence::EvidenceViewer;
use super::reason::{self, ObjectionChange};
use super::{current_deadline, DeadlineLeft, ObjectionStatusBadge, OutcomeBadge, Steps, HANDLER_ROLES};
use crate::api;
use crate::components::dialog::open;
use crate::components::{time, token, Missing, Notice, NoticeLine, ReasonAsk, ReasonDialog, Reloadable, RequireRole};
use crate::pages::authorization::me;
use credit_types::identity::Role;
use credit_types::objections::{Objection, ObjectionStatus};
use leptos::prelude::*;

#[component]
pub fn ObjectionDetail() -> impl IntoView {
    view! {
        <RequireRole roles=HANDLER_ROLES>
            <DetailPage />
        </RequireRole>
    }
}

#[component]
fn DetailPage() -> impl IntoView {
    let page = Reloadable::new();
    let data = LocalResource::new(move || {
        let id = page.id();
        async move { api::objections::get(&token(), &id).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载异议…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(objection) => view! { <ObjectionView objection notice=page.notice on_done=page.done() /> }.into_any(),
                    Err(error) => view! {
                        <Missing title="异议详情" message=error.friendly() testid="objection-missing"
                            back="/workbench/objections" back_text="返回异议列表" />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ObjectionView(
    objection: Objection,
    notice: RwSignal<Option<Notice>>,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let me = me();
    let handler = me
        .as_ref()
        .is_some_and(|m| m.roles.contains(&Role::DataProvider) && m.organisation_id == objection.provider_org_id);
    let status = objection.status;
    let may_accept = handler && status == ObjectionStatus::Submitted;
    let may_decide = handler && status == ObjectionStatus::Accepted;
    let may_close = handler && matches!(status, ObjectionStatus::Decided | ObjectionStatus::NotAccepted);

    let accept = NodeRef::<leptos::html::Dialog>::new();
    let decide = NodeRef::<leptos::html::Dialog>::new();
    let reasoned = NodeRef::<leptos::html::Dialog>::new();
    let ask = RwSignal::new(None::<ReasonAsk<ObjectionChange>>);
    let start = move |chosen: ReasonAsk<ObjectionChange>| {
        ask.set(Some(chosen));
        open(reasoned);
    };
    let id = objection.id.clone();
    let evidence = objection.evidence.clone();
    let steps = objection.steps.clone();
    let for_accept = objection.clone();
    let for_decide = objection.clone();
    let (on_accept, on_decide) = (on_done.clone(), on_done.clone());
    view! {
        <nav class="breadcrumbs" aria-label="当前位置">
            <a href="/workbench">"工作台"</a> " › " <a href="/workbench/objections">"异议处理"</a> " › "
            <span aria-current="page">{objection.tracking_number.clone()}</span>
        </nav>
        <section class="panel" data-testid="objection">
            <div class="title-row">
                <h1>"异议 " <span class="mono">{objection.tracking_number.clone()}</span></h1>
                <div class="actions">
                    <ObjectionStatusBadge status />
                    {objection.outcome.map(|outcome| view! { <OutcomeBadge outcome /> })}
                    {objection.overdue.then(|| view! { <span class="badge badge--danger" data-testid="overdue">"已超期"</span> })}
                </div>
            </div>
            <NoticeLine notice />
            <Facts objection=objection.clone() />
            {(may_accept || may_decide || may_close).then(|| view! {
                <div class="toolbar" data-testid="objection-actions">
                    {may_accept.then(|| view! {
                        <button class="button" type="button" on:click=move |_| open(accept)>"受理"</button>
                        <button class="button button--danger" type="button" on:click={
                            let id = id.clone();
                            move |_| start(reason::not_accept(&id))
                        }>"不予受理"</button>
                    })}
                    {may_decide.then(|| view! {
                        <button class="button" type="button" on:click=move |_| open(decide)>"办结"</button>
                    })}
                    {may_close.then(|| view! {
                        <button class="button button--ghost-dark" type="button" on:click={
                            let id = id.clone();
                            move |_| start(reason::close(&id))
                        }>"关闭异议"</button>
                    })}
                </div>
            })}
            {(!handler && status.open()).then(|| view! {
                <p class="panel__hint">"异议由信息提供单位的数据报送人员办理;信用主管部门在此查看办理进度并督办超期异议。"</p>
            })}
        </section>
        <section class="panel" aria-labelledby="steps-title">
            <h2 id="steps-title">"办理过程"</h2>
            <Steps steps />
        </section>
        <EvidenceViewer objection_id=id.clone() evidence />
        {may_accept.then(|| view! { <AcceptDialog dialog=accept objection=for_accept.clone() on_done=on_accept.clone() /> })}
        {may_decide.then(|| view! { <DecideDialog dialog=decide objection=for_decide.clone() on_done=on_decide.clone() /> })}
        {(may_accept || may_close).then(|| view! {
            <ReasonDialog dialog=reasoned name="objection_reason" testid="objection-reason-dialog" rows=4 ask on_done=on_done.clone() />
        })}
    }
}

#[component]
fn Facts(objection: Objection) -> impl IntoView {
    let record_href = format!("/workbench/records/{}", objection.record_id);
    let contact = |value: Option<String>| {
        if objection.contact_purged {
            "已按规定清除".to_owned()
        } else {
            value.unwrap_or_else(|| "—".to_owned())
        }
    };
    let phone = contact(objection.phone.clone());
    let email = contact(objection.email.clone());
    let filed_by = match (&objection.filed_by, &objection.filed_by_name) {
        (Some(_), Some(name)) => format!("窗口代为提交({name})"),
        (Some(_), None) => "窗口代为提交".to_owned(),
        (None, _) => "信用门户网站".to_owned(),
    };
    let deadline = current_deadline(&objection);
    view! {
        <dl class="facts facts--wide" data-testid="objection-facts">
            <dt>"信用信息"</dt>
            <dd><a href=record_href>{objection.subject_name.clone()} " · " {objection.catalog_name.clone()}</a></dd>
            <dt>"提供单位"</dt>
            <dd>{objection.provider_org_name.clone()}</dd>
            <dt>"申诉人"</dt>
            <dd>{objection.appellant_name.clone()} "(" {objection.relation.label()} ")"</dd>
            <dt>"手机号码"</dt>
            <dd class="mono" data-testid="objection-phone">{phone}</dd>
            <dt>"电子邮箱"</dt>
            <dd class="mono">{email}</dd>
            <dt>"异议类型"</dt>
            <dd>{objection.claim_type.label()}</dd>
            <dt>"异议内容"</dt>
            <dd class="prewrap" data-testid="objection-description">{objection.description.clone()}</dd>
            <dt>"提交时间"</dt>
            <dd>{time::minutes(objection.filed_at)} " · " {filed_by}</dd>
            <dt>"受理期限"</dt>
            <dd>{objection.accept_by.to_string()}</dd>
            <dt>"办结期限"</dt>
            <dd>{objection.decide_by.map(|d| d.to_string()).unwrap_or_else(|| "受理后起算".to_owned())}</dd>
            {deadline.map(|_| view! {
                <dt>"当前期限"</dt>
                <dd><DeadlineLeft deadline days_left=objection.days_left overdue=objection.overdue /></dd>
            })}
            {objection.escalated_at.map(|at| view! {
                <dt>"超期督办"</dt>
                <dd><span class="badge badge--danger" data-testid="escalated">"已督办"</span> " " {time::minutes(at)}</dd>
            })}
            {objection.outcome.map(|o| view! { <dt>"处理结果"</dt><dd>{o.label()}</dd> })}
            {objection.reason.clone().map(|r| {
                let label = if objection.status == ObjectionStatus::NotAccepted { "不予受理理由" } else { "处理理由" };
                view! { <dt>{label}</dt><dd class="prewrap" data-testid="objection-reason">{r}</dd> }
            })}
            {objection.verification.clone().map(|v| view! { <dt>"核查情况"</dt><dd class="prewrap">{v}</dd> })}
            {objection.corrected_version.map(|v| {
                let href = format!("/workbench/records/{}", objection.record_id);
                view! { <dt>"更正版本"</dt><dd><a href=href data-testid="corrected-version">"第 " {v} " 版"</a></dd> }
            })}
        </dl>
    }
}
