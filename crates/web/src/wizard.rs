//! The wizard's state between requests (one person, one local server, so
//! one wizard) and the pure rules of step 2: which choice each row starts
//! with, what a submitted choice means, and which answers are remembered.
//!
//! Every new comparison bumps `gen`; a background job writes its result
//! only if the wizard is still at the generation it started from, so a job
//! that finishes after the person moved on changes nothing.

use musync_engine::{Action, Answer, AnswerError, Plan, PlanItem, Report};

use std::sync::Arc;

/// One side as the person picked it: a source (account id, or the id of
/// a playlist file added on the accounts page) and a playlist in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    /// Account id.
    pub source: String,
    /// Playlist id inside it.
    pub playlist: String,
}

/// What the person chose for one song in step 2: the engine's one model of
/// an answer.
pub type Choice = Answer;

/// Step 2's state: the plan as searched and the person's choices.
#[derive(Clone, Debug)]
pub struct Review {
    /// The plan as the engine made it (actions untouched).
    pub plan: Plan,
    /// One entry per plan item; `None` for rows already settled by a
    /// remembered answer (shown, never asked again).
    pub choices: Vec<Option<Choice>>,
    /// Rows whose choice a person changed on the page: bulk actions
    /// ("Accept all confident") leave them alone.
    pub touched: Vec<bool>,
}

impl Review {
    /// Starts every row at its default choice.
    pub fn new(plan: Plan) -> Review {
        let choices: Vec<Option<Choice>> = plan.items.iter().map(default_choice).collect();
        let touched = vec![false; choices.len()];
        Review {
            plan,
            choices,
            touched,
        }
    }

    /// Takes a choice submitted for row `idx`; a choice that differs from
    /// what the page showed is the person's own.
    pub fn choose(&mut self, idx: usize, choice: Choice) {
        if self.choices[idx].is_some_and(|c| c != choice) {
            self.touched[idx] = true;
        }
        self.choices[idx] = Some(choice);
    }

    /// "Accept all confident": the best match wherever musync is sure,
    /// except on rows a person chose for themselves. Returns (rows set,
    /// rows kept as the person chose).
    pub fn accept_confident(&mut self) -> (usize, usize) {
        let (mut set, mut kept) = (0, 0);
        for (i, item) in self.plan.items.iter().enumerate() {
            let confident = item.candidates.first().is_some_and(|b| b.confident);
            if !confident || self.choices[i].is_none() {
                continue;
            }
            if self.touched[i] {
                kept += 1;
            } else {
                self.choices[i] = Some(Choice::Candidate(0));
                set += 1;
            }
        }
        (set, kept)
    }

    /// Keeps what a person chose in an earlier search of the same songs
    /// (the search ran again after an answer was forgotten): same song,
    /// same direction, and a candidate choice only if it names the same
    /// track.
    pub fn keep_choices_of(&mut self, old: &Review) {
        for (i, item) in self.plan.items.iter().enumerate() {
            if self.choices[i].is_none() {
                continue;
            }
            // The same row first (a song may appear twice with one key),
            // else the first row about the same song.
            let same_song = |o: &PlanItem| o.from == item.from && o.source_key == item.source_key;
            let earlier = old
                .plan
                .items
                .get(i)
                .filter(|o| same_song(o))
                .map(|o| (i, o))
                .or_else(|| {
                    old.plan
                        .items
                        .iter()
                        .enumerate()
                        .find(|(_, o)| same_song(o))
                });
            let Some((j, o)) = earlier else { continue };
            let (Some(choice), true) = (old.choices[j], old.touched[j]) else {
                continue;
            };
            let same = match choice {
                Choice::Candidate(n) => match (o.candidates.get(n), item.candidates.get(n)) {
                    (Some(a), Some(b)) => a.track == b.track,
                    _ => false,
                },
                _ => true,
            };
            if same {
                self.choices[i] = Some(choice);
                self.touched[i] = true;
            }
        }
    }

    /// Rows waiting for a person: candidates but none confident.
    pub fn uncertain(&self) -> usize {
        self.plan.items.iter().filter(|i| is_uncertain(i)).count()
    }

    /// The plan with the person's choices applied (the engine remembers
    /// the answers that are news when it runs).
    pub fn resolve(&self, unlisted: impl Fn(&PlanItem) -> bool) -> Result<Plan, AnswerError> {
        let mut plan = self.plan.clone();
        for (idx, choice) in self.choices.iter().enumerate() {
            let Some(choice) = choice else { continue };
            let open = unlisted(&plan.items[idx]);
            plan.answer(idx, *choice, open)?;
        }
        Ok(plan)
    }
}

/// Candidates exist but none is confidently the same recording.
pub fn is_uncertain(item: &PlanItem) -> bool {
    matches!(item.action, Action::Review)
}

/// The choice a row starts with: the best candidate only when confident.
pub fn default_choice(item: &PlanItem) -> Option<Choice> {
    if item.remembered {
        return None;
    }
    Some(match &item.action {
        Action::Add(t) => match item.candidates.iter().position(|c| c.track == *t) {
            Some(n) => Choice::Candidate(n),
            // Planned without candidates: the target takes the source as is.
            None => Choice::Exact,
        },
        Action::Review | Action::NotFound(_) | Action::Failed(_) => Choice::Skip,
        Action::Skip(_) => return None,
    })
}

/// The outcome of step 3 with the labels it was made under.
pub struct Finished {
    /// The report.
    pub report: Report,
    /// Left side label.
    pub left: String,
    /// Right side label.
    pub right: String,
}

/// The whole wizard.
#[derive(Default)]
pub struct Wizard {
    /// Bumped by every new comparison.
    pub generation: u64,
    /// Left pick.
    pub left: Option<Pick>,
    /// Right pick.
    pub right: Option<Pick>,
    /// The job reading both playlists.
    pub compare_job: Option<u64>,
    /// Step 1's result.
    pub compared: Option<Arc<musync_engine::Session>>,
    /// The job searching the missing songs.
    pub search_job: Option<u64>,
    /// Step 2's state.
    pub review: Option<Review>,
    /// The job adding songs.
    pub sync_job: Option<u64>,
    /// Step 3's result.
    pub finished: Option<Arc<Finished>>,
    /// "Move everything" (a whole library), apart from the three steps.
    pub moving: crate::moving::Moving,
    /// The two sides last compared, as (label, reference): whose
    /// remembered answers the decisions page lists, even after a sync.
    pub sides: Vec<(String, String)>,
    /// "Artist - Title" of every song of the sides last compared, by the
    /// key remembered answers are stored under.
    pub song_names: std::collections::HashMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::Track;
    use musync_engine::{Candidate, SideName};
    use musync_store::Decision;

    fn cand(title: &str, score: f32) -> Candidate {
        Candidate {
            track: Track::new(title, "Artist")
                .with_id(format!("id:{title}"))
                .into(),
            score,
            confident: score >= 0.75,
            reason: "test".into(),
        }
    }

    fn item(action: Action, candidates: Vec<Candidate>, remembered: bool) -> PlanItem {
        PlanItem {
            from: SideName::Left,
            source: Track::new("Song", "Artist").with_id("src:1").into(),
            source_key: "song|artist".into(),
            candidates,
            action,
            remembered,
        }
    }

    fn plan(items: Vec<PlanItem>) -> Plan {
        let mut p = Plan::default();
        p.items = items;
        p
    }

    #[test]
    fn defaults_preselect_only_confident_candidates_and_never_the_exact_name() {
        let confident = cand("Song", 0.95);
        let items = vec![
            item(
                Action::Add(confident.track.clone()),
                vec![confident.clone(), cand("Song - Live", 0.4)],
                false,
            ),
            item(Action::Review, vec![cand("Song - Live", 0.5)], false),
            item(Action::NotFound("no results".into()), vec![], false),
            item(Action::Skip("don't sync (remembered)".into()), vec![], true),
            item(Action::Failed("search failed".into()), vec![], false),
        ];
        let r = Review::new(plan(items));
        assert_eq!(
            r.choices,
            [
                Some(Choice::Candidate(0)),
                Some(Choice::Skip),
                Some(Choice::Skip),
                None,
                Some(Choice::Skip)
            ]
        );
        assert_eq!(r.uncertain(), 1);
    }

    #[test]
    fn resolving_remembers_only_what_a_person_decided() {
        let confident = cand("Song", 0.95);
        let live = cand("Song - Live", 0.5);
        let items = vec![
            item(
                Action::Add(confident.track.clone()),
                vec![confident.clone()],
                false,
            ),
            item(Action::Review, vec![live.clone()], false),
            item(Action::Review, vec![live.clone()], false),
            item(
                Action::Add(confident.track.clone()),
                vec![confident.clone()],
                false,
            ),
            item(Action::NotFound("no results".into()), vec![], false),
            item(Action::Review, vec![live.clone()], false),
            item(Action::Review, vec![live.clone()], false),
        ];
        let mut r = Review::new(plan(items));
        r.choices = vec![
            Some(Choice::Candidate(0)), // automatic pick: not remembered
            Some(Choice::Candidate(0)), // a person accepted an uncertain one
            Some(Choice::DontSync),
            Some(Choice::Skip), // skip a confident one this time
            Some(Choice::NotAvailable),
            Some(Choice::Exact),
            Some(Choice::Skip), // skipped: reported as skipped, asked next time
        ];
        let resolved = r.resolve(|_| true).expect("valid answers");
        let remember = resolved.to_remember().to_vec();
        let actions: Vec<String> = resolved
            .items
            .iter()
            .map(|i| match &i.action {
                Action::Add(t) => format!("add {}", t.title),
                Action::Skip(why) => format!("skip: {why}"),
                Action::NotFound(why) => format!("not found: {why}"),
                Action::Review => "review".into(),
                Action::Failed(why) => format!("failed: {why}"),
            })
            .collect();
        assert_eq!(
            actions,
            [
                "add Song",
                "add Song - Live",
                "skip: don't sync (remembered)",
                "skip: skipped in review",
                "not found: marked as not available (remembered)",
                "add Song",
                "skip: skipped in review",
            ]
        );
        let exact = r.plan.items[5].exact_source();
        assert_eq!(
            exact.id, None,
            "the source's id means nothing to the target"
        );
        assert_eq!(
            remember,
            [
                (1, Decision::Chosen(Track::clone(&live.track))),
                (2, Decision::DontSync),
                (4, Decision::NotAvailable),
                (5, Decision::Chosen(exact)),
            ]
        );
        assert!(
            matches!(r.plan.items[1].action, Action::Review),
            "the searched plan is kept"
        );
    }

    #[test]
    fn a_song_a_file_takes_as_it_is_keeps_its_id_and_is_not_remembered() {
        // A file is not searched: its plan adds the source itself.
        let as_is = || {
            let mut i = item(Action::Review, vec![], false);
            i.action = Action::Add(Arc::clone(&i.source));
            i
        };
        let items = vec![as_is(), as_is()];
        assert!(items.iter().all(PlanItem::taken_as_is));
        let mut r = Review::new(plan(items));
        assert_eq!(r.choices, [Some(Choice::Exact), Some(Choice::Exact)]);
        assert_eq!(r.uncertain(), 0);
        r.choose(1, Choice::Skip);
        let resolved = r.resolve(|_| true).expect("valid answers");
        match &resolved.items[0].action {
            Action::Add(t) => assert_eq!(
                t.id.as_ref().map(|i| i.as_str()),
                Some("src:1"),
                "where the song is stays with it"
            ),
            other => panic!("expected an add, got {other:?}"),
        }
        assert!(matches!(resolved.items[1].action, Action::Skip(_)));
        assert!(resolved.to_remember().is_empty(), "nothing here is news");
    }

    #[test]
    fn accepting_all_confident_keeps_what_a_person_chose_on_the_page() {
        let confident = cand("Song", 0.95);
        let items = vec![
            item(
                Action::Add(confident.track.clone()),
                vec![confident.clone()],
                false,
            ),
            item(
                Action::Add(confident.track.clone()),
                vec![confident.clone()],
                false,
            ),
            item(Action::Review, vec![cand("Song - Live", 0.5)], false),
        ];
        let mut r = Review::new(plan(items));
        r.choose(0, Choice::Skip); // the person's own
        r.choose(1, Choice::Candidate(0)); // as shown: not a choice of theirs
        r.choices[1] = Some(Choice::Skip); // e.g. left over from a reload
        assert_eq!(r.accept_confident(), (1, 1));
        assert_eq!(
            r.choices,
            [
                Some(Choice::Skip),
                Some(Choice::Candidate(0)),
                Some(Choice::Skip)
            ]
        );

        // A new search (after an answer was forgotten) keeps the choice.
        let mut again = Review::new(r.plan.clone());
        again.keep_choices_of(&r);
        assert_eq!(again.choices[0], Some(Choice::Skip));
        assert_eq!(again.choices[1], Some(Choice::Candidate(0)), "not chosen");
    }

    #[test]
    fn form_values_round_trip_and_bad_ones_are_refused() {
        for c in [
            Choice::Skip,
            Choice::Candidate(2),
            Choice::Exact,
            Choice::DontSync,
            Choice::NotAvailable,
        ] {
            assert_eq!(Choice::parse_token(&c.token(), 3, true), Some(c));
        }
        assert_eq!(
            Choice::parse_token("c3", 3, true),
            None,
            "no such candidate"
        );
        assert_eq!(
            Choice::parse_token("exact", 3, false),
            None,
            "target needs its catalogue"
        );
        assert_eq!(Choice::parse_token("c-1", 3, true), None);
        assert_eq!(Choice::parse_token("", 3, true), None);
    }
}
