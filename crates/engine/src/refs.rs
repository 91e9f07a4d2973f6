//! Playlist references, one format for every front end, and opening them
//! as sides of a sync.
//!
//! A reference is `ACCOUNT:PLAYLIST` (PLAYLIST an id or a playlist's exact
//! name, case-insensitive), a share link or URI a service gives out
//! (`https://open.spotify.com/playlist/ID`, `spotify:playlist:ID` …), or a
//! playlist file path (`.m3u8`, `.m3u`, `.xspf`, `.csv`, `.json`, optionally
//! prefixed `file:`). Decisions and the journal are keyed by
//! [`Side::reference`]: `ACCOUNT:PLAYLIST-ID`, or a file's absolute path, so
//! the CLI and the wizard share them.

use crate::Side;
use musync_core::{
    Account, AccountId, ErrorKind, Playlist, PlaylistId, SecretStore, Service, ServiceError,
};
use musync_store::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What a side is for: a file that does not exist may only be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Only read (a missing file is an error).
    Read,
    /// Written (a missing file is created by the first add).
    Write,
}

/// Opens accounts and sides. Services are kept for the opener's life, so a
/// service's session (token renewal, Amazon's csrf) is reused; the wizard
/// keeps one for the server's life, the CLI one per command.
pub struct Opener {
    secrets: Box<dyn Fn() -> Arc<dyn SecretStore> + Send + Sync>,
    opened_secrets: OnceLock<Arc<dyn SecretStore>>,
    services: Mutex<HashMap<AccountId, Arc<dyn Service>>>,
}

impl Opener {
    /// An opener whose secret store is made on first use (choosing the
    /// backend probes the OS keyring, which commands on files never need).
    pub fn new(secrets: impl Fn() -> Arc<dyn SecretStore> + Send + Sync + 'static) -> Self {
        Opener {
            secrets: Box::new(secrets),
            opened_secrets: OnceLock::new(),
            services: Mutex::new(HashMap::new()),
        }
    }

    /// The secret store.
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        self.opened_secrets.get_or_init(|| (self.secrets)()).clone()
    }

    /// The service behind an account (kept for later calls).
    pub fn service(&self, account: &Account) -> Result<Arc<dyn Service>, ServiceError> {
        let mut open = self.services.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = open.get(&account.id) {
            return Ok(s.clone());
        }
        let s = musync_services::open_account(account, self.secrets())?;
        open.insert(account.id.clone(), s.clone());
        Ok(s)
    }

    /// Forgets an opened service (after its account was removed or signed
    /// in again).
    pub fn forget(&self, account: &AccountId) {
        let mut open = self.services.lock().unwrap_or_else(|e| e.into_inner());
        open.remove(account);
    }

    /// The stored account `id`, or an error saying how to find the right one.
    pub fn account(&self, store: &Store, id: &str) -> Result<Account, ServiceError> {
        store
            .account(&AccountId::new(id))
            .map_err(ServiceError::from)?
            .ok_or_else(|| unknown_account(id))
    }

    /// Opens the side a reference names. A file that does not exist is an
    /// error when only read; when written, it is created by the first add
    /// and [`Side::missing_file`] says so, for the front end to announce.
    pub async fn side(&self, store: &Store, text: &str, role: Role) -> Result<Side, ServiceError> {
        let text = text.trim();
        if let Some(path) = file_path(text) {
            return open_file(&path, role);
        }
        if let Some((account, playlist)) = self.link(store, text).await? {
            return self.account_side(store, account, &playlist).await;
        }
        if let Some((account, playlist)) = text.split_once(':')
            && let Some(account) = store
                .account(&AccountId::new(account))
                .map_err(ServiceError::from)?
        {
            if playlist.trim().is_empty() {
                return Err(invalid(format!(
                    "`{text}` names no playlist; see `musync playlists {}`",
                    account.id
                )));
            }
            return self.account_side(store, account, playlist).await;
        }
        if let Some((account, _)) = text.split_once(':')
            && !account.contains(['/', '\\', '.'])
        {
            return Err(unknown_account(account));
        }
        Err(invalid(format!(
            "`{text}` is not a playlist: use ACCOUNT:PLAYLIST (see `musync accounts list`), a \
             service's share link, or a file ending in .m3u8, .m3u, .xspf, .csv or .json"
        )))
    }

    /// A share link or URI of a service musync knows: the account of that
    /// service that can see it, and the playlist id.
    async fn link(
        &self,
        store: &Store,
        text: &str,
    ) -> Result<Option<(Account, String)>, ServiceError> {
        let Some((info, id)) = musync_services::SERVICES.iter().find_map(|info| {
            let parse = info.playlist_link?;
            parse(text).map(|id| (*info, id))
        }) else {
            return Ok(None);
        };
        let accounts: Vec<Account> = store
            .accounts()
            .map_err(ServiceError::from)?
            .into_iter()
            .filter(|a| a.service == info.kind)
            .collect();
        let name = info.kind.as_str();
        match accounts.len() {
            0 => Err(invalid(format!(
                "`{text}` is a {} playlist, and musync has no {} account",
                info.kind, info.kind
            ))
            .with_hint(format!("sign in first: musync accounts add {name}"))),
            1 => Ok(accounts.into_iter().next().map(|a| (a, id))),
            _ => {
                // Several accounts: the one that lists the playlist.
                for account in accounts {
                    let service = self.service(&account)?;
                    if service
                        .playlists()
                        .await?
                        .iter()
                        .any(|p| p.id.as_str() == id)
                    {
                        return Ok(Some((account, id)));
                    }
                }
                Err(invalid(format!(
                    "none of your {} accounts can see the playlist of `{text}`",
                    info.kind
                )))
            }
        }
    }

    async fn account_side(
        &self,
        store: &Store,
        account: Account,
        playlist: &str,
    ) -> Result<Side, ServiceError> {
        let _ = store;
        let service = self.service(&account)?;
        let listed = service.playlists().await?;
        let found = find_playlist(&listed, &account.id, playlist)?;
        Ok(Side {
            writable: found.writable,
            label: format!("{}: {}", service.kind().display_name(), found.name),
            reference: format!("{}:{}", account.id, found.id),
            service,
            playlist: found.id.clone(),
            missing_file: false,
        })
    }
}

/// The playlist `wanted` names: an id, else the one playlist with that
/// name (case-insensitive, trimmed).
pub fn find_playlist<'a>(
    listed: &'a [Playlist],
    account: &AccountId,
    wanted: &str,
) -> Result<&'a Playlist, ServiceError> {
    if let Some(p) = listed.iter().find(|p| p.id.as_str() == wanted) {
        return Ok(p);
    }
    let by_name: Vec<&Playlist> = listed
        .iter()
        .filter(|p| same_name(&p.name, wanted))
        .collect();
    match by_name.as_slice() {
        [one] => Ok(one),
        [] => Err(ServiceError::new(
            ErrorKind::NotFound,
            "musync",
            "finding the playlist",
            format!("{account} has no playlist `{wanted}`"),
        )
        .with_hint(format!("see `musync playlists {account}`"))),
        many => {
            let ids: Vec<String> = many.iter().map(|p| format!("{account}:{}", p.id)).collect();
            Err(invalid(format!(
                "{account} has {} playlists named `{wanted}`: {}",
                many.len(),
                ids.join(", ")
            ))
            .with_hint("name one by its id"))
        }
    }
}

/// Playlist names compare case-insensitively, trimmed.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The path a reference names, if it names a file.
fn file_path(text: &str) -> Option<PathBuf> {
    if let Some(path) = text.strip_prefix("file:") {
        return Some(PathBuf::from(path));
    }
    musync_files::Format::from_path(Path::new(text)).map(|_| PathBuf::from(text))
}

fn open_file(path: &Path, role: Role) -> Result<Side, ServiceError> {
    if musync_files::Format::from_path(path).is_none() {
        return Err(invalid(format!(
            "`{}` has no playlist file extension (.m3u8, .m3u, .xspf, .csv, .json)",
            path.display()
        )));
    }
    let missing = !path.exists();
    if missing && role == Role::Read {
        return Err(ServiceError::new(
            ErrorKind::NotFound,
            musync_files::KIND.display_name(),
            "opening the playlist",
            format!("{} does not exist", path.display()),
        )
        .with_hint("check the path; only a playlist that is written to is created"));
    }
    let service = musync_services::open_file(path, role == Role::Write)?;
    Ok(Side {
        service,
        playlist: PlaylistId::new(path.display().to_string()),
        reference: file_reference(path),
        writable: true,
        label: path.display().to_string(),
        missing_file: missing,
    })
}

/// A file's absolute path, so a file named from another folder is the
/// same target.
pub fn file_reference(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn invalid(message: String) -> ServiceError {
    ServiceError::new(
        ErrorKind::InvalidInput,
        "musync",
        "reading the reference",
        message,
    )
}

fn unknown_account(id: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::NotFound,
        "musync",
        "finding the account",
        format!("no account `{id}`"),
    )
    .with_hint("`musync accounts list` shows the accounts musync knows")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pl(id: &str, name: &str) -> Playlist {
        Playlist {
            id: PlaylistId::new(id),
            name: name.into(),
            writable: true,
            track_count: None,
            owned: true,
        }
    }

    #[test]
    fn a_playlist_is_found_by_id_or_by_its_one_name() {
        let listed = [pl("a1", "Road trip"), pl("b2", "Chill"), pl("c3", "chill ")];
        let acc = AccountId::new("spotify-bob");
        assert_eq!(
            find_playlist(&listed, &acc, "a1").unwrap().id.as_str(),
            "a1"
        );
        assert_eq!(
            find_playlist(&listed, &acc, "road TRIP")
                .unwrap()
                .id
                .as_str(),
            "a1"
        );
        let err = find_playlist(&listed, &acc, "Chill").unwrap_err();
        assert!(
            err.to_string().contains("spotify-bob:b2, spotify-bob:c3"),
            "{err}"
        );
        let err = find_playlist(&listed, &acc, "Nope").unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(err.hint.unwrap().contains("musync playlists spotify-bob"));
    }

    #[test]
    fn a_missing_file_is_only_created_as_a_target() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nothere.csv");
        let err = open_file(&path, Role::Read).err().expect("missing");
        assert!(err.to_string().contains("does not exist"), "{err}");
        let side = open_file(&path, Role::Write).expect("target");
        assert!(side.missing_file);
        assert!(!path.exists(), "nothing is written by opening");
    }
}
