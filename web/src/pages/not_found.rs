//! Shown for any path the app does not know.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel" data-testid="not-found">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在或已移动。"</p>
            <p><a href="/">"返回首页"</a></p>
        </section>
    }
}
