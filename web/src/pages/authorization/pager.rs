//! A list read a page at a time: the first page on every new query, the next ones appended on request; an answer
//! to a query since replaced is dropped.

use crate::api;
use crate::components::token;
use credit_types::Page;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Loading,
    Done,
    Failed(String),
}

pub struct Pager<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub phase: RwSignal<Phase>,
    /// The query whose pages are shown (without cursor).
    url: RwSignal<String>,
    generation: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Pager<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Pager<T> {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Pager<T> {
    pub fn new() -> Pager<T> {
        Pager {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            phase: RwSignal::new(Phase::Loading),
            url: RwSignal::new(String::new()),
            generation: StoredValue::new(0),
        }
    }

    /// Shows the first page of `url` (a path with its query, `limit` included).
    pub fn load(self, url: String) {
        self.url.set(url.clone());
        self.fetch(url, false);
    }

    /// Reads the first page of the current query again (after a change).
    pub fn reload(self) {
        self.fetch(self.url.get_untracked(), false);
    }

    /// Appends the next page.
    pub fn more(self) {
        let Some(cursor) = self.next.get_untracked() else { return };
        let url = self.url.get_untracked();
        let separator = if url.contains('?') { '&' } else { '?' };
        self.fetch(format!("{url}{separator}cursor={}", api::urlencode(&cursor)), true);
    }

    fn fetch(self, url: String, append: bool) {
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        self.phase.set(Phase::Loading);
        leptos::task::spawn_local(async move {
            let result = api::get_json::<Page<T>>(&url, Some(&token())).await;
            if self.generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    if append {
                        self.items.update(|list| list.extend(page.items));
                    } else {
                        self.items.set(page.items);
                    }
                    self.next.set(page.next_cursor);
                    self.phase.set(Phase::Done);
                }
                Err(error) => self.phase.set(Phase::Failed(error.friendly())),
            }
        });
    }
}

/// The failure of a list, or its "nothing here" line, and the "load more" button.
#[component]
pub fn PagerStatus<T: DeserializeOwned + Clone + Send + Sync + 'static>(
    pager: Pager<T>,
    #[prop(into)] empty: String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    view! {
        {move || match pager.phase.get() {
            Phase::Failed(message) => Some(view! { <p class="status status--error" role="alert">{message}</p> }.into_any()),
            Phase::Loading if pager.items.with(Vec::is_empty) => Some(view! { <p class="status" role="status">"正在加载…"</p> }.into_any()),
            Phase::Done if pager.items.with(Vec::is_empty) => {
                Some(view! { <p class="empty" data-testid=format!("{testid}-empty")>{empty.clone()}</p> }.into_any())
            }
            _ => None,
        }}
        <Show when=move || pager.next.with(Option::is_some)>
            <button class="button button--ghost-dark" type="button" disabled=move || pager.phase.get() == Phase::Loading
                on:click=move |_| pager.more()>
                {move || if pager.phase.get() == Phase::Loading { "正在加载…" } else { "加载更多" }}
            </button>
        </Show>
    }
}
