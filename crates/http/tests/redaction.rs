//! Log redaction, in its own test binary: tracing's per-callsite interest
//! cache is process-wide, so a capturing subscriber must not race other tests.

use axum::Router;
use axum::routing::any;
use musync_http::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

async fn serve_503_once() -> String {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route(
        "/{*path}",
        any(move || {
            let hits = hits.clone();
            async move {
                if hits.fetch_add(1, Ordering::SeqCst) == 0 {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down")
                } else {
                    (axum::http::StatusCode::OK, "ok")
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Collects everything tracing writes, at TRACE level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_at_trace_level_contain_no_credentials() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let base = serve_503_once().await;
    let client = Client::builder("Test Service")
        .base_backoff(std::time::Duration::from_millis(5))
        .build()
        .unwrap();
    client
        .send("reading", |c| {
            c.get(format!(
                "{base}/2.0/?method=user.getInfo&api_key=KEY-SECRET-1&sk=SESSION-SECRET-2"
            ))
            .bearer_auth("BEARER-SECRET-3")
            .header("Cookie", "session-id=COOKIE-SECRET-4")
            .header("csrf-token", "CSRF-SECRET-5")
        })
        .await
        .unwrap();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("user.getInfo"), "requests are logged: {logs}");
    for secret in [
        "KEY-SECRET-1",
        "SESSION-SECRET-2",
        "BEARER-SECRET-3",
        "COOKIE-SECRET-4",
        "CSRF-SECRET-5",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into logs:\n{logs}");
    }
}
