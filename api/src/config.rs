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

    /// Directory for the SQLite database, the generated keys, the audit anchors and other local state.
    #[arg(long, env = "CREDIT_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// File holding the audit trail's MAC key; generated (mode 0600) when missing, as long as no event
    /// carries a MAC yet. Default: audit.key in the data directory. Back it up, never beside the database's dumps.
    #[arg(long, env = "CREDIT_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,

    /// File the audit chain's head is anchored to, at start and daily. Default: audit-anchors.log in the
    /// data directory. Keep it where database administrators cannot write.
    #[arg(long, env = "CREDIT_AUDIT_ANCHOR_FILE")]
    pub audit_anchor_file: Option<PathBuf>,

    /// File holding the key of appellants' contact keys; generated (mode 0600) when missing. Default:
    /// contact.key in the data directory. Back it up, never beside the database's dumps.
    #[arg(long, env = "CREDIT_CONTACT_KEY_FILE")]
    pub contact_key_file: Option<PathBuf>,
}

/// Where the secrets and anchors kept outside the database are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    pub audit_key: PathBuf,
    pub audit_anchors: PathBuf,
    pub contact_key: PathBuf,
}

impl KeyFiles {
    /// The default files in `data_dir`.
    pub fn in_dir(data_dir: &std::path::Path) -> KeyFiles {
        KeyFiles {
            audit_key: data_dir.join("audit.key"),
            audit_anchors: data_dir.join("audit-anchors.log"),
            contact_key: data_dir.join("contact.key"),
        }
    }
}

impl StorageArgs {
    /// The key and anchor files: as given, else in the data directory.
    pub fn key_files(&self) -> KeyFiles {
        let defaults = KeyFiles::in_dir(&self.data_dir);
        KeyFiles {
            audit_key: self.audit_key_file.clone().unwrap_or(defaults.audit_key),
            audit_anchors: self.audit_anchor_file.clone().unwrap_or(defaults.audit_anchors),
            contact_key: self.contact_key_file.clone().unwrap_or(defaults.contact_key),
        }
    }

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

    #[command(flatten)]
    pub notify: NotifySettings,

    #[command(flatten)]
    pub daily_check: DailyCheckSettings,

    #[command(flatten)]
    pub backups: BackupSettings,

    #[command(flatten)]
    pub performance: PerformanceArgs,

    #[command(flatten)]
    pub health: HealthSettings,
}

/// Where the PostgreSQL client tools backups use are. Unset: `pg_dump`/`pg_restore` on PATH, else the
/// newest in Debian's `/usr/lib/postgresql/*/bin`. Their major version must be at least the server's.
#[derive(Debug, Clone, Default, Args)]
pub struct BackupSettings {
    /// The `pg_dump` program PostgreSQL backups are taken with.
    #[arg(long = "pg-dump", env = "CREDIT_PG_DUMP")]
    pub pg_dump: Option<PathBuf>,

    /// The `pg_restore` program PostgreSQL backups are verified and restored with.
    #[arg(long = "pg-restore", env = "CREDIT_PG_RESTORE")]
    pub pg_restore: Option<PathBuf>,
}

/// Limits of the portal, of record intake, of authorised use and of objections.
#[derive(Debug, Clone, Args)]
pub struct RecordsSettings {
    /// Portal requests allowed per client address and minute; past it, 429 with Retry-After.
    #[arg(long, env = "CREDIT_PORTAL_REQUESTS_PER_MINUTE", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub portal_requests_per_minute: u32,

    /// Portal lookups by code (a search by an 18-character code, and the natural-person lookup by name and number)
    /// allowed per client address (an IPv6 /64 counting as one) and hour; past it, 429 with Retry-After.
    /// Someone checks themselves or a few partners; at the default an address tries 720 numbers a day, against the
    /// millions of birth dates and sequence numbers a masked number leaves.
    #[arg(long, env = "CREDIT_PORTAL_LOOKUPS_PER_HOUR", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub portal_lookups_per_hour: u32,

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

    /// Largest objection filing accepted, in bytes, the evidence files and the form together.
    #[arg(long, env = "CREDIT_OBJECTION_MAX_BYTES", default_value_t = 30 * 1024 * 1024)]
    pub objection_max_bytes: usize,

    /// Bytes of evidence one client address may send with its portal filings per hour (what it can make the server
    /// store); past it, 429 with Retry-After.
    #[arg(long, env = "CREDIT_OBJECTION_BYTES_PER_HOUR", default_value_t = 60 * 1024 * 1024)]
    pub objection_bytes_per_hour: u64,

    /// Directory of objection evidence files, outside the web root. Default: `evidence` in the data directory.
    #[arg(long, env = "CREDIT_EVIDENCE_DIR")]
    pub evidence_dir: Option<PathBuf>,
}

impl Default for RecordsSettings {
    fn default() -> Self {
        RecordsSettings {
            portal_requests_per_minute: 120,
            portal_lookups_per_hour: 30,
            intake_max_bytes: 16 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            max_grant_days: 90,
            objection_accept_days: 3,
            objection_decide_days: 15,
            objection_contact_days: 180,
            objection_filings_per_hour: 10,
            objection_max_bytes: 30 * 1024 * 1024,
            objection_bytes_per_hour: 60 * 1024 * 1024,
            evidence_dir: None,
        }
    }
}

/// How notices reach appellants.
#[derive(Debug, Clone, Args)]
pub struct NotifySettings {
    /// SMTP server for e-mail notices: `smtps://user:password@host:465`, or `smtp://user:password@host:587?tls=required`
    /// for STARTTLS (user and password URL-encoded). Absent: notices are written to the log, addresses masked. SMS
    /// notices always go to the log (no SMS gateway). Prefer the environment variable: flags show in process lists.
    #[arg(long, env = "CREDIT_SMTP_URL")]
    pub smtp_url: Option<SmtpUrl>,

    /// Sender of e-mail notices: `address` or `Name <address>`; required with an SMTP server.
    #[arg(long, env = "CREDIT_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// Seconds between the notice worker's looks for notices due to be sent (or retried).
    #[arg(long, env = "CREDIT_NOTICE_INTERVAL_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub notice_interval_seconds: u64,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings { smtp_url: None, smtp_from: None, notice_interval_seconds: 5 }
    }
}

/// The daily pre-work check.
#[derive(Debug, Clone, Args)]
pub struct DailyCheckSettings {
    /// Time of day (China time, `HH:MM`) by which the daily pre-work check must be complete on working days; past
    /// it, a missing check raises the dashboards' red banner and an operation-log entry.
    #[arg(long = "daily-check-deadline", env = "CREDIT_DAILY_CHECK_DEADLINE", default_value = "10:00", value_parser = parse_time_of_day)]
    pub deadline: chrono::NaiveTime,
}

impl Default for DailyCheckSettings {
    fn default() -> Self {
        DailyCheckSettings { deadline: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default() }
    }
}

/// `/metrics` and the performance archive, as given.
#[derive(Debug, Clone, Args)]
pub struct PerformanceArgs {
    /// Addresses and networks (`10.0.0.5`, `10.1.0.0/16`, `fd00::/8`) that may read `/metrics`, comma-separated. The
    /// caller's address is decided as for rate limits (behind `--trusted-proxy`, from `X-Forwarded-For`). With
    /// neither an allow list nor a token, `/metrics` answers 404.
    #[arg(long = "metrics-allow", env = "CREDIT_METRICS_ALLOW", value_delimiter = ',')]
    pub metrics_allow: Vec<crate::http::metrics::AddressRange>,

    /// File holding the metrics token: a scraper sending it as `Authorization: Bearer <token>` may read `/metrics`
    /// from any address. CREDIT_METRICS_TOKEN (the token itself) takes precedence.
    #[arg(long, env = "CREDIT_METRICS_TOKEN_FILE")]
    pub metrics_token_file: Option<PathBuf>,

    /// Seconds between two snapshots of the performance archive (latency percentiles, requests per second, error
    /// rate, memory, database size), written once per interval however many servers share the database.
    #[arg(long, env = "CREDIT_PERFORMANCE_INTERVAL_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub performance_interval_seconds: u64,
}

/// Where the metrics token comes from; never shown.
#[derive(Clone, PartialEq, Eq)]
pub enum MetricsToken {
    /// `CREDIT_METRICS_TOKEN`, or a test's token.
    Inline(String),
    /// The file named by `--metrics-token-file`, read at start.
    File(PathBuf),
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricsToken::Inline(_) => f.write_str("MetricsToken(inline ***)"),
            MetricsToken::File(path) => write!(f, "MetricsToken(file {})", path.display()),
        }
    }
}

/// `/metrics` and the performance archive, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerformanceSettings {
    pub metrics_allow: Vec<crate::http::metrics::AddressRange>,
    pub metrics_token: Option<MetricsToken>,
    pub interval_seconds: u64,
}

impl Default for PerformanceSettings {
    fn default() -> Self {
        PerformanceSettings { metrics_allow: Vec::new(), metrics_token: None, interval_seconds: 300 }
    }
}

impl PerformanceSettings {
    /// The gate of `/metrics`, the token file read now. A token file that cannot be read, or is blank, is an error:
    /// a scraper configured with a token would otherwise be refused without anyone knowing why.
    pub fn gate(&self) -> std::io::Result<crate::http::metrics::MetricsGate> {
        let token = match &self.metrics_token {
            None => None,
            Some(MetricsToken::Inline(token)) => Some(token.clone()),
            Some(MetricsToken::File(path)) => {
                let token = std::fs::read_to_string(path).map_err(|error| {
                    std::io::Error::new(error.kind(), format!("metrics token file {}: {error}", path.display()))
                })?;
                if token.trim().is_empty() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("metrics token file {} is empty", path.display()),
                    ));
                }
                Some(token)
            }
        };
        Ok(crate::http::metrics::MetricsGate::new(self.metrics_allow.clone(), token.as_deref()))
    }

    /// How `/metrics` is opened, for the start-up lines.
    fn describe_metrics(&self) -> String {
        let allow = self.metrics_allow.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
        let token = match &self.metrics_token {
            None => None,
            Some(MetricsToken::Inline(_)) => Some("a token (CREDIT_METRICS_TOKEN)".to_owned()),
            Some(MetricsToken::File(path)) => Some(format!("a token (file {})", path.display())),
        };
        match (allow.is_empty(), token) {
            (true, None) => "off (404): no allow list, no token".to_owned(),
            (false, None) => format!("from {allow}"),
            (true, Some(token)) => format!("with {token}"),
            (false, Some(token)) => format!("from {allow}, or with {token}"),
        }
    }
}

/// The automatic health checks.
#[derive(Debug, Clone, Args)]
pub struct HealthSettings {
    /// Seconds between runs of the automatic health checks (one server runs each slot when several share a
    /// database); 0 turns the schedule off, leaving runs to `POST /api/v1/ops/status/runs`.
    #[arg(long = "health-interval", env = "CREDIT_HEALTH_INTERVAL", default_value_t = 300)]
    pub interval_seconds: u64,
    /// Time of day (China time, `HH:MM`) from which the nightly verification of the audit chain runs, continuing
    /// from the last event verified the night before.
    #[arg(long = "audit-verify-at", env = "CREDIT_AUDIT_VERIFY_AT", default_value = "02:00", value_parser = parse_time_of_day)]
    pub audit_verify_at: chrono::NaiveTime,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            interval_seconds: 300,
            audit_verify_at: chrono::NaiveTime::from_hms_opt(2, 0, 0).unwrap_or_default(),
        }
    }
}

/// Parses a time of day written `HH:MM`.
pub fn parse_time_of_day(text: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("{text:?} is not a time of day like 10:00"))
}

/// An SMTP server's URL. It may hold a password, so it is shown (`Display`, `Debug`) with the password hidden.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    /// The URL itself, password included: for the SMTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for SmtpUrl {
    type Err = String;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        let url = url.trim();
        // Blank stands for "no SMTP server" (an empty `CREDIT_SMTP_URL=`); `Settings::from_args` drops it.
        if url.is_empty() || url.starts_with("smtp://") || url.starts_with("smtps://") {
            Ok(SmtpUrl(url.to_owned()))
        } else {
            Err("use smtps://user:password@host:465 or smtp://user:password@host:587?tls=required".to_owned())
        }
    }
}

/// `scheme://user:***@host…`: everything between the user's name and the last `@` is hidden, so a password holding
/// `/`, `?` or `@` (unencoded by mistake) is hidden whole too. Hiding too much is harmless: no query parameter of an
/// SMTP URL holds an `@`.
impl std::fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((scheme, rest)) = self.0.split_once("://") else { return f.write_str("***") };
        let Some(at) = rest.rfind('@') else { return f.write_str(&self.0) };
        let (userinfo, host) = (&rest[..at], &rest[at..]);
        match userinfo.split_once(':') {
            Some((user, _password)) => write!(f, "{scheme}://{user}:***{host}"),
            None => f.write_str(&self.0),
        }
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpUrl({self})")
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

    /// Sign-in requests (`/auth/login`, `/auth/token`, `/auth/password`) allowed per client address (IPv6: per /64)
    /// and minute, counted before any password is checked; past it, 429 with Retry-After.
    #[arg(long, env = "CREDIT_SIGNIN_PER_ADDRESS_PER_MINUTE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub signin_per_address_per_minute: u32,

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
            signin_per_address_per_minute: 30,
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
    pub keys: KeyFiles,
    pub max_body_bytes: usize,
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
    pub identity: IdentitySettings,
    pub records: RecordsSettings,
    pub notify: NotifySettings,
    pub daily_check: DailyCheckSettings,
    pub backups: BackupSettings,
    pub performance: PerformanceSettings,
    pub health: HealthSettings,
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
        let keys = args.storage.key_files();
        let metrics_token = match std::env::var("CREDIT_METRICS_TOKEN") {
            Ok(token) if !token.trim().is_empty() => Some(MetricsToken::Inline(token)),
            _ => args.performance.metrics_token_file.map(MetricsToken::File),
        };
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
            keys,
            max_body_bytes: args.max_body_bytes,
            workers: args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            shutdown_timeout_secs: args.shutdown_timeout,
            identity: args.identity,
            records: RecordsSettings { evidence_dir: Some(evidence_dir), ..args.records },
            notify: NotifySettings {
                smtp_url: args.notify.smtp_url.filter(|url| !url.expose().is_empty()),
                smtp_from: args.notify.smtp_from.filter(|from| !from.trim().is_empty()),
                ..args.notify
            },
            daily_check: args.daily_check,
            backups: args.backups,
            performance: PerformanceSettings {
                metrics_allow: args.performance.metrics_allow,
                metrics_token,
                interval_seconds: args.performance.performance_interval_seconds,
            },
            health: args.health,
        })
    }

    /// Settings for tests and tools: SQLite or the given database, everything else at its default.
    pub fn for_database(database: DbTarget, data_dir: PathBuf) -> Self {
        let evidence_dir = data_dir.join("evidence");
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            token_key: TokenKeySource::File(data_dir.join("token.key")),
            keys: KeyFiles::in_dir(&data_dir),
            database,
            data_dir,
            web_dir: PathBuf::from("web/dist"),
            cors_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            workers: 2,
            shutdown_timeout_secs: 5,
            identity: IdentitySettings::default(),
            records: RecordsSettings { evidence_dir: Some(evidence_dir), ..RecordsSettings::default() },
            notify: NotifySettings::default(),
            daily_check: DailyCheckSettings::default(),
            backups: BackupSettings::default(),
            performance: PerformanceSettings::default(),
            health: HealthSettings::default(),
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
            ("audit key", format!("file {}", self.keys.audit_key.display())),
            ("audit anchors", format!("file {}", self.keys.audit_anchors.display())),
            ("contact key", format!("file {}", self.keys.contact_key.display())),
            ("max body bytes", self.max_body_bytes.to_string()),
            ("workers", self.workers.to_string()),
            ("shutdown timeout", format!("{}s", self.shutdown_timeout_secs)),
            ("access token lifetime", format!("{}s", self.identity.access_token_seconds)),
            ("session idle timeout", format!("{} min", self.identity.session_idle_minutes)),
            ("session maximum", format!("{} h", self.identity.session_max_hours)),
            ("password maximum age", format!("{} days", self.identity.password_max_age_days)),
            ("dormant accounts disabled after", format!("{} days", self.identity.dormant_days)),
            ("portal requests per minute", self.records.portal_requests_per_minute.to_string()),
            ("portal lookups by code per hour", self.records.portal_lookups_per_hour.to_string()),
            ("intake max bytes", self.records.intake_max_bytes.to_string()),
            ("max grant days", self.records.max_grant_days.to_string()),
            (
                "objection deadlines (working days)",
                format!("accept {}, decide {}", self.records.objection_accept_days, self.records.objection_decide_days),
            ),
            ("objection contact retention days", self.records.objection_contact_days.to_string()),
            ("objection filings per hour", self.records.objection_filings_per_hour.to_string()),
            (
                "objection size, evidence bytes per hour",
                format!("{}, {}", self.records.objection_max_bytes, self.records.objection_bytes_per_hour),
            ),
            ("daily check deadline", format!("{} China time", self.daily_check.deadline.format("%H:%M"))),
            (
                "backup tools",
                format!(
                    "pg_dump {}, pg_restore {}",
                    self.backups.pg_dump.as_ref().map_or_else(|| "(PATH)".to_owned(), |p| p.display().to_string()),
                    self.backups.pg_restore.as_ref().map_or_else(|| "(PATH)".to_owned(), |p| p.display().to_string())
                ),
            ),
            ("health check interval", format!("{}s", self.health.interval_seconds)),
            ("nightly audit verification", format!("{} China time", self.health.audit_verify_at.format("%H:%M"))),
            ("sign-in requests per address per minute", self.identity.signin_per_address_per_minute.to_string()),
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
            (
                "notices",
                match (&self.notify.smtp_url, &self.notify.smtp_from) {
                    (None, _) => "to the log (no SMTP server)".to_owned(),
                    (Some(url), from) => format!(
                        "e-mail through {url} from {}, SMS to the log",
                        from.as_deref().unwrap_or("(no sender address)")
                    ),
                },
            ),
            ("notice interval", format!("{}s", self.notify.notice_interval_seconds)),
            ("metrics", self.performance.describe_metrics()),
            ("performance snapshot interval", format!("{}s", self.performance.interval_seconds)),
            ("secure cookies", self.identity.cookie_secure.to_string()),
            ("demo mode", self.identity.demo.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(url: &str) -> SmtpUrl {
        url.parse().unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn r21_1_the_daily_check_deadline_reads_as_hours_and_minutes() {
        assert_eq!(parse_time_of_day("10:00").map(|t| t.to_string()), Ok("10:00:00".to_owned()));
        assert_eq!(parse_time_of_day(" 08:30 ").map(|t| t.to_string()), Ok("08:30:00".to_owned()));
        assert!(parse_time_of_day("25:00").is_err());
        assert!(parse_time_of_day("ten").is_err());
    }

    #[test]
    fn smtp_passwords_never_show() {
        assert_eq!(
            smtp("smtps://notice:s3cret@mail.example.cn:465").to_string(),
            "smtps://notice:***@mail.example.cn:465"
        );
        assert_eq!(
            smtp("smtp://notice:p@ss/w?rd@mail.example.cn:587?tls=required").to_string(),
            "smtp://notice:***@mail.example.cn:587?tls=required"
        );
        assert_eq!(smtp("smtp://mail.example.cn:25").to_string(), "smtp://mail.example.cn:25", "nothing to hide");
        assert!(!format!("{:?}", smtp("smtps://u:s3cret@h")).contains("s3cret"));
        assert!("http://mail.example.cn".parse::<SmtpUrl>().is_err());
        assert_eq!(smtp(" ").expose(), "", "blank: no server, dropped by from_args");
    }

    #[derive(clap::Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    #[test]
    fn a_blank_smtp_url_means_the_log_sender() {
        use clap::Parser;
        let parsed = Serve::try_parse_from(["serve", "--smtp-url", "", "--smtp-from", " "]).map(|s| s.args);
        let settings = parsed.ok().and_then(|args| Settings::from_args(args).ok());
        let notify = settings.map(|s| s.notify);
        assert!(notify.as_ref().is_some_and(|n| n.smtp_url.is_none() && n.smtp_from.is_none()), "{notify:?}");
        let interval = Serve::try_parse_from(["serve", "--notice-interval-seconds", "0"]);
        assert!(interval.is_err(), "a worker that never waits");
    }

    #[test]
    fn describe_hides_the_smtp_password() {
        let mut settings = Settings::for_database(DbTarget::Sqlite("x.db".into()), "data".into());
        let notices = |s: &Settings| s.describe().into_iter().find(|(name, _)| *name == "notices").map(|(_, v)| v);
        assert_eq!(notices(&settings).as_deref(), Some("to the log (no SMTP server)"), "tests and tools: the log");
        settings.notify.smtp_url = Some(smtp("smtps://notice:s3cret@mail.example.cn:465"));
        settings.notify.smtp_from = Some("notice@example.cn".into());
        let shown: String = settings.describe().into_iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("smtps://notice:***@mail.example.cn:465 from notice@example.cn"), "{shown}");
        assert!(!format!("{settings:?}").contains("s3cret"));
    }
}
