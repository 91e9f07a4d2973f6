//! Secrets in the OS keyring (Secret Service on Linux, via the `keyring`
//! crate), as service `musync` and user `<account>/<key>`.
//!
//! A keyring cannot list entries, so the keys stored for each account are
//! also recorded (names only, no values) in `data_dir/secret-keys.json`;
//! `delete_account` deletes exactly those. The index is written *before* the
//! keyring entry, so a failure leaves at worst an index name without a secret
//! (harmless), never a secret nobody will delete.
//!
//! Keyring errors are turned into messages here and never wrapped: some of
//! them carry the stored bytes.

use super::{SECRET_BACKEND_ENV, load_private_json, save_private_json};
use ::keyring::{Entry, Error as KeyringError};
use musync_core::{AccountId, Secret, SecretStore};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

/// How long the probe waits for the Secret Service (a locked keyring may
/// wait for a password prompt nobody will answer on a headless machine).
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Secrets in the OS keyring, with a key index in the data dir.
pub struct KeyringSecretStore {
    index_path: PathBuf,
    lock: Mutex<()>,
}

/// `{"version": 1, "accounts": {"ACCOUNT": ["KEY", …]}}` (names only).
#[derive(Serialize, Deserialize)]
struct KeyIndex {
    version: u32,
    #[serde(default)]
    accounts: BTreeMap<String, BTreeSet<String>>,
}

impl Default for KeyIndex {
    fn default() -> Self {
        KeyIndex {
            version: 1,
            accounts: BTreeMap::new(),
        }
    }
}

impl KeyringSecretStore {
    /// The keyring's service name for every musync entry.
    pub const SERVICE: &'static str = "musync";
    /// File name of the key index inside the data dir.
    pub const INDEX_FILE: &'static str = "secret-keys.json";

    /// The store, keeping its key index in `data_dir` (created on first set).
    pub fn new(data_dir: &Path) -> Self {
        KeyringSecretStore {
            index_path: data_dir.join(Self::INDEX_FILE),
            lock: Mutex::new(()),
        }
    }

    /// The keyring user name of a secret: `<account>/<key>`.
    pub fn user(account: &AccountId, key: &str) -> String {
        format!("{}/{key}", account.as_str())
    }

    /// Checks that a Secret Service is reachable and working by storing,
    /// reading back and deleting a test entry. Gives up after 5 seconds.
    pub fn probe() -> Result<(), String> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("musync-keyring-probe".into())
            .spawn(move || {
                let _ = tx.send(probe_now());
            })
            .map_err(|e| format!("cannot start the keyring probe: {e}"))?;
        match rx.recv_timeout(PROBE_TIMEOUT) {
            Ok(result) => result,
            Err(_) => Err(format!(
                "the Secret Service did not answer within {} s (locked?)",
                PROBE_TIMEOUT.as_secs()
            )),
        }
    }

    fn entry(account: &AccountId, key: &str) -> io::Result<Entry> {
        if let Err(e) = Entry::store_status() {
            return Err(keyring_io("reach", account, key, e));
        }
        Entry::new(Self::SERVICE, &Self::user(account, key))
            .map_err(|e| keyring_io("open", account, key, &e))
    }

    fn load_index(&self) -> io::Result<KeyIndex> {
        load_private_json(&self.index_path, "secret key index")
    }

    fn save_index(&self, index: &KeyIndex) -> io::Result<()> {
        save_private_json(&self.index_path, "secret key index", index)
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for KeyringSecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringSecretStore")
            .field("service", &Self::SERVICE)
            .field("index", &self.index_path)
            .finish()
    }
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, account: &AccountId, key: &str) -> io::Result<Option<Secret>> {
        match Self::entry(account, key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(keyring_io("read", account, key, &e)),
        }
    }

    fn set(&self, account: &AccountId, key: &str, value: &Secret) -> io::Result<()> {
        let _guard = self.locked();
        let mut index = self.load_index()?;
        let keys = index.accounts.entry(account.0.clone()).or_default();
        if keys.insert(key.to_owned()) {
            self.save_index(&index)?;
        }
        Self::entry(account, key)?
            .set_password(value.expose())
            .map_err(|e| keyring_io("save", account, key, &e))
    }

    fn delete_account(&self, account: &AccountId) -> io::Result<()> {
        let _guard = self.locked();
        let mut index = self.load_index()?;
        let Some(keys) = index.accounts.get(account.as_str()).cloned() else {
            return Ok(());
        };
        for key in &keys {
            match Self::entry(account, key)?.delete_credential() {
                Ok(()) | Err(KeyringError::NoEntry) => {}
                // Duplicates (e.g. made by another tool): delete them all.
                Err(KeyringError::Ambiguous(entries)) => {
                    for e in entries {
                        match e.delete_credential() {
                            Ok(()) | Err(KeyringError::NoEntry) => {}
                            Err(e) => return Err(keyring_io("delete", account, key, &e)),
                        }
                    }
                }
                Err(e) => return Err(keyring_io("delete", account, key, &e)),
            }
        }
        index.accounts.remove(account.as_str());
        self.save_index(&index)
    }

    fn backend(&self) -> &'static str {
        "keyring"
    }

    fn lock_account(&self, account: &AccountId) -> std::io::Result<musync_core::AccountLock> {
        let dir = self
            .index_path
            .parent()
            .unwrap_or(std::path::Path::new("."));
        crate::lock::lock_account(dir, account)
    }
}

/// One store/read/delete round trip with a throw-away entry.
fn probe_now() -> Result<(), String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    // The keyring crate connects once per process; its error says why.
    if let Err(e) = Entry::store_status() {
        return Err(describe(e));
    }
    let user = format!("musync-probe/{}-{nanos}", std::process::id());
    let entry = Entry::new(KeyringSecretStore::SERVICE, &user).map_err(|e| describe(&e))?;
    let value = "musync keyring probe";
    entry.set_password(value).map_err(|e| describe(&e))?;
    let back = entry.get_password();
    let deleted = entry.delete_credential();
    match (back, deleted) {
        (Ok(v), Ok(())) if v == value => Ok(()),
        (Ok(_), Ok(())) => Err("the keyring returned a different value".into()),
        (Err(e), _) | (_, Err(e)) => Err(describe(&e)),
    }
}

/// A keyring error as text that never contains stored bytes.
fn describe(e: &KeyringError) -> String {
    match e {
        KeyringError::BadEncoding(_) => "the stored value is not UTF-8 text".into(),
        KeyringError::BadDataFormat(..) => "the stored value is malformed".into(),
        KeyringError::Ambiguous(items) => {
            format!("{} keyring entries have this name", items.len())
        }
        other => other.to_string(),
    }
}

fn keyring_io(op: &str, account: &AccountId, key: &str, e: &KeyringError) -> io::Error {
    let remedy = match e {
        KeyringError::NoStorageAccess(_)
        | KeyringError::PlatformFailure(_)
        | KeyringError::NoDefaultStore => format!(
            "; is a Secret Service (e.g. gnome-keyring) running and unlocked? Or set \
             {SECRET_BACKEND_ENV}=file"
        ),
        KeyringError::Ambiguous(_) => {
            "; remove the duplicates with your keyring manager (e.g. seahorse)".into()
        }
        _ => String::new(),
    };
    io::Error::other(format!(
        "OS keyring: cannot {op} secret {}/{}: {}{remedy}",
        KeyringSecretStore::SERVICE,
        KeyringSecretStore::user(account, key),
        describe(e)
    ))
}
