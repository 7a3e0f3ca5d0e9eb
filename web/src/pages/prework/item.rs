//! One item of today's check: what the automatic checks say of it and, once confirmed, the finding with who and
//! when; before that, for a system administrator, the finding's form (a problem needs a note, R-21.1).

use crate::api;
use crate::components::form::refusal_line;
use crate::components::{time, token, FormState, TextArea};
use chrono::NaiveDate;
use credit_types::prework::{AutomaticState, DailyCheckItem, ItemConfirmation, ItemVerdict};
use credit_types::FieldError;
use leptos::prelude::*;

fn automatic_class(state: AutomaticState) -> &'static str {
    match state {
        AutomaticState::Ok => "badge badge--ok",
        AutomaticState::Warning => "badge badge--warning",
        AutomaticState::Failed => "badge badge--danger",
        AutomaticState::Unknown => "badge badge--muted",
    }
}

#[component]
pub fn ItemCard(item: DailyCheckItem, day: NaiveDate, confirms: bool, reload: RwSignal<u32>) -> impl IntoView {
    let code = item.item.as_str();
    let finding = match (item.verdict, item.confirmed_at) {
        (Some(verdict), Some(at)) => {
            let class = if verdict == ItemVerdict::Ok { "badge badge--ok" } else { "badge badge--danger" };
            view! {
                <p data-testid=format!("daily-check-verdict-{code}")>
                    <span class=class>{verdict.label()}</span>
                    " " {item.confirmed_by_name.clone().unwrap_or_default()} " 确认于 " {time::minutes(at)}
                </p>
                {item.note.clone().map(|note| view! { <p class="history">{note}</p> })}
            }
            .into_any()
        }
        _ if confirms => view! { <FindingForm item=item.clone() day reload /> }.into_any(),
        _ => view! { <p class="muted">"尚未确认"</p> }.into_any(),
    };
    view! {
        <article class="checklist__item" data-testid=format!("daily-check-item-{code}")>
            <h2>{item.item.label()}</h2>
            <p>
                "自动检查:" <span class=automatic_class(item.automatic.state)>{item.automatic.state.label()}</span>
                " " <span class="muted">{item.automatic.summary.clone()}</span>
            </p>
            {finding}
        </article>
    }
}

/// The finding on one item: 正常 or 有问题 (with what it is).
#[component]
fn FindingForm(item: DailyCheckItem, day: NaiveDate, reload: RwSignal<u32>) -> impl IntoView {
    let code = item.item.as_str();
    let note_field = format!("note-{code}");
    let verdict = RwSignal::new(ItemVerdict::Ok);
    let note = RwSignal::new(String::new());
    let finding = move || ItemConfirmation { verdict: verdict.get(), note: Some(note.get()) };
    let field = note_field.clone();
    let form = FormState::new(move || {
        finding().errors().into_iter().map(|e| FieldError { field: field.clone(), ..e }).collect()
    });
    let refusal = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let order = vec![note_field.clone()];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !form.ready(&order) {
            return;
        }
        let (request, order) = (finding(), order.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::prework::confirm(&token(), day, item.item, &request).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(error) => {
                    // The API names the note `note`; on this page each item's note has its own id.
                    let errors: Vec<FieldError> = error
                        .field_errors()
                        .into_iter()
                        .map(|e| if e.field == "note" { FieldError { field: order[0].clone(), ..e } } else { e })
                        .collect();
                    refusal.set(refusal_line(&error, &errors, &order));
                    form.refused(errors, &order);
                    busy.set(false);
                }
            }
        });
    };
    let choose = move |value: ItemVerdict| move |_| verdict.set(value);
    let radio_name = format!("verdict-{code}");
    let problem = move || verdict.get() == ItemVerdict::Problem;
    view! {
        <form class="form" novalidate=true on:submit=submit data-testid=format!("daily-check-form-{code}")>
            <fieldset class="field choice">
                <legend>"检查结果"</legend>
                {ItemVerdict::ALL.iter().map(|v| {
                    let value = *v;
                    view! {
                        <label class="check choice__option">
                            <input type="radio" name=radio_name.clone() value=value.as_str()
                                prop:checked=move || verdict.get() == value on:change=choose(value) />
                            <span>{value.label()}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            {move || {
                let hint = if problem() { "请写明发现的问题" } else { "可选" };
                view! { <TextArea name=note_field.clone() label="说明" hint value=note form required=problem() /> }
            }}
            <p class="status status--error" role="alert" hidden=move || refusal.with(Option::is_none)>{move || refusal.get()}</p>
            <button class="button" type="submit" disabled=move || busy.get()>"确认此项"</button>
        </form>
    }
}
