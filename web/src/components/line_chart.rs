//! Line charts over time drawn as inline SVG (no charting script, no inline styles), with vertical marker lines whose
//! text shows as a tooltip, and the numbers as a table for screen readers and for anyone who prefers to read them.

use super::time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// One line: its name in the legend, its style (`chart__line--1` …) and a value per time (absent: a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: &'static str,
    pub values: Vec<Option<f64>>,
}

/// A vertical line at a moment, with what happened then (the tooltip).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub at: DateTime<Utc>,
    pub text: String,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 24.0;

/// The chart of `lines` over `times` (oldest first) between `from` and `to`; values are shown with `format`.
#[component]
pub fn LineChart(
    #[prop(into)] title: String,
    times: Vec<DateTime<Utc>>,
    lines: Vec<Line>,
    markers: Vec<Marker>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    format: fn(f64) -> String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let has_values = lines.iter().any(|l| l.values.iter().any(Option::is_some));
    let max = lines.iter().flat_map(|l| l.values.iter().flatten()).fold(0.0_f64, |m, v| m.max(*v));
    let top = nice_ceiling(max);
    let span = (to - from).num_seconds().max(1) as f64;
    let x = move |at: DateTime<Utc>| LEFT + (at - from).num_seconds() as f64 / span * (WIDTH - LEFT - RIGHT);
    let y = move |value: f64| TOP + (1.0 - value / top) * (HEIGHT - TOP - BOTTOM);
    let summary = summary(&title, &lines, &markers, format);
    let paths = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let d = path(&times, &line.values, x, y);
            view! { <path class=format!("chart__line chart__line--{}", i + 1) d=d /> }
        })
        .collect_view();
    let marker_lines = markers
        .iter()
        .filter(|m| m.at >= from && m.at <= to)
        .map(|m| {
            let at = x(m.at);
            let tip = format!("{} {}", time::minutes(m.at), m.text);
            view! {
                <g class="chart__marker" data-testid="tuning-marker">
                    <title>{tip}</title>
                    <line class="chart__marker-line" x1=at x2=at y1=TOP y2=HEIGHT - BOTTOM />
                    <line class="chart__marker-hit" x1=at x2=at y1=TOP y2=HEIGHT - BOTTOM />
                </g>
            }
        })
        .collect_view();
    let legend = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            view! {
                <li class="chart__legend-item">
                    <span class=format!("chart__swatch chart__swatch--{}", i + 1) aria-hidden="true"></span>
                    {line.label}
                </li>
            }
        })
        .collect_view();
    let drawing = if has_values {
        view! {
            <div class="chart__scroll">
                <svg class="chart__svg chart__svg--lines" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary>
                    <line class="chart__axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
                    <line class="chart__grid" x1=LEFT x2=WIDTH - RIGHT y1=TOP y2=TOP />
                    <text class="chart__label chart__label--tick" x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end">{format(top)}</text>
                    <text class="chart__label chart__label--tick" x=LEFT - 6.0 y=HEIGHT - BOTTOM text-anchor="end">"0"</text>
                    <text class="chart__label chart__label--tick" x=LEFT y=HEIGHT - 6.0>{time::minutes(from)}</text>
                    <text class="chart__label chart__label--tick" x=WIDTH - RIGHT y=HEIGHT - 6.0 text-anchor="end">{time::minutes(to)}</text>
                    {paths}
                    {marker_lines}
                </svg>
            </div>
            <ul class="chart__legend">{legend}</ul>
        }
        .into_any()
    } else {
        view! { <p class="chart__empty">"暂无数据"</p> }.into_any()
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart__title">{title.clone()}</figcaption>
            {drawing}
            <DataTable title times lines format />
        </figure>
    }
}

/// The SVG path of one line: a move at each value after a gap, a line to each following value.
fn path(
    times: &[DateTime<Utc>],
    values: &[Option<f64>],
    x: impl Fn(DateTime<Utc>) -> f64,
    y: impl Fn(f64) -> f64,
) -> String {
    let mut d = String::new();
    let mut drawing = false;
    for (at, value) in times.iter().zip(values) {
        match value {
            Some(value) => {
                d.push_str(&format!("{}{:.1},{:.1} ", if drawing { 'L' } else { 'M' }, x(*at), y(*value)));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    d.trim_end().to_owned()
}

/// The smallest of 1, 2 or 5 times a power of ten at or above `max` (the top of the scale), 1 for nothing.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|step| step * power).find(|top| *top >= max).unwrap_or(10.0 * power)
}

/// The chart's numbers as a table, folded away for sighted users.
#[component]
fn DataTable(title: String, times: Vec<DateTime<Utc>>, lines: Vec<Line>, format: fn(f64) -> String) -> impl IntoView {
    let header = lines.iter().map(|l| view! { <th scope="col" class="number">{l.label}</th> }).collect_view();
    let rows = times
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let cells = lines
                .iter()
                .map(|l| {
                    let shown = l.values.get(i).copied().flatten().map_or_else(|| "—".to_owned(), format);
                    view! { <td class="number">{shown}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{time::minutes(*at)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <details class="chart__data">
            <summary>"查看数据表"</summary>
            <table class="table">
                <caption class="visually-hidden">{title}</caption>
                <thead><tr><th scope="col">"时间"</th>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// What the chart shows, in one sentence, for assistive technology: each line's latest and highest value.
fn summary(title: &str, lines: &[Line], markers: &[Marker], format: fn(f64) -> String) -> String {
    let parts: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let latest = l.values.iter().rev().find_map(|v| *v)?;
            let highest = l.values.iter().flatten().fold(f64::MIN, |m, v| m.max(*v));
            Some(format!("{} 最近 {},最高 {}", l.label, format(latest), format(highest)))
        })
        .collect();
    let tuning = if markers.is_empty() { String::new() } else { format!(";期间有 {} 次调优", markers.len()) };
    format!("{title}:{}{tuning}", parts.join(";"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(1.3), 2.0);
        assert_eq!(nice_ceiling(37.0), 50.0);
        assert_eq!(nice_ceiling(500.0), 500.0);
        assert_eq!(nice_ceiling(501.0), 1000.0);
    }

    #[test]
    fn gaps_start_a_new_stroke() {
        let at = |minute: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::minutes(minute);
        let times = [at(0), at(1), at(2), at(3)];
        let d = path(&times, &[Some(1.0), Some(2.0), None, Some(3.0)], |t| t.timestamp() as f64 / 60.0, |v| v);
        assert_eq!(d, "M0.0,1.0 L1.0,2.0 M3.0,3.0");
    }
}
