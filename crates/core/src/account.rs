//! Accounts and the storage of their secrets, as services see them.

use crate::{AccountId, Secret, ServiceName};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;

/// An account musync knows: which service, its id, a display name and
/// non-secret settings (e.g. the Amazon market host). Secrets are kept apart
/// in a [`SecretStore`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Unique id, `<service>-<service's user id>` (e.g. `lastfm-alice`).
    pub id: AccountId,
    /// The service's short name (`spotify`).
    pub service: ServiceName,
    /// Display name (the user's name at the service).
    pub name: String,
    /// Non-secret settings, service-specific JSON (never a token).
    #[serde(default)]
    pub settings: serde_json::Value,
}

/// What a sign-in flow produces: the account to remember and the secrets to
/// store for it, by key (e.g. `session_key`, `cookies`).
#[derive(Debug)]
pub struct NewAccount {
    /// The account.
    pub account: Account,
    /// Secrets to store, by key.
    pub secrets: Vec<(String, Secret)>,
}

/// Where secrets live: the OS keyring, a 0600 file, or memory in tests.
/// Implementations log which backend they use and never log a value.
pub trait SecretStore: Send + Sync {
    /// The secret `key` of `account`, if stored.
    fn get(&self, account: &AccountId, key: &str) -> std::io::Result<Option<Secret>>;
    /// Stores (or replaces) the secret `key` of `account`.
    fn set(&self, account: &AccountId, key: &str, value: &Secret) -> std::io::Result<()>;
    /// Deletes every secret of `account`.
    fn delete_account(&self, account: &AccountId) -> std::io::Result<()>;
    /// Short name of the backend, for logs (`keyring`, `file`, `memory`).
    fn backend(&self) -> &'static str;

    /// Waits until no other musync process renews the sign-in of `account`
    /// and holds that turn until the guard is dropped, so two runs never
    /// both spend a single-use refresh token. Blocks the thread: call it
    /// off the async runtime. Stores with no other process to exclude
    /// (memory) return at once.
    fn lock_account(&self, _account: &AccountId) -> std::io::Result<AccountLock> {
        Ok(AccountLock(Box::new(())))
    }
}

/// A held turn to renew an account's sign-in; released on drop.
pub struct AccountLock(pub Box<dyn std::any::Any + Send>);

/// Secrets in memory; for tests and demo mode.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    map: Mutex<HashMap<(String, String), Secret>>,
}

impl MemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// How many secrets are stored (for tests asserting deletion).
    pub fn len(&self) -> usize {
        self.map.lock().expect("secret map lock").len()
    }
    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, account: &AccountId, key: &str) -> std::io::Result<Option<Secret>> {
        let map = self.map.lock().expect("secret map lock");
        Ok(map.get(&(account.0.clone(), key.to_owned())).cloned())
    }
    fn set(&self, account: &AccountId, key: &str, value: &Secret) -> std::io::Result<()> {
        let mut map = self.map.lock().expect("secret map lock");
        map.insert((account.0.clone(), key.to_owned()), value.clone());
        Ok(())
    }
    fn delete_account(&self, account: &AccountId) -> std::io::Result<()> {
        let mut map = self.map.lock().expect("secret map lock");
        map.retain(|(a, _), _| a != &account.0);
        Ok(())
    }
    fn backend(&self) -> &'static str {
        "memory"
    }
}
