//! Saved syncs run unattended (issue 16): one run of a saved pair, built on
//! [`Session`], that never asks anything.
//!
//! ```text
//! lock ─► open sides ─► compare ─► baseline: songs the other side removed ─┬─► not_restored
//!                                                                          └─► (propagate) removed, guarded
//!       ─► plan the rest ─► uncertain songs → pending (review inbox) ─► run adds ─► new baseline
//! ```
//! The baseline is the set of songs on both sides after the last real run,
//! per side, by source key. A song of it now missing on one side was removed
//! there on purpose: it is never copied back, on this run or any later one
//! (it stays in the baseline marked `Removed` while the other side keeps
//! it). With `removals = propagate` it is removed from the other side too,
//! when songs flow into that side and it can remove, at most 20% of that
//! playlist's size before the run and 50 songs per run unless confirmed.
//! Removals are journaled like adds: before removing, the target is re-read
//! and an interrupted run's removal is not done twice.
//! A dry run decides the same and writes nothing: no service, no baseline,
//! no inbox, no journal.

use crate::pair_lock::PairLock;
use crate::{
    Action, Candidate, Direction, Mode, Opener, PlanOptions, Report, Role, Session, Side, SideName,
    Status, SyncResult, source_key,
};
use musync_core::{NoProgress, PlaylistEntry, ServiceError, Track};
use musync_store::{Baseline, BaselineState, JournalOutcome, PendingQuestion, SavedPair, Store};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Most songs one run removes from one playlist without confirmation.
pub const MAX_REMOVALS_PER_RUN: usize = 50;
/// Largest share of a playlist (its size before the run), in percent, one
/// run removes without confirmation.
pub const MAX_REMOVAL_PERCENT: usize = 20;

/// What a pair does with songs removed on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Removals {
    /// Never copy them back; leave the other side alone.
    Keep,
    /// Remove them from the other side too.
    Propagate,
}

impl Removals {
    /// The CLI word (`keep`, `propagate`).
    pub fn as_str(self) -> &'static str {
        match self {
            Removals::Keep => "keep",
            Removals::Propagate => "propagate",
        }
    }

    /// Reads the CLI word.
    pub fn parse(text: &str) -> Option<Removals> {
        match text {
            "keep" => Some(Removals::Keep),
            "propagate" => Some(Removals::Propagate),
            _ => None,
        }
    }
}

/// The CLI word of a direction (`both`, `to-right`, `to-left`).
pub fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Both => "both",
        Direction::ToRight => "to-right",
        Direction::ToLeft => "to-left",
    }
}

/// Reads a direction's CLI word.
pub fn parse_direction(text: &str) -> Option<Direction> {
    match text {
        "both" => Some(Direction::Both),
        "to-right" => Some(Direction::ToRight),
        "to-left" => Some(Direction::ToLeft),
        _ => None,
    }
}

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Decide everything, write nothing.
    pub dry_run: bool,
    /// The person confirmed removing more than the guard allows.
    pub allow_mass_removal: bool,
    /// Searches in flight at once.
    pub search_concurrency: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            dry_run: false,
            allow_mass_removal: false,
            search_concurrency: 4,
        }
    }
}

/// The outcome of one pair's run, shaped as one entry of `run --json`'s
/// `pairs`.
#[derive(Clone, Debug, Serialize)]
pub struct PairReport {
    /// The pair.
    pub name: String,
    /// Songs added.
    pub added: usize,
    /// Songs removed (dry run: would be removed).
    pub removed: usize,
    /// Songs skipped.
    pub skipped: usize,
    /// Songs not found.
    pub not_found: usize,
    /// Songs that failed, plus one when the pair itself failed.
    pub failed: usize,
    /// Songs queued for a person.
    pub pending: usize,
    /// Songs removed on one side and not copied back.
    pub not_restored: usize,
    /// Songs a real run would add (dry run).
    pub would_add: usize,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Why the pair failed as a whole (could not read a side, removal guard).
    pub error: Option<String>,
    /// A remark that is not a failure (skipped: another run holds the pair).
    pub note: Option<String>,
    /// One row per song, as `sync --json`'s results.
    pub results: Vec<SyncResult>,
    /// Notes from the sync (one-way because read-only, stopped early …).
    pub notes: Vec<String>,
}

impl PairReport {
    fn empty(name: &str, dry_run: bool) -> PairReport {
        PairReport {
            name: name.to_owned(),
            added: 0,
            removed: 0,
            skipped: 0,
            not_found: 0,
            failed: 0,
            pending: 0,
            not_restored: 0,
            would_add: 0,
            dry_run,
            error: None,
            note: None,
            results: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A pair that could not run at all.
    pub fn failure(name: &str, dry_run: bool, error: &ServiceError) -> PairReport {
        let mut message = error.to_string();
        if let Some(hint) = &error.hint {
            message.push_str(&format!(" (hint: {hint})"));
        }
        PairReport {
            failed: 1,
            error: Some(message),
            ..PairReport::empty(name, dry_run)
        }
    }

    fn from_report(name: &str, dry_run: bool, r: Report) -> PairReport {
        PairReport {
            added: r.added,
            removed: r.removed + r.would_remove,
            skipped: r.skipped,
            not_found: r.not_found,
            failed: r.failed,
            pending: r.pending,
            not_restored: r.not_restored,
            would_add: r.would_add,
            results: r.results,
            notes: r.notes,
            ..PairReport::empty(name, dry_run)
        }
    }

    /// Whether the run counts as failed (exit status 1).
    pub fn failed(&self) -> bool {
        self.failed > 0 || self.error.is_some()
    }

    /// The counts, for the pair's "last result" in the store.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "added": self.added, "removed": self.removed, "skipped": self.skipped,
            "not_found": self.not_found, "failed": self.failed, "pending": self.pending,
            "not_restored": self.not_restored, "error": self.error,
        })
    }
}

/// Runs the saved pair `pair` once. Never reads stdin, never blocks on
/// another run of the same pair (that one is skipped with a note). Fails
/// only on the state database; everything else is in the report.
pub async fn run_pair(
    store: &Store,
    opener: &Opener,
    pair: &SavedPair,
    opts: RunOptions,
) -> Result<PairReport, ServiceError> {
    let Some(_lock) = PairLock::try_acquire(store.data_dir(), &pair.name)? else {
        let mut r = PairReport::empty(&pair.name, opts.dry_run);
        r.note = Some("another musync is running this pair; skipped this time".to_owned());
        return Ok(r);
    };
    match run_locked(store, opener, pair, opts).await {
        Ok(r) => Ok(r),
        Err(e) if e.service == "musync state" => Err(e),
        Err(e) => {
            let r = PairReport::failure(&pair.name, opts.dry_run, &e);
            if !opts.dry_run {
                // So `pairs list` and the wizard show why the last run failed.
                store.record_pair_run(&pair.name, now_ms(), &r.summary())?;
            }
            Ok(r)
        }
    }
}

async fn run_locked(
    store: &Store,
    opener: &Opener,
    pair: &SavedPair,
    opts: RunOptions,
) -> Result<PairReport, ServiceError> {
    let direction = parse_direction(&pair.direction)
        .ok_or_else(|| bad_pair(pair, format!("unknown direction '{}'", pair.direction)))?;
    let removals = Removals::parse(&pair.removals)
        .ok_or_else(|| bad_pair(pair, format!("unknown removal policy '{}'", pair.removals)))?;
    let role = |from: SideName| {
        if direction.allows_from(from) {
            Role::Write
        } else {
            Role::Read
        }
    };
    let left = opener
        .side(store, &pair.left, role(SideName::Right))
        .await?;
    let right = opener
        .side(store, &pair.right, role(SideName::Left))
        .await?;
    // A file that held songs at the last run and is gone now was moved or
    // deleted, not emptied song by song: never read it as "all removed".
    let baseline = store.baseline(&pair.name)?;
    for (side, known) in [(&left, &baseline.left), (&right, &baseline.right)] {
        if side.missing_file && !known.is_empty() {
            return Err(ServiceError::new(
                musync_core::ErrorKind::NotFound,
                "Playlist file",
                "running a saved sync",
                format!(
                    "{} held {} songs at the last run and does not exist now",
                    side.reference,
                    known.len()
                ),
            )
            .with_hint(format!(
                "put the file back, or forget the pair: musync pairs remove {}",
                pair.name
            )));
        }
    }
    let mut session = Session::compare(store, left, right, &NoProgress, &NoProgress).await?;
    let mode = if opts.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };

    // Songs the other side lost since the last run: out of the plan.
    let gone = removed_since(&session, &baseline);
    for from in [SideName::Left, SideName::Right] {
        let set: HashSet<usize> = gone
            .iter()
            .filter(|g| g.on == from)
            .map(|g| g.index)
            .collect();
        session.set_aside(from, &set);
    }
    let mut extra = Report::default();
    let mut error = None;
    let mut still_there: Vec<&Gone> = Vec::new();
    for on in [SideName::Left, SideName::Right] {
        let songs: Vec<&Gone> = gone.iter().filter(|g| g.on == on).collect();
        if songs.is_empty() {
            continue;
        }
        let outcome = settle_removed(
            store, &session, pair, on, &songs, removals, direction, opts, mode, &mut extra,
        )
        .await?;
        if let Some(e) = outcome.error {
            error = Some(e);
        }
        still_there.extend(outcome.kept);
    }

    // Adds: the session's plan, with uncertain songs queued for a person.
    let mut plan = session
        .plan(
            store,
            PlanOptions {
                direction,
                search_concurrency: opts.search_concurrency,
            },
            &|| {},
        )
        .await?;
    let mut questions = Vec::new();
    plan.items.retain(|item| {
        if !matches!(item.action, Action::Review) {
            return true;
        }
        let target = session.target(item.from);
        questions.push(PendingQuestion {
            pair: pair.name.clone(),
            from: side_word(item.from).to_owned(),
            source_key: item.source_key.clone(),
            target_ref: target.reference.clone(),
            source: Track::clone(&item.source),
            candidates: candidates_json(&item.candidates),
            unlisted: target.service.capabilities().add_unlisted,
        });
        let best = item.candidates.first().map(|c| {
            format!(
                "best: {}, score {:.2}: {}",
                c.track.label(),
                c.score,
                c.reason
            )
        });
        extra.push(SyncResult {
            from: item.from,
            source: item.source.clone(),
            target: None,
            status: Status::Pending,
            reason: Some(format!(
                "no confident match ({}); answer with `musync review {}`",
                best.unwrap_or_else(|| "no candidates".to_owned()),
                pair.name
            )),
        });
        false
    });
    let cmp = session.comparison().clone();
    let report = session.run(store, plan, mode, &|_| {}).await?;

    let mut pr = PairReport::from_report(&pair.name, opts.dry_run, merge(report, extra));
    if let Some(e) = error {
        pr.failed += 1;
        pr.error = Some(e);
    }
    if !opts.dry_run {
        store.replace_pending(&pair.name, &questions)?;
        let next = next_baseline(&cmp, &pr.results, &still_there);
        if next != baseline {
            store.set_baseline(&pair.name, &next)?;
        }
        store.record_pair_run(&pair.name, now_ms(), &pr.summary())?;
    }
    Ok(pr)
}

/// A song of the baseline still on side `on` whose counterpart on the other
/// side is gone.
#[derive(Clone, Debug)]
struct Gone {
    on: SideName,
    index: usize,
    key: String,
    track: Track,
}

/// Songs only on one side that the baseline had on both (or already marks
/// as removed from the other side).
fn removed_since(session: &Session, baseline: &Baseline) -> Vec<Gone> {
    let cmp = session.comparison();
    let mut out = Vec::new();
    for (on, only, tracks, known) in [
        (
            SideName::Left,
            &cmp.diff.only_left,
            &cmp.left,
            &baseline.left,
        ),
        (
            SideName::Right,
            &cmp.diff.only_right,
            &cmp.right,
            &baseline.right,
        ),
    ] {
        for &i in only {
            let key = source_key(&tracks[i]);
            if known.contains_key(&key) {
                out.push(Gone {
                    on,
                    index: i,
                    key,
                    track: Track::clone(&tracks[i]),
                });
            }
        }
    }
    out
}

/// What became of the songs of one side whose counterpart was removed.
struct Settled<'a> {
    /// Still on that side (kept, guarded, failed or a dry run).
    kept: Vec<&'a Gone>,
    /// The pair fails with this (the removal guard).
    error: Option<String>,
}

/// Reports songs removed from the other side as `not_restored`, or removes
/// them from side `on` too when the pair propagates removals.
#[allow(clippy::too_many_arguments)]
async fn settle_removed<'a>(
    store: &Store,
    session: &Session,
    pair: &SavedPair,
    on: SideName,
    songs: &[&'a Gone],
    removals: Removals,
    direction: Direction,
    opts: RunOptions,
    mode: Mode,
    report: &mut Report,
) -> Result<Settled<'a>, ServiceError> {
    let side = side_of(session, on);
    let other = side_of(session, other_side(on));
    let row = |g: &Gone, status, reason: String| SyncResult {
        from: g.on,
        source: Arc::new(g.track.clone()),
        target: None,
        status,
        reason: Some(reason),
    };
    let not_restored = |report: &mut Report, why: &str| {
        for g in songs {
            report.push(row(
                g,
                Status::NotRestored,
                format!("removed from {} since the last run; {why}", other.label),
            ));
        }
        Settled {
            kept: songs.to_vec(),
            error: None,
        }
    };
    if removals == Removals::Keep {
        return Ok(not_restored(report, "not copied back"));
    }
    // Removals flow like adds: only into a side songs may go to.
    if !direction.allows_from(other_side(on)) {
        return Ok(not_restored(
            report,
            &format!(
                "not copied back, and not removed from {}: this pair only adds to {}",
                side.label, other.label
            ),
        ));
    }
    if let Some(reason) = remove_refused(side) {
        return Ok(not_restored(
            report,
            &format!("not copied back, and not removed: {reason}"),
        ));
    }
    let size = session_len(session, on);
    let n = songs.len();
    if !opts.allow_mass_removal
        && (n > MAX_REMOVALS_PER_RUN || n * 100 > size * MAX_REMOVAL_PERCENT)
    {
        let message = format!(
            "{n} of the {size} songs of {} were removed from {} since the last run: more than \
             one run removes ({MAX_REMOVAL_PERCENT}% of a playlist, at most \
             {MAX_REMOVALS_PER_RUN} songs), so nothing was removed from it; if this is what \
             you want, run `musync run {} --allow-mass-removal`",
            side.label, other.label, pair.name
        );
        for g in songs {
            report.push(row(
                g,
                Status::Failed,
                "not removed: too many removals at once (see the pair's error)".to_owned(),
            ));
        }
        return Ok(Settled {
            kept: songs.to_vec(),
            error: Some(message),
        });
    }
    if mode == Mode::DryRun {
        for g in songs {
            report.push(removal_row(
                g,
                Status::WouldRemove,
                format!("removed from {} since the last run", other.label),
            ));
        }
        return Ok(Settled {
            kept: Vec::new(),
            error: None,
        });
    }
    let kept = remove_journaled(store, side, other, songs, report).await?;
    Ok(Settled { kept, error: None })
}

/// Why nothing can be removed from `side`, if so.
fn remove_refused(side: &Side) -> Option<String> {
    let caps = side.service.capabilities();
    if !caps.remove_tracks {
        Some(format!(
            "{} cannot remove songs in musync",
            side.service.kind().display_name()
        ))
    } else if !side.writable {
        Some(format!("{} is read-only", side.label))
    } else {
        None
    }
}

/// Removes one occurrence of each song from `side`, journaled: the side is
/// re-read first (positions as they are now, and a removal an interrupted
/// run already made is not made again), then removed in batches from the
/// end, so earlier positions stay valid. Returns the songs left in place.
async fn remove_journaled<'a>(
    store: &Store,
    side: &Side,
    other: &Side,
    songs: &[&'a Gone],
    report: &mut Report,
) -> Result<Vec<&'a Gone>, ServiceError> {
    let fresh = side.service.tracks(&side.playlist, &NoProgress).await?;
    let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
    for (p, t) in fresh.iter().enumerate() {
        positions.entry(source_key(t)).or_default().push(p);
    }
    let run = store.begin_run(&side.reference, &other.reference, false)?;
    let why = format!("removed from {} since the last run", other.label);
    let mut todo: Vec<(&Gone, PlaylistEntry, usize)> = Vec::new();
    let mut kept = Vec::new();
    for g in songs {
        let at = positions.get(&g.key).cloned().unwrap_or_default();
        let seen = at.len();
        let done_before = store
            .unfinished_removal(&side.reference, &g.key, run)?
            .is_some_and(|u| seen < u.seen);
        if seen == 0 || done_before {
            let done = if seen == 0 {
                format!("already gone from {}", side.label)
            } else {
                // Another occurrence stays: keep it out of the other side,
                // and never remove a second one for this removal.
                kept.push(*g);
                "removed by an interrupted run".to_owned()
            };
            report.push(removal_row(g, Status::Removed, format!("{why} ({done})")));
            continue;
        }
        let position = at[0];
        todo.push((
            g,
            PlaylistEntry {
                position,
                track: fresh[position].clone(),
            },
            seen,
        ));
    }
    todo.sort_by_key(|t| std::cmp::Reverse(t.1.position));
    let batch = side
        .service
        .capabilities()
        .remove_max_batch
        .unwrap_or(usize::MAX)
        .max(1);
    let mut stop: Option<String> = None;
    for chunk in todo.chunks(batch) {
        if let Some(e) = &stop {
            for (g, _, _) in chunk {
                report.push(removal_row(
                    g,
                    Status::Failed,
                    format!("not attempted: {e}"),
                ));
                kept.push(*g);
            }
            continue;
        }
        for (g, _, seen) in chunk {
            store.journal_removing(run, &side.reference, &g.key, *seen)?;
        }
        let entries: Vec<PlaylistEntry> = chunk.iter().map(|(_, e, _)| e.clone()).collect();
        let outcome = side.service.remove(&side.playlist, &entries).await;
        let journal = match &outcome {
            Ok(()) => JournalOutcome::Added,
            Err(e) => JournalOutcome::Failed(e.to_string()),
        };
        for (g, _, seen) in chunk {
            store.journal_removal_done(run, &side.reference, &g.key, *seen, &journal)?;
            match &outcome {
                Ok(()) => report.push(removal_row(g, Status::Removed, why.clone())),
                Err(e) => {
                    report.push(removal_row(g, Status::Failed, format!("removing: {e}")));
                    kept.push(*g);
                }
            }
        }
        if let Err(e) = outcome
            && e.is_fatal_for_run()
        {
            stop = Some(e.to_string());
        }
    }
    store.finish_run(run, &serde_json::json!({"removed": report.removed}))?;
    Ok(kept)
}

fn removal_row(g: &Gone, status: Status, reason: String) -> SyncResult {
    let track = Arc::new(g.track.clone());
    SyncResult {
        from: other_side(g.on),
        source: Arc::clone(&track),
        target: Some(track),
        status,
        reason: Some(reason),
    }
}

/// The baseline after a real run: what both sides hold now (matched pairs,
/// songs added or found already there), plus the removed songs a side
/// still holds, marked so they stay out of the other side.
fn next_baseline(
    cmp: &crate::Comparison,
    results: &[SyncResult],
    still_there: &[&Gone],
) -> Baseline {
    let mut b = Baseline::default();
    for &(i, j) in &cmp.diff.matched {
        b.left
            .insert(source_key(&cmp.left[i]), BaselineState::Present);
        b.right
            .insert(source_key(&cmp.right[j]), BaselineState::Present);
    }
    for r in results {
        let on_target = matches!(r.status, Status::Added)
            || (r.status == Status::Skipped && r.target.is_some());
        if !on_target {
            continue;
        }
        let Some(target) = &r.target else { continue };
        let (src, dst) = match r.from {
            SideName::Left => (&mut b.left, &mut b.right),
            SideName::Right => (&mut b.right, &mut b.left),
        };
        src.insert(source_key(&r.source), BaselineState::Present);
        dst.insert(source_key(target), BaselineState::Present);
    }
    for g in still_there {
        let side = match g.on {
            SideName::Left => &mut b.left,
            SideName::Right => &mut b.right,
        };
        side.insert(g.key.clone(), BaselineState::Removed);
    }
    b
}

/// The plan's candidates as the review inbox keeps them.
fn candidates_json(candidates: &[Candidate]) -> serde_json::Value {
    serde_json::Value::Array(
        candidates
            .iter()
            .map(|c| serde_json::json!({"track": c.track, "score": c.score, "reason": c.reason}))
            .collect(),
    )
}

/// `report` with the rows decided outside the session appended.
fn merge(mut report: Report, extra: Report) -> Report {
    for r in extra.results {
        report.push(r);
    }
    report.notes.extend(extra.notes);
    report
}

fn side_of(session: &Session, name: SideName) -> &Side {
    match name {
        SideName::Left => session.left(),
        SideName::Right => session.right(),
    }
}

fn session_len(session: &Session, name: SideName) -> usize {
    match name {
        SideName::Left => session.comparison().left.len(),
        SideName::Right => session.comparison().right.len(),
    }
}

fn other_side(s: SideName) -> SideName {
    match s {
        SideName::Left => SideName::Right,
        SideName::Right => SideName::Left,
    }
}

/// `left` / `right`, as the store keeps sides.
pub fn side_word(s: SideName) -> &'static str {
    match s {
        SideName::Left => "left",
        SideName::Right => "right",
    }
}

fn bad_pair(pair: &SavedPair, what: String) -> ServiceError {
    ServiceError::new(
        musync_core::ErrorKind::InvalidInput,
        "musync",
        "running a saved sync",
        format!("the saved sync '{}' has {what}", pair.name),
    )
    .with_hint(format!(
        "remove it and save it again: musync pairs remove {}",
        pair.name
    ))
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
