//! The app shell: session, header and navigation, the routed page, footer.

use crate::auth::Auth;
use crate::components::{Footer, Header, WorkbenchMenu};
use crate::pages::{
    Agreements, AuditEventPage, AuditLog, BackupRunbook, Backups, CalendarEditor, Catalog, CatalogItemPage,
    ChangePassword, Clients, DailyCheckPage, DatabaseChecks, DatabaseState, GrantsGiven, Home, Inbox, Login,
    NewCatalogItem, NewRecord, NewRequest, NotFound, ObjectionDetail, ObjectionOverview, ObjectionQueue,
    ObjectionTrackPage, OperationLogPage, Organisations, Outbox, PerformancePage, PermissionReviewPage,
    PublicRecordPage, RecordDetail, Records, RequestDetail, Search, Sessions, StatusBoardPage, SubjectPage, Upload,
    Users, Workbench,
};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    Auth::provide();
    view! {
        <Router>
            <Header />
            <WorkbenchMenu />
            <FocusOnNavigate />
            <main id="main" class="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/search") view=Search />
                    <Route path=path!("/subjects/:id") view=SubjectPage />
                    <Route path=path!("/records/:id") view=PublicRecordPage />
                    <Route path=path!("/objections/track") view=ObjectionTrackPage />
                    <Route path=path!("/login") view=Login />
                    <Route path=path!("/password") view=ChangePassword />
                    <Route path=path!("/workbench") view=Workbench />
                    <Route path=path!("/workbench/records") view=Records />
                    <Route path=path!("/workbench/records/new") view=NewRecord />
                    <Route path=path!("/workbench/records/:id") view=RecordDetail />
                    <Route path=path!("/workbench/upload") view=Upload />
                    <Route path=path!("/workbench/catalog") view=Catalog />
                    <Route path=path!("/workbench/catalog/new") view=NewCatalogItem />
                    <Route path=path!("/workbench/catalog/:code") view=CatalogItemPage />
                    <Route path=path!("/workbench/authorization/new") view=NewRequest />
                    <Route path=path!("/workbench/authorization/outbox") view=Outbox />
                    <Route path=path!("/workbench/authorization/inbox") view=Inbox />
                    <Route path=path!("/workbench/authorization/requests/:id") view=RequestDetail />
                    <Route path=path!("/workbench/authorization/grants") view=GrantsGiven />
                    <Route path=path!("/workbench/objections") view=ObjectionQueue />
                    <Route path=path!("/workbench/objections/overview") view=ObjectionOverview />
                    <Route path=path!("/workbench/objections/:id") view=ObjectionDetail />
                    <Route path=path!("/workbench/calendar") view=CalendarEditor />
                    <Route path=path!("/workbench/agreements") view=Agreements />
                    <Route path=path!("/workbench/organisations") view=Organisations />
                    <Route path=path!("/workbench/users") view=Users />
                    <Route path=path!("/workbench/clients") view=Clients />
                    <Route path=path!("/workbench/reviews") view=PermissionReviewPage />
                    <Route path=path!("/workbench/performance") view=PerformancePage />
                    <Route path=path!("/workbench/sessions") view=Sessions />
                    <Route path=path!("/workbench/database") view=DatabaseState />
                    <Route path=path!("/workbench/database/checks") view=DatabaseChecks />
                    <Route path=path!("/workbench/audit") view=AuditLog />
                    <Route path=path!("/workbench/audit/:seq") view=AuditEventPage />
                    <Route path=path!("/workbench/daily-check") view=DailyCheckPage />
                    <Route path=path!("/workbench/ops") view=StatusBoardPage />
                    <Route path=path!("/workbench/ops/log") view=OperationLogPage />
                    <Route path=path!("/workbench/backups") view=Backups />
                    <Route path=path!("/workbench/backups/runbook") view=BackupRunbook />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// After a navigation inside the app, moves the focus to the page's content, as a page load would put it at the
/// top: keyboard and screen-reader users then start on the new page instead of on the link they followed.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(|| crate::components::form::focus("main"));
        }
        path
    });
}
