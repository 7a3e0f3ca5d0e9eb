//! Identity: organisations, personal accounts and their roles, sign-in with short-lived
//! access tokens and rotating refresh tokens, the password policy, and the `Principal` every handler receives.

pub mod accounts;
pub mod admin;
pub mod clients;
pub mod handover;
pub mod lifecycle;
pub mod organisations;
pub mod password;
pub mod principal;
pub mod review;
pub mod routes;
pub mod rules;
pub mod scopes;
pub mod session;
pub mod sessions;
pub mod store;
pub mod tokens;
