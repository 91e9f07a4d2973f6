//! What was typed: the clap definition of every command (CLI.md is the
//! contract; change it only by adding).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keep music playlists in sync across streaming services.
///
/// Playlists are named ACCOUNT:PLAYLIST (see `musync accounts list` and
/// `musync playlists ACCOUNT`) or by the path of a playlist file
/// (.m3u8, .m3u, .xspf, .csv, .json; optionally prefixed `file:`).
#[derive(Debug, Parser)]
#[command(name = "musync", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Where musync keeps its state (accounts, remembered decisions, journal).
    #[arg(long, global = true, env = "MUSYNC_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Say what musync is doing (-v), with technical details (-vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, add or remove accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// List an account's playlists, or create one.
    Playlists(PlaylistsArgs),
    /// Print the tracks of a playlist, in order.
    Tracks(TracksArgs),
    /// Show which songs two playlists share and which only one has.
    Diff(DiffArgs),
    /// Compare, search the missing songs in the other service, add them.
    Sync(SyncArgs),
    /// Move a whole library: every own playlist (and the library) into the
    /// playlists of the same names in another account or a folder.
    Transfer(TransferArgs),
    /// Pick the same recording among candidates: JSON lines in, JSON lines out.
    Match,
    /// Write a playlist to a file (or stdout).
    Export(ExportArgs),
    /// List or forget the answers remembered for a target playlist.
    Decisions(DecisionsArgs),
    /// List the pairs marked "not the same song", or match them again.
    Unlinked(UnlinkedArgs),
    /// Serve the web wizard on 127.0.0.1.
    Ui(UiArgs),
    /// List the services musync knows, with their capabilities and options.
    Services(JsonFlag),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Save, list or forget pairs of playlists kept in sync by `musync run`.
    #[command(subcommand)]
    Pairs(PairsCommand),
    /// Run saved syncs unattended (for cron): never asks, queues questions.
    Run(RunArgs),
    /// Answer the questions saved syncs queued.
    Review(ReviewArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RemovalsArg {
    /// A song removed on one side is never copied back; the other side keeps it.
    Keep,
    /// A song removed on one side is removed from the other side too.
    Propagate,
}

#[derive(Debug, Subcommand)]
pub enum PairsCommand {
    /// Save a pair of playlists under a name.
    Add {
        /// Left playlist: ACCOUNT:PLAYLIST or a file (created if missing).
        left: String,
        /// Right playlist: ACCOUNT:PLAYLIST or a file (created if missing).
        right: String,
        /// A unique name for the pair (used by `musync run NAME`).
        #[arg(long)]
        name: String,
        /// Which way songs are added.
        #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
        direction: DirectionArg,
        /// What a song removed on one side does to the other.
        #[arg(long, value_enum, default_value_t = RemovalsArg::Keep)]
        removals: RemovalsArg,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// List the saved pairs.
    List(JsonFlag),
    /// Forget a saved pair (its playlists are not touched).
    Remove {
        /// The pair's name.
        name: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Pairs to run (default: all).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Decide everything, write nothing (the baseline does not move).
    #[arg(long)]
    pub dry_run: bool,
    /// Keep running, once every DURATION (e.g. 30m, 6h, 1d).
    #[arg(long, value_name = "DURATION", value_parser = parse_every)]
    pub every: Option<std::time::Duration>,
    /// Remove more than 20% of a playlist (or more than 50 songs) in one run.
    #[arg(long)]
    pub allow_mass_removal: bool,
    /// Searches in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    #[command(flatten)]
    pub json: JsonFlag,
}

/// `30s`, `15m`, `6h`, `1d`: at least a minute apart, at most a week.
fn parse_every(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; use e.g. 30m, 6h or 1d"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => {
            return Err(format!(
                "`{unit}` is not a unit; use s, m, h or d (e.g. 6h)"
            ));
        }
    };
    if !(60..=7 * 86_400).contains(&seconds) {
        return Err("the interval must be between 1m and 7d".to_owned());
    }
    Ok(std::time::Duration::from_secs(seconds))
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Only this pair's questions.
    pub name: Option<String>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// List the accounts musync knows.
    List(JsonFlag),
    /// Sign in to a service and remember the account.
    #[command(subcommand)]
    Add(AddAccount),
    /// Forget an account and delete its secrets.
    Remove {
        /// Account id from `musync accounts list`.
        account: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

/// `accounts add SERVICE …`: one subcommand per service with a sign-in,
/// its arguments built from the registry entry's options (so a new service
/// needs no change here).
#[derive(Debug)]
pub struct AddAccount {
    /// The service's short name.
    pub service: String,
    /// What was typed after it.
    pub matches: clap::ArgMatches,
}

impl clap::FromArgMatches for AddAccount {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let (service, sub) = m
            .subcommand()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingSubcommand))?;
        Ok(AddAccount {
            service: service.to_owned(),
            matches: sub.clone(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Subcommand for AddAccount {
    fn augment_subcommands(mut cmd: clap::Command) -> clap::Command {
        for info in musync_services::SERVICES
            .iter()
            .filter(|i| i.sign_in.is_some())
        {
            cmd = cmd.subcommand(sign_in_command(info));
        }
        cmd.subcommand_required(true)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        musync_services::find(name).is_some_and(|i| i.sign_in.is_some())
    }
}

/// `accounts add NAME`: the entry's asked options as flags, plus how long
/// to wait and `--json`.
fn sign_in_command(info: &musync_services::ServiceInfo) -> clap::Command {
    use clap::{Arg, ArgAction};
    use musync_services::OptionInput;
    let mut cmd = clap::Command::new(info.kind.as_str())
        .about(format!(
            "{}: {}",
            info.kind.display_name(),
            info.description
        ))
        .long_about(format!(
            "{}: {}.\n\n{}",
            info.kind.display_name(),
            info.description,
            info.sign_in_help
        ));
    for option in info.asked_options() {
        let arg = match option.input {
            OptionInput::Flag => Arg::new(option.name)
                .long(option.name)
                .action(ArgAction::SetTrue),
            OptionInput::Stdin => Arg::new(option.name)
                .long(format!("{}-stdin", option.name))
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Read the {} from standard input (a terminal is asked)",
                    option.help
                )),
            _ => {
                let mut arg = Arg::new(option.name)
                    .long(option.name)
                    .required(option.required)
                    .value_name(match option.input {
                        OptionInput::Path => "FILE",
                        OptionInput::Port => "PORT",
                        _ => "VALUE",
                    });
                if option.input == OptionInput::Port {
                    arg = arg.value_parser(clap::value_parser!(u16).range(1..));
                }
                if let Some(env) = option.env {
                    arg = arg.env(env).hide_env_values(option.secret);
                }
                if let Some(default) = option.default {
                    arg = arg.default_value(default);
                }
                arg
            }
        };
        let arg = if option.input == OptionInput::Stdin {
            arg
        } else {
            arg.help(capitalised(option.help))
        };
        cmd = cmd.arg(arg);
    }
    cmd.arg(
        Arg::new("timeout-min")
            .long("timeout-min")
            .value_name("MINUTES")
            .default_value("10")
            .value_parser(clap::value_parser!(u64).range(1..=120))
            .help("Minutes to wait for you to finish signing in"),
    )
    .arg(
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help("Print one JSON document on stdout"),
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct PlaylistsArgs {
    #[command(subcommand)]
    pub create: Option<PlaylistsCommand>,
    /// Account id from `musync accounts list`.
    #[arg(required = true)]
    pub account: Option<String>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum PlaylistsCommand {
    /// Create an empty playlist in a service that can.
    Create {
        /// Account id.
        account: String,
        /// Name of the new playlist.
        name: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct TracksArgs {
    /// ACCOUNT:PLAYLIST or a playlist file.
    pub playlist: String,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Left playlist: ACCOUNT:PLAYLIST or a file.
    pub left: String,
    /// Right playlist: ACCOUNT:PLAYLIST or a file.
    pub right: String,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    /// Each side gets what it lacks.
    Both,
    /// Only the right playlist gets songs.
    ToRight,
    /// Only the left playlist gets songs.
    ToLeft,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Left playlist: ACCOUNT:PLAYLIST or a file (created if missing).
    pub left: String,
    /// Right playlist: ACCOUNT:PLAYLIST or a file (created if missing).
    pub right: String,
    /// Which way songs are added.
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    pub direction: DirectionArg,
    /// Decide everything, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Ask nothing: add confident matches only, report the rest as not found.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Ask about uncertain songs even when stdin is not a terminal
    /// (answers are read line by line from stdin).
    #[arg(long, conflicts_with = "yes")]
    pub interactive: bool,
    /// Searches in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    /// Fail at once (exit 1) when another musync run is writing a target,
    /// instead of waiting for it.
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    M3u8,
    M3u,
    Xspf,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// ACCOUNT:PLAYLIST or a playlist file.
    pub playlist: String,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// Output file (replaced atomically); stdout when omitted.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UiArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Do not open a browser.
    #[arg(long)]
    pub no_open: bool,
    /// Run with built-in fake services and sample libraries, no account needed.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct DecisionsArgs {
    /// The target playlist the answers are about: ACCOUNT:PLAYLIST or a file.
    pub playlist: String,
    /// Forget the answer about one song: its key as listed, or "Artist - Title".
    #[arg(long, value_name = "SONG", conflicts_with = "forget_all")]
    pub forget: Option<String>,
    /// Forget every answer remembered for this playlist.
    #[arg(long)]
    pub forget_all: bool,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct UnlinkedArgs {
    /// Match a song with its pair again: its key as listed, or "Artist - Title".
    #[arg(long, value_name = "SONG", conflicts_with = "relink_all")]
    pub relink: Option<String>,
    /// Match every unlinked pair again.
    #[arg(long)]
    pub relink_all: bool,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FolderFormatArg {
    Csv,
    Xspf,
    M3u8,
    Json,
}

#[derive(Debug, Args)]
pub struct TransferArgs {
    /// Where the playlists come from: an account id, or a folder (`DIR/`).
    pub source: String,
    /// Where they go: an account id, or a folder (`DIR/`, created if missing).
    pub target: String,
    /// Move only this playlist (id or exact name; repeatable). The library
    /// moves only when named too.
    #[arg(long, value_name = "PLAYLIST")]
    pub only: Vec<String>,
    /// Leave the library (Liked Songs, My Music, Loved Tracks, Starred) out.
    #[arg(long)]
    pub no_library: bool,
    /// File format of new playlists in a folder target.
    #[arg(long, value_enum, default_value_t = FolderFormatArg::Csv)]
    pub format: FolderFormatArg,
    /// Decide everything, create and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Ask nothing: add confident matches only.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Ask about uncertain songs even when stdin is not a terminal
    /// (answers are read line by line from stdin).
    #[arg(long, conflicts_with = "yes")]
    pub interactive: bool,
    /// Searches in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    #[command(flatten)]
    pub json: JsonFlag,
}
