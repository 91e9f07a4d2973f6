//! The registry of musync services (rclone's `RegInfo`): what each service
//! is and can do, how to open an account's service with its secrets, and
//! the sign-in flows that create accounts. The CLI and the web wizard both
//! go through here, so they never disagree about a service.
#![warn(missing_docs)]

pub mod signin;

use musync_core::{
    Account, AccountId, Checked, NewAccount, SecretStore, Service, ServiceError, ServiceKind,
};
use musync_store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

/// What people and menus need to know about a service before opening it.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ServiceInfo {
    /// The service.
    pub kind: ServiceKind,
    /// Name shown to people.
    pub name: &'static str,
    /// One line on what musync does with it.
    pub description: &'static str,
    /// Nothing is ever written to it.
    pub read_only: bool,
    /// Environment variables that point it at another host.
    pub endpoint_env: &'static [&'static str],
}

/// Every service musync knows, in menu order.
pub const SERVICES: &[ServiceInfo] = &[
    ServiceInfo {
        kind: ServiceKind::Amazon,
        name: "Amazon Music",
        description: "My Music and your own playlists, read-only (private web-player API)",
        read_only: true,
        endpoint_env: &["MUSYNC_AMAZON_URL", "MUSYNC_BROWSER"],
    },
    ServiceInfo {
        kind: ServiceKind::Lastfm,
        name: "Last.fm",
        description: "loved tracks (read and write) and recent tracks (read)",
        read_only: false,
        endpoint_env: &["MUSYNC_LASTFM_API_URL", "MUSYNC_LASTFM_AUTH_URL"],
    },
    ServiceInfo {
        kind: ServiceKind::Spotify,
        name: "Spotify",
        description: "your playlists and Liked Songs (read and write)",
        read_only: false,
        endpoint_env: &["MUSYNC_SPOTIFY_API_URL", "MUSYNC_SPOTIFY_ACCOUNTS_URL"],
    },
    ServiceInfo {
        kind: ServiceKind::File,
        name: "Playlist file",
        description: "M3U8, XSPF, CSV (Exportify columns) or musync JSON on disk",
        read_only: false,
        endpoint_env: &[],
    },
];

/// The registry entry of `kind`.
pub fn info(kind: ServiceKind) -> &'static ServiceInfo {
    SERVICES
        .iter()
        .find(|i| i.kind == kind)
        .expect("every ServiceKind has a registry entry")
}

/// Opens the service behind a stored account, wrapped so calls outside its
/// declared capabilities fail uniformly.
pub fn open_account(
    account: &Account,
    secrets: Arc<dyn SecretStore>,
) -> Result<Arc<dyn Service>, ServiceError> {
    Ok(match account.service {
        ServiceKind::Amazon => Arc::new(Checked(musync_amazon::AmazonService::open(
            account, secrets,
        )?)),
        ServiceKind::Lastfm => Arc::new(Checked(musync_lastfm::LastfmService::open(
            account, secrets,
        )?)),
        ServiceKind::Spotify => Arc::new(Checked(musync_spotify::SpotifyService::open(
            account, secrets,
        )?)),
        // A playlist file kept as an account (the wizard does this so a
        // file can be picked like any playlist): its path is the setting.
        ServiceKind::File => {
            let path = account
                .settings
                .get("path")
                .and_then(|p| p.as_str())
                .ok_or_else(|| {
                    ServiceError::new(
                        musync_core::ErrorKind::InvalidInput,
                        "Playlist file",
                        "opening an account",
                        format!("account {} names no file path", account.id),
                    )
                    .with_hint(format!("remove it: musync accounts remove {}", account.id))
                })?;
            return open_file(Path::new(path), true);
        }
    })
}

/// Opens a playlist file. With `create_missing`, a file that does not exist
/// is an empty playlist created on the first add.
pub fn open_file(path: &Path, create_missing: bool) -> Result<Arc<dyn Service>, ServiceError> {
    let service = if create_missing {
        musync_files::FileService::open_or_new(path)?
    } else {
        musync_files::FileService::open(path)?
    };
    Ok(Arc::new(Checked(service)))
}

/// Stores a signed-in account and its secrets. Secrets are written first,
/// so an account is never listed without the secrets it needs.
pub fn remember(
    store: &Store,
    secrets: &dyn SecretStore,
    new: NewAccount,
) -> Result<Account, RegistryError> {
    for (key, value) in &new.secrets {
        secrets
            .set(&new.account.id, key, value)
            .map_err(|e| RegistryError::Secrets(new.account.id.clone(), e))?;
    }
    store.upsert_account(&new.account)?;
    tracing::info!(account = %new.account.id, backend = secrets.backend(), "account stored");
    Ok(new.account)
}

/// Forgets an account and deletes every secret of it. Returns false when
/// there was no such account.
pub fn forget(
    store: &Store,
    secrets: &dyn SecretStore,
    id: &AccountId,
) -> Result<bool, RegistryError> {
    secrets
        .delete_account(id)
        .map_err(|e| RegistryError::Secrets(id.clone(), e))?;
    Ok(store.remove_account(id)?)
}

/// Failures while storing or forgetting accounts.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The state database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The secret store failed.
    #[error("could not store or delete the secrets of {0}: {1}")]
    Secrets(AccountId, std::io::Error),
}
