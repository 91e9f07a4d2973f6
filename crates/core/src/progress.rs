//! Progress reporting for long reads, so a CLI bar or the web wizard can show
//! fetched/total without services knowing either.

/// Receives progress of one long operation. Implementations must be cheap:
/// services call them once per page.
pub trait Progress: Send + Sync {
    /// The total number of items, once known.
    fn set_total(&self, total: u64);
    /// `n` more items were done.
    fn advance(&self, n: u64);
    /// A short status line (e.g. "page 3"); optional.
    fn message(&self, _msg: &str) {}
}

/// Ignores all progress.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn set_total(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
}
