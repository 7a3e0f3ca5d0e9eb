//! What a request by subject and catalog item would cover, asked of the API as the form is filled: the records by
//! providing unit (one request each) and the usage agreement that covers them, or that none does.

use super::new::complete_code;
use crate::api;
use crate::components::token;
use credit_types::authorization::{Purpose, TargetPreview, TargetQuery};
use leptos::prelude::*;

#[component]
pub fn TargetPreviewPanel(
    subject_code: Signal<String>,
    catalog_item: Signal<String>,
    purpose: Signal<String>,
) -> impl IntoView {
    let preview = LocalResource::new(move || {
        let (code, item, purpose) = (subject_code.get(), catalog_item.get(), purpose.get());
        async move {
            if !complete_code(&code) || item.is_empty() {
                return None;
            }
            let query = TargetQuery { subject_code: code, catalog_item: item, purpose: Purpose::parse(&purpose) };
            Some(api::authorization::targets(&token(), &query).await)
        }
    });
    let with_purpose = move || Purpose::parse(&purpose.get()).is_some();
    view! {
        <section class="preview" aria-labelledby="preview-title" aria-live="polite" data-testid="target-preview">
            <h2 id="preview-title">"申请范围"</h2>
            <Transition fallback=|| view! { <p class="status" role="status">"正在查询可申请的记录…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        None => view! {
                            <p class="muted">"填写完整的主体代码并选择目录项后,这里将列出可申请的记录和适用的使用协议。"</p>
                        }.into_any(),
                        Some(Err(error)) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                        Some(Ok(preview)) => view! { <PreviewBody preview with_purpose=with_purpose() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PreviewBody(preview: TargetPreview, with_purpose: bool) -> impl IntoView {
    let agreement = match preview.agreement {
        Some(a) => view! {
            <div class="agreement-box" data-testid="covering-agreement">
                <p><strong>"适用的使用协议:"</strong> <span data-testid="agreement-no">{a.document_no.clone()}</span></p>
                <p>"有效期 " {a.valid_from.to_string()} " 至 " {a.valid_to.to_string()} ";协议单位:" {a.organisation_name.clone()}</p>
            </div>
        }
        .into_any(),
        None => {
            let scope = if with_purpose { "该目录项和用途" } else { "该目录项" };
            view! {
                <p class="status status--warning" data-testid="no-agreement">
                    {format!("本单位没有涵盖{scope}的有效信用信息使用协议,不能提交申请。请联系市信用主管部门签订或调整使用协议。")}
                </p>
            }
            .into_any()
        }
    };
    let total: usize = preview.providers.iter().map(|p| p.records.len()).sum();
    let count = preview.providers.len();
    let records = if total == 0 {
        view! { <p class="empty" data-testid="no-targets">"未找到该主体在此目录项下可申请授权使用的记录。"</p> }
            .into_any()
    } else {
        view! {
            <p data-testid="target-summary">
                {format!("共 {total} 条记录,来自 {count} 个提供单位")}
                {(count > 1).then(|| format!(",将拆分为 {count} 份申请分别审核"))}
                "。"
            </p>
            {preview.providers.into_iter().map(|p| view! {
                <div class="provider-group" data-testid="target-provider">
                    <h3>{p.provider_org_name.clone()} <span class="muted">{format!("({} 条)", p.records.len())}</span></h3>
                    <div class="table-wrap">
                        <table class="table">
                            <caption class="visually-hidden">{format!("{} 提供的记录", p.provider_org_name)}</caption>
                            <thead><tr><th scope="col">"信用主体"</th><th scope="col">"目录项"</th><th scope="col">"决定日期"</th></tr></thead>
                            <tbody>
                                {p.records.into_iter().map(|r| view! {
                                    <tr data-testid="target-record">
                                        <td>{r.subject_name} <div class="mono muted">{r.subject_code}</div></td>
                                        <td>{r.catalog_name}</td>
                                        <td>{r.decision_date.to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            }).collect_view()}
        }
        .into_any()
    };
    view! { {agreement} {records} }
}
