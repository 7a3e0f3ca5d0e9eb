//! `/workbench/agreements`: the usage agreements the competent office records with user units: the list,
//! a new agreement, and suspending, resuming or ending one with a reason. County credit admins read those of
//! their county.

use super::agreement_form::NewAgreement;
use super::reason::{self, AuthorizationChange};
use super::{has_role, purpose_text};
use crate::api;
use crate::api::url::AgreementStep;
use crate::components::dialog::open;
use crate::components::select::choices;
use crate::components::{
    CatalogNames, CodeSelect, Notice, NoticeLine, Pager, PagerStatus, ReasonAsk, ReasonDialog, RequireRole,
};
use credit_types::authorization::{Agreement, AgreementListQuery, AgreementStatus};
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn Agreements() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::CityCreditAdmin, Role::CountyCreditAdmin]>
            <AgreementsPage />
        </RequireRole>
    }
}

#[component]
fn AgreementsPage() -> impl IntoView {
    let manages = has_role(Role::CityCreditAdmin);
    let status = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    let pager = Pager::<Agreement>::new();
    let items = CatalogNames::load();
    let notice = RwSignal::new(None::<Notice>);
    let load = move || {
        pager.load(api::url::agreements(&AgreementListQuery {
            status: AgreementStatus::parse(&status.get_untracked()),
            current: current.get_untracked().parse().ok(),
            limit: Some(100),
            ..Default::default()
        }))
    };
    load();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let ask = RwSignal::new(None::<ReasonAsk<AuthorizationChange>>);
    let start = move |chosen: ReasonAsk<AuthorizationChange>| {
        ask.set(Some(chosen));
        open(dialog);
    };
    let on_done = move |n: Notice| {
        notice.set(Some(n));
        pager.reload();
    };
    // A new, empty form after each agreement recorded.
    let fresh = RwSignal::new(0u32);
    let created = move |agreement: Agreement| {
        notice.set(Some(Notice::ok(format!("已登记协议 {}。", agreement.document_no))));
        pager.reload();
        fresh.update(|n| *n += 1);
    };
    view! {
        <section class="panel" data-testid="agreements">
            <h1>"信用信息使用协议"</h1>
            <p class="panel__hint">"使用单位须在有效的使用协议范围内(目录项、用途、有效期)申请授权使用信用信息。"</p>
            <NoticeLine notice />
            <div class="filters">
                <CodeSelect id="agreement-status" label="状态" all=choices(&AgreementStatus::ALL) value=status on_change=move || load() />
                <div class="field">
                    <label for="agreement-current">"是否现行"</label>
                    <select id="agreement-current" on:change=move |ev| { current.set(event_target_value(&ev)); load(); }>
                        <option value="">"全部"</option>
                        <option value="true">"现行有效"</option>
                        <option value="false">"非现行"</option>
                    </select>
                </div>
            </div>
            <div class="table-wrap">
                <table class="table table--wide" data-testid="agreement-table">
                    <caption class="visually-hidden">"信用信息使用协议"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"使用单位"</th>
                            <th scope="col">"协议编号"</th>
                            <th scope="col">"目录项"</th>
                            <th scope="col">"用途"</th>
                            <th scope="col">"有效期"</th>
                            <th scope="col">"状态"</th>
                            {manages.then(|| view! { <th scope="col">"操作"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || pager.items.get() key=|a| (a.id.clone(), a.status, a.updated_at) let:a>
                            <AgreementRow agreement=a manages items on_change=start />
                        </For>
                    </tbody>
                </table>
            </div>
            <PagerStatus pager empty="没有符合条件的协议。" testid="agreements" />
        </section>
        <ReasonDialog dialog name="agreement_reason" ask on_done />
        {manages.then_some(move || {
            fresh.track();
            view! { <NewAgreement on_created=created /> }
        })}
    }
}

#[component]
fn AgreementRow(
    agreement: Agreement,
    manages: bool,
    items: CatalogNames,
    on_change: impl Fn(ReasonAsk<AuthorizationChange>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let badge = match agreement.status {
        AgreementStatus::Active => "badge--ok",
        AgreementStatus::Suspended => "badge--warning",
        AgreementStatus::Ended => "badge--muted",
    };
    let steps: &[(AgreementStep, &str)] = match agreement.status {
        AgreementStatus::Active => &[(AgreementStep::Suspend, "暂停"), (AgreementStep::End, "终止")],
        AgreementStatus::Suspended => &[(AgreementStep::Resume, "恢复"), (AgreementStep::End, "终止")],
        AgreementStatus::Ended => &[],
    };
    let actions = steps
        .iter()
        .map(|(step, label)| {
            let action = reason::change_agreement(&agreement, *step);
            let danger = *step == AgreementStep::End;
            view! {
                <button class="button button--small" class:button--danger=danger class:button--ghost-dark=!danger type="button"
                    on:click=move |_| on_change(action.clone())>{*label}</button>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="agreement-row">
            <td>{agreement.organisation_name.clone()}</td>
            <td>{agreement.document_no.clone()}</td>
            <td>{agreement.catalog_items.iter().map(|c| {
                let code = c.clone();
                view! { <span class="tag" title=c.clone()>{move || items.name(&code)}</span> }
            }).collect_view()}</td>
            <td>{agreement.purposes.iter().map(|p| view! { <span class="tag">{purpose_text(*p, None)}</span> }).collect_view()}</td>
            <td>{agreement.valid_from.to_string()} " 至 " {agreement.valid_to.to_string()}</td>
            <td>
                <span class=format!("badge {badge}")>{agreement.status.label()}</span>
                {agreement.current.then(|| view! { " " <span class="badge badge--info">"现行"</span> })}
                {agreement.status_reason.clone().map(|r| view! { <div class="muted">{r}</div> })}
            </td>
            {manages.then(|| view! { <td><div class="actions">{actions}</div></td> })}
        </tr>
    }
}
