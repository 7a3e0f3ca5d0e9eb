//! The `credit-api` command line: serve the platform, apply migrations, print the OpenAPI document.

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
}

pub fn run(cli: Cli) -> ExitCode {
    telemetry::init(cli.log_format);
    let outcome = match cli.command {
        Command::Serve(args) => match Settings::from_args(args) {
            Ok(settings) => server::serve(settings).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Command::Migrate(storage) => migrate(&storage),
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
