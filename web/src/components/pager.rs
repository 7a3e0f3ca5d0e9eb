//! A list read a page at a time: the first page on every new query, the next ones appended on request; an answer
//! to a query since replaced (or to a page since left) is dropped.

use crate::api;
use crate::auth::Auth;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// Where a list is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Nothing asked (a query that cannot be sent).
    Idle,
    Loading,
    Done,
    Failed(String),
}

pub struct Pager<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub phase: RwSignal<Phase>,
    /// The query whose pages are shown (an address from `api::url`, without cursor).
    url: RwSignal<String>,
    generation: StoredValue<u32>,
    /// Whether the pages are read as the signed-in user (the workbench) or as the public (the portal).
    signed_in: bool,
}

impl<T: Send + Sync + 'static> Clone for Pager<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Pager<T> {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Pager<T> {
    /// A list of the workbench, read with the user's token.
    pub fn new() -> Pager<T> {
        Pager::with_caller(true)
    }

    /// A list of the portal, read without any token.
    pub fn public() -> Pager<T> {
        Pager::with_caller(false)
    }

    fn with_caller(signed_in: bool) -> Pager<T> {
        Pager {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            phase: RwSignal::new(Phase::Idle),
            url: RwSignal::new(String::new()),
            generation: StoredValue::new(0),
            signed_in,
        }
    }

    /// Shows the first page of `url` (an address from `api::url`, `limit` included).
    pub fn load(self, url: String) {
        self.url.set(url.clone());
        self.fetch(url, None);
    }

    /// Reads the first page of the current query again (after a change).
    pub fn reload(self) {
        self.fetch(self.url.get_untracked(), None);
    }

    /// Appends the next page.
    pub fn more(self) {
        if let Some(cursor) = self.next.get_untracked() {
            self.fetch(self.url.get_untracked(), Some(cursor));
        }
    }

    /// Empties the list and drops any answer still under way (a query that cannot be sent).
    pub fn clear(self) {
        self.generation.update_value(|g| *g += 1);
        self.items.set(Vec::new());
        self.next.set(None);
        self.phase.set(Phase::Idle);
    }

    fn fetch(self, url: String, cursor: Option<String>) {
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        self.phase.set(Phase::Loading);
        let token = self.signed_in.then(Auth::token);
        leptos::task::spawn_local(async move {
            let result = api::page::<T>(&url, cursor.as_deref(), token.as_deref()).await;
            if self.generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    if cursor.is_some() {
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

    pub fn loading(self) -> bool {
        self.phase.get() == Phase::Loading
    }

    /// Whether the list was read and holds nothing.
    pub fn empty(self) -> bool {
        self.phase.get() == Phase::Done && self.items.with(Vec::is_empty)
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
        <MoreButton pager />
    }
}

/// "加载更多", while there is a next page.
#[component]
pub fn MoreButton<T: DeserializeOwned + Clone + Send + Sync + 'static>(pager: Pager<T>) -> impl IntoView {
    view! {
        <Show when=move || pager.next.with(Option::is_some)>
            <button class="button button--ghost-dark" type="button" disabled=move || pager.loading()
                on:click=move |_| pager.more()>
                {move || if pager.loading() { "正在加载…" } else { "加载更多" }}
            </button>
        </Show>
    }
}
