//! `/workbench/calendar`: the working-day calendar (city credit admin) that objection and authorisation deadlines
//! are counted on: for a year, the weekdays off (public holidays) and the weekend days worked (调休), edited as rows
//! and saved as a whole.

use crate::api;
use crate::components::form::{refusal_line, summary};
use crate::components::{described_by, time, token, FormState, Notice, NoticeLine, RequireRole};
use chrono::{Datelike, NaiveDate, Weekday};
use credit_types::catalog::parse_date;
use credit_types::identity::Role;
use credit_types::objections::{CalendarDay, CalendarYear, DayKind};
use credit_types::FieldError;
use leptos::prelude::*;
use validator::Validate;

#[component]
pub fn CalendarEditor() -> impl IntoView {
    view! {
        <RequireRole roles=&[Role::CityCreditAdmin]>
            <CalendarPage />
        </RequireRole>
    }
}

/// One listed day as edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    key: u32,
    day: RwSignal<String>,
    kind: RwSignal<String>,
    name: RwSignal<String>,
}

impl Row {
    fn new(key: u32, day: &CalendarDay) -> Row {
        Row {
            key,
            day: RwSignal::new(day.day.to_string()),
            kind: RwSignal::new(day.kind.as_str().to_owned()),
            name: RwSignal::new(day.name.clone()),
        }
    }
}

fn weekday_label(day: NaiveDate) -> &'static str {
    match day.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// A listing that changes nothing (a holiday on a weekend, a workday on a weekday), worth a word but not a refusal.
fn redundant(day: NaiveDate, kind: DayKind) -> Option<&'static str> {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    match kind {
        DayKind::Holiday if weekend => Some("周末本已休息"),
        DayKind::Workday if !weekend => Some("工作日本需上班"),
        _ => None,
    }
}

/// The checks of the API's rules on the rows, by row index: a date in `year`, once; a kind; a name.
fn check_rows(year: i32, rows: &[(String, String, String)]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, (day, kind, name)) in rows.iter().enumerate() {
        let field = |part: &str| format!("days[{i}].{part}");
        match parse_date(day.trim()) {
            None if day.trim().is_empty() => errors.push(FieldError::new(field("day"), "required", "请填写日期")),
            None => errors.push(FieldError::new(field("day"), "invalid", "日期格式应为 YYYY-MM-DD")),
            Some(d) if d.year() != year => {
                errors.push(FieldError::new(field("day"), "other_year", format!("日期应在 {year} 年内")))
            }
            Some(d) if !seen.insert(d) => errors.push(FieldError::new(field("day"), "duplicate", "该日期已列出")),
            Some(_) => {}
        }
        if DayKind::parse(kind).is_none() {
            errors.push(FieldError::new(field("kind"), "required", "请选择类型"));
        }
        let day = CalendarDay { day: NaiveDate::default(), kind: DayKind::Holiday, name: name.trim().to_owned() };
        if let Err(e) = day.validate() {
            errors.extend(
                credit_types::problem::field_errors(&e).into_iter().map(|e| FieldError { field: field(&e.field), ..e }),
            );
        }
    }
    errors
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Ready,
    Failed(String),
}

/// The listed days as edited, each with a key that outlives its position.
#[derive(Clone, Copy)]
struct Rows {
    list: RwSignal<Vec<Row>>,
    next_key: StoredValue<u32>,
}

impl Rows {
    fn new() -> Rows {
        Rows { list: RwSignal::new(Vec::new()), next_key: StoredValue::new(0) }
    }

    fn key(self) -> u32 {
        self.next_key.update_value(|k| *k += 1);
        self.next_key.get_value()
    }

    /// Shows `days`, in date order.
    fn show(self, mut days: Vec<CalendarDay>) {
        days.sort_by_key(|d| d.day);
        self.list.set(days.iter().map(|d| Row::new(self.key(), d)).collect());
    }

    /// Adds an empty holiday row and puts the focus in its date.
    fn add(self) {
        let row = Row {
            key: self.key(),
            day: RwSignal::new(String::new()),
            kind: RwSignal::new(DayKind::Holiday.as_str().to_owned()),
            name: RwSignal::new(String::new()),
        };
        self.list.update(|list| list.push(row));
        let index = self.list.with_untracked(Vec::len) - 1;
        request_animation_frame(move || crate::components::form::focus(&format!("days[{index}].day")));
    }

    /// Each row as typed: day, kind, name (tracked, for the live check).
    fn values(self) -> Vec<(String, String, String)> {
        self.list.get().iter().map(|r| (r.day.get(), r.kind.get(), r.name.get())).collect()
    }

    /// The rows as sent (read without tracking).
    fn days(self) -> Vec<CalendarDay> {
        self.list
            .get_untracked()
            .iter()
            .filter_map(|r| {
                Some(CalendarDay {
                    day: parse_date(r.day.get_untracked().trim())?,
                    kind: DayKind::parse(&r.kind.get_untracked())?,
                    name: r.name.get_untracked().trim().to_owned(),
                })
            })
            .collect()
    }

    /// The inputs' names, as laid out.
    fn order(self) -> Vec<String> {
        (0..self.list.with_untracked(Vec::len))
            .flat_map(|i| ["day", "kind", "name"].map(|p| format!("days[{i}].{p}")))
            .collect()
    }

    fn tally(self) -> String {
        let (holidays, workdays) = self.list.with(|list| {
            list.iter().fold((0, 0), |(h, w), r| match DayKind::parse(&r.kind.get()) {
                Some(DayKind::Holiday) => (h + 1, w),
                Some(DayKind::Workday) => (h, w + 1),
                None => (h, w),
            })
        });
        format!("共 {} 个特殊日期:节假日 {holidays} 天,调休上班 {workdays} 天。", holidays + workdays)
    }
}

#[component]
fn CalendarPage() -> impl IntoView {
    let this_year = time::today().year();
    let year = RwSignal::new(this_year);
    let rows = Rows::new();
    let phase = RwSignal::new(Phase::Loading);
    let notice = RwSignal::new(None::<Notice>);
    let form = FormState::new(move || check_rows(year.get(), &rows.values()));
    let load = move || {
        let wanted = year.get_untracked();
        phase.set(Phase::Loading);
        notice.set(None);
        leptos::task::spawn_local(async move {
            let result = api::objections::calendar(&token(), wanted).await;
            if year.try_get_untracked() != Some(wanted) {
                return;
            }
            match result {
                Ok(calendar) => {
                    rows.show(calendar.days);
                    form.submitted.set(false);
                    form.server.set(Vec::new());
                    phase.set(Phase::Ready);
                }
                Err(error) => phase.set(Phase::Failed(error.friendly())),
            }
        });
    };
    load();
    view! {
        <section class="panel" data-testid="calendar">
            <h1>"工作日历"</h1>
            <p class="panel__hint">
                "办理期限按工作日计算:周一至周五上班,周六、周日休息;此处列出例外的日期——法定节假日(工作日放假)和调休上班的周末。"
                "每年国务院办公厅公布放假安排后,请据此更新下一年度的日历。"
            </p>
            <div class="filters">
                <div class="field">
                    <label for="calendar-year">"年度"</label>
                    <select id="calendar-year" on:change=move |ev| {
                        if let Ok(chosen) = event_target_value(&ev).parse() {
                            year.set(chosen);
                            load();
                        }
                    }>
                        {(this_year - 1..=this_year + 2).map(|y| view! {
                            <option value=y.to_string() selected=y == this_year>{format!("{y} 年")}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <NoticeLine notice />
            {move || match phase.get() {
                Phase::Loading => view! { <p class="status" role="status">"正在加载日历…"</p> }.into_any(),
                Phase::Failed(message) => view! { <p class="status status--error" role="alert">{message}</p> }.into_any(),
                Phase::Ready => view! { <CalendarForm rows form year notice on_discard=load /> }.into_any(),
            }}
        </section>
    }
}

/// The year's rows, saved as a whole.
#[component]
fn CalendarForm(
    rows: Rows,
    form: FormState,
    year: RwSignal<i32>,
    notice: RwSignal<Option<Notice>>,
    on_discard: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        if pending.get_untracked() || !form.ready(&rows.order()) {
            failure.set(form.local.with_untracked(|e| summary(e.len())));
            return;
        }
        let (wanted, body, order) = (year.get_untracked(), CalendarYear { days: rows.days() }, rows.order());
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = api::objections::save_calendar(&token(), wanted, &body).await;
            pending.set(false);
            match result {
                Ok(saved) => {
                    let count = saved.days.len();
                    rows.show(saved.days);
                    form.submitted.set(false);
                    form.server.set(Vec::new());
                    let text = format!("已保存 {wanted} 年的 {count} 个特殊日期,此后计算的办理期限按新日历执行。");
                    notice.set(Some(Notice::ok(text)));
                }
                Err(error) => {
                    let errors = error.field_errors();
                    failure.set(refusal_line(&error, &errors, &order));
                    form.refused(errors, &order);
                }
            }
        });
    };
    view! {
        <form class="form" on:submit=save novalidate=true data-testid="calendar-form">
            <p class="muted" data-testid="calendar-tally">{move || rows.tally()}</p>
            <div class="table-wrap">
                <table class="table table--wide calendar-table">
                    <caption class="visually-hidden">{move || format!("{} 年的节假日和调休工作日", year.get())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"日期"</th>
                            <th scope="col">"星期"</th>
                            <th scope="col">"类型"</th>
                            <th scope="col">"名称"</th>
                            <th scope="col">"操作"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows.list.get().into_iter().enumerate().map(|(i, row)| view! {
                            <DayRow index=i row rows=rows.list form year />
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || rows.list.with(Vec::is_empty).then(|| view! {
                <p class="empty" data-testid="calendar-empty">"该年度尚未列出特殊日期:除周末外均按工作日计算。"</p>
            })}
            <p class="status status--error" role="alert" data-testid="calendar-error">{move || failure.get()}</p>
            <div class="form__actions">
                <button class="button button--ghost-dark" type="button" on:click=move |_| rows.add()>"添加日期"</button>
                <button class="button" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在保存…" } else { "保存日历" }}
                </button>
                <button class="button button--ghost-dark" type="button" on:click=move |_| on_discard()>"放弃修改"</button>
            </div>
        </form>
    }
}

#[component]
fn DayRow(index: usize, row: Row, rows: RwSignal<Vec<Row>>, form: FormState, year: RwSignal<i32>) -> impl IntoView {
    let name_of = move |part: &str| format!("days[{index}].{part}");
    let (day_id, kind_id, name_id) = (name_of("day"), name_of("kind"), name_of("name"));
    let error = move |id: String, empty: Signal<bool>| Signal::derive(move || form.shown(&id, empty.get()));
    let day_empty = Signal::derive(move || row.day.with(|d| d.trim().is_empty()));
    let name_empty = Signal::derive(move || row.name.with(|n| n.trim().is_empty()));
    let day_error = error(day_id.clone(), day_empty);
    let kind_error = error(kind_id.clone(), Signal::derive(|| false));
    let name_error = error(name_id.clone(), name_empty);
    let weekday = move || {
        let day = parse_date(row.day.get().trim())?;
        let note = DayKind::parse(&row.kind.get()).and_then(|k| redundant(day, k));
        Some(view! {
            {weekday_label(day)}
            {note.map(|n| view! { <div class="muted" data-testid="calendar-redundant">{n}</div> })}
        })
    };
    let remove = move |_| {
        rows.update(|list| list.retain(|r| r.key != row.key));
        form.server.set(Vec::new());
    };
    let first = move || format!("{}-01-01", year.get());
    let last = move || format!("{}-12-31", year.get());
    let (day_edit, kind_edit, name_edit) = (day_id.clone(), kind_id.clone(), name_id.clone());
    let (day_left, name_left) = (day_id.clone(), name_id.clone());
    view! {
        <tr data-testid="calendar-row" data-day=move || row.day.get()>
            <td class="field" class:field--invalid=move || day_error.with(Option::is_some)>
                <label class="visually-hidden" for=day_id.clone()>"日期"</label>
                <input id=day_id.clone() type="date" min=first max=last aria-describedby=described_by(&day_id)
                    aria-invalid=move || if day_error.with(Option::is_some) { "true" } else { "false" }
                    prop:value=move || row.day.get()
                    on:input=move |ev| { row.day.set(event_target_value(&ev)); form.edited(&day_edit); }
                    on:blur=move |_| form.left(&day_left) />
                <p class="field__error" id=format!("{day_id}-error") data-testid=format!("error-{day_id}") role="alert">{day_error}</p>
            </td>
            <td>{weekday}</td>
            <td class="field">
                <label class="visually-hidden" for=kind_id.clone()>"类型"</label>
                <select id=kind_id.clone() aria-describedby=described_by(&kind_id)
                    on:change=move |ev| { row.kind.set(event_target_value(&ev)); form.edited(&kind_edit); }>
                    {DayKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=move || row.kind.get() == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field__error" id=format!("{kind_id}-error") role="alert">{kind_error}</p>
            </td>
            <td class="field" class:field--invalid=move || name_error.with(Option::is_some)>
                <label class="visually-hidden" for=name_id.clone()>"名称"</label>
                <input id=name_id.clone() type="text" placeholder="如:国庆节" autocomplete="off" aria-describedby=described_by(&name_id)
                    aria-invalid=move || if name_error.with(Option::is_some) { "true" } else { "false" }
                    prop:value=move || row.name.get()
                    on:input=move |ev| { row.name.set(event_target_value(&ev)); form.edited(&name_edit); }
                    on:blur=move |_| form.left(&name_left) />
                <p class="field__error" id=format!("{name_id}-error") data-testid=format!("error-{name_id}") role="alert">{name_error}</p>
            </td>
            <td>
                <button class="button button--small button--ghost-dark" type="button" on:click=remove
                    aria-label=move || format!("删除 {}", row.day.get())>"删除"</button>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: &str, kind: &str, name: &str) -> (String, String, String) {
        (day.to_owned(), kind.to_owned(), name.to_owned())
    }

    #[test]
    fn rows_are_checked_as_the_api_checks_them() {
        let ok = [row("2026-10-01", "holiday", "国庆节"), row("2026-09-27", "workday", "国庆节调休")];
        assert!(check_rows(2026, &ok).is_empty());
        let wrong = [
            row("2027-01-01", "holiday", "元旦"),
            row("2026-10-01", "holiday", ""),
            row("2026-10-01", "holiday", "国庆节"),
        ];
        let fields: Vec<String> = check_rows(2026, &wrong).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["days[0].day", "days[1].name", "days[2].day"]);
    }

    #[test]
    fn listings_that_change_nothing_are_pointed_out() {
        let saturday = NaiveDate::from_ymd_opt(2026, 10, 3).unwrap_or_default();
        assert_eq!(redundant(saturday, DayKind::Holiday), Some("周末本已休息"));
        assert_eq!(redundant(saturday, DayKind::Workday), None);
        assert_eq!(weekday_label(saturday), "星期六");
    }
}
