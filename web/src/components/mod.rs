//! Pieces of the layout shared by every page.

mod field;
mod footer;
mod header;

pub use field::Field;
pub use footer::Footer;
pub use header::Header;
