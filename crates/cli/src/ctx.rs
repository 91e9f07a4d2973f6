//! Resolved arguments: the state store, the secret store, and services and
//! sides built from playlist references (ripgrep's "high" args).

use crate::UsageError;
use crate::progress::Bar;
use anyhow::{Context, Result};
use musync_core::{Account, AccountId, PlaylistId, SecretStore, Service};
use musync_engine::{Comparison, Side};
use musync_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything a command needs that is not in its own arguments.
pub struct Ctx {
    pub store: Store,
    data_dir: PathBuf,
    /// Opened on first use: choosing the backend probes the OS keyring,
    /// which commands on files alone never need.
    secrets: std::sync::OnceLock<Arc<dyn SecretStore>>,
}

/// A parsed playlist reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaylistRef {
    /// `ACCOUNT:PLAYLIST`.
    Account(AccountId, PlaylistId),
    /// A playlist file.
    File(PathBuf),
}

impl Ctx {
    /// Opens the state in `data_dir` (default: the platform data dir).
    pub fn open(data_dir: Option<PathBuf>) -> Result<Ctx> {
        let dir = data_dir.unwrap_or_else(musync_store::default_data_dir);
        let store = Store::open(&dir)?;
        Ok(Ctx {
            store,
            data_dir: dir,
            secrets: std::sync::OnceLock::new(),
        })
    }

    /// The secret store (OS keyring or the 0600 file).
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets
            .get_or_init(|| musync_store::open_secret_store(&self.data_dir))
            .clone()
    }

    /// The account `id`, or an error telling how to find the right id.
    pub fn account(&self, id: &str) -> Result<Account> {
        self.store
            .account(&AccountId::new(id))?
            .ok_or_else(|| unknown_account(id))
    }

    /// The service behind an account.
    pub fn service(&self, account: &Account) -> Result<Arc<dyn Service>> {
        Ok(musync_services::open_account(account, self.secrets())?)
    }

    /// Parses `ACCOUNT:PLAYLIST`, `file:PATH` or a path with a playlist
    /// file extension.
    pub fn parse_ref(&self, text: &str) -> Result<PlaylistRef> {
        if let Some(path) = text.strip_prefix("file:") {
            return file_ref(path);
        }
        if let Some((account, playlist)) = text.split_once(':')
            && self.store.account(&AccountId::new(account))?.is_some()
        {
            if playlist.is_empty() {
                return Err(UsageError(format!(
                    "`{text}` names no playlist; see `musync playlists {account}`"
                ))
                .into());
            }
            return Ok(PlaylistRef::Account(
                AccountId::new(account),
                PlaylistId::new(playlist),
            ));
        }
        if musync_files::Format::from_path(Path::new(text)).is_some() {
            return file_ref(text);
        }
        if let Some((account, _)) = text.split_once(':') {
            return Err(unknown_account(account));
        }
        Err(UsageError(format!(
            "`{text}` is not a playlist: use ACCOUNT:PLAYLIST (see `musync accounts list`) or a \
             file ending in .m3u8, .m3u, .xspf, .csv or .json"
        ))
        .into())
    }

    /// Reads one side's tracks, with a progress bar.
    pub async fn read(&self, side: &Side) -> Result<Vec<musync_core::Track>> {
        let bar = Bar::new("reading");
        let tracks = side.service.tracks(&side.playlist, &bar).await;
        bar.finish();
        Ok(tracks?)
    }

    /// Reads and diffs two sides, with a progress bar for each.
    pub async fn compare(&self, left: &Side, right: &Side) -> Result<Comparison> {
        let (lbar, rbar) = Bar::pair("left", "right");
        let cmp = musync_engine::compare(left, right, &self.store, &lbar, &rbar).await;
        lbar.finish();
        rbar.finish();
        Ok(cmp?)
    }

    /// Builds one side of a comparison. `create_missing` lets a file that
    /// does not exist yet be a target (it is created on the first add).
    pub async fn side(&self, text: &str, create_missing: bool) -> Result<Side> {
        match self.parse_ref(text)? {
            PlaylistRef::File(path) => {
                let service = musync_services::open_file(&path, create_missing)?;
                let reference = file_reference(&path);
                Ok(Side {
                    service,
                    playlist: PlaylistId::new(path.display().to_string()),
                    reference,
                    writable: true,
                    label: path.display().to_string(),
                })
            }
            PlaylistRef::Account(account_id, playlist) => {
                let account = self.account(account_id.as_str())?;
                let service = self.service(&account)?;
                let listed = service
                    .playlists()
                    .await
                    .with_context(|| format!("listing the playlists of {account_id}"))?;
                let found = listed.iter().find(|p| p.id == playlist).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{account_id} has no playlist `{playlist}`; see `musync playlists {account_id}`"
                    )
                })?;
                Ok(Side {
                    writable: found.writable,
                    label: format!("{}: {}", service.kind().display_name(), found.name),
                    reference: account_reference(&account_id, &playlist),
                    service,
                    playlist,
                })
            }
        }
    }
}

impl PlaylistRef {
    /// The key remembered decisions and the journal are kept under.
    pub fn reference(&self) -> String {
        match self {
            PlaylistRef::Account(account, playlist) => account_reference(account, playlist),
            PlaylistRef::File(path) => file_reference(path),
        }
    }
}

fn account_reference(account: &AccountId, playlist: &PlaylistId) -> String {
    format!("{account}:{playlist}")
}

/// A file's absolute path, so a file named from another folder is the
/// same target.
fn file_reference(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn file_ref(path: &str) -> Result<PlaylistRef> {
    let p = PathBuf::from(path);
    if musync_files::Format::from_path(&p).is_none() {
        return Err(UsageError(format!(
            "`{path}` has no playlist file extension (.m3u8, .m3u, .xspf, .csv, .json)"
        ))
        .into());
    }
    Ok(PlaylistRef::File(p))
}

fn unknown_account(id: &str) -> anyhow::Error {
    anyhow::anyhow!("no account `{id}`; `musync accounts list` shows the accounts musync knows")
}
