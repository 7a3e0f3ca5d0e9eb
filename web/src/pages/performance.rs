//! The system administrator's performance page: the archive's latency, throughput, error rate and resource
//! use over the last 24 hours and the last 30 days, with the tuning actions of the operation log as vertical lines.

use crate::api;
use crate::components::{time, token, Line, LineChart, Marker, RequireRole};
use credit_types::identity::Role;
use credit_types::performance::{PerformancePoint, PerformanceRange, PerformanceSeries};
use leptos::prelude::*;

#[component]
pub fn PerformancePage() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::SystemAdmin, Role::SecurityAuditor]>
            <section class="panel" aria-labelledby="performance-title" data-testid="performance">
                <h2 id="performance-title">"性能状况"</h2>
                <p class="panel__hint">
                    "平台定时归档响应时间、吞吐量、错误率和资源占用(保存 400 天,7 天以前的每小时保留一条);竖线为运维日志中的调优记录,指向竖线可看内容。"
                </p>
                <Period range=PerformanceRange::Day />
                <Period range=PerformanceRange::Month />
            </section>
        </RequireRole>
    }
}

/// The charts of one period.
#[component]
fn Period(range: PerformanceRange) -> impl IntoView {
    let series = LocalResource::new(move || async move { api::performance::series(&token(), range).await });
    let heading = match range {
        PerformanceRange::Day => "最近 24 小时",
        PerformanceRange::Month => "最近 30 天(每小时)",
    };
    view! {
        <section class="performance-period" data-testid=format!("performance-{}", range.as_str())>
            <h3>{heading}</h3>
            <Transition fallback=|| view! { <p class="status" role="status">"正在读取…"</p> }>
                {move || Suspend::new(async move {
                    match series.await {
                        Ok(series) => view! { <Charts series /> }.into_any(),
                        Err(error) => view! { <p class="status status--error" role="alert">{error.friendly()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn values(points: &[PerformancePoint], pick: impl Fn(&PerformancePoint) -> Option<f64>) -> Vec<Option<f64>> {
    points.iter().map(pick).collect()
}

fn milliseconds(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} 毫秒")
    } else {
        format!("{v:.1} 毫秒")
    }
}

fn per_second(v: f64) -> String {
    format!("{v:.2} 次/秒")
}

fn percent(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

fn megabytes(v: f64) -> String {
    format!("{:.1} MB", v / (1024.0 * 1024.0))
}

/// The charts of a series, and its tuning actions as a list.
#[component]
fn Charts(series: PerformanceSeries) -> impl IntoView {
    let points = &series.points;
    let times: Vec<_> = points.iter().map(|p| p.at).collect();
    let markers: Vec<Marker> = series
        .markers
        .iter()
        .map(|m| Marker {
            at: m.at,
            text: match &m.author_name {
                Some(name) => format!("{}({name})", m.text),
                None => m.text.clone(),
            },
        })
        .collect();
    let (from, to) = (series.from, series.to);
    let id = series.range.as_str();
    let latency = vec![
        Line { label: "P50", values: values(points, |p| p.p50_ms) },
        Line { label: "P95", values: values(points, |p| p.p95_ms) },
        Line { label: "P99", values: values(points, |p| p.p99_ms) },
    ];
    let throughput = vec![Line { label: "每秒请求数", values: values(points, |p| Some(p.requests_per_second)) }];
    let errors = vec![Line { label: "5xx 错误率", values: values(points, |p| Some(p.error_rate)) }];
    let memory = vec![
        Line { label: "进程内存", values: values(points, |p| Some(p.memory_bytes as f64)) },
        Line { label: "数据库大小", values: values(points, |p| p.database_bytes.map(|b| b as f64)) },
    ];
    let tuning = series.markers.clone();
    view! {
        <div class="charts">
            <LineChart title="响应时间" times=times.clone() lines=latency markers=markers.clone() from to format=milliseconds testid=format!("chart-latency-{id}") />
            <LineChart title="吞吐量" times=times.clone() lines=throughput markers=markers.clone() from to format=per_second testid=format!("chart-throughput-{id}") />
            <LineChart title="错误率" times=times.clone() lines=errors markers=markers.clone() from to format=percent testid=format!("chart-errors-{id}") />
            <LineChart title="内存与数据库" times lines=memory markers from to format=megabytes testid=format!("chart-memory-{id}") />
        </div>
        <h4>"调优记录"</h4>
        {if tuning.is_empty() {
            view! { <p class="chart__empty">"此期间没有调优记录"</p> }.into_any()
        } else {
            view! {
                <ul class="tuning-list" data-testid=format!("tuning-{id}")>
                    {tuning.into_iter().map(|m| view! {
                        <li>
                            <time datetime=m.at.to_rfc3339()>{time::minutes(m.at)}</time>
                            " " {m.text}
                            {m.author_name.map(|name| view! { <span class="muted">"(" {name} ")"</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}
