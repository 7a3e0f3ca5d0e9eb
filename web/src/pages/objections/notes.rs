//! The notes undetermined objections leave on a record (the claim and what verification found), on the portal and
//! in the workbench. Read from the record's JSON, so that a record without `notes` simply has none.

use crate::pages::records::local_time;
use credit_types::objections::RecordNote;
use leptos::prelude::*;

/// The `notes` of a record as the API sent it; none when it sent none.
pub fn notes_of(record: &serde_json::Value) -> Vec<RecordNote> {
    record.get("notes").and_then(|notes| serde_json::from_value(notes.clone()).ok()).unwrap_or_default()
}

#[component]
pub fn RecordNotes(notes: Vec<RecordNote>) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <section class="notes" aria-labelledby="notes-title" data-testid="record-notes">
                <h2 id="notes-title">"异议标注"</h2>
                <p class="panel__hint">"以下异议经核查无法确定信息是否有误,依照规定将异议内容和核查情况一并标注。"</p>
                <ul class="notes__list">
                    {notes.into_iter().map(|n| view! {
                        <li class="note" data-testid="record-note">
                            <p class="note__meta">"受理编号 " <span class="mono">{n.tracking_number}</span> " · " {local_time(n.noted_at)}</p>
                            <dl class="facts facts--wide">
                                <dt>"异议内容"</dt><dd>{n.claim}</dd>
                                <dt>"核查情况"</dt><dd>{n.verification}</dd>
                            </dl>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_read_when_present_and_absent_otherwise() {
        let none = serde_json::json!({"id": "r"});
        assert!(notes_of(&none).is_empty());
        let some = serde_json::json!({"notes": [{
            "tracking_number": "YY-1", "claim": "金额有误", "verification": "无法核实", "noted_at": "2026-03-02T08:00:00"
        }]});
        let notes = notes_of(&some);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].verification, "无法核实");
    }
}
