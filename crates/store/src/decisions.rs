//! Remembered answers, so musync never asks the same question twice: for a
//! (source song, target playlist) pair the user chose a candidate, said
//! "don't sync", or it is not available there; and pairs of songs the user
//! said are *not* the same recording ("unlinked" false matches).
//!
//! A source song is identified by `source_key` (`musync_match::track_key`,
//! computed by the caller, so the matching rules live in one place) and a
//! target by `target_ref` (`ACCOUNT:PLAYLIST` or a file path).

use crate::{Store, StoreError};
use musync_core::Track;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A remembered answer for one source song and one target playlist.
///
/// JSON: `{"kind": "chosen", "track": TRACK}`, `{"kind": "dont_sync"}`,
/// `{"kind": "not_available"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", content = "track", rename_all = "snake_case")]
pub enum Decision {
    /// Add this candidate (picked by the user) whenever the song is missing.
    Chosen(Track),
    /// Never sync this song into this target.
    DontSync,
    /// The target service does not have this song; don't search again.
    NotAvailable,
}

impl Decision {
    fn kind(&self) -> &'static str {
        match self {
            Decision::Chosen(_) => "chosen",
            Decision::DontSync => "dont_sync",
            Decision::NotAvailable => "not_available",
        }
    }
}

impl Store {
    /// Remembers `d` for `source_key` in `target_ref`, replacing any earlier answer.
    pub fn set_decision(
        &self,
        source_key: &str,
        target_ref: &str,
        d: &Decision,
    ) -> Result<(), StoreError> {
        let track = match d {
            Decision::Chosen(t) => Some(
                serde_json::to_string(t)
                    .map_err(|e| self.bad_data(format!("a track cannot be saved: {e}")))?,
            ),
            _ => None,
        };
        self.conn()
            .execute(
                "INSERT INTO decisions (target_ref, source_key, kind, track, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (target_ref, source_key) DO UPDATE SET kind = excluded.kind,
                     track = excluded.track, updated_ms = excluded.updated_ms",
                params![
                    target_ref,
                    source_key,
                    d.kind(),
                    track,
                    crate::store::now_ms()
                ],
            )
            .map_err(|e| self.sql_err("saving a decision", e))?;
        Ok(())
    }

    /// The remembered answer for `source_key` in `target_ref`, if any.
    pub fn decision(
        &self,
        source_key: &str,
        target_ref: &str,
    ) -> Result<Option<Decision>, StoreError> {
        let raw: Option<(String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT kind, track FROM decisions WHERE target_ref = ?1 AND source_key = ?2",
                [target_ref, source_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_err("reading a decision", e))?;
        raw.map(|(kind, track)| self.decode_decision(source_key, &kind, track))
            .transpose()
    }

    /// Every remembered answer for `target_ref`, by source key, in one query.
    pub fn decisions_for(&self, target_ref: &str) -> Result<HashMap<String, Decision>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT source_key, kind, track FROM decisions WHERE target_ref = ?1")
            .map_err(|e| self.sql_err("reading decisions", e))?;
        let rows = stmt
            .query_map([target_ref], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| self.sql_err("reading decisions", e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (key, kind, track) = row.map_err(|e| self.sql_err("reading decisions", e))?;
            let d = self.decode_decision(&key, &kind, track)?;
            out.insert(key, d);
        }
        Ok(out)
    }

    /// Forgets the answer for `source_key` in `target_ref` (no error if none).
    pub fn clear_decision(&self, source_key: &str, target_ref: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "DELETE FROM decisions WHERE target_ref = ?1 AND source_key = ?2",
                [target_ref, source_key],
            )
            .map_err(|e| self.sql_err("clearing a decision", e))?;
        Ok(())
    }

    /// Remembers that the songs `left_key` and `right_key` are not the same
    /// recording, whichever way round they are given.
    pub fn unlink(&self, left_key: &str, right_key: &str) -> Result<(), StoreError> {
        let (a, b) = ordered(left_key, right_key);
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO unlinked (left_key, right_key, created_ms)
                 VALUES (?1, ?2, ?3)",
                params![a, b, crate::store::now_ms()],
            )
            .map_err(|e| self.sql_err("saving an unlinked pair", e))?;
        Ok(())
    }

    /// Every unlinked pair, **in both orders**: `set.contains(&(a, b))` holds
    /// exactly when `set.contains(&(b, a))` does, so callers look up a pair as
    /// they have it without normalising.
    pub fn unlinked(&self) -> Result<HashSet<(String, String)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT left_key, right_key FROM unlinked")
            .map_err(|e| self.sql_err("reading unlinked pairs", e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.sql_err("reading unlinked pairs", e))?;
        let mut out = HashSet::new();
        for row in rows {
            let (a, b) = row.map_err(|e| self.sql_err("reading unlinked pairs", e))?;
            out.insert((b.clone(), a.clone()));
            out.insert((a, b));
        }
        Ok(out)
    }

    /// Every unlinked pair once, oldest first, as stored (the two keys in a
    /// fixed order): for listing them to people.
    pub fn unlinked_pairs(&self) -> Result<Vec<(String, String)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT left_key, right_key FROM unlinked ORDER BY created_ms, left_key")
            .map_err(|e| self.sql_err("reading unlinked pairs", e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.sql_err("reading unlinked pairs", e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.sql_err("reading unlinked pairs", e))
    }

    /// Forgets an unlinked pair (either order); returns whether it existed.
    pub fn relink(&self, left_key: &str, right_key: &str) -> Result<bool, StoreError> {
        let (a, b) = ordered(left_key, right_key);
        let n = self
            .conn()
            .execute(
                "DELETE FROM unlinked WHERE left_key = ?1 AND right_key = ?2",
                [a, b],
            )
            .map_err(|e| self.sql_err("removing an unlinked pair", e))?;
        Ok(n > 0)
    }

    fn decode_decision(
        &self,
        source_key: &str,
        kind: &str,
        track: Option<String>,
    ) -> Result<Decision, StoreError> {
        match (kind, track) {
            ("chosen", Some(json)) => {
                serde_json::from_str(&json)
                    .map(Decision::Chosen)
                    .map_err(|e| {
                        self.bad_data(format!(
                            "the chosen track for '{source_key}' is not valid JSON: {e}"
                        ))
                    })
            }
            ("dont_sync", _) => Ok(Decision::DontSync),
            ("not_available", _) => Ok(Decision::NotAvailable),
            (kind, _) => Err(self.bad_data(format!(
                "the decision for '{source_key}' has kind '{kind}' without a usable track"
            ))),
        }
    }
}

/// The pair in storage order (smaller key first).
fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y { (x, y) } else { (y, x) }
}
