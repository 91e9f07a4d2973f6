//! One sync, from two opened sides to a report: the steps both front ends
//! drive, in order, so neither keeps a copy of them.
//!
//! ```text
//! Session::compare(left, right) ─► unlink / relink pairs ─► plan() ─► Plan::answer(…) ─► run(plan, mode) ─► Report
//! ```
//! `run` takes the session and the plan by value: a plan that has run
//! cannot run again, and syncing again starts from a new comparison, which
//! re-reads both sides. Under [`Mode::DryRun`] nothing is written anywhere:
//! no service, no file, no remembered answer, no unlink, no journal.

use crate::compare::split_unlinked;
use crate::{
    Action, Comparison, Mode, Plan, PlanOptions, Report, Side, SideName, SyncResult, source_key,
};
use musync_core::{NoProgress, Progress, ServiceError};
use musync_store::{Store, Wait};

/// How a run goes about its writes.
pub struct WriteOptions<'a> {
    /// Write, or only decide.
    pub mode: Mode,
    /// Whether to wait for another run writing the same target.
    pub wait: Wait,
    /// Told once, before waiting, who holds the target.
    pub on_wait: &'a (dyn Fn(&str) + Send + Sync),
}

/// How many past runs (and their journal rows) the history keeps.
pub const KEEP_RUNS: usize = 200;

/// Two sides, read and compared, with the person's unlinks so far.
#[derive(Clone)]
pub struct Session {
    left: Side,
    right: Side,
    comparison: Comparison,
    /// Pairs the person marked as not the same song, by source key; saved
    /// when the session runs for real.
    unlinked: Vec<(String, String)>,
}

impl Session {
    /// Reads both sides (concurrently) and compares them.
    pub async fn compare(
        store: &Store,
        left: Side,
        right: Side,
        left_progress: &dyn Progress,
        right_progress: &dyn Progress,
    ) -> Result<Session, ServiceError> {
        let comparison =
            crate::compare(&left, &right, store, left_progress, right_progress).await?;
        Ok(Session {
            left,
            right,
            comparison,
            unlinked: Vec::new(),
        })
    }

    /// The left side.
    pub fn left(&self) -> &Side {
        &self.left
    }

    /// The right side.
    pub fn right(&self) -> &Side {
        &self.right
    }

    /// The side songs from `from` go to.
    pub fn target(&self, from: SideName) -> &Side {
        match from {
            SideName::Left => &self.right,
            SideName::Right => &self.left,
        }
    }

    /// Both playlists and how they relate (unlinks applied).
    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }

    /// Takes songs out of the "only on one side" lists before planning, so
    /// nothing is searched or added for them (saved syncs: songs the other
    /// side removed on purpose).
    pub(crate) fn set_aside(&mut self, from: SideName, indices: &std::collections::HashSet<usize>) {
        let list = match from {
            SideName::Left => &mut self.comparison.diff.only_left,
            SideName::Right => &mut self.comparison.diff.only_right,
        };
        list.retain(|i| !indices.contains(i));
    }

    /// Marks the matched pair `(left index, right index)` as two different
    /// songs: both become "only on one side". Returns false when they were
    /// not a matched pair.
    pub fn unlink(&mut self, left: usize, right: usize) -> bool {
        if !self.comparison.diff.matched.contains(&(left, right)) {
            return false;
        }
        let pair = (
            source_key(&self.comparison.left[left]),
            source_key(&self.comparison.right[right]),
        );
        let wanted = pair.clone();
        let split = split_unlinked(
            &mut self.comparison.diff,
            &self.comparison.left,
            &self.comparison.right,
            |a, b| a == wanted.0 && b == wanted.1,
        );
        self.comparison.unlinked.extend(split);
        self.unlinked.push(pair);
        true
    }

    /// Takes back an unlink (made now or remembered from before): the pair
    /// `(left index, right index)` is matched again and the store forgets
    /// that they differ, at once (the wizard's undo; like
    /// [`Session::unlink_and_remember`], it has no dry run). Returns false
    /// when the pair was not unlinked.
    pub fn relink_and_forget(
        &mut self,
        store: &Store,
        left: usize,
        right: usize,
    ) -> Result<bool, ServiceError> {
        if !crate::compare::rejoin(&mut self.comparison, left, right) {
            return Ok(false);
        }
        let pair = (
            source_key(&self.comparison.left[left]),
            source_key(&self.comparison.right[right]),
        );
        self.unlinked.retain(|p| *p != pair);
        store.relink(&pair.0, &pair.1)?;
        Ok(true)
    }

    /// [`Session::unlink`], saved at once: for a front end with no dry run
    /// (the wizard), where a person's unlink is a decision by itself.
    pub fn unlink_and_remember(
        &mut self,
        store: &Store,
        left: usize,
        right: usize,
    ) -> Result<bool, ServiceError> {
        if !self.unlink(left, right) {
            return Ok(false);
        }
        if let Some((l, r)) = self.unlinked.pop() {
            store.unlink(&l, &r)?;
        }
        Ok(true)
    }

    fn side(&self, name: SideName) -> &Side {
        match name {
            SideName::Left => &self.left,
            SideName::Right => &self.right,
        }
    }

    /// Unlinks this session made, not yet saved.
    pub fn unlinked(&self) -> &[(String, String)] {
        &self.unlinked
    }

    /// Searches every song one side lacks and plans what to add.
    pub async fn plan(
        &self,
        store: &Store,
        options: PlanOptions,
        on_searched: &(dyn Fn() + Send + Sync),
    ) -> Result<Plan, ServiceError> {
        crate::plan(
            &self.comparison,
            &self.left,
            &self.right,
            store,
            options,
            on_searched,
        )
        .await
    }

    /// Runs `plan` as [`Session::run_with`] does, waiting for another run
    /// that writes the same target (and logging that it waits).
    pub async fn run(
        self,
        store: &Store,
        plan: Plan,
        mode: Mode,
        on_result: &(dyn Fn(&SyncResult) + Send + Sync),
    ) -> Result<Report, ServiceError> {
        let options = WriteOptions {
            mode,
            wait: Wait::Block,
            on_wait: &|message| musync_core::activity_warn!("{message}"),
        };
        self.run_with(store, plan, options, on_result).await
    }

    /// Runs `plan`: takes the lock of every target it adds to (one writer
    /// per target across processes), reads those targets again under the
    /// lock so nothing another run added meanwhile is sent twice (unless
    /// the service's revision token shows it unchanged since), saves the
    /// person's answers and unlinks, applies the plan with a journal,
    /// records the run and prunes old ones. A dry run takes no lock and
    /// writes nothing. `on_result` sees each row as it is decided.
    pub async fn run_with(
        mut self,
        store: &Store,
        plan: Plan,
        options: WriteOptions<'_>,
        on_result: &(dyn Fn(&SyncResult) + Send + Sync),
    ) -> Result<Report, ServiceError> {
        let mode = options.mode;
        let mut _locks = Vec::new();
        if mode == Mode::Apply {
            let mut targets: Vec<SideName> = [SideName::Left, SideName::Right]
                .into_iter()
                .filter(|from| {
                    plan.closed(from.other()).is_none()
                        && plan
                            .items
                            .iter()
                            .any(|i| i.from == *from && matches!(i.action, Action::Add(_)))
                })
                .map(|from| from.other())
                .collect();
            // A fixed order, so two runs over the same two targets never
            // wait for each other crosswise.
            targets.sort_by_key(|name| self.side(*name).reference.clone());
            for name in targets {
                let side = self.side(name).clone();
                _locks.push(store.lock_target(&side.reference, options.wait, options.on_wait)?);
                let read = self.comparison.revision(name);
                let unchanged = read.is_some()
                    && side.service.revision(&side.playlist).await.as_deref() == read;
                if !unchanged {
                    let now = side.service.tracks(&side.playlist, &NoProgress).await?;
                    self.comparison.refresh_present(name, &now);
                }
            }
        }
        if mode == Mode::Apply {
            for (idx, decision) in plan.to_remember() {
                let item = &plan.items[*idx];
                store.set_decision(
                    &item.source_key,
                    &self.target(item.from).reference,
                    decision,
                )?;
            }
            for (left, right) in &self.unlinked {
                store.unlink(left, right)?;
            }
        }
        let run = match mode {
            Mode::Apply => {
                Some(store.begin_run(&self.left.reference, &self.right.reference, false)?)
            }
            Mode::DryRun => None,
        };
        let report = crate::apply(
            &plan,
            &self.comparison,
            &self.left,
            &self.right,
            store,
            run,
            mode,
            on_result,
        )
        .await?;
        if let Some(run) = run {
            store.finish_run(run, &report.summary())?;
            // Older runs only matter for history; their journal rows are settled.
            store.prune_runs(KEEP_RUNS)?;
        }
        Ok(report)
    }
}
