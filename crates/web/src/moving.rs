//! The state of "Move everything" between requests: which libraries, their
//! playlist pairs, the planned pairs with the person's answers, and the
//! results. Like the three steps, each new start bumps `generation`, and a
//! job writes its result only when it still belongs to that generation.
//!
//! ```text
//! choose ─► pairs (engine transfer::pair) ─► create / mark would-create ─► plan each pair
//!        ─► one review of every uncertain song ─► run each pair (live) ─► results per playlist
//! ```

use musync_core::ServiceError;
use musync_engine::transfer::{Library, Pairing, TransferReport};
use musync_engine::{Action, Answer, Plan, PlanItem, Session};
use std::sync::Arc;

/// The libraries chosen and how their playlists pair.
#[derive(Clone)]
pub struct Paired {
    /// Where songs come from.
    pub source: Library,
    /// Where they go.
    pub target: Library,
    /// One entry per source playlist considered.
    pub pairings: Vec<Pairing>,
}

/// One pair, read and searched, waiting for the review.
pub struct PlannedPair {
    /// Index into [`Planned::pairings`].
    pub pairing: usize,
    /// The one-way session (taken when the run starts).
    pub session: Option<Session>,
    /// The searched plan.
    pub plan: Plan,
    /// The person's answer per plan item (uncertain songs only).
    pub answers: Vec<Option<Answer>>,
}

impl PlannedPair {
    /// Whether the target of `item` takes tracks outside its catalogue.
    pub fn unlisted(&self, item: &PlanItem) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.target(item.from).service.capabilities().add_unlisted)
    }
}

/// Every pair planned, for the one review.
pub struct Planned {
    /// The libraries.
    pub source: Library,
    /// The target library.
    pub target: Library,
    /// The pairings after creating (or, dry run, marking) missing targets.
    pub pairings: Vec<Pairing>,
    /// The pairs that move songs.
    pub pairs: Vec<PlannedPair>,
    /// Nothing is written.
    pub dry_run: bool,
    /// Pairs that stopped while being read or searched (index into
    /// [`Planned::pairings`]); the others go on, a second move retries them.
    pub stopped: Vec<(usize, ServiceError)>,
}

impl Planned {
    /// Songs waiting for a person, in all pairs.
    pub fn uncertain(&self) -> usize {
        self.pairs
            .iter()
            .map(|p| p.plan.needs_review().count())
            .sum()
    }
}

/// One playlist's songs as they were reported.
pub struct PlaylistResult {
    /// Source playlist name.
    pub source: String,
    /// Target playlist name.
    pub target: String,
    /// The per-song rows.
    pub rows: Vec<crate::report::ResultRow>,
}

/// The outcome of a move.
pub struct Moved {
    /// The transfer's report (the shape of `musync transfer --json`).
    pub report: TransferReport,
    /// Per report row: source and target playlist names.
    pub names: Vec<(String, String)>,
    /// Per playlist that ran: names and songs.
    pub playlists: Vec<PlaylistResult>,
    /// Nothing was written.
    pub dry_run: bool,
    /// `source → target` labels.
    pub source: String,
    /// Target label.
    pub target: String,
}

/// "Move everything" as a whole.
#[derive(Default)]
pub struct Moving {
    /// Bumped by every new start.
    pub generation: u64,
    /// What the form was filled with: (source, target, library).
    pub form: Option<(String, String, bool)>,
    /// The job pairing the playlists.
    pub pair_job: Option<u64>,
    /// Its result.
    pub paired: Option<Arc<Paired>>,
    /// The job creating targets and searching.
    pub plan_job: Option<u64>,
    /// Its result, with the answers so far.
    pub planned: Option<Planned>,
    /// The job adding the songs.
    pub run_job: Option<u64>,
    /// Its result.
    pub moved: Option<Arc<Moved>>,
}

/// Whether the review asks about `item`.
pub fn asks(item: &PlanItem) -> bool {
    matches!(item.action, Action::Review)
}
