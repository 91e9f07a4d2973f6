//! Where secrets (session keys, cookies, tokens) live: the OS keyring when a
//! working Secret Service is running, else a 0600 JSON file in the data dir
//! (headless servers, CI). Both implement [`musync_core::SecretStore`].
//!
//! The choice is made once per process by [`open_secret_store`] and logged at
//! `info`; a secret value is never logged, printed by `Debug`, or put into an
//! error message (not even a parser's, which may quote the text it choked on).

mod file;
mod os_keyring;

pub use file::FileSecretStore;
pub use os_keyring::KeyringSecretStore;

use crate::fsutil;
use musync_core::SecretStore;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// Environment variable that forces a backend: `keyring` or `file`.
pub const SECRET_BACKEND_ENV: &str = "MUSYNC_SECRET_BACKEND";

/// Where secrets are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretBackend {
    /// The OS keyring (Secret Service on Linux).
    Keyring,
    /// `secrets.json` (0600) in the data dir.
    File,
}

impl SecretBackend {
    /// Parses `keyring` or `file` (as in [`SECRET_BACKEND_ENV`]).
    pub fn parse(s: &str) -> Option<SecretBackend> {
        match s.trim().to_ascii_lowercase().as_str() {
            "keyring" => Some(SecretBackend::Keyring),
            "file" => Some(SecretBackend::File),
            _ => None,
        }
    }
}

/// The secret store for `data_dir`: the backend forced by
/// `MUSYNC_SECRET_BACKEND`, else the keyring if a probe (store, read and
/// delete a test entry) succeeds, else the file. Logs the choice.
pub fn open_secret_store(data_dir: &Path) -> Arc<dyn SecretStore> {
    let forced = std::env::var(SECRET_BACKEND_ENV).ok();
    choose(data_dir, forced.as_deref(), KeyringSecretStore::probe)
}

/// The decision of [`open_secret_store`], with the environment and the
/// keyring probe passed in so tests can drive every branch.
pub(crate) fn choose(
    data_dir: &Path,
    forced: Option<&str>,
    probe: impl FnOnce() -> Result<(), String>,
) -> Arc<dyn SecretStore> {
    let forced = forced.filter(|v| !v.trim().is_empty());
    match forced.map(|v| (v, SecretBackend::parse(v))) {
        Some((_, Some(SecretBackend::File))) => {
            let store = FileSecretStore::new(data_dir);
            tracing::info!(
                backend = "file",
                path = %store.path().display(),
                "secrets: using the file store (forced by {SECRET_BACKEND_ENV})"
            );
            Arc::new(store)
        }
        Some((_, Some(SecretBackend::Keyring))) => {
            if let Err(reason) = probe() {
                tracing::warn!(
                    backend = "keyring",
                    "secrets: {SECRET_BACKEND_ENV}=keyring but the keyring does not work \
                     ({reason}); reading and saving sign-ins will fail"
                );
            } else {
                tracing::info!(
                    backend = "keyring",
                    "secrets: using the OS keyring (forced by {SECRET_BACKEND_ENV})"
                );
            }
            Arc::new(KeyringSecretStore::new(data_dir))
        }
        other => {
            if let Some((value, None)) = other {
                tracing::warn!(
                    "secrets: ignoring {SECRET_BACKEND_ENV}={value:?} (expected keyring or \
                     file); choosing automatically"
                );
            }
            match probe() {
                Ok(()) => {
                    tracing::info!(backend = "keyring", "secrets: using the OS keyring");
                    Arc::new(KeyringSecretStore::new(data_dir))
                }
                Err(reason) => {
                    let store = FileSecretStore::new(data_dir);
                    tracing::info!(
                        backend = "file",
                        path = %store.path().display(),
                        "secrets: no working OS keyring ({reason}); using a 0600 file"
                    );
                    Arc::new(store)
                }
            }
        }
    }
}

/// Reads a private JSON file; a missing file reads as `T::default()`. A file
/// others can read is warned about and made 0600. Parse errors give only the
/// position, never the text (it may be a secret).
pub(crate) fn load_private_json<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
) -> io::Result<T> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(T::default()),
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!("{}: cannot read the {what}: {e}", path.display()),
            ));
        }
    };
    match fsutil::ensure_private(path) {
        Ok(true) => tracing::warn!(
            path = %path.display(),
            "the {what} could be read by other users; its permissions are now 0600"
        ),
        Ok(false) => {}
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{}: the {what} can be read by other users and its permissions cannot \
                     be fixed ({e}); run: chmod 600 '{}'",
                    path.display(),
                    path.display()
                ),
            ));
        }
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: the {what} is not valid (line {}, column {}); fix it, or delete it and \
                 sign in again",
                path.display(),
                e.line(),
                e.column()
            ),
        )
    })
}

/// Writes a private JSON file atomically (0600; the directory 0700 if new).
pub(crate) fn save_private_json<T: Serialize>(
    path: &Path,
    what: &str,
    value: &T,
) -> io::Result<()> {
    let context = |e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("{}: cannot save the {what}: {e}", path.display()),
        )
    };
    if let Some(dir) = path.parent() {
        fsutil::create_private_dir(dir).map_err(context)?;
    }
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|_| io::Error::other(format!("{}: cannot encode the {what}", path.display())))?;
    bytes.push(b'\n');
    fsutil::write_private_atomic(path, &bytes).map_err(context)
}

#[cfg(test)]
mod tests;
