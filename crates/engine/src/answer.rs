//! A person's answer about one uncertain song: one model for the CLI's
//! review, the wizard's step 2 and saved syncs' review inbox.

use crate::{Action, Plan};
use musync_core::Track;
use musync_store::Decision;
use std::sync::Arc;

/// What a person chose for one song.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Do nothing this time (asked again next time).
    Skip,
    /// Add candidate `n` (0 = best).
    Candidate(usize),
    /// Add the source track as it is (targets that accept any track).
    Exact,
    /// Never sync this song into this playlist (remembered).
    DontSync,
    /// The target does not have it; stop searching (remembered).
    NotAvailable,
}

impl Answer {
    /// A short token for forms and files: `skip`, `c0`, `exact`, `dont`, `na`.
    pub fn token(self) -> String {
        match self {
            Answer::Skip => "skip".into(),
            Answer::Candidate(n) => format!("c{n}"),
            Answer::Exact => "exact".into(),
            Answer::DontSync => "dont".into(),
            Answer::NotAvailable => "na".into(),
        }
    }

    /// Reads a token for a song with `candidates` candidates whose target
    /// accepts unlisted tracks or not; `None` for anything else.
    pub fn parse_token(token: &str, candidates: usize, unlisted: bool) -> Option<Answer> {
        match token {
            "skip" => Some(Answer::Skip),
            "exact" if unlisted => Some(Answer::Exact),
            "dont" => Some(Answer::DontSync),
            "na" => Some(Answer::NotAvailable),
            v => v
                .strip_prefix('c')
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n < candidates)
                .map(Answer::Candidate),
        }
    }
}

/// Why an answer was refused; nothing changed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnswerError {
    /// No such song in the plan.
    #[error("there is no song {0} in this plan")]
    NoSuchSong(usize),
    /// No such candidate for the song.
    #[error("song {song} has no candidate {candidate}")]
    NoSuchCandidate {
        /// The song's index.
        song: usize,
        /// The candidate asked for.
        candidate: usize,
    },
    /// The target does not take tracks outside its catalogue.
    #[error("the target only takes tracks from its own catalogue")]
    ExactNotAccepted,
}

impl Plan {
    /// Applies a person's answer to song `idx`. An answer that is news (a
    /// pick other than the automatic one, don't sync, not available) is
    /// remembered when the plan runs for real, never in a dry run.
    /// `unlisted` is whether the target accepts tracks outside its catalogue.
    pub fn answer(
        &mut self,
        idx: usize,
        answer: Answer,
        unlisted: bool,
    ) -> Result<(), AnswerError> {
        let item = self
            .items
            .get_mut(idx)
            .ok_or(AnswerError::NoSuchSong(idx))?;
        let remember = match answer {
            Answer::Candidate(n) => {
                let c = item.candidates.get(n).ok_or(AnswerError::NoSuchCandidate {
                    song: idx,
                    candidate: n,
                })?;
                let automatic = n == 0 && c.confident;
                item.action = Action::Add(Arc::clone(&c.track));
                (!automatic).then(|| Decision::Chosen(Track::clone(&c.track)))
            }
            Answer::Exact => {
                if !unlisted {
                    return Err(AnswerError::ExactNotAccepted);
                }
                if item.taken_as_is() {
                    // A target without search was planned the source itself,
                    // id included: that is its exact name, and no news.
                    None
                } else {
                    let exact = item.exact_source();
                    item.action = Action::Add(Arc::new(exact.clone()));
                    Some(Decision::Chosen(exact))
                }
            }
            Answer::Skip => {
                if matches!(item.action, Action::Add(_) | Action::Review) {
                    item.action = Action::skipped_in_review();
                }
                None
            }
            Answer::DontSync => {
                item.action = Action::answered(&Decision::DontSync);
                Some(Decision::DontSync)
            }
            Answer::NotAvailable => {
                item.action = Action::answered(&Decision::NotAvailable);
                Some(Decision::NotAvailable)
            }
        };
        self.to_remember.retain(|(i, _)| *i != idx);
        if let Some(d) = remember {
            self.to_remember.push((idx, d));
        }
        Ok(())
    }

    /// Answers waiting to be remembered when the plan runs, as
    /// `(song index, decision)`.
    pub fn to_remember(&self) -> &[(usize, Decision)] {
        &self.to_remember
    }
}
