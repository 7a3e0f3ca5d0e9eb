//! Pieces shared by the pages: the layout, forms and their fields, dialogs, lists read page by page, times and the
//! credit vocabulary.

mod alerts;
mod chart;
mod checks;
mod credit;
pub mod dialog;
mod field;
pub mod files;
mod footer;
pub mod form;
mod guard;
mod header;
mod line_chart;
mod menu;
mod missing;
mod names;
mod notice;
mod pager;
mod reason;
mod reloadable;
pub mod select;
mod table;
pub mod time;

pub use alerts::{alerted, DashboardAlerts};
pub use chart::{Bar, HorizontalBars, VerticalBars};
pub use checks::CheckList;
pub use credit::{GrantedBadge, ObjectionBadge, StatusBadge};
pub use dialog::DialogActions;
pub use field::{error_for, Field};
pub use footer::Footer;
pub use form::{described_by, FormState, Labelled, TextArea, TextInput};
pub use guard::{token, RequireRole};
pub use header::Header;
pub use line_chart::{Line, LineChart, Marker};
pub use menu::{entries as menu_entries, pending_counts, refresh_counts, PendingBadge, WorkbenchMenu};
pub use missing::Missing;
pub use names::{CatalogNames, RegionNames};
pub use notice::{Notice, NoticeLine};
pub use pager::{MoreButton, Pager, PagerStatus, Phase};
pub use reason::{ReasonAsk, ReasonDialog, ReasonedCall};
pub use reloadable::Reloadable;
pub use select::{ChoiceSelect, CodeSelect, RequiredSelect};
pub use table::ListTable;
