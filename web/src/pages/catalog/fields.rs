//! The fields of the catalog editor: each field a folding card of inputs, its errors looked up by the field's
//! current position (`fields[i].key`), so that moving a field moves its errors with it.

use super::{masking_key, type_key, type_label, FIELD_TYPES, MASKING_KINDS};
use crate::components::FormState;
use credit_types::catalog::{FieldDefinition, FieldType};
use credit_types::masking::MaskingRule;
use credit_types::FieldError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One field of the editor: its inputs as signals, and whether the user has worked on it yet.
#[derive(Clone, Copy)]
pub struct FieldRow {
    pub uid: u32,
    /// Whether its card is open: new fields are, the stored ones fold into one line each.
    pub expanded: RwSignal<bool>,
    pub key: RwSignal<String>,
    pub label: RwSignal<String>,
    pub field_type: RwSignal<FieldType>,
    pub required: RwSignal<bool>,
    pub masking: RwSignal<String>,
    pub keep_first: RwSignal<String>,
    pub keep_last: RwSignal<String>,
    pub purpose: RwSignal<String>,
    pub options: RwSignal<String>,
    pub data_kind: RwSignal<String>,
}

impl FieldRow {
    pub fn new(uid: u32, field: Option<&FieldDefinition>) -> FieldRow {
        let (first, last) = match field.map(|f| f.masking) {
            Some(MaskingRule::KeepEnds { first, last }) => (first.to_string(), last.to_string()),
            _ => ("1".to_owned(), "1".to_owned()),
        };
        FieldRow {
            uid,
            expanded: RwSignal::new(field.is_none()),
            key: RwSignal::new(field.map(|f| f.key.clone()).unwrap_or_default()),
            label: RwSignal::new(field.map(|f| f.label.clone()).unwrap_or_default()),
            field_type: RwSignal::new(field.map_or(FieldType::Text, |f| f.field_type)),
            required: RwSignal::new(field.is_some_and(|f| f.required)),
            masking: RwSignal::new(field.map_or("none", |f| masking_key(f.masking)).to_owned()),
            keep_first: RwSignal::new(first),
            keep_last: RwSignal::new(last),
            purpose: RwSignal::new(field.map(|f| f.purpose.clone()).unwrap_or_default()),
            options: RwSignal::new(field.map(|f| f.options.join("、")).unwrap_or_default()),
            data_kind: RwSignal::new(field.and_then(|f| f.data_kind.clone()).unwrap_or_default()),
        }
    }

    /// The definition the inputs describe (tracked: the live check reruns on every change).
    pub fn definition(&self) -> FieldDefinition {
        let number = |s: RwSignal<String>| s.get().trim().parse::<u8>().unwrap_or(0);
        let masking = match self.masking.get().as_str() {
            "person_name" => MaskingRule::PersonName,
            "resident_id" => MaskingRule::ResidentId,
            "phone" => MaskingRule::Phone,
            "address" => MaskingRule::Address,
            "keep_ends" => MaskingRule::KeepEnds { first: number(self.keep_first), last: number(self.keep_last) },
            _ => MaskingRule::None,
        };
        let field_type = self.field_type.get();
        FieldDefinition {
            key: self.key.get().trim().to_owned(),
            label: self.label.get().trim().to_owned(),
            field_type,
            required: self.required.get(),
            masking,
            purpose: self.purpose.get().trim().to_owned(),
            options: if field_type == FieldType::Enum { split_options(&self.options.get()) } else { Vec::new() },
            data_kind: Some(self.data_kind.get().trim().to_owned()).filter(|k| !k.is_empty()),
        }
    }

    pub fn id(&self, attr: &str) -> String {
        format!("field-{}-{attr}", self.uid)
    }
}

/// Options typed as one line, separated by 、 , , ; or new lines.
fn split_options(text: &str) -> Vec<String> {
    text.split(['、', ',', ',', ';', ';', '\n']).map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect()
}

/// A field's card: a one-line summary (its title, key, type, whether required, and whether it needs correcting)
/// that opens onto its inputs and the buttons that move or delete it.
#[component]
pub fn FieldCard(
    row: FieldRow,
    rows: RwSignal<Vec<FieldRow>>,
    form: FormState,
    remove: impl Fn(u32) + Copy + Send + Sync + 'static,
    shift: impl Fn(u32, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let uid = row.uid;
    let index = Memo::new(move |_| rows.with(|r| r.iter().position(|x| x.uid == uid).unwrap_or(0)));
    let count = Memo::new(move |_| rows.with(Vec::len));
    let title = Signal::derive(move || {
        let label = row.label.get();
        let n = index.get() + 1;
        if label.trim().is_empty() {
            format!("字段 {n}")
        } else {
            format!("字段 {n}:{}", label.trim())
        }
    });
    let outline = move || {
        let key = row.key.get();
        let key = if key.trim().is_empty() { "(未填字段名)".to_owned() } else { key };
        let required = if row.required.get() { "必填" } else { "选填" };
        format!("{key} · {} · {required}", type_label(row.field_type.get()))
    };
    let faulty = move || {
        let prefix = format!("fields[{}].", index.get());
        let named = |list: &Vec<FieldError>| list.iter().any(|e| e.field.starts_with(&prefix));
        form.server.with(named) || (form.submitted.get() && form.local.with(named))
    };
    let on_toggle = move |ev: leptos::ev::Event| {
        if let Some(details) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
            row.expanded.set(details.open());
        }
    };
    view! {
        <li class="field-card" data-testid="field-row">
            <details prop:open=move || row.expanded.get() on:toggle=on_toggle>
                <summary class="field-card__summary">
                    <span class="field-card__title">{title}</span>
                    " " <span class="muted mono">{outline}</span>
                    <Show when=faulty>" " <span class="badge badge--warning">"需更正"</span></Show>
                </summary>
            <fieldset>
                <legend class="visually-hidden">{title}</legend>
                <FieldInputs row index form />
                <div class="actions">
                    <button class="button button--small button--ghost-dark" type="button" disabled=move || index.get() == 0
                        on:click=move |_| shift(uid, true)>"上移"<span class="visually-hidden">{title}</span></button>
                    <button class="button button--small button--ghost-dark" type="button" disabled=move || { index.get() + 1 >= count.get() }
                        on:click=move |_| shift(uid, false)>"下移"<span class="visually-hidden">{title}</span></button>
                    <button class="button button--small button--danger" type="button"
                        on:click=move |_| remove(uid)>"删除"<span class="visually-hidden">{title}</span></button>
                </div>
            </fieldset>
            </details>
        </li>
    }
}

/// A field's inputs: key, label, type, masking, whether required, purpose, options (of an enum), data kind.
#[component]
fn FieldInputs(row: FieldRow, index: Memo<usize>, form: FormState) -> impl IntoView {
    let is_enum = move || row.field_type.get() == FieldType::Enum;
    let keep_ends = move || row.masking.get() == "keep_ends";
    view! {
        <div class="field-card__grid">
            <RowInput row attr="key" label="字段名(英文)" value=row.key index form required=true mono=true
                hint="小写字母、数字和下划线,如 fine_amount" />
            <RowInput row attr="label" label="标签" value=row.label index form required=true />
            <div class="field">
                <label for=row.id("type")>"类型"</label>
                <select id=row.id("type") on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(t) = FIELD_TYPES.into_iter().find(|t| type_key(*t) == key) { row.field_type.set(t); }
                }>
                    {FIELD_TYPES.into_iter().map(|t| view! {
                        <option value=type_key(t) selected=move || row.field_type.get() == t>{type_label(t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=row.id("masking")>"公示脱敏"</label>
                <select id=row.id("masking") on:change=move |ev| row.masking.set(event_target_value(&ev))>
                    {MASKING_KINDS.into_iter().map(|(key, label)| view! {
                        <option value=key selected=move || row.masking.get() == key>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=keep_ends>
                <div class="pair">
                    <RowInput row attr="keep_first" label="保留前几位" value=row.keep_first index form kind="number" />
                    <RowInput row attr="keep_last" label="保留后几位" value=row.keep_last index form kind="number" />
                </div>
            </Show>
            <label class="check field-card__required">
                <input type="checkbox" id=row.id("required") prop:checked=move || row.required.get()
                    on:change=move |ev| row.required.set(event_target_checked(&ev)) />
                "必填"
            </label>
            <RowInput row attr="purpose" label="收集目的" value=row.purpose index form required=true wide=true
                hint="说明平台为何收集该字段(R-26.1)" />
            <Show when=is_enum>
                <RowInput row attr="options" label="可选值" value=row.options index form required=true wide=true
                    hint="用顿号或逗号分隔,如:警告、罚款、其他" />
            </Show>
            <RowInput row attr="data_kind" label="个人信息类别(可选)" value=row.data_kind index form
                hint="如:联系方式;同样按禁止采集的类别检查" />
        </div>
    }
}

/// An input of one field row; its error is looked up by the row's current position (`fields[i].attr`).
#[component]
fn RowInput(
    row: FieldRow,
    attr: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    index: Memo<usize>,
    form: FormState,
    #[prop(optional)] required: bool,
    #[prop(optional)] mono: bool,
    #[prop(optional)] wide: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let id = row.id(attr);
    let path = move || {
        let attr = if attr.starts_with("keep_") { "masking" } else { attr };
        format!("fields[{}].{attr}", index.get())
    };
    let left = RwSignal::new(false);
    let error = move || form.shown_when(&path(), left.get() || !value.with(|v| v.trim().is_empty()));
    let has_error = move || error().is_some();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--wide=wide class:field--invalid=has_error>
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">" *"</span><span class="visually-hidden">"(必填)"</span> })}
            </label>
            <input
                id=id.clone()
                type=kind
                class:mono=mono
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| { value.set(event_target_value(&ev)); form.edited(&path()); }
                on:blur=move |_| left.set(true)
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=format!("{hint_id} {error_id}")
            />
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{hint}</p> })}
            <p class="field__error" id=error_id data-testid=format!("error-{attr}") role="alert">{error}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_split_on_chinese_and_latin_separators() {
        assert_eq!(split_options("警告、罚款, 其他;;"), ["警告", "罚款", "其他"]);
    }
}
