//! Serving a fake: every fake binds its listener first (so it accepts
//! connections as soon as its `start` returns), then hands it here with its
//! router. The server runs in a background task until the returned
//! [`Served`] is dropped, then shuts down gracefully.

use tokio::sync::oneshot;

/// A fake's running server; dropping it stops the server.
#[must_use = "the server stops when this is dropped"]
pub struct Served {
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves `router` on `listener` in a background task; `name` (the fake's,
/// e.g. `fake Spotify`) is logged if the server stops on an error.
pub fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    name: &'static str,
) -> Served {
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "{name} stopped");
        }
    });
    Served { shutdown: Some(tx) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn serves_until_dropped() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let served = serve(
            listener,
            axum::Router::new().route("/", get(|| async { "hi" })),
            "fake",
        );
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.ends_with("hi"),
            "{answer}"
        );
        drop(served);
        // The listener closes once the graceful shutdown has run.
        let mut refused = false;
        for _ in 0..50 {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(refused, "the server still accepts after being dropped");
    }
}
