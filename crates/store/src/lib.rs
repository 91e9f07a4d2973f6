//! musync's state: a SQLite database (accounts, remembered decisions,
//! unlinked pairs, the sync journal and run history, saved syncs) and secret storage (the
//! OS keyring, or a 0600 file where no keyring runs).
//!
//! Everything lives in one data dir (`default_data_dir()` unless the CLI's
//! `--data-dir` / `MUSYNC_DATA_DIR` says otherwise):
//!
//! | file               | what                                   | mode |
//! |--------------------|----------------------------------------|------|
//! | `musync.db`        | SQLite state, WAL mode (+ `-wal`, `-shm`) | 0600 |
//! | `secrets.json`     | secrets, file backend only             | 0600 |
//! | `secret-keys.json` | names of keyring secrets per account   | 0600 |
//!
//! The schema is versioned (`PRAGMA user_version`) and migrated forward on
//! open; a database from a newer musync is refused, not damaged.
//!
//! Testing the keyring backend needs a Secret Service; on a headless machine:
//! ```text
//! dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets; \
//!   cargo test -p musync-store keyring -- --include-ignored'
//! ```
#![warn(missing_docs)]

mod accounts;
mod decisions;
mod error;
mod fsutil;
mod journal;
mod lock;
mod orphans;
mod saved;
mod schema;
mod secrets;
mod store;

pub use decisions::Decision;
pub use error::{StoreError, StoreErrorKind};
pub use journal::{JournalOutcome, JournalState, RunId, RunRecord};
pub use lock::{TargetLock, Wait};
pub use orphans::OrphanSecrets;
pub use saved::{Baseline, BaselineState, PendingQuestion, SavedPair, UnfinishedRemoval};
pub use secrets::{
    FileSecretStore, KeyringSecretStore, SECRET_BACKEND_ENV, SecretBackend, open_secret_store,
};
pub use store::{DB_FILE, Store};

use std::path::PathBuf;

/// The platform's data dir for musync (`$XDG_DATA_HOME/musync`, usually
/// `~/.local/share/musync`, on Linux). Falls back to `./.musync` when the
/// system has no home directory. The CLI's `--data-dir` / `MUSYNC_DATA_DIR`
/// take precedence; that is the CLI's business.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "musync")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".musync"))
}

#[cfg(test)]
mod saved_tests;
#[cfg(test)]
mod tests;
