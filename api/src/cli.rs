//! The `credit-api` command line: serve the platform, apply migrations, print the OpenAPI document, seed demo data.

use crate::config::{LogFormat, ServeArgs, Settings, StorageArgs};
use crate::{openapi, server, telemetry};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "credit-api",
    version,
    about = "九江市公共信用信息平台 — Jiujiang public credit information platform and credit portal"
)]
pub struct Cli {
    /// Log line format.
    #[arg(long, env = "CREDIT_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, its OpenAPI docs (/api/docs) and the web app; creates and migrates the database first.
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate(StorageArgs),
    /// Print the OpenAPI document (JSON) generated from the code.
    Openapi,
    /// Create the first account-office administrator and print a one-time password.
    CreateAdmin {
        #[command(flatten)]
        admin: crate::identity::admin::CreateAdminArgs,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Fill an empty database with demo data: organisations of the city and its counties, one account per role
    /// and level (demo password printed), and realistic credit records. Refuses a database with real data.
    SeedDemo {
        #[command(flatten)]
        demo: crate::demo::SeedArgs,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Audit trail tools.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit trail's hash chain; exits non-zero and names the first broken event if any.
    Verify(StorageArgs),
}

pub fn run(cli: Cli) -> ExitCode {
    telemetry::init(cli.log_format);
    let outcome = match cli.command {
        Command::Serve(args) => match Settings::from_args(args) {
            Ok(settings) => server::serve(settings).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Command::Migrate(storage) => migrate(&storage),
        Command::Audit(AuditCommand::Verify(storage)) => verify_audit(&storage),
        Command::CreateAdmin { admin, storage } => create_admin(&admin, &storage),
        Command::SeedDemo { demo, storage } => seed_demo(&demo, &storage),
        Command::Openapi => {
            print!("{}", openapi::document_json());
            Ok(())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn migrate(storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    server::open_database(&target).map_err(|e| e.to_string())?;
    tracing::info!(database = %target, "migrations are current");
    Ok(())
}

fn verify_audit(storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    let pool = server::open_database(&target).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let verification = crate::audit::verify(&mut conn).map_err(|e| format!("cannot read the audit trail: {e}"))?;
    match verification.first_broken {
        None => {
            println!("audit trail intact: {} events verified", verification.checked);
            Ok(())
        }
        Some(broken) => Err(format!(
            "audit trail broken at event {}: {} ({} events before it verified)",
            broken.seq, broken.reason, verification.checked
        )),
    }
}

fn create_admin(admin: &crate::identity::admin::CreateAdminArgs, storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    let pool = server::open_database(&target).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let created = crate::identity::admin::create_admin(&mut conn, admin)?;
    println!("created account administrator {} ({})", admin.login_name.trim().to_lowercase(), created.user_id);
    println!("one-time password (shown once; it must be changed at first sign-in): {}", created.one_time_password);
    Ok(())
}

fn seed_demo(args: &crate::demo::SeedArgs, storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    let pool = server::open_database(&target).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let outcome = if args.if_empty {
        crate::demo::seed_if_empty(&mut conn, args.records, args.seed)
    } else {
        crate::demo::seed(&mut conn, args.records, args.seed).map(Some)
    };
    match outcome.map_err(|e| e.to_string())? {
        Some(summary) => {
            println!("seeded {target} in {:.1} s", started.elapsed().as_secs_f64());
            println!("{summary}");
            println!();
            println!("serve it in demo mode: credit-api serve --demo (or scripts/serve.sh --demo)");
        }
        None => {
            println!("{target} holds the demo data already: nothing to do");
            println!();
            println!("{}", crate::demo::guide());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
