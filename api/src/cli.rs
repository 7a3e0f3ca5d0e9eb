//! The `credit-api` command line: serve the platform, apply migrations, print the OpenAPI document, seed demo data.

use crate::config::{LogFormat, ServeArgs, Settings, StorageArgs};
use crate::keys::AuditKey;
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
    Serve(Box<ServeArgs>),
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
    /// Verify the audit trail: every event's MAC (or, before the audit key, hash) and link, and the anchors
    /// of its head; never creates a key. Exits non-zero naming the first broken event, a missing or wrong key, or an
    /// anchor the stored chain no longer matches.
    Verify(StorageArgs),
}

pub fn run(cli: Cli) -> ExitCode {
    telemetry::init(cli.log_format);
    let outcome = match cli.command {
        Command::Serve(args) => match Settings::from_args(*args) {
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

/// Applies pending migrations and brings stored contact keys in line with the contact key (creating the keys
/// when the database has never had them).
fn migrate(storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    server::open_storage(&target, &storage.key_files()).map_err(|e| e.to_string())?;
    tracing::info!(database = %target, "migrations are current");
    Ok(())
}

/// checks the chain with the audit key (never creating one) against the anchors; prints what is intact,
/// or every problem found and fails.
fn verify_audit(storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    let files = storage.key_files();
    let pool = server::open_database(&target).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let key = match crate::keys::AuditKey::load(&files.audit_key) {
        Ok(key) => Some(key),
        Err(crate::keys::KeyFileError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error.to_string()),
    };
    let anchors = crate::audit::anchor::read(&files.audit_anchors).map_err(|e| e.to_string())?;
    let verification = crate::audit::verify(&mut conn, key.as_ref(), &anchors)
        .map_err(|e| format!("cannot read the audit trail: {e}"))?;
    let report = &verification.anchors;
    if verification.intact() {
        println!(
            "audit trail intact: {} events verified, {} anchors in {} match",
            verification.checked,
            report.total,
            files.audit_anchors.display()
        );
        return Ok(());
    }
    let mut problems = Vec::new();
    if let Some(problem) = &verification.key_problem {
        problems.push(format!(
            "audit key {}: {} ({} events before the first one with a MAC verified)",
            problem.kind.as_str(),
            problem.detail,
            verification.checked
        ));
    }
    if let Some(broken) = &verification.first_broken {
        problems.push(format!(
            "audit trail broken at event {}: {} ({} events before it verified)",
            broken.seq, broken.reason, verification.checked
        ));
    }
    if let Some(anchor) = &report.first_mismatch {
        problems.push(format!(
            "audit anchor of {} no longer matches the stored chain: event {} is {} (anchored MAC {})",
            anchor.anchored_at.to_rfc3339(),
            anchor.seq,
            match anchor.status {
                credit_types::audit::AnchorStatus::Missing => "missing",
                _ => "stored with another MAC",
            },
            anchor.mac
        ));
    }
    if report.unreadable > 0 {
        problems.push(format!("{} lines of {} are no anchor", report.unreadable, files.audit_anchors.display()));
    }
    Err(problems.join("\n"))
}

fn create_admin(admin: &crate::identity::admin::CreateAdminArgs, storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    let opened = server::open_storage(&target, &storage.key_files()).map_err(|e| e.to_string())?;
    let mut conn = opened.pool.get().map_err(|e| e.to_string())?;
    let created = AuditKey::scope(opened.audit_key, || crate::identity::admin::create_admin(&mut conn, admin))?;
    println!("created account administrator {} ({})", admin.login_name.trim().to_lowercase(), created.user_id);
    println!("one-time password (shown once; it must be changed at first sign-in): {}", created.one_time_password);
    Ok(())
}

fn seed_demo(args: &crate::demo::SeedArgs, storage: &StorageArgs) -> Result<(), String> {
    let target = storage.target().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&storage.data_dir).map_err(|e| format!("{}: {e}", storage.data_dir.display()))?;
    let opened = server::open_storage(&target, &storage.key_files()).map_err(|e| e.to_string())?;
    let mut conn = opened.pool.get().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let contact_key = &opened.contact_key;
    let outcome = AuditKey::scope(opened.audit_key.clone(), || {
        if args.if_empty {
            crate::demo::seed_if_empty(&mut conn, args.records, args.seed, contact_key)
        } else {
            crate::demo::seed(&mut conn, args.records, args.seed, contact_key).map(Some)
        }
    });
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
