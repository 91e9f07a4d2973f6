//! Helpers: a demo server, a cookie-keeping HTTP client, job polling and
//! small HTML probes.

use musync_web::{Running, UiOptions};
use std::time::Duration;

/// The wizard in demo mode on a free port.
pub async fn demo() -> Running {
    musync_web::start(UiOptions {
        data_dir: std::path::PathBuf::from("/nonexistent/never-used-in-demo"),
        port: 0,
        open_browser: false,
        demo: true,
    })
    .await
    .expect("the demo starts")
}

/// A client that keeps cookies and follows redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// The value of the first `name="…"` attribute in `html` after `from`.
pub fn attr_after<'a>(html: &'a str, from: &str, name: &str) -> Option<&'a str> {
    let start = html.find(from)?;
    let rest = &html[start..];
    let key = format!("{name}=\"");
    let at = rest.find(&key)? + key.len();
    let end = rest[at..].find('"')?;
    Some(&rest[at..at + end])
}

/// Polls job `id` until it leaves `running`; returns its JSON.
pub async fn wait_job(c: &reqwest::Client, base: &str, id: &str) -> serde_json::Value {
    for _ in 0..600 {
        let v: serde_json::Value = c
            .get(format!("{base}/api/jobs/{id}"))
            .send()
            .await
            .expect("job status")
            .json()
            .await
            .expect("job JSON");
        if v["job"]["state"] != "running" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish in 30 s");
}
