//! Long work (reading playlists, searching, syncing, waiting for a sign-in)
//! runs as background tokio tasks the page polls, so no request waits on a
//! service and the user can always leave or cancel.
//!
//! A job owns a [`JobStatus`] (state, progress bars, a URL to show, the
//! error, live result rows) that its task updates through a [`JobHandle`].
//! Cancelling aborts the task at its next `.await`: the future is dropped,
//! so nothing after that point runs (the sync journal makes an interrupted
//! sync safe to resume). Every task runs under the wizard's log dispatcher.

use crate::report::ResultRow;
use musync_core::{Progress, ServiceError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::task::AbortHandle;
use tracing::Dispatch;
use tracing::instrument::WithSubscriber;

/// Finished jobs kept for their pages; older ones are forgotten.
const KEEP_FINISHED: usize = 64;

/// What a job is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Waiting for a person to finish signing in to a service.
    SignIn,
    /// Reading both playlists (step 1).
    Compare,
    /// Searching the missing songs (step 2).
    Search,
    /// Adding the chosen songs (step 3).
    Sync,
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Still working.
    Running,
    /// Finished successfully.
    Done,
    /// Stopped by an error (see `error`).
    Failed,
    /// Stopped by the user (or by leaving the step).
    Cancelled,
}

/// One progress bar of a job.
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    /// What is counted, e.g. `Amazon Music: Road trip`.
    pub label: String,
    /// Items done.
    pub done: u64,
    /// Items in all, once known.
    pub total: Option<u64>,
}

/// Everything the page shows about a job.
#[derive(Clone, Debug, Serialize)]
pub struct JobStatus {
    /// Job id.
    pub id: u64,
    /// What it is for.
    pub kind: JobKind,
    /// Human title, e.g. `Signing in to Last.fm`.
    pub title: String,
    /// Where it is.
    pub state: JobState,
    /// Progress bars.
    pub bars: Vec<Bar>,
    /// A status line.
    pub message: Option<String>,
    /// An address the person must open (Last.fm and Spotify sign-in).
    pub url: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// What to do about the failure.
    pub hint: Option<String>,
    /// How many result rows exist (rows are fetched with `after`).
    pub rows: usize,
    #[serde(skip)]
    row_list: Vec<ResultRow>,
}

/// A failure that ends a job, shown on the page.
#[derive(Debug)]
pub struct JobError {
    /// One line on what went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl From<ServiceError> for JobError {
    fn from(e: ServiceError) -> Self {
        JobError {
            message: e.to_string(),
            hint: e.hint.clone(),
        }
    }
}

impl From<musync_store::StoreError> for JobError {
    fn from(e: musync_store::StoreError) -> Self {
        JobError {
            message: e.to_string(),
            hint: e.hint.clone(),
        }
    }
}

impl JobError {
    /// A failure with a message only.
    pub fn msg(message: impl Into<String>) -> Self {
        JobError {
            message: message.into(),
            hint: None,
        }
    }
}

/// The task's side of a job: updates its status.
#[derive(Clone)]
pub struct JobHandle {
    status: Arc<Mutex<JobStatus>>,
}

impl JobHandle {
    fn lock(&self) -> MutexGuard<'_, JobStatus> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the status line.
    pub fn message(&self, message: impl Into<String>) {
        self.lock().message = Some(message.into());
    }

    /// Sets the address the person must open.
    pub fn url(&self, url: &str) {
        self.lock().url = Some(url.to_owned());
    }

    /// Adds a progress bar and returns its index.
    pub fn add_bar(&self, label: impl Into<String>, total: Option<u64>) -> usize {
        let mut st = self.lock();
        st.bars.push(Bar {
            label: label.into(),
            done: 0,
            total,
        });
        st.bars.len() - 1
    }

    /// A [`Progress`] feeding bar `index`.
    pub fn progress(&self, index: usize) -> BarProgress {
        BarProgress {
            handle: self.clone(),
            index,
        }
    }

    /// Appends a live result row (step 3).
    pub fn push_row(&self, row: ResultRow) {
        let mut st = self.lock();
        st.row_list.push(row);
        st.rows = st.row_list.len();
    }

    fn update_bar(&self, index: usize, f: impl FnOnce(&mut Bar)) {
        if let Some(bar) = self.lock().bars.get_mut(index) {
            f(bar);
        }
    }
}

/// Progress of one bar, for services and the engine.
pub struct BarProgress {
    handle: JobHandle,
    index: usize,
}

impl BarProgress {
    /// Counts one more item done.
    pub fn tick(&self) {
        self.advance(1);
    }
}

impl Progress for BarProgress {
    fn set_total(&self, total: u64) {
        self.handle
            .update_bar(self.index, |b| b.total = Some(total));
    }
    fn advance(&self, n: u64) {
        self.handle.update_bar(self.index, |b| b.done += n);
    }
    fn message(&self, msg: &str) {
        self.handle.message(msg);
    }
}

struct Entry {
    status: Arc<Mutex<JobStatus>>,
    abort: AbortHandle,
}

/// Every job of this server.
pub struct Jobs {
    entries: Mutex<BTreeMap<u64, Entry>>,
    next: AtomicU64,
    dispatch: Dispatch,
}

impl Jobs {
    /// No jobs yet; tasks will log through `dispatch`.
    pub fn new(dispatch: Dispatch) -> Jobs {
        Jobs {
            entries: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(1),
            dispatch,
        }
    }

    fn entries(&self) -> MutexGuard<'_, BTreeMap<u64, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts `work` in the background and returns the job's id. The job is
    /// `done` when `work` returns `Ok`, `failed` with its message on `Err`.
    pub fn spawn<F, Fut>(&self, kind: JobKind, title: impl Into<String>, work: F) -> u64
    where
        F: FnOnce(JobHandle) -> Fut,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let status = Arc::new(Mutex::new(JobStatus {
            id,
            kind,
            title: title.into(),
            state: JobState::Running,
            bars: Vec::new(),
            message: None,
            url: None,
            error: None,
            hint: None,
            rows: 0,
            row_list: Vec::new(),
        }));
        let handle = JobHandle {
            status: status.clone(),
        };
        let fut = work(handle.clone());
        // Holding the map while spawning: a cancel cannot run between the
        // task starting and its abort handle being known.
        let mut entries = self.entries();
        let task = tokio::spawn(
            async move {
                let outcome = fut.await;
                let mut st = handle.lock();
                if st.state == JobState::Running {
                    match outcome {
                        Ok(()) => st.state = JobState::Done,
                        Err(e) => {
                            tracing::warn!(target: "musync_web", job = id, error = %e.message, "job failed");
                            st.state = JobState::Failed;
                            st.error = Some(e.message);
                            st.hint = e.hint;
                        }
                    }
                }
            }
            .with_subscriber(self.dispatch.clone()),
        );
        entries.insert(
            id,
            Entry {
                status,
                abort: task.abort_handle(),
            },
        );
        prune(&mut entries);
        id
    }

    /// The status of job `id`.
    pub fn status(&self, id: u64) -> Option<JobStatus> {
        let entries = self.entries();
        let entry = entries.get(&id)?;
        let st = entry.status.lock().unwrap_or_else(|p| p.into_inner());
        Some(st.clone())
    }

    /// Result rows of job `id` after the first `after`.
    pub fn rows_after(&self, id: u64, after: usize) -> Vec<ResultRow> {
        let entries = self.entries();
        let Some(entry) = entries.get(&id) else {
            return Vec::new();
        };
        let st = entry.status.lock().unwrap_or_else(|p| p.into_inner());
        st.row_list.iter().skip(after).cloned().collect()
    }

    /// Stops job `id` if it is running; returns whether it was.
    pub fn cancel(&self, id: u64) -> bool {
        let entries = self.entries();
        let Some(entry) = entries.get(&id) else {
            return false;
        };
        let mut st = entry.status.lock().unwrap_or_else(|p| p.into_inner());
        if st.state != JobState::Running {
            return false;
        }
        entry.abort.abort();
        st.state = JobState::Cancelled;
        tracing::info!(target: "musync_web", job = id, title = %st.title, "cancelled");
        true
    }

    /// Stops every running job (server shutdown).
    pub fn cancel_all(&self) {
        let ids: Vec<u64> = self.entries().keys().copied().collect();
        for id in ids {
            self.cancel(id);
        }
    }

    /// Jobs of `kind`, oldest first.
    pub fn of_kind(&self, kind: JobKind) -> Vec<JobStatus> {
        let entries = self.entries();
        entries
            .values()
            .map(|e| e.status.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .filter(|s| s.kind == kind)
            .collect()
    }
}

/// Forgets the oldest finished jobs beyond [`KEEP_FINISHED`].
fn prune(entries: &mut BTreeMap<u64, Entry>) {
    let finished: Vec<u64> = entries
        .iter()
        .filter(|(_, e)| {
            e.status.lock().unwrap_or_else(|p| p.into_inner()).state != JobState::Running
        })
        .map(|(id, _)| *id)
        .collect();
    let extra = finished.len().saturating_sub(KEEP_FINISHED);
    for id in finished.into_iter().take(extra) {
        entries.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    async fn wait_state(jobs: &Jobs, id: u64, want: JobState) -> JobStatus {
        for _ in 0..200 {
            let st = jobs.status(id).expect("job exists");
            if st.state == want {
                return st;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("job {id} never reached {want:?}: {:?}", jobs.status(id));
    }

    #[tokio::test]
    async fn a_job_reports_progress_then_done_or_its_error() {
        let jobs = Jobs::new(Dispatch::none());
        let ok = jobs.spawn(JobKind::Compare, "reading", |h| async move {
            let bar = h.add_bar("left", None);
            let p = h.progress(bar);
            p.set_total(3);
            p.advance(2);
            p.tick();
            Ok(())
        });
        let st = wait_state(&jobs, ok, JobState::Done).await;
        assert_eq!((st.bars[0].done, st.bars[0].total), (3, Some(3)));

        let bad = jobs.spawn(JobKind::Search, "searching", |_| async move {
            Err(JobError {
                message: "Last.fm: invalid session key".into(),
                hint: Some("musync accounts add lastfm".into()),
            })
        });
        let st = wait_state(&jobs, bad, JobState::Failed).await;
        assert_eq!(st.error.as_deref(), Some("Last.fm: invalid session key"));
        assert_eq!(st.hint.as_deref(), Some("musync accounts add lastfm"));
        assert!(!jobs.cancel(bad), "a finished job cannot be cancelled");
    }

    #[tokio::test]
    async fn cancelling_aborts_the_task_before_its_next_step() {
        let jobs = Jobs::new(Dispatch::none());
        let reached = Arc::new(AtomicU64::new(0));
        let seen = reached.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let id = jobs.spawn(JobKind::Sync, "adding", move |_| async move {
            seen.store(1, Ordering::SeqCst);
            let _ = rx.await;
            seen.store(2, Ordering::SeqCst);
            Ok(())
        });
        while reached.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(jobs.cancel(id));
        // The sender is gone once the task is dropped by the abort.
        for _ in 0..200 {
            if tx.is_closed() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(tx.is_closed(), "the aborted task was dropped");
        assert_eq!(
            reached.load(Ordering::SeqCst),
            1,
            "nothing after the await ran"
        );
        assert_eq!(jobs.status(id).unwrap().state, JobState::Cancelled);
    }

    #[tokio::test]
    async fn rows_are_paged_by_count() {
        let jobs = Jobs::new(Dispatch::none());
        let id = jobs.spawn(JobKind::Sync, "adding", |h| async move {
            for i in 0..3 {
                h.push_row(ResultRow::test_row(&format!("song {i}")));
            }
            Ok(())
        });
        let st = wait_state(&jobs, id, JobState::Done).await;
        assert_eq!(st.rows, 3);
        let rest = jobs.rows_after(id, 1);
        let titles: Vec<&str> = rest.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(titles, ["song 1", "song 2"]);
    }
}
