//! Step 2: for every song one side lacks, decide what to add: a remembered
//! decision, a confident search match, a question for the user, or nothing.

use crate::compare::TrackIndex;
use crate::{Comparison, Direction, Side, SideName, source_key};
use futures::StreamExt;
use musync_core::activity::{count, worth_telling};
use musync_core::{ServiceError, Track};
use musync_store::{Decision, Store};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A ranked search candidate for a song.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// The candidate as the target service returned it (shared with the
    /// action that adds it).
    pub track: Arc<Track>,
    /// Same-recording score, 0..1.
    pub score: f32,
    /// Whether the score is high enough to pick it without asking.
    pub confident: bool,
    /// Short human reason ("same ISRC", "live version vs studio").
    pub reason: String,
}

/// What to do with one song.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "action", content = "detail", rename_all = "snake_case")]
pub enum Action {
    /// Add this track to the other side (shared with the plan item's
    /// source when the target takes the song as it is).
    Add(Arc<Track>),
    /// Do not add; the reason says why (don't sync, already added …).
    Skip(String),
    /// Nothing suitable exists in the target.
    NotFound(String),
    /// Candidates exist but none is confidently the same recording: a person
    /// must choose (without one, it becomes `not_found`).
    Review,
    /// Searching failed for this song.
    Failed(String),
}

impl Action {
    /// What a person's answer (given now or remembered from an earlier
    /// run) means for the song. The CLI review, the wizard and planning all
    /// word "don't sync" and "not available" through here.
    pub fn answered(decision: &Decision) -> Action {
        match decision {
            Decision::DontSync => Action::Skip("don't sync (remembered)".to_owned()),
            Decision::NotAvailable => {
                Action::NotFound("marked as not available (remembered)".to_owned())
            }
            Decision::Chosen(track) => Action::Add(Arc::new(track.clone())),
        }
    }

    /// A song a person passed over this time, without remembering it.
    pub fn skipped_in_review() -> Action {
        Action::Skip("skipped in review".to_owned())
    }
}

/// One song missing on one side.
#[derive(Clone, Debug, Serialize)]
pub struct PlanItem {
    /// The side the song is on.
    pub from: SideName,
    /// The song (shared with the report's row about it).
    pub source: Arc<Track>,
    /// Its key for remembered decisions.
    pub source_key: String,
    /// Ranked candidates in the other service, best first.
    pub candidates: Vec<Candidate>,
    /// The planned action.
    pub action: Action,
    /// Whether the action came from a remembered decision.
    pub remembered: bool,
}

impl PlanItem {
    /// Whether the target takes the source itself, unsearched (a file: it
    /// has nothing to search and keeps the song's id, where the song is).
    pub fn taken_as_is(&self) -> bool {
        self.candidates.is_empty()
            && matches!(&self.action, Action::Add(t) if Arc::ptr_eq(t, &self.source))
    }

    /// The source as the target would store it under its exact name (for
    /// services that accept any track): no foreign id.
    pub fn exact_source(&self) -> Track {
        Track {
            id: None,
            ..Track::clone(&self.source)
        }
    }
}

/// Everything a sync would do, reviewable before anything is written.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Plan {
    /// One item per song missing on a side that may receive songs.
    pub items: Vec<PlanItem>,
    /// Notes for the person, e.g. why a direction was dropped.
    pub notes: Vec<String>,
    /// A person's answers to remember when the plan runs for real.
    #[serde(skip)]
    pub(crate) to_remember: Vec<(usize, Decision)>,
    /// Targets whose sign-in died (or whose permission was refused) while
    /// searching, with why: nothing is sent to them when the plan runs, not
    /// even the re-read before adding, and their adds are "not attempted".
    #[serde(skip)]
    pub(crate) closed: Vec<(SideName, String)>,
}

impl Plan {
    /// Why nothing may be written to `target` (its sign-in died while
    /// searching), if so.
    pub fn closed(&self, target: SideName) -> Option<&str> {
        self.closed
            .iter()
            .find(|(side, _)| *side == target)
            .map(|(_, why)| why.as_str())
    }

    /// Items still waiting for a person.
    pub fn needs_review(&self) -> impl Iterator<Item = &PlanItem> {
        self.items
            .iter()
            .filter(|i| matches!(i.action, Action::Review))
    }
}

/// Knobs for planning.
#[derive(Clone, Copy, Debug)]
pub struct PlanOptions {
    /// Which way songs may flow.
    pub direction: Direction,
    /// Searches in flight at once per target.
    pub search_concurrency: usize,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            direction: Direction::Both,
            search_concurrency: 4,
        }
    }
}

/// Builds the plan. Fails only on what would fail every song (the target
/// cannot be written in the one requested direction, an expired sign-in
/// while searching, the state database); a search error on one song becomes
/// that song's `Failed` action.
///
/// `on_searched` is called once per missing song when its action is known
/// (remembered, taken as it is, or searched), for progress.
pub async fn plan(
    cmp: &Comparison,
    left: &Side,
    right: &Side,
    store: &Store,
    opts: PlanOptions,
    on_searched: &(dyn Fn() + Send + Sync),
) -> Result<Plan, ServiceError> {
    let mut out = Plan::default();
    for (from, source_side, target_side, indices, sources, target_name) in [
        (
            SideName::Left,
            left,
            right,
            &cmp.diff.only_left,
            &cmp.left,
            SideName::Right,
        ),
        (
            SideName::Right,
            right,
            left,
            &cmp.diff.only_right,
            &cmp.right,
            SideName::Left,
        ),
    ] {
        if !opts.direction.allows_from(from) || indices.is_empty() {
            continue;
        }
        if let Some(reason) = target_side.read_only_reason() {
            if opts.direction != Direction::Both {
                return Err(ServiceError::new(
                    musync_core::ErrorKind::Unsupported,
                    target_side.service.kind().display_name(),
                    "planning the sync",
                    format!("{reason}: nothing can be added to {}", target_side.label),
                )
                .with_hint("sync the other way (--direction) or choose a writable playlist"));
            }
            out.notes.push(format!(
                "{reason}: songs only in {} are not copied to it (one-way sync)",
                source_side.label
            ));
            continue;
        }
        let (items, stopped) = plan_direction(
            from,
            target_side,
            indices.iter().map(|&i| &sources[i]),
            cmp.present_in(target_name),
            store,
            opts.search_concurrency,
            on_searched,
        )
        .await?;
        out.items.extend(items);
        if let Some(e) = stopped {
            let hint = e
                .hint
                .as_deref()
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            // A dead sign-in fails every write too; a rate limit may have
            // passed by the time the songs found are added, so they are tried.
            if matches!(
                e.kind,
                musync_core::ErrorKind::AuthExpired | musync_core::ErrorKind::PermissionDenied
            ) {
                out.closed
                    .push((target_name, format!("not attempted: {e}{hint}")));
            }
            out.notes.push(format!(
                "stopped searching in {} early: {e}{hint}",
                target_side.label
            ));
        }
    }
    Ok(out)
}

async fn plan_direction<'a>(
    from: SideName,
    target: &Side,
    sources: impl Iterator<Item = &'a Arc<Track>>,
    present: &TrackIndex,
    store: &Store,
    concurrency: usize,
    on_searched: &(dyn Fn() + Send + Sync),
) -> Result<(Vec<PlanItem>, Option<ServiceError>), ServiceError> {
    let decisions = store.decisions_for(&target.reference)?;
    let caps = target.service.capabilities();

    // First the songs settled without searching, then search the rest with
    // bounded concurrency, keeping playlist order in the result. Sized up
    // front: a file's missing songs may be hundreds of thousands.
    let mut items: Vec<PlanItem> = Vec::with_capacity(sources.size_hint().0);
    let mut to_search: Vec<usize> = Vec::new();
    for source in sources {
        let key = source_key(source);
        let mut item = PlanItem {
            from,
            source: Arc::clone(source),
            source_key: key.clone(),
            candidates: Vec::new(),
            action: Action::Review,
            remembered: false,
        };
        if let Some(action) = settled(&key, &decisions, present) {
            item.action = action;
            item.remembered = true;
            on_searched();
        } else if !caps.search {
            // A target that takes any song as it is (a file): nothing to
            // search or rank.
            item.action = Action::Add(item.source.clone());
            on_searched();
        } else {
            to_search.push(items.len());
        }
        items.push(item);
    }

    let queries: Vec<(usize, Arc<Track>)> = to_search
        .iter()
        .map(|&idx| (idx, items[idx].source.clone()))
        .collect();
    let total = queries.len();
    if total > 0 {
        musync_core::activity!(
            "Searching for {} missing from {}",
            count(total, "song", "songs"),
            target.label
        );
    }
    let mut searches = futures::stream::iter(queries.into_iter().map(|(idx, source)| {
        let service = target.service.clone();
        async move {
            let found = service.search(&source).await;
            on_searched();
            (idx, found)
        }
    }))
    .buffer_unordered(concurrency.max(1));

    let mut searched = vec![false; items.len()];
    let mut stopped: Option<ServiceError> = None;
    let mut done = 0;
    while let Some((idx, found)) = searches.next().await {
        searched[idx] = true;
        done += 1;
        if worth_telling(done, total) {
            musync_core::activity!("Searched {done} of {total} for {}", target.label);
        }
        let item = &mut items[idx];
        match found {
            Ok(candidates) => {
                item.candidates = rank(&item.source, candidates);
                item.action = match item.candidates.first() {
                    None => Action::NotFound(format!(
                        "no results in {}",
                        target.service.kind().display_name()
                    )),
                    Some(best) if best.confident => Action::Add(Arc::clone(&best.track)),
                    Some(_) => Action::Review,
                };
            }
            Err(e) if e.is_fatal_for_run() => {
                // Every next search would fail the same way: stop now
                // (dropping the stream cancels the searches in flight).
                item.action = Action::Failed(format!("search failed: {e}"));
                stopped = Some(e);
                break;
            }
            Err(e) => item.action = Action::Failed(format!("search failed: {e}")),
        }
    }
    drop(searches);
    if let Some(e) = &stopped {
        musync_core::activity_warn!(
            "Stopped searching for {} after {done} of {total}: {e}",
            target.label
        );
        let why = match &e.hint {
            Some(hint) => format!("not attempted: {e} ({hint})"),
            None => format!("not attempted: {e}"),
        };
        for idx in to_search {
            if !searched[idx] {
                items[idx].action = Action::Failed(why.clone());
            }
        }
    }
    Ok((items, stopped))
}

/// A decision that needs no search: a person's remembered answer.
///
/// The journal is deliberately not consulted: a song an earlier (or an
/// interrupted) run added is found again in the target, which was just read,
/// and skipped there as "already in the target"; a song the target no longer
/// has is searched and added again, never kept out by history.
pub fn settled(
    key: &str,
    decisions: &HashMap<String, Decision>,
    target_tracks: &TrackIndex,
) -> Option<Action> {
    decisions.get(key).map(|decision| match decision {
        Decision::Chosen(track) if target_tracks.contains(track) => {
            Action::Skip("already in the target (remembered choice)".to_owned())
        }
        other => Action::answered(other),
    })
}

/// Ranks what a search found for `source`, best first, each with its score
/// and reason. A candidate equal to the source (what a target that takes
/// any track, a file, finds) shares the source instead of a copy per song.
pub fn rank(source: &Arc<Track>, found: Vec<Track>) -> Vec<Candidate> {
    let ranked = musync_match::rank(source, &found);
    // Each candidate is ranked once: move it into its place, no copy.
    let mut found: Vec<Option<Track>> = found.into_iter().map(Some).collect();
    let share = |track: Track| {
        if track == **source {
            Arc::clone(source)
        } else {
            Arc::new(track)
        }
    };
    ranked
        .into_iter()
        .filter_map(|r| {
            Some(Candidate {
                track: share(found.get_mut(r.index)?.take()?),
                score: r.score,
                confident: r.confident,
                reason: r.reason,
            })
        })
        .collect()
}
