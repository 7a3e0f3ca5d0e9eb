//! The signed-in session, shared by every page: the access token (kept in memory only, never in storage) and
//! who the user is. The refresh token lives in an HttpOnly cookie that scripts cannot read.

use crate::api;
use credit_types::identity::{Me, TokenResponse};
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;

thread_local! {
    /// The app's one session state; the browser runs the app on one thread.
    static CURRENT: Cell<Option<Auth>> = const { Cell::new(None) };
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub access_token: String,
    pub me: Me,
}

/// Whether the app has finished trying to restore a session at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restore {
    Pending,
    Done,
}

#[derive(Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<Session>>,
    pub restore: RwSignal<Restore>,
}

impl Auth {
    /// Provides the context and restores a session from the refresh cookie, if one is open.
    pub fn provide() -> Auth {
        let auth = Auth { session: RwSignal::new(None), restore: RwSignal::new(Restore::Pending) };
        provide_context(auth);
        CURRENT.with(|current| current.set(Some(auth)));
        leptos::task::spawn_local(async move {
            // Only a browser that signed in before may hold a session cookie: portal visitors skip the call.
            if session_hint() {
                match api::session::refresh().await {
                    Ok(tokens) => auth.accept(tokens),
                    Err(_) => set_session_hint(false),
                }
            }
            auth.restore.set(Restore::Done);
        });
        auth
    }

    pub fn get() -> Auth {
        expect_context::<Auth>()
    }

    /// The current access token, readable anywhere, also in tasks and event handlers that run outside any
    /// reactive owner (where `expect_context` would panic). Empty when signed out: the API then answers 401.
    pub fn token() -> String {
        CURRENT
            .with(Cell::get)
            .and_then(|auth| auth.session.get_untracked())
            .map(|session| session.access_token)
            .unwrap_or_default()
    }

    /// Takes new tokens and schedules their renewal a minute before the access token expires.
    pub fn accept(self, tokens: TokenResponse) {
        let renew_in = Duration::from_secs(tokens.expires_in.saturating_sub(60).max(10) as u64);
        let token = tokens.access_token.clone();
        set_session_hint(true);
        self.session.set(Some(Session { access_token: tokens.access_token, me: tokens.user }));
        set_timeout(
            move || {
                // Renew only if this is still the current token (not signed out or replaced meanwhile).
                let current = self.session.get_untracked().map(|s| s.access_token);
                if current.as_deref() == Some(token.as_str()) {
                    leptos::task::spawn_local(async move {
                        match api::session::refresh().await {
                            Ok(tokens) => self.accept(tokens),
                            Err(_) => {
                                set_session_hint(false);
                                self.session.set(None);
                            }
                        }
                    });
                }
            },
            renew_in,
        );
    }

    pub fn sign_out(self) {
        let token = self.session.get_untracked().map(|s| s.access_token);
        set_session_hint(false);
        self.session.set(None);
        if let Some(token) = token {
            leptos::task::spawn_local(async move {
                let _ = api::session::logout(&token).await;
            });
        }
    }
}

/// A non-secret note in local storage that this browser signed in: the refresh cookie itself is HttpOnly, so the
/// page cannot see whether one exists.
const SESSION_HINT: &str = "credit.signed_in";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session_hint() -> bool {
    storage().and_then(|s| s.get_item(SESSION_HINT).ok()?).is_some()
}

fn set_session_hint(signed_in: bool) {
    if let Some(storage) = storage() {
        let _ = if signed_in { storage.set_item(SESSION_HINT, "1") } else { storage.remove_item(SESSION_HINT) };
    }
}
