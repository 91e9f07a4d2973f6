//! Playlist files in musync's service registry. A file needs no sign-in:
//! it is named by its path, or kept as an account (the wizard does that, so
//! a file can be picked like any playlist) whose `path` setting names it.

use crate::FileService;
use musync_core::{
    Account, Capabilities, Checked, ErrorKind, SecretStore, Service, ServiceError, ServiceInfo,
    ServiceKind,
};
use std::sync::Arc;

/// Playlist files' short and display names.
pub const KIND: ServiceKind = ServiceKind::new("file", "Playlist file");

/// A file accepts any track as it is: nothing to search, so planning adds
/// the source itself, id included (the file keeps where the song is: a
/// path, a URL, a `spotify:track:` URI, wherever its format has a place).
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: false,
    search_isrc: false,
    track_isrc: false,
    add_tracks: true,
    add_unlisted: true,
    create_playlist: false,
    add_max_batch: None,
    remove_tracks: true,
    remove_max_batch: None,
    playlist_max_tracks: None,
    library_playlist: None,
};

/// Playlist files in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "M3U8, XSPF, CSV (Exportify columns) or musync JSON on disk",
    sign_in_help: "No sign-in: name the file. One that does not exist yet is created by the \
                   first sync into it.",
    capabilities: CAPABILITIES,
    options: &[],
    playlist_link: None,
    sign_in: None,
    open: open_account,
};

fn open_account(
    account: &Account,
    _secrets: Arc<dyn SecretStore>,
) -> Result<Arc<dyn Service>, ServiceError> {
    let path = account
        .settings
        .get("path")
        .and_then(|p| p.as_str())
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                KIND.display_name(),
                "opening an account",
                format!("account {} names no file path", account.id),
            )
            .with_hint(format!("remove it: musync accounts remove {}", account.id))
        })?;
    Ok(Arc::new(Checked(FileService::open_or_new(path)?)))
}
