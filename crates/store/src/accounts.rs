//! Accounts musync knows (service, id, display name, non-secret settings).
//! Secrets are never stored here: they live in a [`musync_core::SecretStore`].

use crate::{Store, StoreError};
use musync_core::{Account, AccountId, ServiceName};
use rusqlite::{OptionalExtension, Row, params};

impl Store {
    /// Adds `a`, or replaces the account with the same id.
    pub fn upsert_account(&self, a: &Account) -> Result<(), StoreError> {
        let settings = serde_json::to_string(&a.settings).map_err(|e| {
            self.bad_data(format!("settings of account {} are not JSON: {e}", a.id))
        })?;
        self.conn()
            .execute(
                "INSERT INTO accounts (id, service, name, settings, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET service = excluded.service,
                     name = excluded.name, settings = excluded.settings,
                     updated_ms = excluded.updated_ms",
                params![
                    a.id.0,
                    a.service.as_str(),
                    a.name,
                    settings,
                    crate::store::now_ms()
                ],
            )
            .map_err(|e| self.sql_err("saving an account", e))?;
        Ok(())
    }

    /// Every account, sorted by id.
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id, service, name, settings FROM accounts ORDER BY id")
            .map_err(|e| self.sql_err("listing accounts", e))?;
        let rows = stmt
            .query_map([], raw_account)
            .map_err(|e| self.sql_err("listing accounts", e))?;
        let mut out = Vec::new();
        for row in rows {
            let raw = row.map_err(|e| self.sql_err("listing accounts", e))?;
            out.push(self.decode_account(raw)?);
        }
        Ok(out)
    }

    /// The account `id`, if known.
    pub fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        let raw = self
            .conn()
            .query_row(
                "SELECT id, service, name, settings FROM accounts WHERE id = ?1",
                [&id.0],
                raw_account,
            )
            .optional()
            .map_err(|e| self.sql_err("reading an account", e))?;
        raw.map(|r| self.decode_account(r)).transpose()
    }

    /// Forgets the account `id`; returns whether it existed.
    ///
    /// Remembered decisions, unlinked pairs and the journal are kept: they are
    /// keyed by playlist reference, not by account row, so adding the same
    /// account again brings its answers back. Deleting its secrets is the
    /// caller's job ([`musync_core::SecretStore::delete_account`]).
    pub fn remove_account(&self, id: &AccountId) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute("DELETE FROM accounts WHERE id = ?1", [&id.0])
            .map_err(|e| self.sql_err("removing an account", e))?;
        Ok(n > 0)
    }

    fn decode_account(
        &self,
        (id, service, name, settings): RawAccount,
    ) -> Result<Account, StoreError> {
        // An unknown service name is the registry's to report, when the
        // account is opened: listing accounts must still work.
        let service = ServiceName(service);
        let settings = serde_json::from_str(&settings)
            .map_err(|e| self.bad_data(format!("settings of account {id} are not JSON: {e}")))?;
        Ok(Account {
            id: AccountId(id),
            service,
            name,
            settings,
        })
    }
}

type RawAccount = (String, String, String, String);

fn raw_account(row: &Row<'_>) -> rusqlite::Result<RawAccount> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}
