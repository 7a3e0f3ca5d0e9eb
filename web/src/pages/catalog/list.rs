//! The catalog's items at their current versions.

use crate::api;
use crate::auth::Auth;
use crate::components::{token, RequireRole};
use crate::pages::records::CONTENT_ROLES;
use credit_types::identity::Role;
use leptos::prelude::*;

#[component]
pub fn Catalog() -> impl IntoView {
    view! {
        <RequireRole roles=CONTENT_ROLES>
            <CatalogPage />
        </RequireRole>
    }
}

#[component]
fn CatalogPage() -> impl IntoView {
    let editor =
        Auth::get().session.with_untracked(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&Role::CityCreditAdmin)));
    let items = LocalResource::new(|| async move { api::catalog::items(&token()).await });
    view! {
        <section class="panel" data-testid="catalog">
            <div class="title-row">
                <h1>"信用信息资源目录"</h1>
                {editor.then(|| view! { <a class="button" href="/workbench/catalog/new">"新增目录项"</a> })}
            </div>
            <p class="panel__hint">
                {if editor {
                    "目录的每次修改都保存为新版本,已有记录保留其提交时的版本。禁止采集宗教信仰、基因、指纹、血型、疾病和病史等个人信息。"
                } else {
                    "目录由市信用主管部门维护,此处仅供查阅。"
                }}
            </p>
            <Suspense fallback=|| view! { <p class="status" role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="table table--wide">
                                    <caption class="visually-hidden">"目录项"</caption>
                                    <thead><tr>
                                        <th scope="col">"代码"</th><th scope="col">"名称"</th><th scope="col" class="number">"版本"</th>
                                        <th scope="col">"适用主体"</th><th scope="col">"默认公开范围"</th><th scope="col">"公示期限"</th>
                                        <th scope="col" class="number">"字段数"</th><th scope="col">"状态"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|i| view! {
                                            <tr data-testid="catalog-row">
                                                <td class="mono"><a href=format!("/workbench/catalog/{}", i.code)>{i.code.clone()}</a></td>
                                                <td>{i.name_zh.clone()}</td>
                                                <td class="number">{i.version}</td>
                                                <td>{i.subject_kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")}</td>
                                                <td>{i.default_class.label()}</td>
                                                <td>{format!("{} 至 {} 天", i.min_days, i.max_days)}</td>
                                                <td class="number">{i.fields.len()}</td>
                                                <td>{if i.active { "启用" } else { "停用" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
