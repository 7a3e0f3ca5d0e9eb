//! The notes undetermined objections leave on a record (the claim and what verification found), on the portal and
//! in the workbench.

use crate::components::time;
use credit_types::objections::RecordNote;
use leptos::prelude::*;

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
                            <p class="note__meta">"受理编号 " <span class="mono">{n.tracking_number}</span> " · " {time::minutes(n.noted_at)}</p>
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
