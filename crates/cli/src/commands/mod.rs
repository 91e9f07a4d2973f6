//! One module per command; `run` dispatches.

mod accounts;
mod decisions;
mod diff;
mod export;
mod inbox;
mod matching;
mod pairs;
mod playlists;
mod run;
mod services;
mod sync;
mod tracks;
mod transfer;
mod ui;
mod unlinked;

use crate::args::{Cli, Command};
use crate::ctx::Ctx;
use anyhow::Result;
use std::process::ExitCode;

/// Runs the parsed command; `Ok` carries the exit code for outcomes that are
/// not errors but still not success (a sync with failed songs).
pub async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Match => matching::run(),
        Command::Accounts(cmd) => accounts::run(&Ctx::open(cli.data_dir)?, cmd).await,
        Command::Playlists(args) => playlists::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Tracks(args) => tracks::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Diff(args) => diff::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Sync(args) => sync::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Transfer(args) => transfer::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Export(args) => export::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Decisions(args) => decisions::run(&Ctx::open(cli.data_dir)?, args),
        Command::Unlinked(args) => unlinked::run(&Ctx::open(cli.data_dir)?, args),
        Command::Ui(args) => ui::run(cli.data_dir, args).await,
        Command::Services(json) => services::run(json.json),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "musync", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Pairs(cmd) => pairs::run(&Ctx::open(cli.data_dir)?, cmd).await,
        Command::Run(args) => run::run(&Ctx::open(cli.data_dir)?, args).await,
        Command::Review(args) => inbox::run(&Ctx::open(cli.data_dir)?, args),
    }
}
