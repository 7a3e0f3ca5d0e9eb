//! A list as a table: its caption (for screen readers), its column headings, its rows.

use leptos::prelude::*;

/// A wide table of a list, scrolling sideways on narrow screens; the `numeric` headings' columns are right-aligned.
#[component]
pub fn ListTable(
    /// What the table lists, for screen readers.
    caption: &'static str,
    #[prop(into)] columns: Vec<&'static str>,
    #[prop(optional)] numeric: &'static [&'static str],
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table table--wide" data-testid=testid>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {columns.into_iter().map(|heading| view! {
                            <th scope="col" class:number=numeric.contains(&heading)>{heading}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
