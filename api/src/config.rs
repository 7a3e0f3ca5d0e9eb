//! Configuration: flags and environment variables (flags win), resolved into `Settings`.
//!
//! Every setting is printed at start-up without secrets (see `Settings::describe`).

use crate::db::{DbTarget, UnsupportedUrl};
use crate::token_key::TokenKeySource;
use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the database is and where the platform keeps its files.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Database URL: `sqlite://<file>` or `postgres://<user>@<host>/<db>`. Default: a SQLite file in the data
    /// directory, created on first run.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Directory for the SQLite database, the generated token key and other local state.
    #[arg(long, env = "CREDIT_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

impl StorageArgs {
    pub fn target(&self) -> Result<DbTarget, UnsupportedUrl> {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => DbTarget::parse(url.trim()),
            _ => Ok(DbTarget::Sqlite(self.data_dir.join("credit.db"))),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Flags of `credit-api serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "CREDIT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    #[command(flatten)]
    pub storage: StorageArgs,

    /// Directory of the built web app (index.html, app.js, app_bg.wasm).
    #[arg(long, env = "CREDIT_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// Origins (scheme://host[:port]) of other sites allowed to call the API from a browser, comma-separated.
    /// Empty: same-origin only.
    #[arg(long = "cors-origin", env = "CREDIT_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// File holding the access-token signing key; generated (mode 0600) when missing.
    /// Default: token.key in the data directory. CREDIT_TOKEN_KEY (the key itself) takes precedence.
    #[arg(long, env = "CREDIT_TOKEN_KEY_FILE")]
    pub token_key_file: Option<PathBuf>,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "CREDIT_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Worker threads serving HTTP (default: one per CPU core).
    #[arg(long, env = "CREDIT_WORKERS")]
    pub workers: Option<usize>,

    /// Seconds to let in-flight requests finish on shutdown (SIGINT/SIGTERM).
    #[arg(long, env = "CREDIT_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    pub shutdown_timeout: u64,

    #[command(flatten)]
    pub identity: IdentitySettings,

    #[command(flatten)]
    pub records: RecordsSettings,
}

/// Limits of the portal, of record intake, of authorised use and of objections.
#[derive(Debug, Clone, Args)]
pub struct RecordsSettings {
    /// Portal requests allowed per client address and minute; past it, 429 with Retry-After.
    #[arg(long, env = "CREDIT_PORTAL_REQUESTS_PER_MINUTE", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub portal_requests_per_minute: u32,

    /// Largest batch upload accepted, in bytes (a batch holds at most 10,000 rows).
    #[arg(long, env = "CREDIT_INTAKE_MAX_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub intake_max_bytes: usize,

    /// Addresses of reverse proxies in front of the server, comma-separated: for requests from them, the visitor's
    /// address (for portal rate limits) is taken from `X-Forwarded-For`. Empty: the connection's address.
    #[arg(long = "trusted-proxy", env = "CREDIT_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Longest period, in days, a user unit may request authorised-use records for (and a grant may last).
    #[arg(long, env = "CREDIT_MAX_GRANT_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub max_grant_days: u32,

    /// Working days the providing unit has to accept (or refuse to accept) an objection.
    #[arg(long, env = "CREDIT_OBJECTION_ACCEPT_DAYS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub objection_accept_days: u32,

    /// Working days from acceptance to the decision on an objection.
    #[arg(long, env = "CREDIT_OBJECTION_DECIDE_DAYS", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub objection_decide_days: u32,

    /// Days after an objection is closed (or withdrawn, or not accepted) that the appellant's contact details are
    /// kept; then they are purged.
    #[arg(long, env = "CREDIT_OBJECTION_CONTACT_DAYS", default_value_t = 180, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub objection_contact_days: u32,

    /// Objections one client address may file per hour on the portal; past it, 429 with Retry-After.
    #[arg(long, env = "CREDIT_OBJECTION_FILINGS_PER_HOUR", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub objection_filings_per_hour: u32,

    /// Directory of objection evidence files, outside the web root. Default: `evidence` in the data directory.
    #[arg(long, env = "CREDIT_EVIDENCE_DIR")]
    pub evidence_dir: Option<PathBuf>,
}

impl Default for RecordsSettings {
    fn default() -> Self {
        RecordsSettings {
            portal_requests_per_minute: 120,
            intake_max_bytes: 16 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            max_grant_days: 90,
            objection_accept_days: 3,
            objection_decide_days: 15,
            objection_contact_days: 180,
            objection_filings_per_hour: 10,
            evidence_dir: None,
        }
    }
}

/// Sign-in and session settings.
#[derive(Debug, Clone, Args)]
pub struct IdentitySettings {
    /// Lifetime of access tokens in seconds (at most 900).
    #[arg(long, env = "CREDIT_ACCESS_TOKEN_SECONDS", default_value_t = 900, value_parser = clap::value_parser!(i64).range(1..=900))]
    pub access_token_seconds: i64,

    /// A session with no activity for this many minutes ends.
    #[arg(long, env = "CREDIT_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..))]
    pub session_idle_minutes: i64,

    /// A session ends this many hours after sign-in, active or not.
    #[arg(long, env = "CREDIT_SESSION_MAX_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..))]
    pub session_max_hours: i64,

    /// Passwords older than this many days must be changed before anything else.
    #[arg(long, env = "CREDIT_PASSWORD_MAX_AGE_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..))]
    pub password_max_age_days: i64,

    /// Accounts with no sign-in for this many days are disabled by the daily job.
    #[arg(long, env = "CREDIT_DORMANT_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..))]
    pub dormant_days: i64,

    /// Mark the refresh-token cookie `Secure` (sent over HTTPS only; browsers also accept it from localhost).
    #[arg(long, env = "CREDIT_COOKIE_SECURE", default_value_t = true, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,

    /// Demo mode: the demo accounts of `credit-api seed-demo` sign in with their published password. Without it
    /// they must change that password first, like a one-time password.
    #[arg(long, env = "CREDIT_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,
}

impl Default for IdentitySettings {
    fn default() -> Self {
        IdentitySettings {
            access_token_seconds: 900,
            session_idle_minutes: 30,
            session_max_hours: 12,
            password_max_age_days: 90,
            dormant_days: 90,
            cookie_secure: true,
            demo: false,
        }
    }
}

/// Resolved configuration of a running server.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database: DbTarget,
    pub data_dir: PathBuf,
    pub web_dir: PathBuf,
    pub cors_origins: Vec<String>,
    pub token_key: TokenKeySource,
    pub max_body_bytes: usize,
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
    pub identity: IdentitySettings,
    pub records: RecordsSettings,
}

impl Settings {
    /// Resolves flags and environment. The token key itself is read from `CREDIT_TOKEN_KEY` here rather
    /// than through a flag, so it never appears in a process listing.
    pub fn from_args(args: ServeArgs) -> Result<Self, UnsupportedUrl> {
        let token_key = match std::env::var("CREDIT_TOKEN_KEY") {
            Ok(key) if !key.is_empty() => TokenKeySource::Inline(key),
            _ => TokenKeySource::File(args.token_key_file.unwrap_or_else(|| args.storage.data_dir.join("token.key"))),
        };
        let evidence_dir = args.records.evidence_dir.clone().unwrap_or_else(|| args.storage.data_dir.join("evidence"));
        Ok(Settings {
            bind: args.bind,
            database: args.storage.target()?,
            data_dir: args.storage.data_dir,
            web_dir: args.web_dir,
            cors_origins: args
                .cors_origins
                .into_iter()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
            token_key,
            max_body_bytes: args.max_body_bytes,
            workers: args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            shutdown_timeout_secs: args.shutdown_timeout,
            identity: args.identity,
            records: RecordsSettings { evidence_dir: Some(evidence_dir), ..args.records },
        })
    }

    /// Settings for tests and tools: SQLite or the given database, everything else at its default.
    pub fn for_database(database: DbTarget, data_dir: PathBuf) -> Self {
        let evidence_dir = data_dir.join("evidence");
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            token_key: TokenKeySource::File(data_dir.join("token.key")),
            database,
            data_dir,
            web_dir: PathBuf::from("web/dist"),
            cors_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            workers: 2,
            shutdown_timeout_secs: 5,
            identity: IdentitySettings::default(),
            records: RecordsSettings { evidence_dir: Some(evidence_dir), ..RecordsSettings::default() },
        }
    }

    /// One `(name, value)` pair per setting, secrets hidden: printed at start-up.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("bind", self.bind.to_string()),
            ("database", self.database.to_string()),
            ("data dir", self.data_dir.display().to_string()),
            ("web dir", self.web_dir.display().to_string()),
            (
                "cors origins",
                if self.cors_origins.is_empty() { "(same origin only)".into() } else { self.cors_origins.join(", ") },
            ),
            ("token key", self.token_key.to_string()),
            ("max body bytes", self.max_body_bytes.to_string()),
            ("workers", self.workers.to_string()),
            ("shutdown timeout", format!("{}s", self.shutdown_timeout_secs)),
            ("access token lifetime", format!("{}s", self.identity.access_token_seconds)),
            ("session idle timeout", format!("{} min", self.identity.session_idle_minutes)),
            ("session maximum", format!("{} h", self.identity.session_max_hours)),
            ("password maximum age", format!("{} days", self.identity.password_max_age_days)),
            ("dormant accounts disabled after", format!("{} days", self.identity.dormant_days)),
            ("portal requests per minute", self.records.portal_requests_per_minute.to_string()),
            ("intake max bytes", self.records.intake_max_bytes.to_string()),
            ("max grant days", self.records.max_grant_days.to_string()),
            (
                "objection deadlines (working days)",
                format!("accept {}, decide {}", self.records.objection_accept_days, self.records.objection_decide_days),
            ),
            ("objection contact retention days", self.records.objection_contact_days.to_string()),
            ("objection filings per hour", self.records.objection_filings_per_hour.to_string()),
            (
                "evidence dir",
                self.records.evidence_dir.as_ref().map_or_else(|| "(none)".to_owned(), |d| d.display().to_string()),
            ),
            (
                "trusted proxies",
                if self.records.trusted_proxies.is_empty() {
                    "(none)".into()
                } else {
                    self.records.trusted_proxies.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
                },
            ),
            ("secure cookies", self.identity.cookie_secure.to_string()),
            ("demo mode", self.identity.demo.to_string()),
        ]
    }
}
