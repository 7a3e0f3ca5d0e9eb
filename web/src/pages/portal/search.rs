//! Searching the portal: organisations and individual businesses by part of a name (two characters or more) or by
//! an exact 18-character code; below it, the separate lookup of a natural person by full name and number (R-16.2,
//!

use super::person_lookup::PersonLookupForm;
use crate::api;
use crate::components::{MoreButton, Pager, Phase};
use credit_types::records::{PortalSearchQuery, PublicSubject};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Results per page.
const PAGE: u32 = 20;

/// Why a query cannot be sent, in the words of the API's own rule.
fn query_problem(q: &str) -> Option<&'static str> {
    let n = q.trim().chars().count();
    (!(2..=100).contains(&n)).then_some("请输入至少两个字的名称或完整代码")
}

/// The query as the API matches it: trimmed, and an 18-character code in capitals (codes are stored so).
fn normalised(q: &str) -> String {
    let q = q.trim();
    if q.len() == 18 && q.bytes().all(|b| b.is_ascii_alphanumeric()) {
        q.to_ascii_uppercase()
    } else {
        q.to_owned()
    }
}

/// The search form: on the home page and above the results. Submitting goes to `/search?q=…`.
#[component]
pub fn SearchBox(#[prop(into, optional)] initial: String) -> impl IntoView {
    let navigate = use_navigate();
    let q = RwSignal::new(initial);
    let problem = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = q.get_untracked();
        problem.set(query_problem(&text));
        if problem.get_untracked().is_none() {
            navigate(&api::with_query("/search", &[("q", normalised(&text))]), Default::default());
        }
    };
    view! {
        <form class="searchbox" role="search" aria-label="信用信息查询" on:submit=submit novalidate=true>
            <label class="searchbox__label" for="portal-q">"查询信用主体"</label>
            <div class="searchbox__row">
                <input
                    id="portal-q"
                    class="searchbox__input"
                    type="search"
                    name="q"
                    placeholder="企业、个体工商户名称或统一社会信用代码"
                    autocomplete="off"
                    bind:value=q
                    aria-invalid=move || if problem.get().is_some() { "true" } else { "false" }
                    aria-describedby="portal-q-error"
                />
                <button class="button" type="submit">"查询"</button>
            </div>
            <p class="field__error" id="portal-q-error" role="alert">{move || problem.get()}</p>
            <p class="searchbox__hint" data-testid="search-scope">
                "可查询法人和非法人组织、个体工商户。自然人须凭完整姓名和公民身份号码"
                <a href="/search">"查询自然人"</a> "。"
            </p>
        </form>
    }
}

/// `/search?q=…`: subjects with published records, twenty at a time.
#[component]
pub fn Search() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let pager = Pager::<PublicSubject>::public();
    Effect::new(move |_| {
        let text = normalised(&q.get());
        // A new query starts from an empty list (the old results are no answer to it).
        pager.clear();
        if query_problem(&text).is_none() {
            pager.load(api::url::portal_subjects(&PortalSearchQuery { q: text, limit: Some(PAGE), cursor: None }));
        }
    });
    let announcement = move || match pager.phase.get() {
        Phase::Loading => "正在查询…".to_owned(),
        Phase::Done if !pager.empty() => {
            let more = if pager.next.with(Option::is_some) { ",还有更多结果" } else { "" };
            format!("已找到 {} 个信用主体{more}", pager.items.with(Vec::len))
        }
        _ => String::new(),
    };
    view! {
        <section class="panel" data-testid="search">
            <h1>"信用信息查询"</h1>
            {move || view! { <SearchBox initial=q.get() /> }}
            <p class="status" role="status" aria-live="polite" data-testid="search-status">{announcement}</p>
            {move || match pager.phase.get() {
                Phase::Failed(message) => view! {
                    <p class="status status--error" role="alert" data-testid="search-error">{message}</p>
                }.into_any(),
                _ if pager.empty() => view! {
                    <div class="empty" data-testid="search-empty">
                        <p><strong>"未找到与“" {q.get()} "”相关的公示信息。"</strong></p>
                        <p>"请检查名称是否有误,或输入完整的 18 位统一社会信用代码。只有在公示期内的公开信用信息才会显示。"
                           "自然人不在此查询,请使用下方的“查询自然人”。"</p>
                    </div>
                }.into_any(),
                Phase::Idle if q.with(|q| q.trim().is_empty()) => view! {
                    <p class="panel__hint">"输入法人和非法人组织或个体工商户名称的一部分(至少两个字),或完整的统一社会信用代码进行查询。"</p>
                }.into_any(),
                _ => ().into_any(),
            }}
            <ul class="results" data-testid="search-results">
                <For each=move || pager.items.get() key=|s| s.id.clone() let:subject>
                    <SubjectResult subject />
                </For>
            </ul>
            <MoreButton pager />
        </section>
        <PersonLookupForm />
    }
}

/// One subject found: its name (a link to its page), kind, code and count of published records.
#[component]
pub fn SubjectResult(subject: PublicSubject) -> impl IntoView {
    view! {
        <li class="result" data-testid="search-result">
            <a class="result__name" href=format!("/subjects/{}", subject.id)>{subject.name.clone()}</a>
            <span class="result__meta">
                <span class="tag">{subject.kind.label()}</span>
                {subject.kind.code_label()} ":" <span class="mono">{subject.code.clone()}</span>
            </span>
            <span class="result__count">"公示信息 " <strong>{subject.record_count}</strong> " 条"</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_searched_in_capitals_names_as_typed() {
        assert_eq!(normalised(" 91360403ma38jj2c5f "), "91360403MA38JJ2C5F");
        assert_eq!(normalised("长江建材"), "长江建材");
        assert_eq!(query_problem("李"), Some("请输入至少两个字的名称或完整代码"));
        assert_eq!(query_problem("李四"), None);
    }
}
