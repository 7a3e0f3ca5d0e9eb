//! Pages of the database administrator: the database's state as collected, and the archive of checks.

mod db_checks;
mod state;

pub use db_checks::DatabaseChecks;
pub use state::DatabaseState;

use crate::auth::Auth;
use credit_types::identity::Role;
use leptos::prelude::With;

/// Whether the signed-in user holds `role` (the API checks again; this only hides buttons that would be refused).
fn holds(role: Role) -> bool {
    Auth::get().session.with(|s| s.as_ref().is_some_and(|s| s.me.roles.contains(&role)))
}
