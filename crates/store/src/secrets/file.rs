//! Secrets in `data_dir/secrets.json`, for machines without a keyring.
//!
//! The file is created 0600 (never world-readable, not even for a moment),
//! rewritten atomically (temp file + rename), and checked on every read: if
//! someone loosened its permissions, musync warns and makes it 0600 again.
//! Within a process calls are serialised; two musync processes saving
//! secrets at the same instant may lose one write (sign-ins are interactive,
//! so this is not guarded by a lock file).

use super::{load_private_json, save_private_json};
use musync_core::{AccountId, Secret, SecretStore};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Format version this musync writes.
const VERSION: u32 = 1;

/// Secrets in a 0600 JSON file.
pub struct FileSecretStore {
    path: PathBuf,
    lock: Mutex<()>,
}

/// `{"version": 1, "accounts": {"ACCOUNT": {"KEY": "VALUE"}}}`
#[derive(Serialize, Deserialize)]
struct SecretsFile {
    version: u32,
    #[serde(default)]
    accounts: BTreeMap<String, BTreeMap<String, Secret>>,
}

impl Default for SecretsFile {
    fn default() -> Self {
        SecretsFile {
            version: VERSION,
            accounts: BTreeMap::new(),
        }
    }
}

impl FileSecretStore {
    /// File name inside the data dir.
    pub const FILE: &'static str = "secrets.json";

    /// The store in `data_dir` (nothing is created until a secret is set).
    pub fn new(data_dir: &Path) -> Self {
        FileSecretStore {
            path: data_dir.join(Self::FILE),
            lock: Mutex::new(()),
        }
    }

    /// The secrets file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn load(&self) -> io::Result<SecretsFile> {
        let file: SecretsFile = load_private_json(&self.path, "secrets file")?;
        if file.version > VERSION {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}: the secrets file was made by a newer musync (format {}); upgrade musync",
                    self.path.display(),
                    file.version
                ),
            ));
        }
        Ok(file)
    }

    fn save(&self, file: &SecretsFile) -> io::Result<()> {
        save_private_json(&self.path, "secrets file", file)
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for FileSecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSecretStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SecretStore for FileSecretStore {
    fn get(&self, account: &AccountId, key: &str) -> io::Result<Option<Secret>> {
        let _guard = self.locked();
        let mut file = self.load()?;
        Ok(file
            .accounts
            .get_mut(account.as_str())
            .and_then(|keys| keys.remove(key)))
    }

    fn set(&self, account: &AccountId, key: &str, value: &Secret) -> io::Result<()> {
        let _guard = self.locked();
        let mut file = self.load()?;
        file.version = VERSION;
        file.accounts
            .entry(account.0.clone())
            .or_default()
            .insert(key.to_owned(), value.clone());
        self.save(&file)
    }

    fn delete_account(&self, account: &AccountId) -> io::Result<()> {
        let _guard = self.locked();
        let mut file = self.load()?;
        if file.accounts.remove(account.as_str()).is_some() {
            self.save(&file)?;
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "file"
    }

    fn lock_account(&self, account: &AccountId) -> std::io::Result<musync_core::AccountLock> {
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        crate::lock::lock_account(dir, account)
    }
}
