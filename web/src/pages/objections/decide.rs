//! Deciding an accepted objection, in a modal dialog: the outcome, the reason told to the appellant, what
//! verification found (required when undetermined: it is noted on the record), and for `corrected` the corrected
//! record, edited in the amend view's inputs and sent with the version it was made on.

use super::correction::{Basis, CorrectionInputs};
use super::reason::STATE_CHANGED;
use crate::api;
use crate::components::{described_by, refresh_counts, token, FormState, Labelled};
use crate::pages::authorization::{close, Notice};
use crate::pages::records::{check_draft, draft_order, summary, DraftSignals};
use credit_types::catalog::parse_date;
use credit_types::objections::{check_decision, Correction, DecideObjection, Objection, Outcome};
use credit_types::FieldError;
use leptos::html::Dialog;
use leptos::prelude::*;
use validator::Validate;

/// How the correction's fields are named in the API's errors, and on this form.
fn unprefixed(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| match e.field.strip_prefix("correction.") {
            Some(rest) => FieldError { field: rest.to_owned(), ..e },
            None => e,
        })
        .collect()
}

/// The state of the record a correction is made on.
#[derive(Debug, Clone, PartialEq)]
enum Loading {
    Idle,
    Busy,
    Ready(Box<Basis>),
    Failed(String),
}

#[component]
pub fn DecideDialog(
    dialog: NodeRef<Dialog>,
    objection: Objection,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let outcome = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let verification = RwSignal::new(String::new());
    let draft = DraftSignals::new();
    let basis = RwSignal::new(Loading::Idle);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let record_id = objection.record_id.clone();

    // The record is read when a correction is first chosen.
    Effect::new(move |_| {
        if outcome.get() != Outcome::Corrected.as_str() || basis.with_untracked(|b| *b != Loading::Idle) {
            return;
        }
        basis.set(Loading::Busy);
        let record_id = record_id.clone();
        leptos::task::spawn_local(async move {
            match Basis::load(record_id).await {
                Ok(loaded) => {
                    loaded.prefill(draft);
                    basis.try_set(Loading::Ready(Box::new(loaded)));
                }
                Err(error) => {
                    basis.try_set(Loading::Failed(error.friendly()));
                }
            }
        });
    });

    let body = move || {
        let chosen = Outcome::parse(&outcome.get())?;
        Some(DecideObjection {
            outcome: chosen,
            reason: reason.get().trim().to_owned(),
            verification: Some(verification.get().trim().to_owned()).filter(|v| !v.is_empty()),
            correction: None,
        })
    };
    let form = FormState::new(move || {
        let Some(decision) = body() else {
            return vec![FieldError::new("outcome", "required", "请选择处理结果")];
        };
        let mut errors =
            decision.validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e));
        // The correction is checked here field by field; `check_decision` would only miss it as a whole.
        errors.extend(check_decision(&decision).into_iter().filter(|e| e.field != "correction"));
        if decision.outcome == Outcome::Corrected {
            basis.with(|b| match b {
                Loading::Ready(basis) => {
                    errors.extend(check_draft(&basis.item, &draft));
                    if basis.changes(draft).is_empty() {
                        errors.push(FieldError::new("correction", "unchanged", "更正时请至少修改一项内容"));
                    }
                }
                _ => errors.push(FieldError::new("correction", "required", "记录内容尚未加载,暂不能提交更正")),
            });
        }
        errors
    });
    let order = move || {
        let mut order = vec!["outcome".to_owned()];
        if let Loading::Ready(basis) = basis.get_untracked() {
            if outcome.get_untracked() == Outcome::Corrected.as_str() {
                order.extend(
                    draft_order(&basis.item)
                        .into_iter()
                        .filter(|f| !matches!(f.as_str(), "disclosure_class" | "publish_days")),
                );
                order.push("correction".to_owned());
            }
        }
        order.extend(["reason".to_owned(), "verification".to_owned()]);
        order
    };

    let url = format!("/api/v1/objections/{}/decide", api::urlencode(&objection.id));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&order()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let Some(mut decision) = body_untracked(outcome, reason, verification) else { return };
        if decision.outcome == Outcome::Corrected {
            let Loading::Ready(basis) = basis.get_untracked() else { return };
            let Some(decision_date) = parse_date(draft.decision_date.get_untracked().trim()) else { return };
            decision.correction =
                Some(Correction { values: draft.values(), decision_date, version: basis.record.version });
        }
        let url = url.clone();
        let on_done = on_done.clone();
        let order = order();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::post_json::<_, Objection>(&url, Some(&decision), Some(&token())).await;
            pending.set(false);
            match result {
                Ok(decided) => {
                    close(dialog);
                    refresh_counts();
                    let outcome = decided.outcome.unwrap_or(decision.outcome);
                    let text = match (outcome, decided.corrected_version) {
                        (Outcome::Corrected, Some(v)) => format!("已办结:已更正,记录已保存为第 {v} 版。"),
                        (Outcome::Corrected, None) => "已办结:已更正。".to_owned(),
                        (Outcome::Upheld, _) => "已办结:维持原记录,异议标注已解除。".to_owned(),
                        (Outcome::Undetermined, _) => "已办结:存疑,异议内容和核查情况已标注在记录上。".to_owned(),
                    };
                    on_done(Notice::ok(text));
                }
                Err(error) if error.status() == Some(409) && error.code() == Some("objection_state") => {
                    close(dialog);
                    refresh_counts();
                    on_done(Notice::warning(STATE_CHANGED));
                }
                Err(error) if matches!(error.status(), Some(409) | Some(412) | Some(428)) => {
                    failure.set(Some(format!("{}(记录可能已被修改,请关闭对话框并刷新页面后重试)", error.message())));
                }
                Err(error) => {
                    let errors = unprefixed(error.field_errors());
                    let elsewhere = crate::components::form::unplaced(&errors, &order);
                    failure.set(if errors.is_empty() {
                        Some(error.friendly())
                    } else if elsewhere.is_empty() {
                        summary(errors.len())
                    } else {
                        Some(elsewhere.join(";"))
                    });
                    form.refused(errors, &order);
                }
            }
        });
    };

    let undetermined = move || outcome.get() == Outcome::Undetermined.as_str();
    let reason_empty = Signal::derive(move || reason.with(|r| r.trim().is_empty()));
    let verification_empty = Signal::derive(move || verification.with(|v| v.trim().is_empty()));
    let outcome_error = move || form.shown("outcome", outcome.with(String::is_empty));
    let choose = move |value: &'static str| {
        move |_| {
            outcome.set(value.to_owned());
            form.edited("outcome");
        }
    };
    view! {
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby="decide-title" data-testid="decide-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="decide-title">"办结异议"</h2>
                <p>{format!("对 {} 的异议(受理编号 {})作出处理决定,结果和理由将告知申诉人。", objection.appellant_name, objection.tracking_number)}</p>
                <fieldset class="field choice" id="outcome" tabindex="-1" class:field--invalid=move || outcome_error().is_some()
                    aria-describedby="outcome-error">
                    <legend>"处理结果" <span class="field__required" aria-hidden="true">" *"</span></legend>
                    {Outcome::ALL.iter().map(|o| {
                        let value = o.as_str();
                        let hint = match o {
                            Outcome::Corrected => "信息确有错误:更正记录,保存为新版本",
                            Outcome::Upheld => "信息无误:维持原记录,解除异议标注",
                            Outcome::Undetermined => "无法确定:在记录上标注异议内容和核查情况,随记录公示",
                        };
                        view! {
                            <label class="check choice__option">
                                <input type="radio" name="outcome" value=value prop:checked=move || outcome.get() == value on:change=choose(value) />
                                <span><strong>{o.label()}</strong> <span class="muted">{hint}</span></span>
                            </label>
                        }
                    }).collect_view()}
                    <p class="field__error" id="outcome-error" data-testid="error-outcome" role="alert">{outcome_error}</p>
                </fieldset>
                {move || (outcome.get() == Outcome::Corrected.as_str()).then(|| match basis.get() {
                    Loading::Ready(basis) => view! { <CorrectionInputs basis=*basis draft form /> }.into_any(),
                    Loading::Failed(message) => view! {
                        <p class="status status--error" role="alert">"无法读取记录:" {message}</p>
                    }.into_any(),
                    _ => view! { <p class="status" role="status">"正在读取记录的现行内容…"</p> }.into_any(),
                })}
                <Labelled name="reason" label="处理理由" hint="将告知申诉人" required=true empty=reason_empty form>
                    <textarea id="reason" name="reason" rows="3" aria-required="true"
                        aria-invalid=move || if form.shown("reason", reason_empty.get()).is_some() { "true" } else { "false" }
                        aria-describedby=described_by("reason")
                        prop:value=move || reason.get()
                        on:input=move |ev| { reason.set(event_target_value(&ev)); form.edited("reason"); }
                        on:blur=move |_| form.left("reason")></textarea>
                </Labelled>
                {move || {
                    let required = undetermined();
                    let hint = if required { "存疑时必填:将与异议内容一并标注在记录上,公开的记录在信用门户随之公示" } else { "可选:核查的经过和依据" };
                    view! {
                        <Labelled name="verification" label="核查情况" hint=hint required empty=verification_empty form>
                            <textarea id="verification" name="verification" rows="3"
                                aria-required=if required { "true" } else { "false" }
                                aria-invalid=move || if form.shown("verification", verification_empty.get()).is_some() { "true" } else { "false" }
                                aria-describedby=described_by("verification")
                                prop:value=move || verification.get()
                                on:input=move |ev| { verification.set(event_target_value(&ev)); form.edited("verification"); }
                                on:blur=move |_| form.left("verification")></textarea>
                        </Labelled>
                    }
                }}
                <p class="status status--error" role="alert" data-testid="decide-error">{move || failure.get()}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "正在提交…" } else { "确认办结" }}
                    </button>
                    <button class="button button--ghost-dark" type="button" on:click=move |_| close(dialog)>"取消"</button>
                </div>
            </form>
        </dialog>
    }
}

/// The decision as the form holds it now, read without tracking (in an event handler).
fn body_untracked(
    outcome: RwSignal<String>,
    reason: RwSignal<String>,
    verification: RwSignal<String>,
) -> Option<DecideObjection> {
    Some(DecideObjection {
        outcome: Outcome::parse(&outcome.get_untracked())?,
        reason: reason.get_untracked().trim().to_owned(),
        verification: Some(verification.get_untracked().trim().to_owned()).filter(|v| !v.is_empty()),
        correction: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correction_errors_land_on_the_correction_inputs() {
        let errors = unprefixed(vec![
            FieldError::new("correction.values.fine_amount", "money", "金额格式不正确"),
            FieldError::new("reason", "length", "请说明处理理由"),
        ]);
        assert_eq!(errors[0].field, "values.fine_amount");
        assert_eq!(errors[1].field, "reason");
    }
}
