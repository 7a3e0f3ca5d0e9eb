//! The page shown instead of something that could not be read: its title, why, and the way back.

use leptos::prelude::*;

#[component]
pub fn Missing(
    #[prop(into)] title: String,
    /// Why, in words (usually the error's friendly message).
    #[prop(into)]
    message: String,
    #[prop(optional)] testid: Option<&'static str>,
    /// A link back: its address, and its words.
    #[prop(optional, into)]
    back: Option<String>,
    #[prop(default = "返回")] back_text: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="panel" data-testid=testid>
            <h1>{title}</h1>
            <p class="status status--error" role="alert">{message}</p>
            {children.map(|c| c())}
            {back.map(|href| view! { <p><a href=href>{back_text}</a></p> })}
        </section>
    }
}
