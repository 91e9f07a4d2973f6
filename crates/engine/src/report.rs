//! The per-song outcome of a sync, shaped as the CLI contract's `--json`.

use crate::SideName;
use musync_core::Track;
use serde::Serialize;
use std::sync::Arc;

/// What happened to one song.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Added to the other side.
    Added,
    /// Would be added (dry run).
    WouldAdd,
    /// Deliberately not added (don't sync, already there, read-only …).
    Skipped,
    /// No suitable track in the other service.
    NotFound,
    /// Adding (or searching) failed; the reason says why.
    Failed,
    /// Saved syncs: a person must choose; queued for `musync review`.
    Pending,
    /// Saved syncs: removed from the other side on purpose, so not copied back.
    NotRestored,
    /// Saved syncs: removed here because the other side removed it.
    Removed,
    /// Saved syncs: would be removed (dry run).
    WouldRemove,
}

impl Status {
    /// The report symbol: ✔ added, ❒ skipped or not found, ✖ failed.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Added | Status::WouldAdd => "✔",
            Status::Skipped | Status::NotFound => "❒",
            Status::Failed => "✖",
            Status::Pending => "?",
            Status::NotRestored => "❒",
            Status::Removed | Status::WouldRemove => "-",
        }
    }
}

/// One row of the report.
#[derive(Clone, Debug, Serialize)]
pub struct SyncResult {
    /// The side the song came from.
    pub from: SideName,
    /// The song (shared with the plan, not copied).
    pub source: Arc<Track>,
    /// The track added (or to add) on the other side.
    pub target: Option<Arc<Track>>,
    /// What happened.
    pub status: Status,
    /// Why, for everything but a plain add.
    pub reason: Option<String>,
}

/// The whole outcome: `{"results": [...], "added", "would_add", "skipped",
/// "not_found", "failed", "notes"}`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// One row per song that one side lacked.
    pub results: Vec<SyncResult>,
    /// Songs added.
    pub added: usize,
    /// Songs that a real run would add (dry run).
    pub would_add: usize,
    /// Songs skipped.
    pub skipped: usize,
    /// Songs not found.
    pub not_found: usize,
    /// Songs that failed.
    pub failed: usize,
    /// Saved syncs: songs queued for a person.
    #[serde(skip_serializing_if = "is_zero")]
    pub pending: usize,
    /// Saved syncs: songs removed on one side and not copied back.
    #[serde(skip_serializing_if = "is_zero")]
    pub not_restored: usize,
    /// Saved syncs: songs removed because the other side removed them.
    #[serde(skip_serializing_if = "is_zero")]
    pub removed: usize,
    /// Saved syncs: songs a real run would remove (dry run).
    #[serde(skip_serializing_if = "is_zero")]
    pub would_remove: usize,
    /// Notes for the person (one-way because read-only, stopped early …).
    pub notes: Vec<String>,
}

impl Report {
    /// The counts and notes, as a run's summary in the history.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "added": self.added, "would_add": self.would_add, "skipped": self.skipped,
            "not_found": self.not_found, "failed": self.failed, "notes": self.notes,
            "pending": self.pending, "not_restored": self.not_restored,
            "removed": self.removed, "would_remove": self.would_remove,
        })
    }

    /// Appends a row and counts it.
    pub fn push(&mut self, r: SyncResult) {
        match r.status {
            Status::Added => self.added += 1,
            Status::WouldAdd => self.would_add += 1,
            Status::Skipped => self.skipped += 1,
            Status::NotFound => self.not_found += 1,
            Status::Failed => self.failed += 1,
            Status::Pending => self.pending += 1,
            Status::NotRestored => self.not_restored += 1,
            Status::Removed => self.removed += 1,
            Status::WouldRemove => self.would_remove += 1,
        }
        self.results.push(r);
    }
}

/// Counts only saved syncs use are left out of `sync`'s JSON when zero.
fn is_zero(n: &usize) -> bool {
    *n == 0
}
