//! The line a page shows after an action: what happened, or why it did not.

use leptos::prelude::*;

/// What happened, or (not `ok`) why it did not.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub ok: bool,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), ok: true }
    }

    pub fn warning(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), ok: false }
    }
}

/// The page's notice, announced politely.
#[component]
pub fn NoticeLine(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let class = move || match notice.get() {
        Some(Notice { ok: false, .. }) => "status status--warning",
        _ => "status status--ok",
    };
    view! {
        <p class=class role="status" aria-live="polite" data-testid="notice">
            {move || notice.get().map(|n| n.text)}
        </p>
    }
}
