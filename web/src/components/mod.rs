//! Pieces of the layout shared by every page.

mod field;
mod footer;
mod guard;
mod header;

pub use field::{error_for, Field};
pub use footer::Footer;
pub use guard::{token, RequireRole};
pub use header::Header;
