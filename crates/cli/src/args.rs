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
    /// Pick the same recording among candidates: JSON lines in, JSON lines out.
    Match,
    /// Write a playlist to a file (or stdout).
    Export(ExportArgs),
    /// List or forget the answers remembered for a target playlist.
    Decisions(DecisionsArgs),
    /// Serve the web wizard on 127.0.0.1.
    Ui(UiArgs),
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

#[derive(Debug, Subcommand)]
pub enum AddAccount {
    /// Amazon Music (read-only): sign in in a browser window, or import cookies.
    Amazon {
        /// Read the session from a Netscape cookies.txt instead of opening a browser.
        #[arg(long, value_name = "FILE")]
        cookies: Option<PathBuf>,
        /// Minutes to wait for the sign-in in the browser window.
        #[arg(long, default_value_t = 10)]
        timeout_min: u64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Last.fm: desktop authorisation with your own API account.
    Lastfm {
        /// API key of your Last.fm API account.
        #[arg(long, env = "MUSYNC_LASTFM_API_KEY")]
        api_key: String,
        /// Shared secret of your Last.fm API account.
        #[arg(long, env = "MUSYNC_LASTFM_API_SECRET", hide_env_values = true)]
        api_secret: String,
        /// Print the approval URL but do not open a browser.
        #[arg(long)]
        no_browser: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Spotify: authorization code with PKCE, using your own app's client id.
    Spotify {
        /// Client id of your Spotify app.
        #[arg(long, env = "MUSYNC_SPOTIFY_CLIENT_ID")]
        client_id: String,
        /// Print the sign-in URL but do not open a browser.
        #[arg(long)]
        no_browser: bool,
        /// Loopback port of the redirect URI http://127.0.0.1:PORT/callback.
        #[arg(long)]
        port: Option<u16>,
        #[command(flatten)]
        json: JsonFlag,
    },
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
