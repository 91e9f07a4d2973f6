//! The review inbox of saved syncs: questions unattended runs could not
//! decide, and a person's answers to them. An answer is stored as a
//! remembered decision (the one `sync` keeps), so the next run applies it
//! and nobody is asked again; the question leaves the inbox at once.

use crate::{Answer, AnswerError};
use musync_core::Track;
use musync_store::{Decision, PendingQuestion, Store, StoreError};
use serde::{Deserialize, Serialize};

/// A candidate as the inbox shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct InboxCandidate {
    /// The candidate in the target service.
    pub track: Track,
    /// Same-recording score, 0..1.
    pub score: f32,
    /// Short human reason.
    pub reason: String,
}

/// One waiting question, shaped as `review --json`'s entries:
/// `{"pair", "from", "source", "candidates", "target"}`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Question {
    /// The pair's name.
    pub pair: String,
    /// `left` or `right`: the side the song is on.
    pub from: String,
    /// The song.
    pub source: Track,
    /// Ranked candidates, best first.
    pub candidates: Vec<InboxCandidate>,
    /// The playlist the song would go to.
    pub target: String,
    /// Whether the target takes the song under its exact name.
    pub unlisted: bool,
    #[serde(skip)]
    source_key: String,
}

/// The waiting questions of one pair, or of every pair.
pub fn questions(store: &Store, pair: Option<&str>) -> Result<Vec<Question>, StoreError> {
    store
        .pending(pair)?
        .into_iter()
        .map(|q| question(store, q))
        .collect()
}

impl Question {
    /// The song's key: with `pair` and `from` it names the question (the
    /// wizard's inbox form sends it back).
    pub fn key(&self) -> &str {
        &self.source_key
    }
}

fn question(store: &Store, q: PendingQuestion) -> Result<Question, StoreError> {
    let candidates: Vec<InboxCandidate> = serde_json::from_value(q.candidates).map_err(|e| {
        StoreError::new(
            musync_store::StoreErrorKind::BadData,
            store.path(),
            format!("a question of '{}' has unreadable candidates: {e}", q.pair),
        )
    })?;
    Ok(Question {
        pair: q.pair,
        from: q.from,
        source: q.source,
        candidates,
        target: q.target_ref,
        unlisted: q.unlisted,
        source_key: q.source_key,
    })
}

/// Why an answer was not taken; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The answer does not fit the question.
    #[error(transparent)]
    Answer(#[from] AnswerError),
    /// The state database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies a person's answer: remembered as a decision for the target and
/// the question removed. `Skip` leaves it in the inbox. Returns whether the
/// question was answered (left the inbox).
pub fn answer(store: &Store, q: &Question, answer: Answer) -> Result<bool, InboxError> {
    let decision = match answer {
        Answer::Skip => return Ok(false),
        Answer::Candidate(n) => Decision::Chosen(
            q.candidates
                .get(n)
                .ok_or(AnswerError::NoSuchCandidate {
                    song: 0,
                    candidate: n,
                })?
                .track
                .clone(),
        ),
        Answer::Exact if q.unlisted => Decision::Chosen(Track {
            id: None,
            ..q.source.clone()
        }),
        Answer::Exact => return Err(AnswerError::ExactNotAccepted.into()),
        Answer::DontSync => Decision::DontSync,
        Answer::NotAvailable => Decision::NotAvailable,
    };
    store.set_decision(&q.source_key, &q.target, &decision)?;
    store.remove_pending(&q.pair, &q.from, &q.source_key)?;
    Ok(true)
}
