//! Portal home: what the platform is, and the regions whose credit information it holds.

use super::portal::SearchBox;
use crate::api;
use credit_types::{Region, RegionLevel};
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"信用九江"</h1>
            <p>
                "九江市公共信用信息平台汇集全市行政机关、司法机关和公共服务单位依法产生的信用信息,"
                "面向社会公众公开信用信息,面向政府部门提供共享与授权使用服务。"
            </p>
            <SearchBox />
        </section>
        <section class="panel" aria-labelledby="regions-title">
            <h2 id="regions-title">"行政区划"</h2>
            <p class="panel__hint">"本平台覆盖九江市及所辖区、县、县级市(GB/T 2260 代码)。"</p>
            <RegionList />
        </section>
    }
}

#[component]
fn RegionList() -> impl IntoView {
    let regions = LocalResource::new(api::regions::all);
    view! {
        <Suspense fallback=|| view! { <p class="status" role="status">"正在加载行政区划…"</p> }>
            {move || Suspend::new(async move {
                match regions.await {
                    Ok(list) => regions_view(list).into_any(),
                    Err(error) => view! {
                        <p class="status status--error" role="alert" data-testid="region-error">
                            "行政区划加载失败。" {error.message()}
                        </p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn regions_view(list: Vec<Region>) -> impl IntoView {
    let (cities, divisions): (Vec<Region>, Vec<Region>) = list.into_iter().partition(|r| r.level == RegionLevel::City);
    let count = divisions.len();
    view! {
        <div class="regions" data-testid="region-list">
            {cities.into_iter().map(|city| view! {
                <div class="region region--city" data-testid="region">
                    <span class="region__name">{city.name}</span>
                    <span class="region__meta">{kind_label(&city.kind)} " · " {city.code}</span>
                </div>
            }).collect_view()}
            <p class="regions__count">"下辖 " {count} " 个县级行政区"</p>
            <ul class="regions__grid">
                {divisions.into_iter().map(|region| view! {
                    <li class="region" data-testid="region">
                        <span class="region__name">{region.name}</span>
                        <span class="region__meta">{kind_label(&region.kind)} " · " {region.code}</span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The Chinese name of a division kind.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "city" => "地级市",
        "district" => "市辖区",
        "county" => "县",
        "county_city" => "县级市",
        _ => "行政区",
    }
}
