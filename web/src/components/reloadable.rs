//! A page about one thing named by the route's `:id`, read again after each action taken on it, with the notice of
//! that action above it.

use super::Notice;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
pub struct Reloadable {
    id: Memo<String>,
    reload: RwSignal<u32>,
    pub notice: RwSignal<Option<Notice>>,
}

impl Reloadable {
    pub fn new() -> Reloadable {
        let params = use_params_map();
        Reloadable {
            id: Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default())),
            reload: RwSignal::new(0),
            notice: RwSignal::new(None),
        }
    }

    /// The id, tracked together with the reloads: a resource reading it reads again after each action.
    pub fn id(self) -> String {
        self.reload.track();
        self.id.get()
    }

    /// Reads the thing again.
    pub fn reload(self) {
        self.reload.update(|n| *n += 1);
    }

    /// What an action calls when it is done: its notice shows, and the thing is read again as it now stands.
    pub fn done(self) -> impl Fn(Notice) + Copy + Send + Sync + 'static {
        move |notice| {
            self.notice.set(Some(notice));
            self.reload();
        }
    }
}
