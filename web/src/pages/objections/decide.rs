//! Deciding an accepted objection, in a modal dialog: the outcome, the reason told to the appellant, what
//! verification found (required when undetermined: it is noted on the record), and for `corrected` the corrected
//! record, edited in the amend view's inputs and sent with the version it was made on.

use super::correction::{Basis, CorrectionInputs};
use super::reason::STATE_CHANGED;
use crate::api;
use crate::components::dialog::{close, finish};
use crate::components::form::{refusal_line, summary};
use crate::components::{token, FormState, Notice, TextArea};
use crate::pages::records::{check_draft, draft_order, DraftSignals};
use credit_types::catalog::parse_date;
use credit_types::objections::{check_decision, Correction, DecideObjection, Objection, Outcome};
use credit_types::{ErrorCode, FieldError};
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

/// The decision as the dialog holds it.
#[derive(Clone, Copy)]
struct Decision {
    outcome: RwSignal<String>,
    reason: RwSignal<String>,
    verification: RwSignal<String>,
    /// The claim as published with the record, for `undetermined`.
    claim_summary: RwSignal<String>,
    /// The corrected record, for `corrected`.
    draft: DraftSignals,
    basis: RwSignal<Loading>,
}

impl Decision {
    fn new() -> Decision {
        Decision {
            outcome: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
            verification: RwSignal::new(String::new()),
            claim_summary: RwSignal::new(String::new()),
            draft: DraftSignals::new(),
            basis: RwSignal::new(Loading::Idle),
        }
    }

    fn corrects(self) -> bool {
        self.outcome.with(|o| o == Outcome::Corrected.as_str())
    }

    /// The decision without its correction; none until an outcome is chosen. Tracked.
    fn body(self) -> Option<DecideObjection> {
        Some(DecideObjection {
            outcome: Outcome::parse(&self.outcome.get())?,
            reason: self.reason.get().trim().to_owned(),
            verification: Some(self.verification.get().trim().to_owned()).filter(|v| !v.is_empty()),
            claim_summary: Some(self.claim_summary.get().trim().to_owned()).filter(|v| !v.is_empty()),
            correction: None,
        })
    }

    /// The decision as sent, with the correction for `corrected` (read without tracking, in an event handler).
    fn request(self) -> Option<DecideObjection> {
        let mut decision = untrack(move || self.body())?;
        if decision.outcome == Outcome::Corrected {
            let Loading::Ready(basis) = self.basis.get_untracked() else { return None };
            let decision_date = parse_date(self.draft.decision_date.get_untracked().trim())?;
            let values = self.draft.values();
            decision.correction = Some(Correction { values, decision_date, version: basis.record.version });
        }
        Some(decision)
    }

    /// The API's rules on the decision, and the correction's field by field.
    fn check(self) -> Vec<FieldError> {
        let Some(decision) = self.body() else {
            return vec![FieldError::new("outcome", "required", "请选择处理结果")];
        };
        let mut errors =
            decision.validate().map(|_| Vec::new()).unwrap_or_else(|e| credit_types::problem::field_errors(&e));
        // The correction is checked here field by field; `check_decision` would only miss it as a whole.
        errors.extend(check_decision(&decision).into_iter().filter(|e| e.field != "correction"));
        if decision.outcome == Outcome::Corrected {
            self.basis.with(|b| match b {
                Loading::Ready(basis) => {
                    errors.extend(check_draft(&basis.item, &self.draft));
                    if basis.changes(self.draft).is_empty() {
                        errors.push(FieldError::new("correction", "unchanged", "更正时请至少修改一项内容"));
                    }
                }
                _ => errors.push(FieldError::new("correction", "required", "记录内容尚未加载,暂不能提交更正")),
            });
        }
        errors
    }

    /// The fields as laid out.
    fn order(self) -> Vec<String> {
        let mut order = vec!["outcome".to_owned()];
        if let (Loading::Ready(basis), true) = (self.basis.get_untracked(), untrack(move || self.corrects())) {
            let own = ["disclosure_class", "publish_days"];
            order.extend(draft_order(&basis.item).into_iter().filter(|f| !own.contains(&f.as_str())));
            order.push("correction".to_owned());
        }
        order.extend(["reason".to_owned(), "verification".to_owned(), "claim_summary".to_owned()]);
        order
    }

    /// Reads the record when a correction is first chosen.
    fn load_basis_on_correction(self, record_id: String) {
        Effect::new(move |_| {
            if !self.corrects() || self.basis.with_untracked(|b| *b != Loading::Idle) {
                return;
            }
            self.basis.set(Loading::Busy);
            let record_id = record_id.clone();
            leptos::task::spawn_local(async move {
                match Basis::load(record_id).await {
                    Ok(loaded) => {
                        loaded.prefill(self.draft);
                        self.basis.try_set(Loading::Ready(Box::new(loaded)));
                    }
                    Err(error) => {
                        self.basis.try_set(Loading::Failed(error.friendly()));
                    }
                }
            });
        });
    }
}

/// What the page says once the objection is decided.
fn decided_text(outcome: Outcome, corrected_version: Option<i32>) -> String {
    match (outcome, corrected_version) {
        (Outcome::Corrected, Some(v)) => format!("已办结:已更正,记录已保存为第 {v} 版。"),
        (Outcome::Corrected, None) => "已办结:已更正。".to_owned(),
        (Outcome::Upheld, _) => "已办结:维持原记录,异议标注已解除。".to_owned(),
        (Outcome::Undetermined, _) => "已办结:存疑,异议内容和核查情况已标注在记录上。".to_owned(),
    }
}

#[component]
pub fn DecideDialog(
    dialog: NodeRef<Dialog>,
    objection: Objection,
    on_done: impl Fn(Notice) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let decision = Decision::new();
    decision.load_basis_on_correction(objection.record_id.clone());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let form = FormState::new(move || decision.check());
    let id = StoredValue::new(objection.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !form.ready(&decision.order()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let Some(request) = decision.request() else { return };
        let (on_done, order) = (on_done.clone(), decision.order());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::objections::decide(&token(), &id.get_value(), &request).await;
            pending.set(false);
            match result {
                Ok(decided) => {
                    let outcome = decided.outcome.unwrap_or(request.outcome);
                    finish(dialog, Notice::ok(decided_text(outcome, decided.corrected_version)), &on_done);
                }
                Err(error) if error.is(&[ErrorCode::ObjectionState]) => {
                    finish(dialog, Notice::warning(STATE_CHANGED), &on_done);
                }
                Err(error) if error.is(&[ErrorCode::RecordRevoked]) => {
                    failure.set(Some("记录已被撤销,不能更正;请改选“维持原记录”或“存疑”。".to_owned()));
                }
                Err(error) if error.is(&[ErrorCode::StaleVersion, ErrorCode::IfMatchRequired]) => {
                    failure.set(Some("记录已被他人修改,请关闭对话框并刷新页面后重试。".to_owned()));
                }
                Err(error) => {
                    let errors = unprefixed(error.field_errors());
                    failure.set(refusal_line(&error, &errors, &order));
                    form.refused(errors, &order);
                }
            }
        });
    };
    view! {
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby="decide-title" data-testid="decide-dialog">
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="decide-title">"办结异议"</h2>
                <p>{format!("对 {} 的异议(受理编号 {})作出处理决定,结果和理由将告知申诉人。", objection.appellant_name, objection.tracking_number)}</p>
                <OutcomeChoice outcome=decision.outcome form />
                {move || decision.corrects().then(|| view! { <CorrectionPart decision form /> })}
                <TextArea name="reason" label="处理理由" hint="将告知申诉人" value=decision.reason form required=true />
                <VerificationInput decision form />
                <ClaimSummaryInput decision form />
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

/// The three outcomes, each with what it does.
#[component]
fn OutcomeChoice(outcome: RwSignal<String>, form: FormState) -> impl IntoView {
    let error = move || form.shown("outcome", outcome.with(String::is_empty));
    let choose = move |value: &'static str| {
        move |_| {
            outcome.set(value.to_owned());
            form.edited("outcome");
        }
    };
    view! {
        <fieldset class="field choice" id="outcome" tabindex="-1" class:field--invalid=move || error().is_some()
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
            <p class="field__error" id="outcome-error" data-testid="error-outcome" role="alert">{error}</p>
        </fieldset>
    }
}

/// The corrected record's inputs, once the record is read.
#[component]
fn CorrectionPart(decision: Decision, form: FormState) -> impl IntoView {
    move || match decision.basis.get() {
        Loading::Ready(basis) => view! { <CorrectionInputs basis=*basis draft=decision.draft form /> }.into_any(),
        Loading::Failed(message) => view! {
            <p class="status status--error" role="alert">"无法读取记录:" {message}</p>
        }
        .into_any(),
        Loading::Idle | Loading::Busy => {
            view! { <p class="status" role="status">"正在读取记录的现行内容…"</p> }.into_any()
        }
    }
}

/// What verification found: required when undetermined, since it is then noted on the record.
#[component]
fn VerificationInput(decision: Decision, form: FormState) -> impl IntoView {
    move || {
        let required = decision.outcome.with(|o| o == Outcome::Undetermined.as_str());
        let hint = if required {
            "存疑时必填:将与异议内容一并标注在记录上,公开的记录在信用门户随之公示"
        } else {
            "可选:核查的经过和依据"
        };
        view! { <TextArea name="verification" label="核查情况" hint value=decision.verification form required /> }
    }
}

/// The claim as it is published with the record, in the handler's words: only when undetermined (R-28.1: the
/// appellant's own text may name people or hold contact details).
#[component]
fn ClaimSummaryInput(decision: Decision, form: FormState) -> impl IntoView {
    move || {
        decision.outcome.with(|o| o == Outcome::Undetermined.as_str()).then(|| {
            let hint = "将与核查情况一并标注在记录上公示;请概括异议内容,勿写入姓名、电话等个人信息";
            view! { <TextArea name="claim_summary" label="公示的异议摘要" hint value=decision.claim_summary form required=true /> }
        })
    }
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

    #[test]
    fn the_page_says_how_the_objection_ended() {
        assert_eq!(decided_text(Outcome::Corrected, Some(3)), "已办结:已更正,记录已保存为第 3 版。");
        assert!(decided_text(Outcome::Undetermined, None).contains("存疑"));
    }
}
