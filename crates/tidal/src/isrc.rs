//! Gathers ISRC look-ups of concurrent searches into shared requests: the
//! first search to ask waits a moment, then one `GET /tracks` carries every
//! ISRC asked meanwhile (several `filter[isrc]` values), and each search
//! gets its own answer. The engine searches a few songs at once, so a sync
//! needs a fraction of the requests one look-up per song would.

use musync_core::{ServiceError, Track};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// The answer shared by every search of one batch.
pub(crate) type Shared = Arc<Result<HashMap<String, Vec<Track>>, ServiceError>>;

type Waiter = (String, oneshot::Sender<Shared>);

/// Pending ISRCs of searches waiting for the next batch.
pub(crate) struct Batcher {
    pending: Mutex<Vec<Waiter>>,
    window: Duration,
}

/// A copy of a shared error for one caller (errors are not `Clone`).
pub(crate) fn copy_error(e: &ServiceError) -> ServiceError {
    let mut c = ServiceError::new(e.kind, e.service.clone(), e.op.clone(), e.message.clone())
        .with_temporary(e.temporary);
    c.status = e.status;
    c.retry_after_s = e.retry_after_s;
    c.hint = e.hint.clone();
    c
}

impl Batcher {
    pub fn new(window: Duration) -> Self {
        Batcher {
            pending: Mutex::new(Vec::new()),
            window,
        }
    }

    /// The tracks TIDAL has for `isrc`, looked up together with whatever
    /// other ISRCs are asked within the window. `lookup` does one batch.
    pub async fn get<F, Fut>(&self, isrc: &str, lookup: F) -> Result<Vec<Track>, ServiceError>
    where
        F: Fn(Vec<String>) -> Fut,
        Fut: std::future::Future<Output = Result<HashMap<String, Vec<Track>>, ServiceError>>,
    {
        let (tx, rx) = oneshot::channel();
        let leader = {
            let mut p = self.pending.lock().expect("batch lock");
            p.push((isrc.to_owned(), tx));
            p.len() == 1
        };
        if leader {
            tokio::time::sleep(self.window).await;
            let batch: Vec<Waiter> = std::mem::take(&mut *self.pending.lock().expect("batch lock"));
            let isrcs: Vec<String> = batch.iter().map(|(i, _)| i.clone()).collect();
            let answer: Shared = Arc::new(lookup(isrcs).await);
            for (_, waiter) in batch {
                let _ = waiter.send(answer.clone());
            }
        }
        let answer = match rx.await {
            Ok(a) => a,
            // The leader was cancelled before answering: ask alone.
            Err(_) => Arc::new(lookup(vec![isrc.to_owned()]).await),
        };
        match &*answer {
            Ok(map) => Ok(map.get(isrc).cloned().unwrap_or_default()),
            Err(e) => Err(copy_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_look_ups_share_one_request() {
        let b = Batcher::new(Duration::from_millis(20));
        let calls = AtomicUsize::new(0);
        let lookup = |isrcs: Vec<String>| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(isrcs
                    .into_iter()
                    .map(|i| (i.clone(), vec![Track::new(i, "x")]))
                    .collect())
            }
        };
        let (a, c, d) = tokio::join!(b.get("A", lookup), b.get("B", lookup), b.get("C", lookup));
        assert_eq!(a.unwrap()[0].title, "A");
        assert_eq!(c.unwrap()[0].title, "B");
        assert_eq!(d.unwrap()[0].title, "C");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
