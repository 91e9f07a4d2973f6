//! Step 3: carry out a plan, one journaled batch at a time.
//!
//! Before each batch the songs are journaled `pending`, after it `added` or
//! `failed`, so an interrupted run never adds a song twice: the next plan
//! skips what the journal says was added, and a chosen track already in the
//! target is never sent again. A failing batch fails only its songs; only
//! errors that would fail every next song (an expired sign-in, no
//! permission) stop the run, and the songs not attempted say so.

use crate::compare::TrackIndex;
use crate::report::{Report, Status, SyncResult};
use crate::{Action, Comparison, Plan, PlanItem, Side, SideName};
use musync_core::activity::count;
use musync_core::{ServiceError, Track};
use musync_store::{JournalOutcome, RunId, Store};
use std::collections::HashSet;
use std::sync::Arc;

/// The one gate every write passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Decide everything, write nothing: adds become `would_add`.
    DryRun,
    /// Write.
    Apply,
}

/// Applies `plan`. Items still in `Review` become `not_found` (nobody chose).
/// `on_result` sees each row as it is decided, for live progress.
///
/// Service errors never abort: they become `failed` rows, and an error that
/// would fail every next song on a side stops that side with a note. Only a
/// state database failure is returned as an error.
// Each argument is a distinct input of the step (plan, what was read, the
// two sides, state, run, mode, observer); bundling them would only hide that.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    plan: &Plan,
    cmp: &Comparison,
    left: &Side,
    right: &Side,
    store: &Store,
    run: Option<RunId>,
    mode: Mode,
    on_result: &(dyn Fn(&SyncResult) + Send + Sync),
) -> Result<Report, ServiceError> {
    let mut report = Report {
        // One row per item, sized up front: no doubling of a list of
        // hundreds of thousands of rows at the run's peak.
        results: Vec::with_capacity(plan.items.len()),
        notes: plan.notes.clone(),
        ..Report::default()
    };
    for (from, target, target_name) in [
        (SideName::Left, right, SideName::Right),
        (SideName::Right, left, SideName::Left),
    ] {
        let items: Vec<&PlanItem> = plan.items.iter().filter(|i| i.from == from).collect();
        if items.is_empty() {
            continue;
        }
        let stop = apply_side(
            &items,
            target,
            plan.closed(target_name),
            cmp.present_in(target_name),
            store,
            run,
            mode,
            &mut report,
            on_result,
        )
        .await?;
        if let Some(e) = stop {
            report
                .notes
                .push(format!("stopped adding to {} early: {e}", target.label));
        }
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn apply_side(
    items: &[&PlanItem],
    target: &Side,
    closed: Option<&str>,
    present: &TrackIndex,
    store: &Store,
    run: Option<RunId>,
    mode: Mode,
    report: &mut Report,
    on_result: &(dyn Fn(&SyncResult) + Send + Sync),
) -> Result<Option<ServiceError>, ServiceError> {
    let emit =
        |report: &mut Report, item: &PlanItem, target: Option<Arc<Track>>, status, reason| {
            let row = SyncResult {
                from: item.from,
                source: Arc::clone(&item.source),
                target,
                status,
                reason,
            };
            on_result(&row);
            report.push(row);
        };

    // Settle everything that is not an add; collect adds, never the same
    // target track twice and never one the target already has.
    let mut adds: Vec<(&PlanItem, &Arc<Track>)> = Vec::new();
    let mut planned = PlannedAdds::default();
    for item in items {
        match &item.action {
            Action::Add(track) => {
                if present.contains(track) {
                    emit(
                        report,
                        item,
                        Some(Arc::clone(track)),
                        Status::Skipped,
                        Some("already in the target".to_owned()),
                    );
                } else if !planned.insert(track) {
                    emit(
                        report,
                        item,
                        Some(Arc::clone(track)),
                        Status::Skipped,
                        Some("another song in this sync adds the same track".to_owned()),
                    );
                } else {
                    adds.push((item, track));
                }
            }
            Action::Skip(reason) => emit(report, item, None, Status::Skipped, Some(reason.clone())),
            Action::NotFound(reason) => {
                emit(report, item, None, Status::NotFound, Some(reason.clone()))
            }
            Action::Failed(reason) => {
                emit(report, item, None, Status::Failed, Some(reason.clone()))
            }
            Action::Review => {
                let reason = match item.candidates.first() {
                    Some(best) => format!(
                        "no confident match (best: {}, score {:.2}: {})",
                        best.track.label(),
                        best.score,
                        best.reason
                    ),
                    None => "no match found".to_owned(),
                };
                emit(report, item, None, Status::NotFound, Some(reason))
            }
        }
    }

    if let Some(why) = closed {
        // Planning found the target's sign-in dead: send it nothing more.
        for (item, track) in adds {
            emit(
                report,
                item,
                Some(Arc::clone(track)),
                Status::Failed,
                Some(why.to_owned()),
            );
        }
        return Ok(None);
    }
    let run = match (mode, run) {
        (Mode::Apply, Some(run)) => run,
        // A dry run (or a run without a journal, which would be a bug)
        // writes nothing.
        _ => {
            for (item, track) in adds {
                emit(
                    report,
                    item,
                    Some(Arc::clone(track)),
                    Status::WouldAdd,
                    None,
                );
            }
            return Ok(None);
        }
    };

    let batch_size = target
        .service
        .capabilities()
        .add_max_batch
        .unwrap_or(usize::MAX)
        .max(1);
    let mut stop: Option<ServiceError> = None;
    if !adds.is_empty() {
        musync_core::activity!(
            "Adding {} to {}",
            count(adds.len(), "song", "songs"),
            target.label
        );
    }
    let (mut added, mut failed) = (0, 0);
    for batch in adds.chunks(batch_size) {
        if let Some(e) = &stop {
            for (item, track) in batch {
                emit(
                    report,
                    item,
                    Some(Arc::clone(track)),
                    Status::Failed,
                    Some(format!("not attempted: {e}")),
                );
            }
            continue;
        }
        let rows: Vec<(&str, &Track)> = batch
            .iter()
            .map(|(i, t)| (i.source_key.as_str(), t.as_ref()))
            .collect();
        store.journal_pending_many(run, &target.reference, rows.iter().copied())?;
        // Shared, not copied: a file takes a whole sync as one batch.
        let tracks: Vec<Arc<Track>> = batch.iter().map(|(_, t)| Arc::clone(t)).collect();
        let outcome = target.service.add_shared(&target.playlist, &tracks).await;
        let journal = match &outcome {
            Ok(()) => JournalOutcome::Added,
            Err(e) => JournalOutcome::Failed(e.to_string()),
        };
        let keys: Vec<&str> = batch.iter().map(|(i, _)| i.source_key.as_str()).collect();
        store.journal_done_many(run, &target.reference, keys.iter().map(|k| (*k, &journal)))?;
        match &outcome {
            Ok(()) => added += batch.len(),
            Err(e) => {
                failed += batch.len();
                musync_core::activity_warn!(
                    "Could not add {} to {}: {e}",
                    count(batch.len(), "song", "songs"),
                    target.label
                );
            }
        }
        if adds.len() > batch_size
            && outcome.is_ok()
            && musync_core::activity::worth_telling(added, adds.len())
        {
            musync_core::activity!("Added {added} of {} to {}", adds.len(), target.label);
        }
        for (item, track) in batch {
            match &outcome {
                Ok(()) => emit(report, item, Some(Arc::clone(track)), Status::Added, None),
                Err(e) => emit(
                    report,
                    item,
                    Some(Arc::clone(track)),
                    Status::Failed,
                    Some(e.to_string()),
                ),
            }
        }
        if let Err(e) = outcome
            && e.is_fatal_for_run()
        {
            stop = Some(e);
        }
    }
    if !adds.is_empty() {
        let failed_note = match failed {
            0 => String::new(),
            n => format!(", {n} failed"),
        };
        let not_tried = adds.len() - added - failed;
        let not_tried_note = match not_tried {
            0 => String::new(),
            n => format!(", {n} not attempted"),
        };
        musync_core::activity!(
            "Finished adding to {}: {} added{failed_note}{not_tried_note}",
            target.label,
            added
        );
    }
    Ok(stop)
}

/// The tracks one run adds to one target, so two sources never add the
/// same track twice. Tracks with a service id are the same when the ids
/// are; tracks without one (files, Last.fm) when they share an identity key
/// and the matcher says they are the same recording, the rule the diff
/// uses: two recordings with the same name but other ISRCs or durations are
/// both added.
#[derive(Default)]
struct PlannedAdds<'a> {
    ids: HashSet<&'a str>,
    by_key: std::collections::HashMap<String, Vec<&'a Track>>,
}

impl<'a> PlannedAdds<'a> {
    /// Records `track`; false when the run already adds the same one.
    fn insert(&mut self, track: &'a Track) -> bool {
        if let Some(id) = &track.id {
            return self.ids.insert(id.0.as_str());
        }
        let same = self
            .by_key
            .entry(musync_match::track_key(track))
            .or_default();
        if same.iter().any(|t| musync_match::compare(t, track).same) {
            return false;
        }
        same.push(track);
        true
    }
}
