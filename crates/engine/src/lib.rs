//! The sync engine: compare two playlists, plan what each side lacks, apply
//! the plan with a journal, report per song.
//!
//! ```text
//! compare ──► Comparison (tracks of both sides + diff)           pure after the reads
//! plan    ──► Plan (per song: add candidate | skip | not found | review)
//! apply   ──► Report (per song: added | would_add | skipped | not_found | failed)
//! ```
//! Services are only touched through [`musync_core::Service`]; remembered
//! decisions and the journal live in [`musync_store::Store`]. Every write
//! passes one gate, [`Mode`]: a dry run runs the same code and yields
//! `would_add` instead of calling the service.
#![warn(missing_docs)]

mod answer;
mod apply;
mod compare;
mod inbox;
mod pair_lock;
mod plan;
mod refs;
mod report;
mod save;
mod saved;
mod session;
mod side;
pub mod transfer;

pub use answer::{Answer, AnswerError};
pub use apply::{Mode, apply};
pub use compare::{Comparison, TrackIndex, compare, source_key, split_unlinked};
pub use inbox::{InboxCandidate, InboxError, Question, answer as answer_question, questions};
pub use musync_store::Wait;
pub use pair_lock::{PairLock, lock_path};
pub use plan::{Action, Candidate, Plan, PlanItem, PlanOptions, plan, rank, settled};
pub use refs::{Opener, Role, file_reference, find_playlist, same_name};
pub use report::{Report, Status, SyncResult};
pub use save::{NewPair, SaveError, check_pair_name, save_pair};
pub use saved::{
    MAX_REMOVAL_PERCENT, MAX_REMOVALS_PER_RUN, PairReport, Removals, RunOptions, direction_word,
    parse_direction, run_pair, side_word,
};
pub use session::{KEEP_RUNS, Session, WriteOptions};
pub use side::{Direction, Side, SideName};
