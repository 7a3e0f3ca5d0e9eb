//! The app shell: header and navigation, the routed page, footer.

use crate::components::{Footer, Header};
use crate::pages::{Home, NotFound, Workbench};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Header />
            <main id="main" class="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/workbench") view=Workbench />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
