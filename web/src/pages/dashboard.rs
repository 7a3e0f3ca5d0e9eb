//! The credit admins' overview: counts of the records they oversee by catalog item, county, month of
//! decision and provider, drawn as bar charts with their numbers as tables.

use crate::api::{self, ApiError};
use crate::components::{token, Bar, HorizontalBars, VerticalBars};
use credit_types::catalog::parse_date;
use credit_types::records::{Statistics, StatsDimension, StatsQuery};
use leptos::prelude::*;

/// Months shown in the time chart; older ones stay in its table.
const MONTHS: usize = 24;

fn bars(statistics: &Statistics) -> Vec<Bar> {
    statistics.buckets.iter().map(|b| Bar { label: b.label.clone(), count: b.count }).collect()
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let range = RwSignal::new((String::new(), String::new()));
    let problem = RwSignal::new(None::<&'static str>);
    let statistics = LocalResource::new(move || {
        let (from, to) = range.get();
        async move {
            let (from, to) = (parse_date(&from), parse_date(&to));
            let mut all = Vec::new();
            for by in
                [StatsDimension::CatalogItem, StatsDimension::County, StatsDimension::Month, StatsDimension::Provider]
            {
                all.push(api::statistics::records(&token(), &StatsQuery { by, from, to }).await?);
            }
            Ok::<_, ApiError>(all)
        }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (start, end) = (from.get_untracked(), to.get_untracked());
        let wrong = matches!((parse_date(&start), parse_date(&end)), (Some(a), Some(b)) if a > b);
        problem.set(wrong.then_some("起始日期不能晚于截止日期"));
        if !wrong {
            range.set((start, end));
        }
    };
    view! {
        <section class="panel" aria-labelledby="dashboard-title" data-testid="dashboard">
            <h2 id="dashboard-title">"信用记录统计"</h2>
            <form class="filters" aria-label="统计范围" novalidate=true on:submit=apply>
                <div class="field">
                    <label for="stats-from">"决定日期自"</label>
                    <input id="stats-from" type="date" bind:value=from aria-describedby="stats-error" />
                </div>
                <div class="field">
                    <label for="stats-to">"至"</label>
                    <input id="stats-to" type="date" bind:value=to aria-describedby="stats-error" />
                </div>
                <div class="filters__actions">
                    <button class="button" type="submit">"统计"</button>
                </div>
                <p class="field__error filters__error" id="stats-error" role="alert">{move || problem.get()}</p>
            </form>
            <Transition fallback=|| view! { <p class="status" role="status">"正在统计…"</p> }>
                {move || Suspend::new(async move {
                    match statistics.await {
                        Ok(all) => view! { <Charts all /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The four groupings: by catalog item, county and month as charts, by provider as a table.
#[component]
fn Charts(all: Vec<Statistics>) -> impl IntoView {
    let [catalog, county, month, provider]: [Statistics; 4] = match all.try_into() {
        Ok(four) => four,
        Err(_) => return ().into_any(),
    };
    let mut months = bars(&month);
    let older = months.len().saturating_sub(MONTHS);
    let recent = months.split_off(older);
    let month_title =
        if older > 0 { format!("按决定月份(最近 {MONTHS} 个月)") } else { "按决定月份".to_owned() };
    view! {
        <p class="status" role="status" aria-live="polite" data-testid="stats-total">
            "统计范围内共有信用记录 " <strong>{catalog.total}</strong> " 条。"
        </p>
        <div class="charts">
            <HorizontalBars title="按目录项" bars=bars(&catalog) testid="chart-catalog" />
            <HorizontalBars title="按县(市、区)" bars=bars(&county) testid="chart-county" />
        </div>
        <VerticalBars title=month_title bars=recent testid="chart-month" />
        <h3>"按提供单位"</h3>
        <div class="table-wrap">
            <table class="table" data-testid="provider-table">
                <thead><tr><th scope="col">"提供单位"</th><th scope="col" class="number">"记录数"</th></tr></thead>
                <tbody>
                    {provider.buckets.into_iter().map(|b| view! {
                        <tr><th scope="row">{b.label}</th><td class="number">{b.count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
