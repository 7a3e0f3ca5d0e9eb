//! The provider's changes of a record: the amendment (a new version with a reason, sent with the version it was
//! made on as `If-Match`) and the revocation (kept, never published again).

use super::draft::{check_draft, draft_order, DecisionInputs, DraftSignals, ValueInputs};
use crate::api::{self, ApiError};
use crate::components::dialog::{close, DialogActions};
use crate::components::form::summary;
use crate::components::{time, token, FormState, TextArea};
use credit_types::catalog::{parse_date, CatalogItem};
use credit_types::records::{AmendRecordRequest, Record, RevokeRecordRequest};
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use std::collections::BTreeMap;
use validator::Validate;

/// What a stale `If-Match` means to the person who sent it.
const STALE: &str = "记录已被他人修改,请刷新后重试";

/// Whether the API refused a write because the record changed since it was read.
fn stale(error: &ApiError) -> bool {
    error.is(&[ErrorCode::StaleVersion, ErrorCode::IfMatchRequired])
}

/// Loads the record's catalog item (current version) and shows the amendment form.
#[component]
pub fn AmendSection(
    record: Record,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let code = record.catalog_item.code.clone();
    let item = LocalResource::new(move || {
        let code = code.clone();
        async move { api::catalog::item(&token(), &code).await }
    });
    let record = StoredValue::new(record);
    let if_match = StoredValue::new(if_match);
    view! {
        <section class="panel" aria-labelledby="amend-title" data-testid="amend">
            <h2 id="amend-title">"更正记录"</h2>
            <p class="panel__hint">"更正将保存为新版本,原版本保留在版本历史中。主体不能更改;主体有误的,请撤销后重新提交。"</p>
            <Suspense fallback=|| view! { <p class="status" role="status">"正在加载目录项…"</p> }>
                {
                    let on_done = on_done.clone();
                    let on_cancel = on_cancel.clone();
                    move || {
                        let (on_done, on_cancel) = (on_done.clone(), on_cancel.clone());
                        Suspend::new(async move {
                            match item.await {
                                Ok(item) => view! {
                                    <AmendForm record=record.get_value() item if_match=if_match.get_value() on_done on_cancel />
                                }.into_any(),
                                Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </section>
    }
}

/// The draft of an amendment: the record's current decision, publication and values. Class and period are always
/// sent: left out, the API would reset them to the catalog's defaults.
fn draft_of(record: &Record, item: &CatalogItem) -> DraftSignals {
    let draft = DraftSignals::new();
    draft.decision_date.set(record.decision_date.to_string());
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
    draft
}

/// The live check of an amendment: the draft's, and the reason's.
fn amend_check(item: CatalogItem, draft: DraftSignals, reason: RwSignal<String>) -> FormState {
    FormState::new(move || {
        let mut errors = check_draft(&item, &draft);
        let request = AmendRecordRequest {
            values: BTreeMap::new(),
            decision_date: time::today(),
            disclosure_class: None,
            publish_days: None,
            reason: reason.get().trim().to_owned(),
        };
        if let Err(e) = request.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors
    })
}

/// The amendment as sent (read without tracking); none without a valid decision date.
fn amendment(draft: DraftSignals, reason: RwSignal<String>) -> Option<AmendRecordRequest> {
    Some(AmendRecordRequest {
        values: draft.values(),
        decision_date: parse_date(draft.decision_date.get_untracked().trim())?,
        disclosure_class: draft.class(),
        publish_days: draft.publish_days(),
        reason: reason.get_untracked().trim().to_owned(),
    })
}

#[component]
fn AmendForm(
    record: Record,
    item: CatalogItem,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let draft = draft_of(&record, &item);
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let refreshing = RwSignal::new(false);
    let form = amend_check(item.clone(), draft, reason);
    let mut order = draft_order(&item);
    order.push("reason".to_owned());
    let order = StoredValue::new(order);
    let id = StoredValue::new(record.id.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order.get_value()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let Some(request) = amendment(draft, reason) else { return };
        let (if_match, on_done) = (if_match.clone(), on_done.clone());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::records::amend(&token(), &id.get_value(), &request, &if_match).await;
            // Before anything the answer triggers: a success closes this form and disposes its signals.
            pending.set(false);
            match result {
                Ok(saved) => on_done(format!("已更正,保存为第 {} 版。", saved.version)),
                Err(error) if stale(&error) => {
                    refreshing.set(true);
                    failure.set(Some(STALE.to_owned()));
                }
                Err(error) if error.is(&[ErrorCode::RecordRevoked]) => {
                    failure.set(Some("记录已撤销,不能更正。".to_owned()))
                }
                Err(error) => {
                    let errors = error.field_errors();
                    failure.set(if errors.is_empty() { Some(error.friendly()) } else { summary(errors.len()) });
                    form.refused(errors, &order.get_value());
                }
            }
        });
    };
    let fields = item.fields.clone();
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
            <TextArea name="reason" label="更正原因" hint="将记入版本历史和审计日志" value=reason form required=true />
            <div class="status status--error" role="alert" data-testid="amend-error">
                {move || failure.get()}
                <Show when=move || refreshing.get()>
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

/// The revocation, in a modal dialog: a reason, then the record is withdrawn (kept, never published again).
#[component]
pub fn RevokeDialog(
    dialog: NodeRef<leptos::html::Dialog>,
    record_id: String,
    if_match: String,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    const NAME: &str = "revoke_reason";
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // The request names the field `reason`; in the dialog its input is `revoke_reason`, apart from the amendment's.
    let renamed = |errors: Vec<FieldError>| -> Vec<FieldError> {
        errors.into_iter().map(|e| FieldError { field: NAME.into(), ..e }).collect()
    };
    let form = FormState::new(move || {
        RevokeRecordRequest { reason: reason.get().trim().to_owned() }
            .validate()
            .map(|_| Vec::new())
            .unwrap_or_else(|e| renamed(credit_types::problem::field_errors(&e)))
    });
    let order = [NAME.to_owned()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order) {
            return;
        }
        let request = RevokeRecordRequest { reason: reason.get_untracked().trim().to_owned() };
        let (record_id, if_match, on_done, order) =
            (record_id.clone(), if_match.clone(), on_done.clone(), order.clone());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::records::revoke(&token(), &record_id, &request, &if_match).await;
            pending.set(false);
            match result {
                Ok(_) => {
                    close(dialog);
                    on_done("记录已撤销,不再公示;历史版本仍可查阅。".to_owned());
                }
                Err(error) if stale(&error) => failure.set(Some(STALE.to_owned())),
                Err(error) if error.is(&[ErrorCode::RecordRevoked]) => failure.set(Some("记录已撤销。".to_owned())),
                Err(error) if !error.field_errors().is_empty() => form.refused(renamed(error.field_errors()), &order),
                Err(error) => failure.set(Some(error.friendly())),
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="revoke-title" data-testid="revoke-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="revoke-title">"撤销记录"</h2>
                <p>"撤销后该记录不再公示,也不能再更正;记录及其历史版本仍然保留。"</p>
                <TextArea name=NAME label="撤销原因" hint="将记入版本历史和审计日志" value=reason form required=true />
                <p class="status status--error" role="alert">{move || failure.get()}</p>
                <DialogActions dialog confirm="确认撤销" pending=pending.into() danger=true />
            </form>
        </dialog>
    }
}
