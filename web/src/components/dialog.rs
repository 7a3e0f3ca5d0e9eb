//! Modal dialogs (`<dialog>`): opened and closed by their node.

use leptos::html::Dialog;
use leptos::prelude::*;

/// Opens a modal dialog.
pub fn open(dialog: NodeRef<Dialog>) {
    if let Some(dialog) = dialog.get_untracked() {
        let _ = dialog.show_modal();
    }
}

/// Closes a modal dialog.
pub fn close(dialog: NodeRef<Dialog>) {
    if let Some(dialog) = dialog.get_untracked() {
        dialog.close();
    }
}

/// Closes `dialog` once its step is done (or was found done by someone else first): the waiting counts are read
/// again, and the page gets `notice` (and reads again what it shows).
pub fn finish(dialog: NodeRef<Dialog>, notice: super::Notice, on_done: &impl Fn(super::Notice)) {
    close(dialog);
    super::refresh_counts();
    on_done(notice);
}

/// The buttons under a dialog's form: its confirm button (disabled while `pending`) and "取消".
#[component]
pub fn DialogActions(
    dialog: NodeRef<Dialog>,
    #[prop(into)] confirm: Signal<String>,
    pending: Signal<bool>,
    /// A destructive step's confirm button is red.
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    view! {
        <div class="form__actions">
            <button class="button" class:button--danger=danger type="submit" disabled=move || pending.get()>
                {move || confirm.get()}
            </button>
            <button class="button button--ghost-dark" type="button" on:click=move |_| close(dialog)>"取消"</button>
        </div>
    }
}
