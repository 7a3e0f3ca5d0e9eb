//! 信用九江: the credit portal (public) and the workbench (government staff), a Leptos single-page app.

mod api;
mod app;
mod auth;
mod components;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
