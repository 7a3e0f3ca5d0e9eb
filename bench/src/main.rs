//! `credit-bench`: loads a million records into a fresh SQLite and/or PostgreSQL database, serves them with the
//! release `credit-api` binary and measures it on loopback beside a bare actix-web handler (see docs/performance.md).

mod client;
mod data;
mod load;
mod report;
mod scenarios;
mod servers;

use clap::{Parser, ValueEnum};
use credit_api::db::DbTarget;
use report::BackendReport;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendChoice {
    Sqlite,
    Postgres,
    Both,
}

/// Load benchmark of the credit platform: one million records, the real server, 64 connections on loopback.
#[derive(Debug, Parser)]
#[command(name = "credit-bench")]
struct Args {
    /// Which database(s) to measure.
    #[arg(long, value_enum, default_value = "both")]
    backend: BackendChoice,

    /// Records to load before measuring.
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,

    /// Distinct subjects the records are about (default: 30 % of the records).
    #[arg(long)]
    subjects: Option<usize>,

    /// Measured time per scenario (e.g. 10s, 500ms, 1m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,

    /// Unmeasured warm-up before each scenario.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    warmup: Duration,

    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,

    /// Rows per intake batch (and per raw-insert transaction).
    #[arg(long, default_value_t = 1_000)]
    batch_rows: usize,

    /// HTTP workers of both servers (default: the platform's default, one per core).
    #[arg(long)]
    workers: Option<usize>,

    /// The PostgreSQL server to create the throwaway benchmark database on.
    #[arg(long, env = "BENCH_DATABASE_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,

    /// The server binary (default: target/release/credit-api, built when missing).
    #[arg(long)]
    server_bin: Option<PathBuf>,

    /// Run only these scenarios (comma-separated: bare, portal, list, intake, raw), e.g. while profiling one.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,

    /// RUST_LOG of the server; `info` (its default) writes one line per request to the log file.
    #[arg(long, default_value = "info")]
    server_log: String,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len()));
    let value: f64 = number.parse().map_err(|_| format!("not a duration: {text}"))?;
    let seconds = match unit {
        "ms" => value / 1_000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("unknown unit in {text}: use ms, s or m")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let binary = match servers::server_binary(args.server_bin.clone()) {
        Ok(binary) => binary,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let spa = servers::spa_gzipped();
    let backends: &[&str] = match args.backend {
        BackendChoice::Sqlite => &["SQLite"],
        BackendChoice::Postgres => &["PostgreSQL"],
        BackendChoice::Both => &["SQLite", "PostgreSQL"],
    };
    let mut reports = Vec::new();
    for backend in backends {
        eprintln!("\n== {backend}");
        match run_backend(&args, backend, &binary) {
            Ok(report) => {
                println!("{}", report::render(&report, spa));
                reports.push(report);
            }
            Err(error) => {
                eprintln!("error on {backend}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("\n{}", report::render_spa(spa));
    let missed: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            report::goals(r, spa).into_iter().filter(|g| !g.met).map(move |g| format!("{}: {}", r.backend, g.name))
        })
        .collect();
    if missed.is_empty() {
        println!("every goal met");
    } else {
        println!("goals missed: {}", missed.join("; "));
    }
    ExitCode::SUCCESS
}

fn run_backend(args: &Args, backend: &'static str, binary: &std::path::Path) -> Result<BackendReport, String> {
    let dir = std::env::temp_dir().join(format!("credit-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let _cleanup = RemoveDir(dir.clone());
    let (target, _postgres) = if backend == "SQLite" {
        (DbTarget::Sqlite(dir.join("credit.db")), None)
    } else {
        let db = load::PostgresDatabase::create(&args.postgres_url)?;
        eprintln!("created database {}", credit_api::db::redact(&db.url));
        (DbTarget::Postgres(db.url.clone()), Some(db))
    };
    let subjects = args.subjects.unwrap_or(args.records * 3 / 10).max(1);
    let pool = load::open(&target)?;
    let providers = load::create_accounts(&pool)?;
    eprintln!("loading {} records about up to {} subjects", args.records, subjects);
    let loaded = load::load(&pool, &providers, args.records, subjects)?;
    eprintln!("settling (PostgreSQL: VACUUM ANALYZE)");
    load::settle(&pool)?;
    let database_bytes = load::database_bytes(&target, &pool);

    let workers = args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let bare = servers::BareServer::start(workers)?;
    let server = servers::ApiServer::start(&servers::ServerOptions {
        binary,
        database: &target,
        data_dir: &dir,
        workers: args.workers,
        log_filter: &args.server_log,
    })?;
    eprintln!("server pid {} on {}, bare handler on {}", server.pid(), server.addr, bare.addr);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    let (c, w, d) = (args.connections, args.warmup, args.duration);
    let stored = scenarios::Intake::stored_subjects(&pool, 20_000)?;
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let measured = runtime.block_on(async {
        let mut figures: [client::Measurement; 4] = Default::default();
        if wanted("bare") {
            eprintln!("measuring the bare handler");
            figures[0] = client::measure(bare.addr, c, w, d, Arc::new(scenarios::Bare)).await?;
            note(&figures[0], server.peak_rss());
        }
        if wanted("portal") {
            eprintln!("measuring portal search");
            let portal = scenarios::PortalSearch::new(subjects, 4_096);
            figures[1] = client::measure(server.addr, c, w, d, Arc::new(portal)).await?;
            note(&figures[1], server.peak_rss());
        }
        if wanted("list") {
            eprintln!("measuring the authenticated record list");
            let token = scenarios::sign_in(server.addr, load::CITY_USER, load::PASSWORD).await?;
            figures[2] = client::measure(server.addr, c, w, d, Arc::new(scenarios::RecordList { token })).await?;
            note(&figures[2], server.peak_rss());
        }
        if wanted("intake") {
            eprintln!("measuring batch intake");
            let token = scenarios::sign_in(server.addr, load::PROVIDER_USER, load::PASSWORD).await?;
            let intake = scenarios::Intake::new(token, args.batch_rows, subjects, stored.clone());
            figures[3] = client::measure(server.addr, c, w, d, Arc::new(intake)).await?;
            note(&figures[3], server.peak_rss());
        }
        Ok::<_, client::BoxError>(figures)
    });
    let peak_rss = server.peak_rss();
    let rss = server.rss();
    let [bare_m, portal_m, list_m, intake_m] = match measured {
        Ok(figures) => figures,
        Err(error) => {
            eprintln!("server log: {}", server.log.display());
            return Err(error.to_string());
        }
    };
    server.stop();
    bare.stop();
    drop(runtime);
    eprintln!(
        "server memory: peak {} MB, at the end {} MB",
        peak_rss.map_or(0, |b| b / 1_000_000),
        rss.map_or(0, |b| b / 1_000_000)
    );
    let (raw_rows, raw_elapsed) = if wanted("raw") {
        let raw_rows = usize::try_from(intake_m.units).unwrap_or(0).max(args.batch_rows * 10);
        eprintln!("measuring the raw insert of {raw_rows} rows");
        let provider = providers.get(1).ok_or("no provider")?;
        scenarios::raw_insert(&pool, provider, raw_rows, args.batch_rows)?
    } else {
        (0, Duration::ZERO)
    };
    drop(pool);
    Ok(BackendReport {
        backend,
        records: loaded.records,
        subjects: loaded.subjects,
        load: loaded.elapsed,
        database_bytes,
        connections: args.connections,
        batch_rows: args.batch_rows,
        bare: bare_m,
        portal: portal_m,
        list: list_m,
        intake: intake_m,
        raw_rows,
        raw_elapsed,
        peak_rss,
    })
}

/// A one-line progress note of a finished scenario.
fn note(m: &client::Measurement, peak_rss: Option<u64>) {
    eprintln!(
        "  {:.0} steps/s ({:.0} units/s), p50 {:.2} ms, p99 {:.2} ms, {} errors; server peak RSS so far {} MB",
        m.per_second(),
        m.units_per_second(),
        m.p50.as_secs_f64() * 1e3,
        m.p99.as_secs_f64() * 1e3,
        m.errors,
        peak_rss.map_or(0, |b| b / 1_000_000)
    );
}

/// Removes the benchmark's temporary directory (SQLite file, key, server log) when dropped.
struct RemoveDir(PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("ten").is_err());
    }
}
