//! Batch upload (data providers, R-6.1): a CSV file made from a catalog item's template, checked row by row on
//! the server while the page shows the progress; any bad row rejects the whole batch, listed by row and column, so
//! the file can be fixed and sent again.

use crate::api;
use crate::components::files::picked;
use crate::components::{time, token, RequireRole};
use credit_types::catalog::CatalogItem;
use credit_types::identity::Role;
use credit_types::intake::{Batch, BatchStatus, RowError};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often a running batch is asked for its progress.
const POLL: Duration = Duration::from_millis(500);

#[component]
pub fn Upload() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::DataProvider]>
            <UploadPage />
        </RequireRole>
    }
}

/// The columns every template has before the item's own fields, with what they are called on screen.
const FIXED_COLUMNS: [(&str, &str); 7] = [
    ("subject_kind", "主体类型"),
    ("subject_code", "主体代码"),
    ("subject_name", "主体名称"),
    ("decision_date", "决定日期"),
    ("disclosure_class", "公开范围"),
    ("publish_days", "公示天数"),
    ("provider_ref", "本单位编号"),
];

/// A column as the user knows it: its label, with the key the file uses.
fn column_label(item: Option<&CatalogItem>, key: &str) -> String {
    if key == "file" {
        return "整个文件".to_owned();
    }
    let label = FIXED_COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| (*l).to_owned())
        .or_else(|| item.and_then(|i| i.fields.iter().find(|f| f.key == key)).map(|f| f.label.clone()));
    match label {
        Some(label) => format!("{label}({key})"),
        None => key.to_owned(),
    }
}

/// A `data:` link holding the template, so that the download needs no second, unauthenticated request. The
/// byte-order mark (which reading the answer as text drops) is put back for spreadsheet programs.
fn data_url(csv: &str) -> String {
    let body = if csv.starts_with('\u{feff}') { csv.to_owned() } else { format!("\u{feff}{csv}") };
    format!("data:text/csv;charset=utf-8,{}", api::urlencode(&body))
}

#[component]
fn UploadPage() -> impl IntoView {
    let catalog = LocalResource::new(|| async move { api::catalog::items(&token()).await });
    let chosen = RwSignal::new(use_query_map().with_untracked(|q| q.get("item").unwrap_or_default()));
    let file = RwSignal::new_local(None::<web_sys::File>);
    let batch = RwSignal::new(None::<Batch>);
    let failure = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let history = RwSignal::new(0u32);
    let input = NodeRef::<leptos::html::Input>::new();
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, Ordering::Relaxed));
    }
    let item = Memo::new(move |_| {
        let code = chosen.get();
        catalog.get().and_then(|r| r.ok()).and_then(|items| items.into_iter().find(|i| i.code == code))
    });
    let running = move || batch.with(|b| b.as_ref().is_some_and(|b| !b.status.is_final()));

    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = chosen.get_untracked();
        let Some(chosen_file) = file.get_untracked() else {
            failure.set(Some("请先选择 CSV 文件".to_owned()));
            return;
        };
        if code.is_empty() {
            failure.set(Some("请先选择目录项".to_owned()));
            return;
        }
        if sending.get_untracked() || running() {
            return;
        }
        let state = Sending { file, input, batch, failure, sending, history };
        send(state, code, chosen_file, alive.clone());
    };

    view! {
        <section class="panel" data-testid="upload">
            <h1>"批量上传"</h1>
            <p class="panel__hint">
                "选择目录项并下载其 CSV 模板,按模板填写后上传(UTF-8 编码,每批最多 10000 行)。"
                "平台逐行校验:任何一行有误,整批都不会写入,请按错误清单修改后重新上传;本单位编号相同且内容未变的行不会重复写入。"
            </p>
            <form class="form form--wide" on:submit=upload novalidate=true>
                <ItemChoice catalog chosen on_change=move || batch.set(None) />
                <TemplateLink chosen />
                <Dropzone file input failure />
                <p class="status status--error" role="alert" data-testid="upload-error">{move || failure.get()}</p>
                <div class="form__actions">
                    <button class="button" type="submit" disabled=move || sending.get() || running()>
                        {move || if sending.get() { "正在上传…" } else if running() { "正在处理…" } else { "上传" }}
                    </button>
                </div>
            </form>
            {move || batch.get().map(|b| view! { <BatchView batch=b item=item.get() /> })}
        </section>
        <RecentBatches reload=history catalog />
    }
}

/// The catalog item the file is for.
#[component]
fn ItemChoice(
    catalog: LocalResource<Result<Vec<CatalogItem>, api::ApiError>>,
    chosen: RwSignal<String>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="batch-item">"目录项"</label>
            <select id="batch-item" on:change=move |ev| { chosen.set(event_target_value(&ev)); on_change(); }>
                <option value="">"请选择目录项"</option>
                <Suspense>
                    {move || Suspend::new(async move {
                        catalog.await.unwrap_or_default().into_iter().filter(|i| i.active).map(|i| {
                            let code = i.code.clone();
                            view! {
                                <option value=i.code.clone() selected=move || chosen.get_untracked() == code>
                                    {format!("{}({})", i.name_zh, i.code)}
                                </option>
                            }
                        }).collect_view()
                    })}
                </Suspense>
            </select>
        </div>
    }
}

/// The link to the chosen item's template, fetched with the user's token and offered as a `data:` URL.
#[component]
fn TemplateLink(chosen: RwSignal<String>) -> impl IntoView {
    let template = LocalResource::new(move || {
        let code = chosen.get();
        async move {
            if code.is_empty() {
                return None;
            }
            Some(api::catalog::template(&token(), &code).await.map(|csv| (code, data_url(&csv))))
        }
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match template.await {
                    Some(Ok((code, href))) => view! {
                        <p class="template-link">
                            <a href=href download=format!("{code}-template.csv") data-testid="template-link">
                                "下载 " {code.clone()} " 的 CSV 模板"
                            </a>
                            <span class="muted">" 第一行为列名,第二行为中文说明(上传时自动跳过)"</span>
                        </p>
                    }.into_any(),
                    Some(Err(error)) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    None => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// The file: picked, or dropped onto the zone.
#[component]
fn Dropzone(
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    input: NodeRef<leptos::html::Input>,
    failure: RwSignal<Option<String>>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let pick = move |chosen_file: Option<web_sys::File>| {
        failure.set(None);
        file.set(chosen_file);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        pick(ev.data_transfer().and_then(|t| t.files()).and_then(|files| files.get(0)));
    };
    view! {
        <div
            class="dropzone"
            class:dropzone--active=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="batch-file">"CSV 文件"</label>
            <input id="batch-file" node_ref=input type="file" accept=".csv,text/csv" on:change=move |ev| pick(picked(&ev))
                aria-describedby="batch-file-hint" />
            <p class="field__hint" id="batch-file-hint">"点击选择文件,或将文件拖放到此处。"</p>
            <p class="dropzone__file" data-testid="chosen-file">
                {move || file.with(|f| f.as_ref().map(|f| format!("已选择:{}({} KB)", f.name(), (f.size() / 1024.0).ceil())))}
            </p>
        </div>
    }
}

/// What an upload changes on the page.
#[derive(Clone, Copy)]
struct Sending {
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    input: NodeRef<leptos::html::Input>,
    batch: RwSignal<Option<Batch>>,
    failure: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    history: RwSignal<u32>,
}

/// Sends `chosen_file` for the item `code`, then follows the batch until its status is final.
fn send(state: Sending, code: String, chosen_file: web_sys::File, alive: Arc<AtomicBool>) {
    let Sending { file, input, batch, failure, sending, history } = state;
    // One key per attempt: a retry of this very request is answered with the same batch.
    let key = api::random_uuid();
    sending.set(true);
    failure.set(None);
    batch.set(None);
    leptos::task::spawn_local(async move {
        match api::intake::upload(&token(), &code, &chosen_file, &key).await {
            Ok(accepted) => {
                let id = accepted.id.clone();
                let done = accepted.status.is_final();
                batch.set(Some(accepted));
                if done {
                    finished(file, input, history);
                } else {
                    poll(id, batch, failure, alive, 0, move || finished(file, input, history));
                }
            }
            Err(error) => {
                let fields = error.field_errors();
                failure.set(Some(fields.first().map_or_else(|| error.friendly(), |first| first.message.clone())));
            }
        }
        sending.set(false);
    });
}

/// After a final status: the file must be chosen again (fixed, or another one), and the history shows the batch.
fn finished(
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    input: NodeRef<leptos::html::Input>,
    history: RwSignal<u32>,
) {
    file.set(None);
    if let Some(input) = input.get_untracked() {
        input.set_value("");
    }
    history.update(|n| *n += 1);
}

/// Asks for the batch's progress every [`POLL`] until its status is final (or the page is left).
fn poll(
    id: String,
    batch: RwSignal<Option<Batch>>,
    failure: RwSignal<Option<String>>,
    alive: Arc<AtomicBool>,
    failures: u32,
    on_final: impl Fn() + Clone + 'static,
) {
    set_timeout(
        move || {
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            leptos::task::spawn_local(async move {
                let answer = api::intake::batch(&token(), &id).await;
                if !alive.load(Ordering::Relaxed) {
                    return;
                }
                match answer {
                    Ok(now) => {
                        let done = now.status.is_final();
                        batch.set(Some(now));
                        if done {
                            on_final();
                        } else {
                            poll(id, batch, failure, alive, 0, on_final);
                        }
                    }
                    // A lost answer or two is retried; then the user is told.
                    Err(_) if failures < 5 => poll(id, batch, failure, alive, failures + 1, on_final),
                    Err(error) => failure.set(Some(format!("无法获取处理进度:{}", error.friendly()))),
                }
            });
        },
        POLL,
    );
}

#[component]
fn BatchView(batch: Batch, item: Option<CatalogItem>) -> impl IntoView {
    let phase = match batch.status {
        BatchStatus::Validating => "正在逐行校验…".to_owned(),
        BatchStatus::Committing => "校验通过,正在写入…".to_owned(),
        BatchStatus::Succeeded => "上传成功".to_owned(),
        BatchStatus::Rejected => format!("校验未通过:发现 {} 处错误,整批未写入", batch.error_count),
        BatchStatus::Failed => "处理失败:服务器未能完成处理,未写入任何数据,请重新上传".to_owned(),
    };
    let total = batch.total_rows.max(1);
    let percent = batch.processed_rows * 100 / total;
    let shown = batch.errors.len() as u32;
    let hidden = batch.error_count.saturating_sub(shown);
    let errors = batch.errors.clone();
    view! {
        <section class="batch" aria-labelledby="batch-title" data-testid="batch">
            <h2 id="batch-title">"处理结果"</h2>
            <p class="batch__phase" role="status" aria-live="polite" data-testid="batch-status">{phase}</p>
            <label class="batch__progress" for="batch-progress">
                "进度:已处理 " {batch.processed_rows} " / " {batch.total_rows} " 行(" {percent} "%)"
            </label>
            <progress id="batch-progress" data-testid="batch-progress" max=batch.total_rows.max(1) value=batch.processed_rows>
                {percent} "%"
            </progress>
            {(batch.status == BatchStatus::Succeeded).then(|| view! {
                <div class="status status--ok" data-testid="batch-success">
                    <p>"新增记录 " <strong>{batch.created}</strong> " 条;与已有记录相同、未重复写入 " <strong>{batch.unchanged}</strong> " 条。"</p>
                    <p><a href="/workbench/records">"查看信用记录"</a></p>
                </div>
            })}
            {(batch.status == BatchStatus::Rejected).then(|| view! {
                <p>"请按下表修改文件后重新选择并上传。行号与表格软件中的行号一致(第 1 行为列名)。"</p>
                {(hidden > 0).then(|| view! { <p class="muted">"仅列出前 " {shown} " 处错误,另有 " {hidden} " 处未列出。"</p> })}
                <div class="table-wrap">
                    <table class="table" data-testid="batch-errors">
                        <caption class="visually-hidden">"错误清单"</caption>
                        <thead><tr><th scope="col">"行号"</th><th scope="col">"列"</th><th scope="col">"错误说明"</th></tr></thead>
                        <tbody>
                            {errors.into_iter().map(|e: RowError| view! {
                                <tr data-testid="batch-error-row">
                                    <td>{if e.row == 0 { "—".to_owned() } else { e.row.to_string() }}</td>
                                    <td>{column_label(item.as_ref(), &e.field)}</td>
                                    <td>{e.message}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// The organisation's latest batches.
#[component]
fn RecentBatches(
    reload: RwSignal<u32>,
    catalog: LocalResource<Result<Vec<CatalogItem>, api::ApiError>>,
) -> impl IntoView {
    // Items by name; a code the catalog no longer lists stands for itself.
    let item_name = move |code: &str| {
        catalog
            .get()
            .and_then(Result::ok)
            .and_then(|items| items.into_iter().find(|i| i.code == code))
            .map_or_else(|| code.to_owned(), |i| i.name_zh)
    };
    let batches = LocalResource::new(move || {
        reload.track();
        async move { api::intake::recent(&token()).await }
    });
    view! {
        <section class="panel" aria-labelledby="recent-title">
            <h2 id="recent-title">"本单位最近的上传"</h2>
            <Transition fallback=|| view! { <p class="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match batches.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">"暂无上传记录。"</p> }.into_any(),
                        Ok(page) => view! {
                            <div class="table-wrap">
                                <table class="table table--wide">
                                    <thead><tr><th scope="col">"时间"</th><th scope="col">"目录项"</th><th scope="col">"状态"</th>
                                        <th scope="col" class="number">"行数"</th><th scope="col" class="number">"新增"</th>
                                        <th scope="col" class="number">"未变化"</th><th scope="col" class="number">"错误"</th></tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|b| view! {
                                            <tr>
                                                <td>{time::minutes(b.created_at)}</td>
                                                <td title=b.catalog_item.clone()>{item_name(&b.catalog_item)}</td>
                                                <td>{b.status.label()}</td>
                                                <td class="number">{b.total_rows}</td>
                                                <td class="number">{b.created}</td>
                                                <td class="number">{b.unchanged}</td>
                                                <td class="number">{b.error_count}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="status status--error">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_for_people() {
        assert_eq!(column_label(None, "subject_code"), "主体代码(subject_code)");
        assert_eq!(column_label(None, "file"), "整个文件");
        assert_eq!(column_label(None, "unknown"), "unknown");
    }

    #[test]
    fn the_template_link_keeps_the_byte_order_mark() {
        assert!(data_url("a,b\n").starts_with("data:text/csv;charset=utf-8,%EF%BB%BFa%2Cb%0A"));
    }
}
