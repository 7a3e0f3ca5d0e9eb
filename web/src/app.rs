//! The app shell: session, header and navigation, the routed page, footer.

use crate::auth::Auth;
use crate::components::{Footer, Header};
use crate::pages::{ChangePassword, Home, Login, NotFound, Workbench};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    Auth::provide();
    view! {
        <Router>
            <Header />
            <main id="main" class="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/login") view=Login />
                    <Route path=path!("/password") view=ChangePassword />
                    <Route path=path!("/workbench") view=Workbench />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
