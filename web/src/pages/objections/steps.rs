//! An objection's steps with their dates, as the appellant and the handlers both see them.

use crate::pages::records::local_time;
use credit_types::objections::{ObjectionStep, Outcome};
use leptos::prelude::*;

/// A step's name for people; a decision (`decided:<outcome>`) names its outcome.
pub fn step_label(step: &str) -> String {
    if let Some(outcome) = step.strip_prefix("decided:") {
        return match Outcome::parse(outcome) {
            Some(outcome) => format!("办结({})", outcome.label()),
            None => "办结".to_owned(),
        };
    }
    let label = match step {
        "submitted" => "提交异议",
        "accepted" => "受理",
        "not_accepted" => "不予受理",
        "decided" => "办结",
        "closed" => "关闭",
        "withdrawn" => "撤回",
        "escalated" => "超期督办",
        _ => "办理",
    };
    label.to_owned()
}

#[component]
pub fn Steps(steps: Vec<ObjectionStep>) -> impl IntoView {
    view! {
        <ol class="steps" data-testid="objection-steps">
            {steps.into_iter().map(|s| {
                let label = step_label(&s.step);
                view! {
                    <li class="steps__item" class:steps__item--alert=s.step == "escalated" data-testid="objection-step">
                        <span class="steps__label">{label}</span>
                        <time class="steps__time">{local_time(s.at)}</time>
                        {s.note.filter(|n| !n.trim().is_empty()).map(|n| view! { <p class="steps__note">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_name() {
        for step in ["submitted", "accepted", "not_accepted", "decided", "closed", "withdrawn", "escalated"] {
            assert_ne!(step_label(step), "办理", "{step}");
        }
        assert_eq!(step_label("decided:corrected"), format!("办结({})", Outcome::Corrected.label()));
    }
}
