//! One module per routed page.

mod home;
mod not_found;
mod workbench;

pub use home::Home;
pub use not_found::NotFound;
pub use workbench::Workbench;
