//! One catalog item's page (`/workbench/catalog/:code`) and the new item's (`/workbench/catalog/new`): the
//! competent office edits (`editor.rs`), everyone else reads the item's settings and fields; below, its versions.

use super::editor::Editor;
use super::{masking_label, type_label};
use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::{time, token, Missing, RequireRole};
use crate::pages::records::CONTENT_ROLES;
use credit_types::catalog::CatalogItem;
use credit_types::identity::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

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
        let code = code.get();
        async move {
            let (item, etag) = api::catalog::item_tagged(&token(), &code).await?;
            let versions = api::catalog::versions(&token(), &code).await?;
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
                            <p class="muted">"当前为第 " {item.version} " 版,更新于 " {time::minutes(item.updated_at)} "。"</p>
                            {if editor {
                                view! { <Editor existing=Some((item, etag)) reload notice /> }.into_any()
                            } else {
                                view! { <ItemView item /> }.into_any()
                            }}
                        </section>
                        <Versions versions />
                    }.into_any(),
                    Err(error) => view! {
                        <Missing title="目录项" message=error.friendly() back="/workbench/catalog" back_text="返回资源目录" />
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
    let for_item = |path: &str| api::with_query(path, &[("item", item.code.clone())]);
    view! {
        {(provider && item.active).then(|| view! {
            <div class="actions">
                <a class="button" href=for_item("/workbench/records/new")>"按此目录新增记录"</a>
                <a class="button button--ghost-dark" href=for_item("/workbench/upload")>"批量上传"</a>
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
