//! Embedded schema migrations, one folder per backend (`migrations/sqlite`, `migrations/postgres`).

use super::Db;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration; returns the versions applied, oldest first.
pub fn run_pending(conn: &mut Db) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        Db::Sqlite(c) => c.run_pending_migrations(SQLITE)?,
        Db::Postgres(c) => c.run_pending_migrations(POSTGRES)?,
    };
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// True when the database lacks a migration this binary carries.
pub fn has_pending(conn: &mut Db) -> Result<bool, MigrationError> {
    match conn {
        Db::Sqlite(c) => c.has_pending_migration(SQLITE),
        Db::Postgres(c) => c.has_pending_migration(POSTGRES),
    }
}
