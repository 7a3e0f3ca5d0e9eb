//! The competent office's catalog editor: new items, and changes saved as new versions with `If-Match`. It runs the
//! API's own check (`check_catalog_item` and the field limits) as the user types, so a prohibited field is named
//! beside its key before anything is sent.

use super::fields::{FieldCard, FieldRow};
use crate::api::{self, ApiError};
use crate::components::form::{focus, summary};
use crate::components::{described_by, token, CheckList, FormState, Labelled, TextInput};
use credit_types::catalog::{
    check_catalog_item, CatalogItem, CatalogItemInput, DisclosureClass, FieldDefinition, SubjectKind,
};
use credit_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use validator::Validate;

/// Where an error path sits in the layout, to focus the first one.
fn rank(path: &str) -> (usize, usize, usize) {
    const TOP: [&str; 8] =
        ["code", "name_zh", "name_en", "subject_kinds", "default_class", "min_days", "max_days", "fields"];
    const ATTRS: [&str; 7] = ["key", "label", "type", "masking", "purpose", "options", "data_kind"];
    if let Some(rest) = path.strip_prefix("fields[") {
        let (index, attr) = rest.split_once("].").unwrap_or((rest.trim_end_matches(']'), ""));
        let index = index.parse().unwrap_or(usize::MAX);
        return (TOP.len(), index, ATTRS.iter().position(|a| *a == attr).unwrap_or(ATTRS.len()));
    }
    (TOP.iter().position(|t| *t == path).unwrap_or(TOP.len() + 1), 0, 0)
}

/// The item as typed.
#[derive(Clone, Copy)]
struct Draft {
    code: RwSignal<String>,
    name_zh: RwSignal<String>,
    name_en: RwSignal<String>,
    kinds: RwSignal<Vec<SubjectKind>>,
    default_class: RwSignal<DisclosureClass>,
    min_days: RwSignal<String>,
    max_days: RwSignal<String>,
    active: RwSignal<bool>,
    rows: RwSignal<Vec<FieldRow>>,
    next_uid: StoredValue<u32>,
}

impl Draft {
    /// The draft of `item`, or of a new item.
    fn new(item: Option<&CatalogItem>) -> Draft {
        let text = |pick: fn(&CatalogItem) -> String| RwSignal::new(item.map(pick).unwrap_or_default());
        let draft = Draft {
            code: text(|i| i.code.clone()),
            name_zh: text(|i| i.name_zh.clone()),
            name_en: text(|i| i.name_en.clone()),
            kinds: RwSignal::new(item.map(|i| i.subject_kinds.clone()).unwrap_or_default()),
            default_class: RwSignal::new(item.map_or(DisclosureClass::Public, |i| i.default_class)),
            min_days: RwSignal::new(item.map_or("1".to_owned(), |i| i.min_days.to_string())),
            max_days: RwSignal::new(item.map_or("1095".to_owned(), |i| i.max_days.to_string())),
            active: RwSignal::new(item.is_none_or(|i| i.active)),
            rows: RwSignal::new(Vec::new()),
            next_uid: StoredValue::new(0),
        };
        let rows = item.map(|i| i.fields.iter().map(|f| draft.new_row(Some(f))).collect()).unwrap_or_default();
        draft.rows.set(rows);
        draft
    }

    fn new_row(self, field: Option<&FieldDefinition>) -> FieldRow {
        self.next_uid.update_value(|n| *n += 1);
        FieldRow::new(self.next_uid.get_value(), field)
    }

    /// The item as it would be sent now (tracked: the live check reruns on every change).
    fn input(self) -> CatalogItemInput {
        CatalogItemInput {
            code: self.code.get().trim().to_owned(),
            name_zh: self.name_zh.get().trim().to_owned(),
            name_en: self.name_en.get().trim().to_owned(),
            subject_kinds: self.kinds.get(),
            fields: self.rows.with(|rows| rows.iter().map(FieldRow::definition).collect()),
            default_class: self.default_class.get(),
            min_days: self.min_days.get().trim().parse().unwrap_or(0),
            max_days: self.max_days.get().trim().parse().unwrap_or(0),
            active: self.active.get(),
        }
    }

    fn check(self) -> Vec<FieldError> {
        let input = self.input();
        let mut errors = check_catalog_item(&input);
        if let Err(e) = input.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors
    }

    fn row_at(self, index: &str) -> Option<FieldRow> {
        index.parse::<usize>().ok().and_then(|i| self.rows.with_untracked(|r| r.get(i).copied()))
    }

    /// The id of the input an error path names.
    fn element_for(self, path: &str) -> String {
        if let Some(rest) = path.strip_prefix("fields[") {
            let named = rest.split_once("].").and_then(|(index, attr)| {
                let attr = if attr.starts_with("masking") { "masking" } else { attr };
                self.row_at(index).map(|row| row.id(attr))
            });
            return named.unwrap_or_else(|| "add-field".to_owned());
        }
        match path {
            "subject_kinds" => "kind-legal_person".to_owned(),
            "fields" => "add-field".to_owned(),
            other => other.to_owned(),
        }
    }

    /// Opens the fields with errors, so that their messages show, and focuses the first error in the layout.
    fn focus_first(self, errors: &[FieldError]) {
        for error in errors {
            let index = error.field.strip_prefix("fields[").and_then(|rest| rest.split_once(']')).map(|(i, _)| i);
            if let Some(row) = index.and_then(|i| self.row_at(i)) {
                row.expanded.set(true);
            }
        }
        if let Some(first) = errors.iter().min_by_key(|e| rank(&e.field)) {
            let id = self.element_for(&first.field);
            request_animation_frame(move || focus(&id));
        }
    }
}

/// Saves the item: a new one, or a new version of `code` made on the version `if_match`.
async fn save(input: &CatalogItemInput, existing: Option<(String, String)>) -> Result<CatalogItem, ApiError> {
    match existing {
        Some((code, etag)) => api::catalog::update(&token(), &code, input, &etag).await,
        None => api::catalog::create(&token(), input).await,
    }
}

#[component]
pub fn Editor(
    existing: Option<(CatalogItem, String)>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let draft = Draft::new(existing.as_ref().map(|(item, _)| item));
    let target = existing.map(|(item, etag)| (item.code, etag));
    let is_new = target.is_none();
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let form = FormState::new(move || draft.check());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.submitted.set(true);
        form.server.set(Vec::new());
        let errors = form.local.get_untracked();
        if !errors.is_empty() {
            failure.set(summary(errors.len()));
            draft.focus_first(&errors);
            return;
        }
        let (body, target, navigate) = (untrack(move || draft.input()), target.clone(), navigate.clone());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = save(&body, target).await;
            // Before anything the answer triggers: a success replaces this form and disposes its signals.
            pending.set(false);
            match result {
                Ok(saved) if is_new => {
                    navigate(
                        &format!("/workbench/catalog/{}?saved=1", api::urlencode(&saved.code)),
                        Default::default(),
                    );
                }
                Ok(saved) => {
                    notice.set(Some(format!("已保存为第 {} 版。", saved.version)));
                    reload.update(|n| *n += 1);
                }
                Err(error) if error.is(&[ErrorCode::StaleVersion, ErrorCode::IfMatchRequired]) => {
                    failure.set(Some("目录项已被他人修改,请刷新后重试".to_owned()));
                }
                Err(error) => {
                    let errors = error.field_errors();
                    failure.set(if errors.is_empty() { Some(error.friendly()) } else { summary(errors.len()) });
                    draft.focus_first(&errors);
                    form.server.set(errors);
                }
            }
        });
    };
    view! {
        <form class="form form--catalog" on:submit=submit novalidate=true data-testid="catalog-editor">
            <BasicInputs draft form is_new />
            <fieldset class="group" aria-describedby="subject_kinds-error">
                <legend>"适用主体"</legend>
                <CheckList all=SubjectKind::ALL.to_vec() chosen=draft.kinds id_prefix="kind-" />
                <p class="field__error" id="subject_kinds-error" role="alert" data-testid="error-subject_kinds">
                    {move || form.shown_when("subject_kinds", false)}
                </p>
            </fieldset>
            <PublicationInputs draft form />
            <FieldList draft form />
            <p class="status status--error" role="alert" data-testid="catalog-error">{move || failure.get()}</p>
            <div class="form__actions">
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else if is_new { "创建目录项" } else { "保存为新版本" }}
                </button>
                <a class="button button--ghost-dark" href="/workbench/catalog">"返回"</a>
            </div>
        </form>
    }
}

/// The code (typed once, for a new item), the names, and whether the item takes new records.
#[component]
fn BasicInputs(draft: Draft, form: FormState, is_new: bool) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"基本信息"</legend>
            {if is_new {
                view! { <TextInput name="code" label="目录代码" value=draft.code form required=true mono=true
                    hint="大写字母、数字和下划线,以字母开头,如 ADM_PENALTY;创建后不能修改" /> }.into_any()
            } else {
                view! { <p class="muted">"目录代码:" <span class="mono">{draft.code.get_untracked()}</span>"(不可修改)"</p> }.into_any()
            }}
            <TextInput name="name_zh" label="中文名称" value=draft.name_zh form required=true />
            <TextInput name="name_en" label="英文名称" value=draft.name_en form required=true />
            <label class="check">
                <input type="checkbox" id="active" prop:checked=move || draft.active.get()
                    on:change=move |ev| draft.active.set(event_target_checked(&ev)) />
                "启用(停用的目录项不再接收新记录)"
            </label>
        </fieldset>
    }
}

/// The default disclosure class and the publication period's bounds.
#[component]
fn PublicationInputs(draft: Draft, form: FormState) -> impl IntoView {
    let default_class = draft.default_class;
    view! {
        <fieldset class="group">
            <legend>"公开与公示"</legend>
            <Labelled name="default_class" label="默认公开范围" hint="提供单位只能选择同样或更窄的范围" empty=Signal::derive(|| false) form>
                <select id="default_class" aria-describedby=described_by("default_class")
                    on:change=move |ev| if let Some(c) = DisclosureClass::parse(&event_target_value(&ev)) { default_class.set(c) }>
                    {DisclosureClass::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=move || default_class.get() == c>{c.label()}</option>
                    }).collect_view()}
                </select>
            </Labelled>
            <div class="pair">
                <TextInput name="min_days" label="最短公示天数" kind="number" value=draft.min_days form required=true min="1" max="36500" />
                <TextInput name="max_days" label="最长公示天数" kind="number" value=draft.max_days form required=true min="1" max="36500" />
            </div>
        </fieldset>
    }
}

/// The item's fields, each a card, added, moved and deleted here.
#[component]
fn FieldList(draft: Draft, form: FormState) -> impl IntoView {
    let rows = draft.rows;
    let add = move |_| {
        let row = draft.new_row(None);
        rows.update(|r| r.push(row));
        form.server.set(Vec::new());
        request_animation_frame(move || focus(&row.id("key")));
    };
    let remove = move |uid: u32| {
        rows.update(|r| r.retain(|row| row.uid != uid));
        form.server.set(Vec::new());
        focus("add-field");
    };
    let shift = move |uid: u32, up: bool| {
        rows.update(|r| {
            if let Some(i) = r.iter().position(|row| row.uid == uid) {
                let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < r.len()) };
                if let Some(j) = j {
                    r.swap(i, j);
                }
            }
        });
        form.server.set(Vec::new());
    };
    view! {
        <fieldset class="group">
            <legend>"字段"</legend>
            <p class="panel__hint">"每个字段须说明收集目的;不得采集宗教信仰、基因、指纹、血型、疾病和病史等个人信息(R-27.1)。"</p>
            <ol class="field-cards">
                <For each=move || rows.get() key=|row| row.uid let:row>
                    <FieldCard row rows form remove shift />
                </For>
            </ol>
            <p class="field__error" role="alert" data-testid="error-fields">{move || form.shown_when("fields", false)}</p>
            <button class="button button--ghost-dark" type="button" id="add-field" on:click=add>"添加字段"</button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_rank_in_layout_order() {
        let mut paths = ["fields[2].key", "fields[0].purpose", "code", "min_days", "fields[0].key"];
        paths.sort_by_key(|p| rank(p));
        assert_eq!(paths, ["code", "min_days", "fields[0].key", "fields[0].purpose", "fields[2].key"]);
    }
}
