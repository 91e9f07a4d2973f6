//! Resolved arguments: the state store, and sides opened from playlist
//! references through the engine's one [`Opener`] (ripgrep's "high" args).

use crate::UsageError;
use crate::progress::Bar;
use anyhow::Result;
use musync_core::{Account, ErrorKind, Service};
use musync_engine::{Opener, Role, Session, Side};
use musync_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything a command needs that is not in its own arguments.
pub struct Ctx {
    pub store: Store,
    pub opener: Opener,
}

impl Ctx {
    /// Opens the state in `data_dir` (default: the platform data dir).
    pub fn open(data_dir: Option<PathBuf>) -> Result<Ctx> {
        let dir = data_dir.unwrap_or_else(musync_store::default_data_dir);
        let store = Store::open(&dir)?;
        // The secret store is opened on first use: choosing the backend
        // probes the OS keyring, which commands on files alone never need.
        let opener = Opener::new(move || musync_store::open_secret_store(&dir));
        Ok(Ctx { store, opener })
    }

    /// The secret store (OS keyring or the 0600 file).
    pub fn secrets(&self) -> Arc<dyn musync_core::SecretStore> {
        self.opener.secrets()
    }

    /// The account `id`, or an error telling how to find the right id.
    pub fn account(&self, id: &str) -> Result<Account> {
        Ok(self.opener.account(&self.store, id)?)
    }

    /// The service behind an account.
    pub fn service(&self, account: &Account) -> Result<Arc<dyn Service>> {
        Ok(self.opener.service(account)?)
    }

    /// Opens the playlist a reference names, to read or to write. A
    /// reference that names nothing musync understands is a usage error.
    pub async fn side(&self, text: &str, role: Role) -> Result<Side> {
        self.opener
            .side(&self.store, text, role)
            .await
            .map_err(side_error)
    }

    /// Reads one side's tracks, with a progress bar.
    pub async fn read(&self, side: &Side) -> Result<Vec<musync_core::Track>> {
        let bar = Bar::new("reading");
        let tracks = side.service.tracks(&side.playlist, &bar).await;
        bar.finish();
        Ok(tracks?)
    }

    /// Reads and compares two sides, with a progress bar for each.
    pub async fn compare(&self, left: Side, right: Side) -> Result<Session> {
        let (lbar, rbar) = Bar::pair("left", "right");
        let session = Session::compare(&self.store, left, right, &lbar, &rbar).await;
        lbar.finish();
        rbar.finish();
        Ok(session?)
    }
}

/// The key answers and the journal are kept under, without opening the
/// service: a file's absolute path, else the reference as typed.
pub fn reference_key(text: &str) -> String {
    let path = text.strip_prefix("file:").unwrap_or(text);
    if text.starts_with("file:") || musync_files::Format::from_path(path.as_ref()).is_some() {
        musync_engine::file_reference(path.as_ref())
    } else {
        text.to_owned()
    }
}

/// A side that could not be opened: a reference musync does not understand
/// is a usage error (exit 2), anything else a failure.
pub fn side_error(e: musync_core::ServiceError) -> anyhow::Error {
    if e.kind == ErrorKind::InvalidInput && e.service == "musync" {
        let hint = e.hint.map(|h| format!("\nhint: {h}")).unwrap_or_default();
        return UsageError(format!("{}{hint}", e.message)).into();
    }
    e.into()
}
