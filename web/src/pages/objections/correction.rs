//! The correction of a `corrected` decision: the record's current values in the inputs of the amend view, edited
//! where the objection proved them wrong, with the changes listed before they are sent as a new version.

use crate::api::{self, ApiError};
use crate::components::{time, token, FormState, TextInput};
use crate::pages::records::{DraftSignals, ValueInputs};
use credit_types::catalog::CatalogItem;
use credit_types::records::{ReadQuery, Record};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The record as it stands, and its catalog item (whose fields the inputs follow).
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    pub record: Record,
    pub item: CatalogItem,
}

impl Basis {
    /// The record's current version and its catalog item.
    pub async fn load(record_id: String) -> Result<Basis, ApiError> {
        let (record, _) = api::records::get(&token(), &record_id, &ReadQuery::default()).await?;
        let item = api::catalog::item(&token(), &record.catalog_item.code).await?;
        Ok(Basis { record, item })
    }

    /// Puts the current decision date and values into `draft`.
    pub fn prefill(&self, draft: DraftSignals) {
        draft.decision_date.set(self.record.decision_date.to_string());
        draft.values.set(self.current());
    }

    /// The record's values of the item's fields.
    fn current(&self) -> BTreeMap<String, String> {
        self.record
            .fields
            .iter()
            .filter(|f| self.item.fields.iter().any(|d| d.key == f.key))
            .map(|f| (f.key.clone(), f.value.clone()))
            .collect()
    }

    /// What the draft changes: (label, before, after), the decision date first.
    pub fn changes(&self, draft: DraftSignals) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let date = draft.decision_date.get();
        if date.trim() != self.record.decision_date.to_string() {
            out.push(("决定日期".to_owned(), self.record.decision_date.to_string(), date.trim().to_owned()));
        }
        let before = self.current();
        let after = draft.values.get();
        for field in &self.item.fields {
            let old = before.get(&field.key).map(|v| v.trim().to_owned()).unwrap_or_default();
            let new = after.get(&field.key).map(|v| v.trim().to_owned()).unwrap_or_default();
            if old != new {
                out.push((field.label.clone(), old, new));
            }
        }
        out
    }
}

/// The inputs of the correction, with the changes they make so far.
#[component]
pub fn CorrectionInputs(basis: Basis, draft: DraftSignals, form: FormState) -> impl IntoView {
    let fields = basis.item.fields.clone();
    let version = basis.record.version;
    let shown = basis.clone();
    let changes = Memo::new(move |_| shown.changes(draft));
    view! {
        <fieldset class="group correction" data-testid="correction">
            <legend>"更正后的记录内容"</legend>
            <p class="panel__hint">
                {format!("以下为记录的现行内容(第 {version} 版)。请修改经核查有误的项,办结后保存为新版本并与本异议关联,原版本保留在版本历史中。")}
            </p>
            <TextInput name="decision_date" label="决定日期" kind="date" value=draft.decision_date form required=true max=time::today().to_string() />
            <ValueInputs fields values=draft.values form />
            <div class="correction__changes" data-testid="correction-changes">
                <h3>"将更正的内容"</h3>
                {move || {
                    let list = changes.get();
                    if list.is_empty() {
                        view! { <p class="muted">"尚未修改任何内容。"</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {list.into_iter().map(|(label, old, new)| view! {
                                    <li data-testid="correction-change">
                                        <strong>{label}</strong> ":" <del>{if old.is_empty() { "(空)".to_owned() } else { old }}</del>
                                        " → " <ins>{if new.is_empty() { "(空)".to_owned() } else { new }}</ins>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
                <p class="field__error" id="correction-error" data-testid="error-correction" role="alert">
                    {move || form.shown("correction", true)}
                </p>
            </div>
        </fieldset>
    }
}
