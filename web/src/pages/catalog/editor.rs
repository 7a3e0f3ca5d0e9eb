//! One catalog item: the editor of the competent office (new items, and changes saved as new versions with
//! `If-Match`), a read-only view for everyone else, and the item's versions. The editor runs the API's own check
//! (`check_catalog_item` and the field limits) as the user types, so a prohibited field is named beside its key
//! before anything is sent.

use super::{masking_key, masking_label, type_key, type_label, FIELD_TYPES, MASKING_KINDS};
use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::form::focus;
use crate::components::{described_by, token, FormState, Labelled, RequireRole, TextInput};
use crate::pages::records::local_time;
use crate::pages::records::CONTENT_ROLES;
use credit_types::catalog::{
    check_catalog_item, CatalogItem, CatalogItemInput, DisclosureClass, FieldDefinition, FieldType, SubjectKind,
};
use credit_types::identity::Role;
use credit_types::masking::MaskingRule;
use credit_types::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use validator::Validate;
use wasm_bindgen::JsCast;

/// `/workbench/catalog/new`.
#[component]
pub fn NewCatalogItem() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::CityCreditAdmin]>
            <section class="panel" data-testid="catalog-new">
                <nav class="breadcrumbs" aria-label="当前位置">
                    <a href="/workbench/catalog">"资源目录"</a> " › " <span aria-current="page">"新增目录项"</span>
                </nav>
                <h1>"新增目录项"</h1>
                <Editor existing=None reload=RwSignal::new(0) notice=RwSignal::new(None) />
            </section>
        </RequireRole>
    }
}

/// `/workbench/catalog/:code`.
#[component]
pub fn CatalogItemPage() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <ItemPage />
        </RequireRole>
    }
}

type Loaded = (CatalogItem, String, Vec<CatalogItem>);

#[component]
fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let editor =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::CityCreditAdmin)));
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(query.with_untracked(|q| q.get("saved")).map(|_| "目录项已创建,版本 1。".to_owned()));
    let data = LocalResource::new(move || {
        reload.track();
        let code = api::urlencode(&code.get());
        async move {
            let (item, etag) =
                api::get_tagged::<CatalogItem>(&format!("/api/v1/catalog/items/{code}"), &token()).await?;
            let etag = etag.unwrap_or_else(|| format!("\"{}\"", item.version));
            let versions =
                api::get_json::<Vec<CatalogItem>>(&format!("/api/v1/catalog/items/{code}/versions"), Some(&token()))
                    .await?;
            Ok::<Loaded, ApiError>((item, etag, versions))
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="status" role="status">"正在加载目录项…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((item, etag, versions)) => view! {
                        <section class="panel" data-testid="catalog-item">
                            <nav class="breadcrumbs" aria-label="当前位置">
                                <a href="/workbench/catalog">"资源目录"</a> " › " <span aria-current="page">{item.name_zh.clone()}</span>
                            </nav>
                            <h1>{item.name_zh.clone()} " " <span class="mono muted">{item.code.clone()}</span></h1>
                            <p class="status status--ok" role="status" aria-live="polite" data-testid="catalog-notice">{move || notice.get()}</p>
                            <p class="muted">"当前为第 " {item.version} " 版,更新于 " {local_time(item.updated_at)} "。"</p>
                            {if editor {
                                view! { <Editor existing=Some((item, etag)) reload notice /> }.into_any()
                            } else {
                                view! { <ItemView item /> }.into_any()
                            }}
                        </section>
                        <Versions versions />
                    }.into_any(),
                    Err(error) => view! {
                        <section class="panel">
                            <h1>"目录项"</h1>
                            <p class="status status--error" role="alert">{error.friendly()}</p>
                            <p><a href="/workbench/catalog">"返回资源目录"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The item for readers: its settings and its fields.
#[component]
fn ItemView(item: CatalogItem) -> impl IntoView {
    let provider =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::DataProvider)));
    let code = api::urlencode(&item.code);
    view! {
        {(provider && item.active).then(|| view! {
            <div class="actions">
                <a class="button" href=format!("/workbench/records/new?item={code}")>"按此目录新增记录"</a>
                <a class="button button--ghost-dark" href=format!("/workbench/upload?item={code}")>"批量上传"</a>
            </div>
        })}
        <dl class="facts">
            <dt>"英文名称"</dt><dd>{item.name_en.clone()}</dd>
            <dt>"适用主体"</dt><dd>{item.subject_kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")}</dd>
            <dt>"默认公开范围"</dt><dd>{item.default_class.label()}</dd>
            <dt>"公示期限"</dt><dd>{format!("{} 至 {} 天", item.min_days, item.max_days)}</dd>
            <dt>"状态"</dt><dd>{if item.active { "启用" } else { "停用" }}</dd>
        </dl>
        <h2>"字段"</h2>
        <div class="table-wrap">
            <table class="table table--wide" data-testid="catalog-fields">
                <thead><tr>
                    <th scope="col">"字段名"</th><th scope="col">"标签"</th><th scope="col">"类型"</th><th scope="col">"必填"</th>
                    <th scope="col">"公示脱敏"</th><th scope="col">"收集目的"</th>
                </tr></thead>
                <tbody>
                    {item.fields.into_iter().map(|f| view! {
                        <tr>
                            <td class="mono">{f.key}</td>
                            <td>{f.label}</td>
                            <td>{type_label(f.field_type)}{(!f.options.is_empty()).then(|| format!(":{}", f.options.join("、")))}</td>
                            <td>{if f.required { "是" } else { "否" }}</td>
                            <td>{masking_label(f.masking)}</td>
                            <td>{f.purpose}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Versions(versions: Vec<CatalogItem>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="catalog-versions-title" data-testid="catalog-versions">
            <h2 id="catalog-versions-title">"版本历史"</h2>
            <p class="panel__hint">"记录保留其提交时的目录版本;修改目录不影响已有记录的内容。"</p>
            <div class="table-wrap">
                <table class="table table--wide">
                    <thead><tr>
                        <th scope="col" class="number">"版本"</th><th scope="col">"名称"</th>
                        <th scope="col">"默认公开范围"</th><th scope="col">"公示期限"</th><th scope="col">"字段"</th>
                    </tr></thead>
                    <tbody>
                        {versions.into_iter().map(|v| view! {
                            <tr data-testid="catalog-version">
                                // The API gives no time per version (each carries the item's latest change).
                                <td class="number">{v.version}</td>
                                <td>{v.name_zh}</td>
                                <td>{v.default_class.label()}</td>
                                <td>{format!("{} 至 {} 天", v.min_days, v.max_days)}</td>
                                <td>
                                    <details>
                                        <summary>{v.fields.len()} " 个字段"</summary>
                                        {v.fields.iter().map(|f| f.label.clone()).collect::<Vec<_>>().join("、")}
                                    </details>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One field of the editor: its inputs as signals, and whether the user has worked on it yet.
#[derive(Clone, Copy)]
struct FieldRow {
    uid: u32,
    /// Whether its card is open: new fields are, the stored ones fold into one line each.
    expanded: RwSignal<bool>,
    key: RwSignal<String>,
    label: RwSignal<String>,
    field_type: RwSignal<FieldType>,
    required: RwSignal<bool>,
    masking: RwSignal<String>,
    keep_first: RwSignal<String>,
    keep_last: RwSignal<String>,
    purpose: RwSignal<String>,
    options: RwSignal<String>,
    data_kind: RwSignal<String>,
}

impl FieldRow {
    fn new(uid: u32, field: Option<&FieldDefinition>) -> FieldRow {
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
    fn definition(&self) -> FieldDefinition {
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

    fn id(&self, attr: &str) -> String {
        format!("field-{}-{attr}", self.uid)
    }
}

/// Options typed as one line, separated by 、 , , ; or new lines.
fn split_options(text: &str) -> Vec<String> {
    text.split(['、', ',', ',', ';', ';', '\n']).map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect()
}

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

#[component]
fn Editor(
    existing: Option<(CatalogItem, String)>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let item = existing.as_ref().map(|(item, _)| item.clone());
    let if_match = existing.map(|(_, etag)| etag);
    let is_new = item.is_none();
    let code = RwSignal::new(item.as_ref().map(|i| i.code.clone()).unwrap_or_default());
    let name_zh = RwSignal::new(item.as_ref().map(|i| i.name_zh.clone()).unwrap_or_default());
    let name_en = RwSignal::new(item.as_ref().map(|i| i.name_en.clone()).unwrap_or_default());
    let kinds = RwSignal::new(item.as_ref().map(|i| i.subject_kinds.clone()).unwrap_or_default());
    let default_class = RwSignal::new(item.as_ref().map_or(DisclosureClass::Public, |i| i.default_class));
    let min_days = RwSignal::new(item.as_ref().map_or("1".to_owned(), |i| i.min_days.to_string()));
    let max_days = RwSignal::new(item.as_ref().map_or("1095".to_owned(), |i| i.max_days.to_string()));
    let active = RwSignal::new(item.as_ref().is_none_or(|i| i.active));
    let next_uid = StoredValue::new(0u32);
    let new_row = move |field: Option<&FieldDefinition>| {
        next_uid.update_value(|n| *n += 1);
        FieldRow::new(next_uid.get_value(), field)
    };
    let rows = RwSignal::new(
        item.as_ref().map(|i| i.fields.iter().map(|f| new_row(Some(f))).collect::<Vec<_>>()).unwrap_or_default(),
    );
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);

    let input = move || CatalogItemInput {
        code: code.get().trim().to_owned(),
        name_zh: name_zh.get().trim().to_owned(),
        name_en: name_en.get().trim().to_owned(),
        subject_kinds: kinds.get(),
        fields: rows.with(|rows| rows.iter().map(FieldRow::definition).collect()),
        default_class: default_class.get(),
        min_days: min_days.get().trim().parse().unwrap_or(0),
        max_days: max_days.get().trim().parse().unwrap_or(0),
        active: active.get(),
    };
    let form = FormState::new(move || {
        let input = input();
        let mut errors = check_catalog_item(&input);
        if let Err(e) = input.validate() {
            errors.extend(credit_types::problem::field_errors(&e));
        }
        errors
    });
    let element_for = move |path: &str| -> String {
        if let Some(rest) = path.strip_prefix("fields[") {
            if let Some((index, attr)) = rest.split_once("].") {
                let attr = if attr.starts_with("masking") { "masking" } else { attr };
                if let Some(row) = index.parse::<usize>().ok().and_then(|i| rows.with_untracked(|r| r.get(i).copied()))
                {
                    return row.id(attr);
                }
            }
            return "add-field".to_owned();
        }
        match path {
            "subject_kinds" => "kind-legal_person".to_owned(),
            "fields" => "add-field".to_owned(),
            other => other.to_owned(),
        }
    };
    let focus_first = move |errors: &[FieldError]| {
        // Fields with errors open, so that their messages show and the first can take the focus.
        for error in errors {
            let index = error.field.strip_prefix("fields[").and_then(|rest| rest.split_once(']')).map(|(i, _)| i);
            if let Some(row) =
                index.and_then(|i| i.parse::<usize>().ok()).and_then(|i| rows.with_untracked(|r| r.get(i).copied()))
            {
                row.expanded.set(true);
            }
        }
        if let Some(first) = errors.iter().min_by_key(|e| rank(&e.field)) {
            let id = element_for(&first.field);
            request_animation_frame(move || focus(&id));
        }
    };

    let add = move |_| {
        let row = new_row(None);
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

    let save_url = item.as_ref().map(|i| format!("/api/v1/catalog/items/{}", api::urlencode(&i.code)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.submitted.set(true);
        form.server.set(Vec::new());
        let errors = form.local.get_untracked();
        if !errors.is_empty() {
            failure.set(Some(format!("有 {} 处需要更正,请查看标出的字段。", errors.len())));
            focus_first(&errors);
            return;
        }
        let body = input();
        let navigate = navigate.clone();
        let save_url = save_url.clone();
        let if_match = if_match.clone();
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = match (&save_url, &if_match) {
                (Some(url), Some(etag)) => api::put_json_if_match::<_, CatalogItem>(url, &body, etag, &token()).await,
                _ => api::post_json::<_, CatalogItem>("/api/v1/catalog/items", Some(&body), Some(&token())).await,
            };
            // Before anything the answer triggers: a success replaces this form and disposes its signals.
            pending.set(false);
            match result {
                Ok(saved) if is_new => {
                    navigate(&format!("/workbench/catalog/{}?saved=1", saved.code), Default::default());
                }
                Ok(saved) => {
                    notice.set(Some(format!("已保存为第 {} 版。", saved.version)));
                    reload.update(|n| *n += 1);
                }
                Err(error) => match error.status() {
                    Some(412) | Some(428) => failure.set(Some("目录项已被他人修改,请刷新后重试".to_owned())),
                    _ => {
                        let errors = error.field_errors();
                        if errors.is_empty() {
                            failure.set(Some(error.friendly()));
                        } else {
                            failure.set(Some(format!("有 {} 处需要更正,请查看标出的字段。", errors.len())));
                            focus_first(&errors);
                            form.server.set(errors);
                        }
                    }
                },
            }
        });
    };

    let kinds_error = move || form.shown_when("subject_kinds", false);
    let fields_error = move || form.shown_when("fields", false);
    view! {
        <form class="form form--catalog" on:submit=submit novalidate=true data-testid="catalog-editor">
            <fieldset class="group">
                <legend>"基本信息"</legend>
                {if is_new {
                    view! { <TextInput name="code" label="目录代码" value=code form required=true mono=true
                        hint="大写字母、数字和下划线,以字母开头,如 ADM_PENALTY;创建后不能修改" /> }.into_any()
                } else {
                    view! { <p class="muted">"目录代码:" <span class="mono">{code.get_untracked()}</span>"(不可修改)"</p> }.into_any()
                }}
                <TextInput name="name_zh" label="中文名称" value=name_zh form required=true />
                <TextInput name="name_en" label="英文名称" value=name_en form required=true />
                <label class="check">
                    <input type="checkbox" id="active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                    "启用(停用的目录项不再接收新记录)"
                </label>
            </fieldset>
            <fieldset class="group" aria-describedby="subject_kinds-error">
                <legend>"适用主体"</legend>
                {SubjectKind::ALL.into_iter().map(|kind| view! {
                    <label class="check">
                        <input type="checkbox" id=format!("kind-{}", kind.as_str()) prop:checked=move || kinds.with(|k| k.contains(&kind))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                kinds.update(|k| { k.retain(|x| *x != kind); if on { k.push(kind); } });
                            } />
                        {kind.label()}
                    </label>
                }).collect_view()}
                <p class="field__error" id="subject_kinds-error" role="alert" data-testid="error-subject_kinds">{kinds_error}</p>
            </fieldset>
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
                    <TextInput name="min_days" label="最短公示天数" kind="number" value=min_days form required=true min="1" max="36500" />
                    <TextInput name="max_days" label="最长公示天数" kind="number" value=max_days form required=true min="1" max="36500" />
                </div>
            </fieldset>
            <fieldset class="group">
                <legend>"字段"</legend>
                <p class="panel__hint">"每个字段须说明收集目的;不得采集宗教信仰、基因、指纹、血型、疾病和病史等个人信息(R-27.1)。"</p>
                <ol class="field-cards">
                    <For each=move || rows.get() key=|row| row.uid let:row>
                        <FieldCard row rows form remove shift />
                    </For>
                </ol>
                <p class="field__error" role="alert" data-testid="error-fields">{fields_error}</p>
                <button class="button button--ghost-dark" type="button" id="add-field" on:click=add>"添加字段"</button>
            </fieldset>
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

#[component]
fn FieldCard(
    row: FieldRow,
    rows: RwSignal<Vec<FieldRow>>,
    form: FormState,
    remove: impl Fn(u32) + Copy + Send + Sync + 'static,
    shift: impl Fn(u32, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let uid = row.uid;
    let index = Memo::new(move |_| rows.with(|r| r.iter().position(|x| x.uid == uid).unwrap_or(0)));
    let count = Memo::new(move |_| rows.with(Vec::len));
    let title = move || {
        let label = row.label.get();
        let n = index.get() + 1;
        if label.trim().is_empty() {
            format!("字段 {n}")
        } else {
            format!("字段 {n}:{}", label.trim())
        }
    };
    let is_enum = move || row.field_type.get() == FieldType::Enum;
    let keep_ends = move || row.masking.get() == "keep_ends";
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

    #[test]
    fn errors_rank_in_layout_order() {
        let mut paths = ["fields[2].key", "fields[0].purpose", "code", "min_days", "fields[0].key"];
        paths.sort_by_key(|p| rank(p));
        assert_eq!(paths, ["code", "min_days", "fields[0].key", "fields[0].purpose", "fields[2].key"]);
    }
}
