//! The sync journal and run history.
//!
//! A sync is a *run*. Before adding a song to a target it writes a `pending`
//! row; after the service answered, an `added` or `failed` row. The journal is
//! append-only and the latest row of a (target, song) pair is its state, so
//! after an interrupted sync:
//! - `Added`: the song is there; never add it again.
//! - `Pending`: the add may or may not have reached the service; re-read the
//!   target (or search it) before adding, so a resume never duplicates.
//! - `Failed`: it did not go in; try again.
//!
//! Rows of dry runs are kept for the record but never count as state: a dry
//! run adds nothing, so it must not make a real sync skip a song.
//!
//! A sync of 100k songs should use the `_many` calls: they write a batch in
//! one transaction instead of one fsync per song.

use crate::error::StoreErrorKind;
use crate::{Store, StoreError};
use musync_core::Track;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One sync run (its row id in the history).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How an add ended, written after the service answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalOutcome {
    /// The service accepted the song.
    Added,
    /// The add failed, with the reason shown to the user.
    Failed(String),
}

/// The latest journalled state of a song in a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum JournalState {
    /// An add was started and never confirmed: check the target before retrying.
    Pending,
    /// The song was added.
    Added,
    /// The last add failed, for this reason.
    Failed(String),
}

/// One run in the history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunRecord {
    /// The run.
    pub id: RunId,
    /// When it started, in milliseconds since the Unix epoch.
    pub started_ms: i64,
    /// When it finished (`None`: still running, or interrupted).
    pub finished_ms: Option<i64>,
    /// The left playlist reference.
    pub left_ref: String,
    /// The right playlist reference.
    pub right_ref: String,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// The summary given to [`Store::finish_run`].
    pub summary: Option<serde_json::Value>,
}

impl Store {
    /// Starts a run between `left_ref` and `right_ref` and returns its id.
    pub fn begin_run(
        &self,
        left_ref: &str,
        right_ref: &str,
        dry_run: bool,
    ) -> Result<RunId, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO runs (started_ms, left_ref, right_ref, dry_run) VALUES (?1, ?2, ?3, ?4)",
            params![crate::store::now_ms(), left_ref, right_ref, dry_run],
        )
        .map_err(|e| self.sql_err("starting a run", e))?;
        Ok(RunId(conn.last_insert_rowid()))
    }

    /// Records that `source_key` is about to be added to `target_ref` as `track`.
    /// Call before the add.
    pub fn journal_pending(
        &self,
        run: RunId,
        target_ref: &str,
        source_key: &str,
        track: &Track,
    ) -> Result<(), StoreError> {
        self.journal_pending_many(run, target_ref, [(source_key, track)])
            .map(|_| ())
    }

    /// [`Store::journal_pending`] for a batch, in one transaction. Returns how
    /// many rows were written.
    pub fn journal_pending_many<'a>(
        &self,
        run: RunId,
        target_ref: &str,
        items: impl IntoIterator<Item = (&'a str, &'a Track)>,
    ) -> Result<usize, StoreError> {
        let rows = items.into_iter().map(|(key, track)| {
            serde_json::to_string(track)
                .map(|json| (key, "pending", None, Some(json)))
                .map_err(|e| self.bad_data(format!("a track cannot be saved: {e}")))
        });
        self.append(run, target_ref, rows)
    }

    /// Records how the add of `source_key` to `target_ref` ended. Call after
    /// the service answered.
    pub fn journal_done(
        &self,
        run: RunId,
        target_ref: &str,
        source_key: &str,
        outcome: &JournalOutcome,
    ) -> Result<(), StoreError> {
        self.journal_done_many(run, target_ref, [(source_key, outcome)])
            .map(|_| ())
    }

    /// [`Store::journal_done`] for a batch (e.g. one service call that added
    /// 100 songs), in one transaction. Returns how many rows were written.
    pub fn journal_done_many<'a>(
        &self,
        run: RunId,
        target_ref: &str,
        items: impl IntoIterator<Item = (&'a str, &'a JournalOutcome)>,
    ) -> Result<usize, StoreError> {
        let rows = items.into_iter().map(|(key, outcome)| {
            Ok(match outcome {
                JournalOutcome::Added => (key, "added", None, None),
                JournalOutcome::Failed(reason) => (key, "failed", Some(reason.as_str()), None),
            })
        });
        self.append(run, target_ref, rows)
    }

    /// Appends journal rows in one transaction; all or nothing.
    fn append<'a>(
        &self,
        run: RunId,
        target_ref: &str,
        rows: impl Iterator<Item = Result<JournalRow<'a>, StoreError>>,
    ) -> Result<usize, StoreError> {
        let doing = "writing the sync journal";
        let mut conn = self.conn();
        // IMMEDIATE: take the write lock up front, so a concurrent musync makes
        // us wait (busy timeout) instead of failing mid-transaction.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_err(doing, e))?;
        let mut written = 0;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO journal (run_id, target_ref, source_key, state, reason, track, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(|e| self.sql_err(doing, e))?;
            let now = crate::store::now_ms();
            for row in rows {
                let (key, state, reason, track) = row?;
                stmt.execute(params![run.0, target_ref, key, state, reason, track, now])
                    .map_err(|e| self.journal_err(run, e))?;
                written += 1;
            }
        }
        tx.commit().map_err(|e| self.sql_err(doing, e))?;
        Ok(written)
    }

    /// The latest state of `source_key` in `target_ref` over all real (not
    /// dry) runs, or `None` if it was never journalled.
    pub fn journal_state(
        &self,
        target_ref: &str,
        source_key: &str,
    ) -> Result<Option<JournalState>, StoreError> {
        let raw: Option<(String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT j.state, j.reason FROM journal j JOIN runs r ON r.id = j.run_id
                 WHERE j.target_ref = ?1 AND j.source_key = ?2 AND r.dry_run = 0
                 ORDER BY j.id DESC LIMIT 1",
                [target_ref, source_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_err("reading the sync journal", e))?;
        raw.map(|(state, reason)| self.decode_state(source_key, &state, reason))
            .transpose()
    }

    /// The latest state of every song journalled for `target_ref` (real runs
    /// only), by source key, in one query.
    pub fn journal_for(
        &self,
        target_ref: &str,
    ) -> Result<HashMap<String, JournalState>, StoreError> {
        let doing = "reading the sync journal";
        let conn = self.conn();
        // SQLite takes the bare columns of an aggregate query from the row
        // that holds max(): the latest row of each song.
        let mut stmt = conn
            .prepare(
                "SELECT j.source_key, j.state, j.reason, max(j.id)
                 FROM journal j JOIN runs r ON r.id = j.run_id
                 WHERE j.target_ref = ?1 AND r.dry_run = 0
                 GROUP BY j.source_key",
            )
            .map_err(|e| self.sql_err(doing, e))?;
        let rows = stmt
            .query_map([target_ref], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(|e| self.sql_err(doing, e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (key, state, reason) = row.map_err(|e| self.sql_err(doing, e))?;
            let state = self.decode_state(&key, &state, reason)?;
            out.insert(key, state);
        }
        Ok(out)
    }

    /// Marks `run` finished with a summary (e.g. the sync report's counts).
    pub fn finish_run(&self, run: RunId, summary: &serde_json::Value) -> Result<(), StoreError> {
        let json = summary.to_string();
        let n = self
            .conn()
            .execute(
                "UPDATE runs SET finished_ms = ?1, summary = ?2 WHERE id = ?3",
                params![crate::store::now_ms(), json, run.0],
            )
            .map_err(|e| self.sql_err("finishing a run", e))?;
        if n == 0 {
            return Err(self.unknown_run(run));
        }
        Ok(())
    }

    /// The latest `limit` runs, newest first.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, StoreError> {
        let doing = "reading the run history";
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, started_ms, finished_ms, left_ref, right_ref, dry_run, summary
                 FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.sql_err(doing, e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map([limit], |r| {
                Ok((
                    RunRecord {
                        id: RunId(r.get(0)?),
                        started_ms: r.get(1)?,
                        finished_ms: r.get(2)?,
                        left_ref: r.get(3)?,
                        right_ref: r.get(4)?,
                        dry_run: r.get(5)?,
                        summary: None,
                    },
                    r.get::<_, Option<String>>(6)?,
                ))
            })
            .map_err(|e| self.sql_err(doing, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (mut record, summary) = row.map_err(|e| self.sql_err(doing, e))?;
            record.summary = summary
                .map(|s| serde_json::from_str(&s))
                .transpose()
                .map_err(|e| {
                    self.bad_data(format!("the summary of run {} is not JSON: {e}", record.id))
                })?;
            out.push(record);
        }
        Ok(out)
    }

    /// Deletes every run but the newest `keep`, with their journal rows, so
    /// the journal does not grow forever (a 100k-song sync writes up to 200k
    /// rows). Keep a few: the journal of the last interrupted run is what lets
    /// it resume without duplicates. Returns how many runs were deleted.
    pub fn prune_runs(&self, keep: usize) -> Result<usize, StoreError> {
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        let doing = "pruning the run history";
        let mut conn = self.conn();
        // IMMEDIATE: take the write lock up front, so a concurrent musync makes
        // us wait (busy timeout) instead of failing mid-transaction.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_err(doing, e))?;
        // Explicit, so it does not depend on the cascade being enabled.
        tx.execute(
            "DELETE FROM removal_journal WHERE run_id NOT IN
                 (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)",
            [keep],
        )
        .map_err(|e| self.sql_err(doing, e))?;
        tx.execute(
            "DELETE FROM journal WHERE run_id NOT IN
                 (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)",
            [keep],
        )
        .map_err(|e| self.sql_err(doing, e))?;
        let n = tx
            .execute(
                "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)",
                [keep],
            )
            .map_err(|e| self.sql_err(doing, e))?;
        tx.commit().map_err(|e| self.sql_err(doing, e))?;
        Ok(n)
    }

    fn decode_state(
        &self,
        source_key: &str,
        state: &str,
        reason: Option<String>,
    ) -> Result<JournalState, StoreError> {
        match state {
            "pending" => Ok(JournalState::Pending),
            "added" => Ok(JournalState::Added),
            "failed" => Ok(JournalState::Failed(reason.unwrap_or_default())),
            other => Err(self.bad_data(format!(
                "the journal has an unknown state '{other}' for '{source_key}'"
            ))),
        }
    }

    /// A journal write failed; a foreign key failure means the run is unknown.
    fn journal_err(&self, run: RunId, e: rusqlite::Error) -> StoreError {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
            self.unknown_run(run)
        } else {
            self.sql_err("writing the sync journal", e)
        }
    }

    fn unknown_run(&self, run: RunId) -> StoreError {
        StoreError::new(
            StoreErrorKind::NotFound,
            self.path(),
            format!("there is no run {run} (start one with begin_run first)"),
        )
    }
}

/// (source key, state, reason, track JSON) of one journal row.
type JournalRow<'a> = (&'a str, &'static str, Option<&'a str>, Option<String>);
