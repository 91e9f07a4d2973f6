//! Where playlists come from: stored accounts (Amazon Music, Last.fm,
//! Spotify) and local playlist files the person added on the accounts page.
//!
//! A playlist file is kept as an account of kind `file` whose settings hold
//! its absolute path, so both live in one list with one remove button.
//! Sides are opened by the engine's [`musync_engine::Opener`] from the
//! reference the CLI would take (`ACCOUNT:PLAYLIST` or the file's path), so
//! both front ends show one label per reference; the opener keeps each
//! account's service for the server's life (token renewal, Amazon's csrf).

use crate::state::AppState;
use musync_core::{Account, AccountId, ErrorKind, Playlist, ServiceError};
use musync_engine::{Role, Side, file_reference};
use std::path::{Path, PathBuf};

/// A source as lists show it.
#[derive(Clone, Debug)]
pub struct Source {
    /// The stored account.
    pub account: Account,
    /// Nothing can be added to it.
    pub read_only: bool,
}

impl Source {
    /// The path of a playlist file source.
    pub fn path(&self) -> Option<PathBuf> {
        file_path(&self.account)
    }

    /// `Spotify — Alice`, for menus (just the name when it already says
    /// the service, as Amazon's `Amazon Music (music.amazon.de)` does).
    pub fn label(&self) -> String {
        let service = musync_services::display_name(&self.account.service);
        if self.account.name.starts_with(service.as_str()) {
            self.account.name.clone()
        } else {
            format!("{service} — {}", self.account.name)
        }
    }
}

fn file_path(account: &Account) -> Option<PathBuf> {
    (account.service == musync_files::KIND)
        .then(|| account.settings.get("path").and_then(|p| p.as_str()))
        .flatten()
        .map(PathBuf::from)
}

/// Every source, in the store's order (by id).
pub fn list(app: &AppState) -> Result<Vec<Source>, musync_store::StoreError> {
    Ok(app
        .store()
        .accounts()?
        .into_iter()
        .map(|account| Source {
            read_only: musync_services::is_read_only(&account.service),
            account,
        })
        .collect())
}

/// The source `id`, or a message naming what to do.
pub fn get(app: &AppState, id: &str) -> Result<Source, ServiceError> {
    let account = app
        .store()
        .account(&AccountId::new(id))
        .map_err(ServiceError::from)?
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::NotFound,
                "musync",
                "choosing an account",
                format!("there is no account `{id}` (removed meanwhile?); choose another one"),
            )
        })?;
    Ok(Source {
        read_only: musync_services::is_read_only(&account.service),
        account,
    })
}

/// The playlists of a source, for the menus (an account's list is reused
/// for a few minutes; a file is read every time). Services come from the
/// engine's [`musync_engine::Opener`], as they do for the CLI.
pub async fn playlists(app: &AppState, id: &str) -> Result<Vec<Playlist>, ServiceError> {
    let source = get(app, id)?;
    if let Some(path) = source.path() {
        let side = app
            .opener()
            .side(app.store(), &file_reference(&path), Role::Write)
            .await?;
        return side.service.playlists().await;
    }
    if let Some(list) = app.cached_playlists(id) {
        return Ok(list);
    }
    let list = app.opener().service(&source.account)?.playlists().await?;
    app.cache_playlists(id, &list);
    Ok(list)
}

/// The reference the CLI would use for a pick (`ACCOUNT:PLAYLIST`, or a
/// file's absolute path), so remembered answers and labels are shared.
pub fn reference(source: &Source, playlist: &str) -> String {
    match source.path() {
        Some(path) => file_reference(&path),
        None => format!("{}:{playlist}", source.account.id),
    }
}

/// Opens one side of a comparison through the engine's opener, from the
/// same reference the CLI takes. Either side may receive songs, so a
/// missing file is opened to be created.
pub async fn side(app: &AppState, source_id: &str, playlist: &str) -> Result<Side, ServiceError> {
    let source = get(app, source_id)?;
    app.opener()
        .side(app.store(), &reference(&source, playlist), Role::Write)
        .await
}

/// Why a playlist file could not be added; the message is shown as is.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AddFileError(pub String);

/// Checks a path typed by the person and stores it as a file source.
/// A missing file is fine (it is created by the first sync into it) when
/// its folder exists; an existing one must read as a playlist.
pub async fn add_file(app: &AppState, typed: &str) -> Result<Account, AddFileError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(AddFileError("Type the path of a playlist file.".into()));
    }
    let expanded = expand_home(typed);
    let path = std::path::absolute(&expanded).unwrap_or(expanded);
    if musync_files::Format::from_path(&path).is_none() {
        return Err(AddFileError(format!(
            "{} is not a playlist file musync knows: use a name ending in .m3u8, .m3u, .xspf, \
             .csv or .json",
            path.display()
        )));
    }
    let side = app
        .opener()
        .side(app.store(), &file_reference(&path), Role::Write)
        .await
        .map_err(|e| AddFileError(e.to_string()))?;
    // Reading it proves an existing file is a playlist (a missing one
    // reads as empty).
    side.service
        .playlists()
        .await
        .map_err(|e| AddFileError(e.to_string()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let account = Account {
        id: AccountId::new(file_id(&path)),
        service: musync_files::KIND.into(),
        name,
        settings: serde_json::json!({ "path": path.display().to_string() }),
    };
    app.store()
        .upsert_account(&account)
        .map_err(|e| AddFileError(format!("could not save it: {e}")))?;
    tracing::info!(target: "musync_web", path = %path.display(), "playlist file added");
    Ok(account)
}

/// `~/x` → `$HOME/x`.
fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(typed),
    }
}

/// `file-<stem>-<hash>`: readable, and unique per path.
pub fn file_id(path: &Path) -> String {
    let stem: String = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    let stem: String = stem.chars().take(32).collect();
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.to_string_lossy().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("file-{stem}-{:06x}", h & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_are_readable_and_differ_per_path() {
        let a = file_id(Path::new("/music/Road Trip.m3u8"));
        assert!(a.starts_with("file-road-trip-"), "{a}");
        assert_eq!(a, file_id(Path::new("/music/Road Trip.m3u8")));
        assert_ne!(a, file_id(Path::new("/other/Road Trip.m3u8")));
    }
}
