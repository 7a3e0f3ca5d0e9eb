//! Pieces of the layout shared by every page.

mod chart;
mod credit;
mod field;
mod footer;
pub mod form;
mod guard;
mod header;
mod menu;

pub use chart::{Bar, HorizontalBars, VerticalBars};
pub use credit::{GrantedBadge, ObjectionBadge, StatusBadge};
pub use field::{error_for, Field};
pub use footer::Footer;
pub use form::{described_by, FormState, Labelled, TextInput};
pub use guard::{token, RequireRole};
pub use header::Header;
pub use menu::{entries as menu_entries, pending_counts, refresh_counts, PendingBadge, WorkbenchMenu};
