//! Fault switches and a request recorder shared by every fake.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// A failure every service has, rendered by each fake in its service's own
/// words (status, headers, body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The sign-in expired or was revoked.
    Expired,
    /// Too many requests, with `Retry-After` seconds when `Some`.
    RateLimited(Option<u64>),
    /// The service is down (503).
    Unavailable,
    /// A 200 whose body does not have the shape the client knows.
    WrongShape,
}

/// One request a fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `GET`, `POST` …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string (may hold credentials: never print it).
    pub query: String,
}

#[derive(Default)]
struct Inner {
    next: VecDeque<Fault>,
    always: Option<Fault>,
    page_size: Option<usize>,
    requests: Vec<Recorded>,
}

/// The fault switches of one fake; cheap to clone, shared with its server.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Inner>>);

/// How a fake answers a fault: its service's status, headers and body.
pub type Render = fn(&Fault) -> Response;

type BoxedResponse = std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>;
type Intercept = fn(State<(Faults, Render)>, Request, Next) -> BoxedResponse;

/// The middleware layer [`Faults::layer`] returns.
pub type FaultLayer =
    axum::middleware::FromFnLayer<Intercept, (Faults, Render), (State<(Faults, Render)>, Request)>;

impl Faults {
    /// No faults, the fake's own page size.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next `times` API requests fail with `fault`.
    pub fn fail_next(&self, fault: Fault, times: usize) {
        let mut st = self.lock();
        st.next.extend(std::iter::repeat_n(fault, times));
    }

    /// Every API request fails with `fault` until [`Faults::clear`].
    pub fn fail_always(&self, fault: Fault) {
        self.lock().always = Some(fault);
    }

    /// No more faults.
    pub fn clear(&self) {
        let mut st = self.lock();
        st.next.clear();
        st.always = None;
    }

    /// The fault for the request now being served, if any. Fakes that do
    /// not use [`Faults::layer`] call this at the top of each API handler.
    pub fn take(&self) -> Option<Fault> {
        let mut st = self.lock();
        st.next.pop_front().or_else(|| st.always.clone())
    }

    /// Makes the fake serve pages of at most `n` items, whatever the
    /// client asked for (servers decide page sizes).
    pub fn set_page_size(&self, n: usize) {
        self.lock().page_size = Some(n.max(1));
    }

    /// The page size to serve: the forced one, else `asked` capped at the
    /// service's own maximum.
    pub fn page_size(&self, asked: usize, service_max: usize) -> usize {
        self.lock()
            .page_size
            .unwrap_or(asked.min(service_max))
            .max(1)
    }

    /// Records a request (done by [`Faults::layer`]).
    pub fn record(&self, method: &str, path: &str, query: &str) {
        self.lock().requests.push(Recorded {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
        });
    }

    /// Every request recorded so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// How many requests were recorded.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// Middleware for a fake's API routes: records each request, then
    /// answers with `render(fault)` when a fault is due, else passes it on.
    ///
    /// ```ignore
    /// let api = Router::new().route(...).layer(faults.layer(render_fault));
    /// ```
    pub fn layer(&self, render: Render) -> FaultLayer {
        axum::middleware::from_fn_with_state((self.clone(), render), intercept as Intercept)
    }
}

fn intercept(
    State((faults, render)): State<(Faults, Render)>,
    req: Request,
    next: Next,
) -> BoxedResponse {
    Box::pin(async move {
        let uri = req.uri();
        faults.record(req.method().as_str(), uri.path(), uri.query().unwrap_or(""));
        match faults.take() {
            Some(fault) => render(&fault),
            None => next.run(req).await,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_faults_come_first_then_the_sticky_one() {
        let f = Faults::new();
        f.fail_next(Fault::Unavailable, 2);
        f.fail_always(Fault::Expired);
        assert_eq!(f.take(), Some(Fault::Unavailable));
        assert_eq!(f.take(), Some(Fault::Unavailable));
        assert_eq!(f.take(), Some(Fault::Expired));
        f.clear();
        assert_eq!(f.take(), None);
    }

    #[test]
    fn a_forced_page_size_wins_over_what_was_asked() {
        let f = Faults::new();
        assert_eq!(f.page_size(50, 100), 50);
        assert_eq!(f.page_size(500, 100), 100);
        f.set_page_size(7);
        assert_eq!(f.page_size(50, 100), 7);
    }
}
