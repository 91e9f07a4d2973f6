//! Saved syncs (issue 16): named pairs of playlists run unattended, the
//! baseline each pair keeps of what was on both sides after its last run,
//! the questions its runs left for a person (the review inbox), and the
//! journal of removals.
//!
//! The store keeps plain values (directions and policies as their CLI
//! words, candidates as JSON); the engine gives them meaning.

use crate::error::StoreErrorKind;
use crate::{JournalOutcome, RunId, Store, StoreError};
use musync_core::Track;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::collections::HashMap;

/// A saved pair of playlists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SavedPair {
    /// Unique name, chosen by the person.
    pub name: String,
    /// Left playlist reference (as `Side::reference` gives it).
    pub left: String,
    /// Right playlist reference.
    pub right: String,
    /// `both`, `to-right` or `to-left`.
    pub direction: String,
    /// `keep` or `propagate`.
    pub removals: String,
    /// When it was saved, in ms since the Unix epoch.
    pub created_ms: i64,
    /// When it last ran for real.
    pub last_run_ms: Option<i64>,
    /// The summary of that run.
    pub last_result: Option<serde_json::Value>,
}

/// What the baseline says about one song on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineState {
    /// It was on both sides after the last run.
    Present,
    /// The other side lost it on purpose: it stays out of there.
    Removed,
}

impl BaselineState {
    fn as_str(self) -> &'static str {
        match self {
            BaselineState::Present => "present",
            BaselineState::Removed => "removed",
        }
    }
}

/// A pair's baseline: per side, the source keys of its songs and their state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    /// Songs of the left playlist.
    pub left: HashMap<String, BaselineState>,
    /// Songs of the right playlist.
    pub right: HashMap<String, BaselineState>,
}

impl Baseline {
    /// True when the pair never completed a run.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty() && self.right.is_empty()
    }
}

/// A song a run could not decide without a person.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingQuestion {
    /// The pair's name.
    pub pair: String,
    /// `left` or `right`: the side the song is on.
    pub from: String,
    /// The song's key (decisions are remembered under it).
    pub source_key: String,
    /// The playlist the song would go to (decisions are remembered for it).
    pub target_ref: String,
    /// The song.
    pub source: Track,
    /// Ranked candidates, best first, as JSON `[{track, score, reason}]`.
    pub candidates: serde_json::Value,
    /// Whether the target takes a track outside its catalogue.
    pub unlisted: bool,
}

/// The latest journalled removal of a song from a target in a run that
/// never finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnfinishedRemoval {
    /// The interrupted run.
    pub run: RunId,
    /// Occurrences the target held before that removal.
    pub seen: usize,
}

fn side_ok(side: &str) -> bool {
    matches!(side, "left" | "right")
}

impl Store {
    /// Saves a new pair; a name already taken is refused, nothing written.
    pub fn add_pair(&self, pair: &SavedPair) -> Result<(), StoreError> {
        let res = self.conn().execute(
            "INSERT INTO pairs (name, left_ref, right_ref, direction, removals, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                pair.name,
                pair.left,
                pair.right,
                pair.direction,
                pair.removals,
                pair.created_ms
            ],
        );
        match res {
            Ok(_) => Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
                    && self.pair(&pair.name)?.is_some() =>
            {
                Err(StoreError::new(
                    StoreErrorKind::Exists,
                    self.path(),
                    format!("a saved sync named '{}' already exists", pair.name),
                )
                .with_hint("choose another --name, or see `musync pairs list`"))
            }
            Err(e) => Err(self.sql_err("saving a pair", e)),
        }
    }

    /// Every saved pair, by name.
    pub fn pairs(&self) -> Result<Vec<SavedPair>, StoreError> {
        self.query_pairs("", [])
    }

    /// The pair `name`, if saved.
    pub fn pair(&self, name: &str) -> Result<Option<SavedPair>, StoreError> {
        Ok(self.query_pairs("WHERE name = ?1", [name])?.pop())
    }

    fn query_pairs<P: rusqlite::Params>(
        &self,
        filter: &str,
        p: P,
    ) -> Result<Vec<SavedPair>, StoreError> {
        let doing = "reading saved pairs";
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT name, left_ref, right_ref, direction, removals, created_ms,
                        last_run_ms, last_result FROM pairs {filter} ORDER BY name"
            ))
            .map_err(|e| self.sql_err(doing, e))?;
        let rows = stmt
            .query_map(p, |r| {
                Ok((
                    SavedPair {
                        name: r.get(0)?,
                        left: r.get(1)?,
                        right: r.get(2)?,
                        direction: r.get(3)?,
                        removals: r.get(4)?,
                        created_ms: r.get(5)?,
                        last_run_ms: r.get(6)?,
                        last_result: None,
                    },
                    r.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(|e| self.sql_err(doing, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (mut pair, result) = row.map_err(|e| self.sql_err(doing, e))?;
            pair.last_result = result
                .map(|s| serde_json::from_str(&s))
                .transpose()
                .map_err(|e| {
                    self.bad_data(format!(
                        "the last result of '{}' is not JSON: {e}",
                        pair.name
                    ))
                })?;
            out.push(pair);
        }
        Ok(out)
    }

    /// Forgets a pair with its baseline and questions; false when unknown.
    pub fn remove_pair(&self, name: &str) -> Result<bool, StoreError> {
        let doing = "removing a saved pair";
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_err(doing, e))?;
        // Explicit, so it does not depend on the cascade being enabled.
        for table in ["baselines", "pending"] {
            tx.execute(&format!("DELETE FROM {table} WHERE pair = ?1"), [name])
                .map_err(|e| self.sql_err(doing, e))?;
        }
        let n = tx
            .execute("DELETE FROM pairs WHERE name = ?1", [name])
            .map_err(|e| self.sql_err(doing, e))?;
        tx.commit().map_err(|e| self.sql_err(doing, e))?;
        Ok(n > 0)
    }

    /// Records a real run of `name` that ended at `at_ms` with `summary`.
    pub fn record_pair_run(
        &self,
        name: &str,
        at_ms: i64,
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE pairs SET last_run_ms = ?1, last_result = ?2 WHERE name = ?3",
                params![at_ms, summary.to_string(), name],
            )
            .map_err(|e| self.sql_err("recording a pair's run", e))?;
        Ok(())
    }

    /// The baseline of `pair` (empty before its first run).
    pub fn baseline(&self, pair: &str) -> Result<Baseline, StoreError> {
        let doing = "reading a pair's baseline";
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT side, source_key, state FROM baselines WHERE pair = ?1")
            .map_err(|e| self.sql_err(doing, e))?;
        let rows = stmt
            .query_map([pair], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.sql_err(doing, e))?;
        let mut out = Baseline::default();
        for row in rows {
            let (side, key, state) = row.map_err(|e| self.sql_err(doing, e))?;
            let state = match state.as_str() {
                "present" => BaselineState::Present,
                "removed" => BaselineState::Removed,
                other => {
                    return Err(self.bad_data(format!(
                        "the baseline of '{pair}' has an unknown state '{other}'"
                    )));
                }
            };
            match side.as_str() {
                "left" => out.left.insert(key, state),
                _ => out.right.insert(key, state),
            };
        }
        Ok(out)
    }

    /// Replaces the baseline of `pair`, all or nothing.
    pub fn set_baseline(&self, pair: &str, baseline: &Baseline) -> Result<(), StoreError> {
        let doing = "saving a pair's baseline";
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_err(doing, e))?;
        tx.execute("DELETE FROM baselines WHERE pair = ?1", [pair])
            .map_err(|e| self.sql_err(doing, e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO baselines (pair, side, source_key, state)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| self.sql_err(doing, e))?;
            for (side, keys) in [("left", &baseline.left), ("right", &baseline.right)] {
                for (key, state) in keys {
                    stmt.execute(params![pair, side, key, state.as_str()])
                        .map_err(|e| self.sql_err(doing, e))?;
                }
            }
        }
        tx.commit().map_err(|e| self.sql_err(doing, e))
    }

    /// Replaces the questions of `pair` with `questions` (a run asks what
    /// it still cannot decide; what it settled is no longer asked).
    pub fn replace_pending(
        &self,
        pair: &str,
        questions: &[PendingQuestion],
    ) -> Result<(), StoreError> {
        let doing = "saving the review inbox";
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.sql_err(doing, e))?;
        tx.execute("DELETE FROM pending WHERE pair = ?1", [pair])
            .map_err(|e| self.sql_err(doing, e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO pending (pair, from_side, source_key, target_ref,
                         source, candidates, unlisted, ord, created_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(|e| self.sql_err(doing, e))?;
            let now = crate::store::now_ms();
            for (ord, q) in questions.iter().enumerate() {
                if !side_ok(&q.from) {
                    return Err(self.bad_data(format!("'{}' is not a side", q.from)));
                }
                let source = serde_json::to_string(&q.source)
                    .map_err(|e| self.bad_data(format!("a track cannot be saved: {e}")))?;
                stmt.execute(params![
                    pair,
                    q.from,
                    q.source_key,
                    q.target_ref,
                    source,
                    q.candidates.to_string(),
                    q.unlisted,
                    ord as i64,
                    now
                ])
                .map_err(|e| self.sql_err(doing, e))?;
            }
        }
        tx.commit().map_err(|e| self.sql_err(doing, e))
    }

    /// The questions waiting, of one pair or of all: by pair name, then in
    /// the order the run found them.
    pub fn pending(&self, pair: Option<&str>) -> Result<Vec<PendingQuestion>, StoreError> {
        let doing = "reading the review inbox";
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT pair, from_side, source_key, target_ref, source, candidates, unlisted
                 FROM pending WHERE ?1 IS NULL OR pair = ?1 ORDER BY pair, ord",
            )
            .map_err(|e| self.sql_err(doing, e))?;
        let rows = stmt
            .query_map([pair], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, bool>(6)?,
                ))
            })
            .map_err(|e| self.sql_err(doing, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (pair, from, source_key, target_ref, source, candidates, unlisted) =
                row.map_err(|e| self.sql_err(doing, e))?;
            let bad = |e: serde_json::Error| {
                self.bad_data(format!("a question of '{pair}' is not valid JSON: {e}"))
            };
            out.push(PendingQuestion {
                source: serde_json::from_str(&source).map_err(bad)?,
                candidates: serde_json::from_str(&candidates).map_err(bad)?,
                pair,
                from,
                source_key,
                target_ref,
                unlisted,
            });
        }
        Ok(out)
    }

    /// How many questions `pair` has waiting.
    pub fn pending_count(&self, pair: &str) -> Result<usize, StoreError> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM pending WHERE pair = ?1",
                [pair],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.sql_err("reading the review inbox", e))
    }

    /// Removes one answered question; false when it was not there.
    pub fn remove_pending(
        &self,
        pair: &str,
        from: &str,
        source_key: &str,
    ) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute(
                "DELETE FROM pending WHERE pair = ?1 AND from_side = ?2 AND source_key = ?3",
                [pair, from, source_key],
            )
            .map_err(|e| self.sql_err("answering a question", e))?;
        Ok(n > 0)
    }

    /// Records that `source_key` is about to be removed from `target_ref`,
    /// which holds it `seen` times now. Call before the removal.
    pub fn journal_removing(
        &self,
        run: RunId,
        target_ref: &str,
        source_key: &str,
        seen: usize,
    ) -> Result<(), StoreError> {
        self.append_removal(run, target_ref, source_key, "removing", seen, None)
    }

    /// Records how a removal ended (`Added` here means removed). Call after
    /// the service answered.
    pub fn journal_removal_done(
        &self,
        run: RunId,
        target_ref: &str,
        source_key: &str,
        seen: usize,
        outcome: &JournalOutcome,
    ) -> Result<(), StoreError> {
        let (state, reason) = match outcome {
            JournalOutcome::Added => ("removed", None),
            JournalOutcome::Failed(r) => ("failed", Some(r.as_str())),
        };
        self.append_removal(run, target_ref, source_key, state, seen, reason)
    }

    fn append_removal(
        &self,
        run: RunId,
        target_ref: &str,
        source_key: &str,
        state: &str,
        seen: usize,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO removal_journal (run_id, target_ref, source_key, state, seen,
                     reason, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    run.0,
                    target_ref,
                    source_key,
                    state,
                    seen as i64,
                    reason,
                    crate::store::now_ms()
                ],
            )
            .map_err(|e| self.sql_err("writing the removal journal", e))?;
        Ok(())
    }

    /// The latest removal of `source_key` from `target_ref` journalled by a
    /// real run that never finished (interrupted), other than `current`.
    /// Its `seen` tells a resume whether the removal already happened.
    pub fn unfinished_removal(
        &self,
        target_ref: &str,
        source_key: &str,
        current: RunId,
    ) -> Result<Option<UnfinishedRemoval>, StoreError> {
        self.conn()
            .query_row(
                "SELECT j.run_id, j.seen FROM removal_journal j JOIN runs r ON r.id = j.run_id
                 WHERE j.target_ref = ?1 AND j.source_key = ?2 AND r.dry_run = 0
                   AND r.finished_ms IS NULL AND j.run_id != ?3 AND j.state != 'failed'
                 ORDER BY j.id DESC LIMIT 1",
                params![target_ref, source_key, current.0],
                |r| {
                    Ok(UnfinishedRemoval {
                        run: RunId(r.get(0)?),
                        seen: r.get::<_, i64>(1)? as usize,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_err("reading the removal journal", e))
    }
}
