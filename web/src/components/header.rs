//! Site header: the platform's name, the main navigation and, when signed in, the account menu.

use crate::auth::Auth;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let auth = Auth::get();
    let navigate = use_navigate();
    let sign_out = move |_| {
        auth.sign_out();
        navigate("/login", Default::default());
    };
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
                    <A href="/search">"信用查询"</A>
                    <A href="/objections/track">"异议查询"</A>
                    <A href="/workbench">"工作台"</A>
                    <a href="/api/docs" rel="external">"接口文档"</a>
                </nav>
                <Show when=move || auth.session.with(Option::is_some)>
                    <div class="account" data-testid="account-menu">
                        <span class="account__name">
                            {move || auth.session.with(|s| s.as_ref().map(|s| s.me.full_name.clone()).unwrap_or_default())}
                        </span>
                        <button type="button" class="button button--ghost" on:click=sign_out.clone()>"退出登录"</button>
                    </div>
                </Show>
            </div>
        </header>
    }
}
