//! Bar charts drawn as inline SVG (no script, no styles the content security policy would refuse), each with its
//! numbers as a table for screen readers and for anyone who prefers to read them.

use leptos::prelude::*;

/// One bar: its label and its count.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: i64,
}

/// Horizontal bars, one per row, largest first as given: for long labels (catalog items, counties).
#[component]
pub fn HorizontalBars(#[prop(into)] title: String, bars: Vec<Bar>, #[prop(into)] testid: String) -> impl IntoView {
    const ROW: i64 = 28;
    const LABEL: i64 = 170;
    const PLOT: i64 = 290;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let height = (bars.len() as i64).max(1) * ROW + 10;
    let summary = summary(&title, &bars);
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as i64 * ROW + 5;
            let width = (bar.count * PLOT / max).max(if bar.count > 0 { 2 } else { 0 });
            view! {
                <g>
                    <text class="chart__label" x=LABEL - 8 y=y + 19 text-anchor="end">{shorten(&bar.label, 11)}</text>
                    <rect class="chart__bar" x=LABEL y=y + 4 width=width height=ROW - 10 rx="2" />
                    <text class="chart__value" x=LABEL + width + 6 y=y + 19>{bar.count}</text>
                </g>
            }
        })
        .collect_view();
    let svg = view! {
        <svg class="chart__svg chart__svg--rows" viewBox=format!("0 0 {} {height}", LABEL + PLOT + 50) role="img" aria-label=summary>
            {rows}
        </svg>
    };
    view! { <Figure title bars testid svg=svg.into_any() /> }
}

/// Vertical bars in the given order: for time series (months).
#[component]
pub fn VerticalBars(#[prop(into)] title: String, bars: Vec<Bar>, #[prop(into)] testid: String) -> impl IntoView {
    const COLUMN: i64 = 44;
    const PLOT: i64 = 180;
    const TOP: i64 = 20;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let width = (bars.len() as i64).max(6) * COLUMN + 20;
    let summary = summary(&title, &bars);
    let columns = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let x = i as i64 * COLUMN + 16;
            let height = (bar.count * PLOT / max).max(if bar.count > 0 { 2 } else { 0 });
            let y = TOP + PLOT - height;
            let centre = x + (COLUMN - 12) / 2;
            view! {
                <g>
                    <rect class="chart__bar" x=x y=y width=COLUMN - 12 height=height rx="2" />
                    <text class="chart__value" x=centre y=y - 4 text-anchor="middle">{bar.count}</text>
                    <text class="chart__label chart__label--tick" x=centre y=TOP + PLOT + 16 text-anchor="middle">{month_label(&bar.label)}</text>
                </g>
            }
        })
        .collect_view();
    let svg = view! {
        <svg class="chart__svg chart__svg--columns" viewBox=format!("0 0 {width} {}", TOP + PLOT + 26) role="img" aria-label=summary>
            <line class="chart__axis" x1="10" x2=width - 4 y1=TOP + PLOT y2=TOP + PLOT />
            {columns}
        </svg>
    };
    view! { <Figure title bars testid svg=svg.into_any() /> }
}

/// A chart's frame: its title, the drawing (or "暂无数据" without bars), and its numbers as a table.
#[component]
fn Figure(title: String, bars: Vec<Bar>, testid: String, svg: AnyView) -> impl IntoView {
    let drawing = if bars.is_empty() {
        view! { <p class="chart__empty">"暂无数据"</p> }.into_any()
    } else {
        view! { <div class="chart__scroll">{svg}</div> }.into_any()
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart__title">{title.clone()}</figcaption>
            {drawing}
            <DataTable title bars />
        </figure>
    }
}

/// The chart's numbers as a table, folded away for sighted users.
#[component]
fn DataTable(title: String, bars: Vec<Bar>) -> impl IntoView {
    let total: i64 = bars.iter().map(|b| b.count).sum();
    view! {
        <details class="chart__data">
            <summary>"查看数据表"</summary>
            <table class="table">
                <caption class="visually-hidden">{title}</caption>
                <thead><tr><th scope="col">"项目"</th><th scope="col" class="number">"记录数"</th></tr></thead>
                <tbody>
                    {bars.into_iter().map(|b| view! {
                        <tr><th scope="row">{b.label}</th><td class="number">{b.count}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">"合计"</th><td class="number">{total}</td></tr></tfoot>
            </table>
        </details>
    }
}

/// What the chart shows, in one sentence, for assistive technology.
fn summary(title: &str, bars: &[Bar]) -> String {
    let parts: Vec<String> = bars.iter().take(12).map(|b| format!("{} {} 条", b.label, b.count)).collect();
    let more = if bars.len() > 12 { format!(",另有 {} 项见数据表", bars.len() - 12) } else { String::new() };
    format!("{title}:{}{more}", parts.join(","))
}

fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(max - 1).collect::<String>())
    }
}

/// `2026-03` as `26.03`: short enough to sit under a column.
fn month_label(key: &str) -> String {
    match key.split_once('-') {
        Some((year, month)) if year.len() == 4 => format!("{}.{month}", &year[2..]),
        _ => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(month_label("2026-03"), "26.03");
        assert_eq!(shorten("九江市浔阳区人民政府办公室", 5), "九江市浔…");
        assert_eq!(shorten("行政处罚", 5), "行政处罚");
    }
}
