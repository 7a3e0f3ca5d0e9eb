//! An objection's steps with their dates, as the appellant and the handlers both see them.

use crate::components::time;
use credit_types::objections::{ObjectionStep, StepKind};
use leptos::prelude::*;

#[component]
pub fn Steps(steps: Vec<ObjectionStep>) -> impl IntoView {
    view! {
        <ol class="steps" data-testid="objection-steps">
            {steps.into_iter().map(|s| {
                view! {
                    <li class="steps__item" class:steps__item--alert=s.step == StepKind::Escalated data-testid="objection-step">
                        <span class="steps__label">{s.step.label()}</span>
                        <time class="steps__time">{time::minutes(s.at)}</time>
                        {s.note.filter(|n| !n.trim().is_empty()).map(|n| view! { <p class="steps__note">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
