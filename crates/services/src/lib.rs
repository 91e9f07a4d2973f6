//! The registry of musync services (rclone's `RegInfo`): what each service
//! is and can do, how to open an account's service with its secrets, and
//! the sign-in flows that create accounts. The CLI and the web wizard both
//! go through here, so they never disagree about a service.
#![warn(missing_docs)]

use musync_core::{Account, AccountId, ErrorKind, NewAccount, SecretStore, Service, ServiceError};
pub use musync_core::{OptionInfo, OptionInput, ServiceInfo, SignInRequest};
use musync_store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

/// Every service musync knows, in menu order. Adding a service is one line
/// here (its crate declares the entry).
pub static SERVICES: &[&ServiceInfo] = &[
    &musync_amazon::INFO,
    &musync_lastfm::INFO,
    &musync_spotify::INFO,
    &musync_subsonic::INFO,
    &musync_mpd::INFO,
    &musync_tidal::INFO,
    &musync_ytmusic::INFO,
    &musync_files::INFO,
];

/// The registry entry named `name` (`spotify`), if musync knows it.
pub fn find(name: &str) -> Option<&'static ServiceInfo> {
    SERVICES.iter().copied().find(|i| i.kind.as_str() == name)
}

/// The name people see for a stored account's service (its short name when
/// this musync does not know it).
pub fn display_name(service: &musync_core::ServiceName) -> String {
    find(service.as_str()).map_or_else(|| service.to_string(), |i| i.kind.display_name().to_owned())
}

/// Whether nothing can be written to the service (an unknown service
/// counts as read-only: musync never writes what it does not know).
pub fn is_read_only(service: &musync_core::ServiceName) -> bool {
    find(service.as_str()).is_none_or(|i| i.read_only())
}

/// The registry entry of a stored account's service, or an error saying
/// this musync does not know it (an account added by a newer version).
pub fn info_of(account: &Account) -> Result<&'static ServiceInfo, ServiceError> {
    find(account.service.as_str()).ok_or_else(|| {
        ServiceError::new(
            ErrorKind::Unsupported,
            "musync",
            "opening an account",
            format!(
                "account {} belongs to the service `{}`, which this musync does not know",
                account.id, account.service
            ),
        )
        .with_hint("update musync, or remove the account: musync accounts remove ACCOUNT")
    })
}

/// Opens the service behind a stored account, wrapped so calls outside its
/// declared capabilities fail uniformly.
pub fn open_account(
    account: &Account,
    secrets: Arc<dyn SecretStore>,
) -> Result<Arc<dyn Service>, ServiceError> {
    (info_of(account)?.open)(account, secrets)
}

/// Runs the sign-in flow of `info` with what the person gave.
pub async fn sign_in(
    info: &'static ServiceInfo,
    request: SignInRequest,
) -> Result<NewAccount, ServiceError> {
    let flow = info.sign_in.ok_or_else(|| {
        ServiceError::new(
            ErrorKind::InvalidInput,
            info.kind.display_name(),
            "signing in",
            format!("{} needs no account: name the file itself", info.kind),
        )
    })?;
    flow(request).await
}

/// Opens a playlist file. With `create_missing`, a file that does not exist
/// is an empty playlist created on the first add.
pub fn open_file(path: &Path, create_missing: bool) -> Result<Arc<dyn Service>, ServiceError> {
    let service = if create_missing {
        musync_files::FileService::open_or_new(path)?
    } else {
        musync_files::FileService::open(path)?
    };
    Ok(Arc::new(musync_core::Checked(service)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_read_only_follows_capabilities() {
        let mut names: Vec<&str> = SERVICES.iter().map(|i| i.kind.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SERVICES.len());
        assert!(find("amazon").unwrap().read_only());
        assert!(!find("spotify").unwrap().read_only());
        assert!(find("nope").is_none());
        for info in SERVICES {
            assert!(
                !info.kind.as_str().contains(':'),
                "ids use `:` between account and playlist"
            );
        }
    }

    #[test]
    fn the_readme_lists_every_service_and_its_endpoint_variables() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"));
        let table: String = readme
            .lines()
            .skip_while(|l| !l.starts_with("| service"))
            .take_while(|l| l.starts_with('|'))
            .collect();
        for info in SERVICES {
            let name = info.kind.display_name();
            let shown = if info.kind == musync_files::KIND {
                "Playlist files"
            } else {
                name
            };
            assert!(table.contains(shown), "README's service table lacks {name}");
            let endpoints = info.options.iter().filter(|o| o.input == OptionInput::Env);
            for env in endpoints.filter_map(|o| o.env) {
                assert!(readme.contains(env), "README never names {env} ({name})");
            }
        }
    }

    #[test]
    fn an_unknown_service_is_named_with_a_way_out() {
        let account = Account {
            id: AccountId::new("tape-1"),
            service: musync_core::ServiceName("tape".into()),
            name: "x".into(),
            settings: serde_json::Value::Null,
        };
        let err = open_account(&account, Arc::new(musync_core::MemorySecretStore::new()))
            .err()
            .expect("unknown service");
        assert!(err.to_string().contains("`tape`"), "{err}");
        assert!(err.hint.unwrap().contains("accounts remove"));
    }
}
