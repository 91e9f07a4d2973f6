//! Secrets whose account is gone: the secret store (`secrets.json`, or the
//! keyring's key index `secret-keys.json`) still holds an account that has
//! no row in `musync.db`, e.g. because the database was deleted, emptied or
//! replaced. musync reports them (`accounts list`) instead of forgetting
//! them silently; `musync accounts remove ID` deletes them.
//!
//! Only account ids and key names are read, never a secret value.

use crate::secrets::{FileSecretStore, KeyringSecretStore, load_private_json};
use crate::{Store, StoreError};
use musync_core::AccountId;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// An account whose secrets are stored though `musync.db` has no such account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OrphanSecrets {
    /// The account id the secrets are stored under.
    pub account: AccountId,
    /// Where they are: `file` (secrets.json) or `keyring`.
    pub backend: &'static str,
    /// The names of the stored secrets (never their values).
    pub keys: Vec<String>,
}

/// `secrets.json` with every value skipped unread.
#[derive(Default, Deserialize)]
struct FileNames {
    #[serde(default)]
    accounts: BTreeMap<String, BTreeMap<String, IgnoredAny>>,
}

/// `secret-keys.json`: names only.
#[derive(Default, Deserialize)]
struct KeyringNames {
    #[serde(default)]
    accounts: BTreeMap<String, BTreeSet<String>>,
}

impl Store {
    /// Accounts with stored secrets but no row in the database, sorted by
    /// backend and id. Empty for a store in memory.
    pub fn orphan_secrets(&self) -> Result<Vec<OrphanSecrets>, StoreError> {
        let Some(dir) = self.data_dir() else {
            return Ok(Vec::new());
        };
        let known: BTreeSet<String> = self.accounts()?.into_iter().map(|a| a.id.0).collect();
        let mut out = Vec::new();
        for (backend, stored) in stored_accounts(dir)? {
            for (account, keys) in stored {
                if !known.contains(&account) && !keys.is_empty() {
                    out.push(OrphanSecrets {
                        account: AccountId(account),
                        backend,
                        keys,
                    });
                }
            }
        }
        Ok(out)
    }
}

type Stored = BTreeMap<String, Vec<String>>;

/// The accounts each secret backend in `dir` holds, with their key names.
fn stored_accounts(dir: &Path) -> Result<Vec<(&'static str, Stored)>, StoreError> {
    let file_path = dir.join(FileSecretStore::FILE);
    let file: FileNames = load_private_json(&file_path, "secrets file")
        .map_err(|e| StoreError::io(&file_path, "read the names in the secrets file", e))?;
    let index_path = dir.join(KeyringSecretStore::INDEX_FILE);
    let index: KeyringNames = load_private_json(&index_path, "secret key index")
        .map_err(|e| StoreError::io(&index_path, "read the secret key index", e))?;
    Ok(vec![
        (
            "file",
            file.accounts
                .into_iter()
                .map(|(a, keys)| (a, keys.into_keys().collect()))
                .collect(),
        ),
        (
            "keyring",
            index
                .accounts
                .into_iter()
                .map(|(a, keys)| (a, keys.into_iter().collect()))
                .collect(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::{Account, Secret, SecretStore, ServiceName};

    fn account(id: &str) -> Account {
        Account {
            id: AccountId::new(id),
            service: ServiceName("spotify".into()),
            name: id.into(),
            settings: Default::default(),
        }
    }

    #[test]
    fn secrets_of_an_account_the_database_lost_are_reported_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = FileSecretStore::new(dir.path());
        let value = Secret::new("a-refresh-token-value");
        for id in ["spotify-bob", "spotify-ann"] {
            secrets
                .set(&AccountId::new(id), "refresh_token", &value)
                .unwrap();
        }
        {
            let store = Store::open(dir.path()).unwrap();
            store.upsert_account(&account("spotify-bob")).unwrap();
            store.upsert_account(&account("spotify-ann")).unwrap();
            assert_eq!(store.orphan_secrets().unwrap(), vec![]);
        }
        // The database is replaced by an empty file, as a restore gone wrong.
        for f in ["musync.db", "musync.db-wal", "musync.db-shm"] {
            let _ = std::fs::remove_file(dir.path().join(f));
        }
        std::fs::write(dir.path().join("musync.db"), b"").unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.upsert_account(&account("spotify-ann")).unwrap();
        let orphans = store.orphan_secrets().unwrap();
        assert_eq!(
            orphans,
            vec![OrphanSecrets {
                account: AccountId::new("spotify-bob"),
                backend: "file",
                keys: vec!["refresh_token".into()],
            }]
        );
        assert!(!format!("{orphans:?}").contains("a-refresh-token-value"));

        // The keyring's index names its accounts the same way.
        std::fs::write(
            dir.path().join(KeyringSecretStore::INDEX_FILE),
            r#"{"version":1,"accounts":{"lastfm-eve":["session_key"]}}"#,
        )
        .unwrap();
        let orphans = store.orphan_secrets().unwrap();
        assert_eq!(orphans.len(), 2);
        assert_eq!(orphans[1].account, AccountId::new("lastfm-eve"));
        assert_eq!(orphans[1].backend, "keyring");

        // Deleting the secrets clears the report.
        secrets
            .delete_account(&AccountId::new("spotify-bob"))
            .unwrap();
        std::fs::remove_file(dir.path().join(KeyringSecretStore::INDEX_FILE)).unwrap();
        assert_eq!(store.orphan_secrets().unwrap(), vec![]);
    }
}
