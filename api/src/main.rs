//! The `credit-api` binary: see `credit_api::cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    credit_api::cli::run(credit_api::cli::Cli::parse())
}
