//! The days before: each day checked or due, its state, whether it was late, the items found with a problem and
//! who checked (R-21.1: the checks are recorded).

use super::state_class;
use crate::api;
use crate::components::{time, ListTable, Pager, PagerStatus};
use credit_types::prework::{DailyCheckQuery, DailyCheckSummary};
use leptos::prelude::*;

/// Days per page.
const PAGE: u32 = 30;

#[component]
pub fn History() -> impl IntoView {
    let pager = Pager::<DailyCheckSummary>::new();
    pager.load(api::url::daily_checks(&DailyCheckQuery { limit: Some(PAGE), ..Default::default() }));
    view! {
        <section class="panel" aria-labelledby="daily-history-title">
            <h2 id="daily-history-title">"检查记录"</h2>
            <ListTable caption="上班前检查记录,最近的在前" columns=["日期", "状态", "已确认", "发现问题", "检查人", "完成时间"] testid="daily-check-history">
                <For each=move || pager.items.get() key=|d| (d.work_day, d.confirmed, d.state) let:day>
                    <tr>
                        <td>{day.work_day.to_string()} {(!day.working_day).then_some("(休息日)")}</td>
                        <td>
                            <span class=state_class(day.state)>{day.state.label()}</span>
                            {day.late.then_some(" 逾期完成")}
                        </td>
                        <td class="number">{format!("{}/3", day.confirmed)}</td>
                        <td>{day.problems.iter().map(|p| p.label()).collect::<Vec<_>>().join("、")}</td>
                        <td>{day.checked_by.join("、")}</td>
                        <td>{day.completed_at.map_or_else(|| "—".to_owned(), time::minutes)}</td>
                    </tr>
                </For>
            </ListTable>
            <PagerStatus pager empty="还没有检查记录。" testid="daily-check-history" />
        </section>
    }
}
