//! A set of codes chosen with one checkbox each, labelled as people read them (roles, kinds, purposes).

use credit_types::Labelled;
use leptos::prelude::*;

/// One checkbox per code of `all`, bound to the chosen ones; `on_change` hears every change (e.g. to clear the
/// API's verdict on the field).
#[component]
pub fn CheckList<T: Labelled + PartialEq + Send + Sync>(
    all: Vec<T>,
    chosen: RwSignal<Vec<T>>,
    #[prop(optional, into)] on_change: Option<Callback<()>>,
    /// Each checkbox's id is `{id_prefix}{code}`, when given.
    #[prop(optional)]
    id_prefix: Option<&'static str>,
) -> impl IntoView {
    all.into_iter()
        .map(|code| {
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                chosen.update(|list| {
                    list.retain(|c| *c != code);
                    if on {
                        list.push(code);
                    }
                });
                if let Some(on_change) = on_change {
                    on_change.run(());
                }
            };
            view! {
                <label class="check">
                    <input type="checkbox" id=id_prefix.map(|p| format!("{p}{}", code.code())) value=code.code()
                        prop:checked=move || chosen.with(|list| list.contains(&code)) on:change=toggle />
                    {code.label()}
                </label>
            }
        })
        .collect_view()
}
