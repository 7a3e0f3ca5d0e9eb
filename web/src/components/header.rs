//! Site header: the platform's name and the main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"信"</span>
                    <span class="brand__text">
                        <span class="brand__title">"信用九江"</span>
                        <span class="brand__subtitle">"九江市公共信用信息平台"</span>
                    </span>
                </a>
                <nav class="site-nav" aria-label="主导航">
                    <A href="/" exact=true>"首页"</A>
                    <A href="/workbench">"工作台"</A>
                    <a href="/api/docs" rel="external">"接口文档"</a>
                </nav>
            </div>
        </header>
    }
}
