//! The shared HTTP layer against a scripted local server: retries, Retry-After,
//! non-idempotent sends, session refresh, pacing and log redaction.

use async_trait::async_trait;
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use musync_core::{ErrorKind, ServiceError};
use musync_http::{Client, SessionRefresh};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server answering each request with the next scripted (status, headers),
/// then 200 "ok" forever; it records the Authorization header of each call.
/// A scripted answer: status and an optional Retry-After value.
type Reply = (u16, Option<&'static str>);

#[derive(Clone, Default)]
struct Script {
    replies: Arc<Mutex<VecDeque<Reply>>>,
    seen_auth: Arc<Mutex<Vec<String>>>,
    hits: Arc<AtomicUsize>,
}

async fn serve(script: Script) -> String {
    let s = script.clone();
    let app = Router::new().route(
        "/{*path}",
        any(move |headers: HeaderMap| {
            let s = s.clone();
            async move {
                s.hits.fetch_add(1, Ordering::SeqCst);
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                s.seen_auth.lock().unwrap().push(auth);
                let next = s.replies.lock().unwrap().pop_front();
                match next {
                    Some((status, retry_after)) => {
                        let mut h = HeaderMap::new();
                        if let Some(r) = retry_after {
                            h.insert("retry-after", r.parse().unwrap());
                        }
                        (StatusCode::from_u16(status).unwrap(), h, "scripted").into_response()
                    }
                    None => (StatusCode::OK, "ok").into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn fast_client() -> musync_http::ClientBuilder {
    Client::builder("Test Service")
        .base_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

#[tokio::test]
async fn temporary_failures_are_retried_until_success() {
    let script = Script::default();
    script
        .replies
        .lock()
        .unwrap()
        .extend([(503, None), (502, None)]);
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    let resp = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap();
    assert_eq!(resp.text(), "ok");
    assert_eq!(script.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((429, Some("1")));
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    let started = Instant::now();
    client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(script.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_fails_at_once_as_persistent() {
    let script = Script::default();
    script
        .replies
        .lock()
        .unwrap()
        .push_back((429, Some("3600")));
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    let err = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert!(!err.temporary && err.is_fatal_for_run());
    assert_eq!(script.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn gives_up_after_max_attempts_and_marks_the_error_persistent() {
    let script = Script::default();
    script.replies.lock().unwrap().extend([(500, None); 10]);
    let base = serve(script.clone()).await;
    let client = fast_client().max_attempts(3).build().unwrap();
    let err = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(!err.temporary);
    assert_eq!(err.status, Some(500));
    assert_eq!(script.hits.load(Ordering::SeqCst), 3);
    assert!(err.to_string().starts_with("Test Service: "), "{err}");
}

#[tokio::test]
async fn a_non_idempotent_request_is_not_repeated_after_a_server_error() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((500, None));
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    let err = client
        .send_once("adding", |c| c.post(format!("{base}/add")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert_eq!(script.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_non_idempotent_request_refused_with_429_is_sent_again() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((429, Some("0")));
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    client
        .send_once("adding", |c| c.post(format!("{base}/add")))
        .await
        .unwrap();
    assert_eq!(script.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((404, None));
    let base = serve(script.clone()).await;
    let client = fast_client().build().unwrap();
    let err = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(script.hits.load(Ordering::SeqCst), 1);
}

struct Renew {
    token: Arc<Mutex<String>>,
    calls: AtomicUsize,
    fail: bool,
}

#[async_trait]
impl SessionRefresh for Renew {
    async fn refresh(&self) -> Result<(), ServiceError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail {
            return Err(ServiceError::new(
                ErrorKind::AuthExpired,
                "Test Service",
                "renewing",
                "sign in again",
            ));
        }
        *self.token.lock().unwrap() = "fresh".into();
        Ok(())
    }
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_request_rebuilt() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((401, None));
    let base = serve(script.clone()).await;
    let token = Arc::new(Mutex::new("stale".to_owned()));
    let renew = Arc::new(Renew {
        token: token.clone(),
        calls: AtomicUsize::new(0),
        fail: false,
    });
    let client = fast_client()
        .session_refresh(renew.clone())
        .build()
        .unwrap();
    client
        .send("reading", |c| {
            c.get(format!("{base}/x"))
                .bearer_auth(token.lock().unwrap().clone())
        })
        .await
        .unwrap();
    assert_eq!(renew.calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        *script.seen_auth.lock().unwrap(),
        vec!["Bearer stale", "Bearer fresh"]
    );
}

#[tokio::test]
async fn a_second_expiry_after_renewal_is_reported_not_looped() {
    let script = Script::default();
    script
        .replies
        .lock()
        .unwrap()
        .extend([(401, None), (401, None)]);
    let base = serve(script.clone()).await;
    let renew = Arc::new(Renew {
        token: Arc::default(),
        calls: AtomicUsize::new(0),
        fail: false,
    });
    let client = fast_client()
        .session_refresh(renew.clone())
        .build()
        .unwrap();
    let err = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert_eq!(renew.calls.load(Ordering::SeqCst), 1);
    assert_eq!(script.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_renewal_is_the_error_returned() {
    let script = Script::default();
    script.replies.lock().unwrap().push_back((401, None));
    let base = serve(script.clone()).await;
    let renew = Arc::new(Renew {
        token: Arc::default(),
        calls: AtomicUsize::new(0),
        fail: true,
    });
    let client = fast_client().session_refresh(renew).build().unwrap();
    let err = client
        .send("reading", |c| c.get(format!("{base}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.message, "sign in again");
}

#[tokio::test]
async fn pacing_spaces_request_starts() {
    let script = Script::default();
    let base = serve(script.clone()).await;
    let client = fast_client()
        .min_interval(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        client
            .send("reading", |c| c.get(format!("{base}/x")))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_is_unavailable_and_names_the_host() {
    // Bind then drop to get a port with nothing listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = fast_client().max_attempts(2).build().unwrap();
    let err = client
        .send("reading", |c| c.get(format!("http://127.0.0.1:{port}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}
