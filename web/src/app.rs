//! The app shell: session, header and navigation, the routed page, footer.

use crate::auth::Auth;
use crate::components::{Footer, Header};
use crate::pages::{
    AuditLog, ChangePassword, Clients, Home, Login, NotFound, Organisations, PermissionReviewPage, Users, Workbench,
};
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
                    <Route path=path!("/workbench/organisations") view=Organisations />
                    <Route path=path!("/workbench/users") view=Users />
                    <Route path=path!("/workbench/clients") view=Clients />
                    <Route path=path!("/workbench/reviews") view=PermissionReviewPage />
                    <Route path=path!("/workbench/audit") view=AuditLog />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
