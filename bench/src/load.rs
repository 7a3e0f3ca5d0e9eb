//! Preparing a benchmark database: a fresh SQLite file or PostgreSQL database, migrated, with the benchmark's
//! organisations and accounts, then filled with generated records through the platform's own insert path.

use crate::data::{self, ProviderSpec, Rng, PROVIDERS};
use credit_api::catalog::store::Definition;
use credit_api::db::{Db, DbPool, DbTarget};
use credit_api::records::rules::{self, Draft, Submission};
use credit_api::records::store::Provider;
use credit_types::identity::{OrganisationKind, Role};
use credit_types::records::SubjectInput;
use credit_types::RegionLevel;
use diesel::{Connection, PgConnection, RunQueryDsl};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The password of every benchmark account.
pub const PASSWORD: &str = "Bench-Load#2026-jj";
/// The city user unit's account (sees public and city-level shared records; its pages are audited).
pub const CITY_USER: &str = "bench-city-user";
/// The data provider's account that uploads batches.
pub const PROVIDER_USER: &str = "bench-provider";

/// Records per write transaction while loading.
const LOAD_CHUNK: usize = 5_000;

/// A throwaway PostgreSQL database, dropped (with FORCE) when this value is.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PostgresDatabase {
    pub fn create(admin_url: &str) -> Result<PostgresDatabase, String> {
        let mut admin = PgConnection::establish(admin_url)
            .map_err(|e| format!("cannot connect to {}: {e}", credit_api::db::redact(admin_url)))?;
        let name = format!("credit_bench_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).map_err(|e| e.to_string())?;
        Ok(PostgresDatabase { url: with_database(admin_url, &name), admin_url: admin_url.to_owned(), name })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            match diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin) {
                Ok(_) => eprintln!("dropped database {}", self.name),
                Err(error) => eprintln!("could not drop database {}: {error}", self.name),
            }
        }
    }
}

/// Replaces the database name (the path) of a PostgreSQL URL, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..].find('/').map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// What the load left behind for the scenarios.
pub struct Loaded {
    pub records: usize,
    pub subjects: usize,
    pub elapsed: Duration,
}

/// Opens (and migrates) the database.
pub fn open(target: &DbTarget) -> Result<DbPool, String> {
    credit_api::server::open_database(target).map_err(|e| e.to_string())
}

/// Creates the organisations and accounts: one data-provider organisation (with an account) per provider, and a
/// city-level user unit.
pub fn create_accounts(pool: &DbPool) -> Result<Vec<Provider>, String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let hash = credit_api::identity::password::hash(PASSWORD).map_err(|e| e.to_string())?;
    let mut providers = Vec::new();
    for (n, spec) in PROVIDERS.iter().enumerate() {
        let login = if n == 0 { PROVIDER_USER.to_owned() } else { format!("bench-provider-{n}") };
        let (organisation_id, user_id) = organisation_with_user(
            &mut conn,
            spec.name,
            spec.region,
            spec.level,
            n,
            &login,
            Role::DataProvider,
            &hash,
        )?;
        providers.push(Provider { organisation_id, region_code: spec.region.to_owned(), level: spec.level, user_id });
    }
    let city_unit = "九江市发展和改革委员会";
    organisation_with_user(&mut conn, city_unit, "360400", RegionLevel::City, 99, CITY_USER, Role::UserUnit, &hash)?;
    Ok(providers)
}

#[allow(clippy::too_many_arguments)]
fn organisation_with_user(
    conn: &mut Db,
    name: &str,
    region: &str,
    level: RegionLevel,
    serial: usize,
    login: &str,
    role: Role,
    hash: &str,
) -> Result<(String, String), String> {
    use credit_api::identity::store;
    let now = credit_api::clock::now();
    let first17 = format!("11{region}BENCH{serial:04}");
    let check = credit_types::codes::uscc_check_character(&first17).ok_or("bad organisation code")?;
    let uscc = format!("{first17}{check}");
    let kind = if role == Role::DataProvider { OrganisationKind::DataProvider } else { OrganisationKind::UserUnit };
    let organisation =
        store::NewOrganisation { name, uscc: &uscc, level, region_code: region, kinds: std::slice::from_ref(&kind) };
    let organisation_id = store::insert_organisation(conn, &organisation, None, now).map_err(|e| e.to_string())?;
    let user = store::NewUser {
        organisation_id: &organisation_id,
        login_name: login,
        full_name: "压测用户",
        phone: None,
        email: None,
        password_hash: hash,
        must_change_password: false,
        roles: std::slice::from_ref(&role),
    };
    let user_id = store::insert_user(conn, &user, None, now).map_err(|e| e.to_string())?;
    Ok((organisation_id, user_id))
}

/// The ADM_PENALTY catalog item at its current version.
pub fn penalty_item(pool: &DbPool) -> Result<Definition, String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    credit_api::catalog::store::current_by_code(&mut conn, "ADM_PENALTY")
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "no ADM_PENALTY catalog item".to_owned())
}

/// One record of `provider` about subject `subject_index`, checked by the platform's own rules.
pub fn draft_for(
    item: &Definition,
    spec: &ProviderSpec,
    rng: &mut Rng,
    subject_index: usize,
    reference: String,
    serial: u64,
    today: chrono::NaiveDate,
) -> Result<Draft, String> {
    let (kind, code, name) = data::subject(subject_index);
    let content = data::content(rng, spec, today, serial);
    let submission = Submission {
        subject: SubjectInput { kind, code, name },
        decision_date: content.decision_date,
        class: Some(content.class),
        publish_days: Some(content.publish_days),
        provider_ref: Some(reference),
        values: content.values,
    };
    rules::draft(item, submission, today).map_err(|errors| format!("generated record is invalid: {errors:?}"))
}

/// Loads `records` records about `subjects` subjects through `insert_drafts`, in write transactions of
/// `LOAD_CHUNK` records, each chunk from one provider. Drafts are built on a second thread meanwhile.
pub fn load(pool: &DbPool, providers: &[Provider], records: usize, subjects: usize) -> Result<Loaded, String> {
    let item = penalty_item(pool)?;
    let today = credit_api::clock::today();
    let (sender, receiver) = mpsc::sync_channel::<Result<(usize, Vec<Draft>), String>>(2);
    let generator_item = item.clone();
    let generator = std::thread::spawn(move || {
        let mut rng = Rng::new(2026);
        let mut made = 0usize;
        let mut chunk_no = 0usize;
        while made < records {
            let provider = chunk_no % PROVIDERS.len();
            let spec = &PROVIDERS[provider];
            let size = LOAD_CHUNK.min(records - made);
            let mut drafts = Vec::with_capacity(size);
            for k in 0..size {
                let serial = (made + k) as u64;
                let subject_index = rng.below(subjects);
                let draft =
                    draft_for(&generator_item, spec, &mut rng, subject_index, format!("L{serial}"), serial, today);
                match draft {
                    Ok(draft) => drafts.push(draft),
                    Err(error) => {
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
            }
            made += size;
            chunk_no += 1;
            if sender.send(Ok((provider, drafts))).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let mut stored = 0usize;
    let mut last_report = Instant::now();
    for message in receiver {
        let (provider, drafts) = message?;
        let now = credit_api::clock::now();
        credit_api::db::write_transaction(&mut conn, |conn| {
            credit_api::records::store::insert_drafts(conn, &item, &providers[provider], &drafts, now).map(drop)
        })
        .map_err(|e| format!("loading failed after {stored} records: {e}"))?;
        stored += drafts.len();
        if last_report.elapsed() > Duration::from_secs(15) || stored == records {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprintln!("  loaded {stored:>9} records in {secs:>6.1} s ({:.0} records/s)", stored as f64 / secs);
        }
    }
    generator.join().map_err(|_| "the generator thread panicked")?;
    let elapsed = started.elapsed();
    let subjects_stored: i64 = {
        use credit_api::schema::subjects;
        use diesel::QueryDsl;
        subjects::table.count().get_result(&mut conn).map_err(|e| e.to_string())?
    };
    Ok(Loaded { records: stored, subjects: usize::try_from(subjects_stored).unwrap_or_default(), elapsed })
}

/// Refreshes the planner's statistics after the bulk load (PostgreSQL's autovacuum would do it shortly anyway; doing
/// it now keeps it out of the measurements). SQLite is left as the platform leaves it: without `ANALYZE`.
pub fn settle(pool: &DbPool) -> Result<(), String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    if let Db::Postgres(pg) = &mut *conn {
        diesel::sql_query("VACUUM ANALYZE").execute(pg).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The size of the database on disk, in bytes, where it can be told.
pub fn database_bytes(target: &DbTarget, pool: &DbPool) -> Option<u64> {
    match target {
        DbTarget::Sqlite(path) => {
            let wal = Path::new(&format!("{}-wal", path.display())).metadata().map_or(0, |m| m.len());
            path.metadata().ok().map(|m| m.len() + wal)
        }
        DbTarget::Postgres(_) => {
            #[derive(diesel::QueryableByName)]
            struct Size {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                bytes: i64,
            }
            let mut conn = pool.get().ok()?;
            let Db::Postgres(pg) = &mut *conn else { return None };
            diesel::sql_query("SELECT pg_database_size(current_database()) AS bytes")
                .get_result::<Size>(pg)
                .ok()
                .and_then(|s| u64::try_from(s.bytes).ok())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(super::with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
    }
}
