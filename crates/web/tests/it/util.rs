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

/// Posts a form (with the CSRF token) and returns the page it leads to.
pub async fn post(
    c: &reqwest::Client,
    url: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all = vec![("_csrf", csrf)];
    all.extend_from_slice(fields);
    c.post(url).form(&all).send().await.expect("post")
}

pub async fn text(c: &reqwest::Client, url: &str) -> String {
    let r = c.get(url).send().await.expect("get");
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.text().await.expect("body")
}

/// Runs the job the page shows and returns the page after it.
pub async fn finish_job(c: &reqwest::Client, base: &str, page: &str, then: &str) -> String {
    // A quick job may be over before its page is drawn: the page then
    // already shows what the job produced.
    let Some(id) = attr_after(page, "data-job=", "data-job") else {
        return text(c, &format!("{base}{then}")).await;
    };
    let status = wait_job(c, base, id).await;
    assert_eq!(status["job"]["state"], "done", "{status}");
    text(c, &format!("{base}{then}")).await
}

/// The wizard outside demo mode over a fresh data dir in `dir`, with a
/// signed-in client.
pub async fn local(dir: &std::path::Path) -> (Running, reqwest::Client) {
    let run = musync_web::start(UiOptions {
        data_dir: dir.join("musync"),
        port: 0,
        open_browser: false,
        demo: false,
    })
    .await
    .expect("the wizard starts");
    let c = client();
    c.get(&run.url_with_token).send().await.expect("sign in");
    (run, c)
}

/// A CSV playlist of (title, artist).
pub fn csv_playlist(path: &std::path::Path, songs: &[(&str, &str)]) {
    let mut s = String::from("Track URI,Track Name,Artist Name(s),Album Name,Duration (ms),ISRC\n");
    for (title, artist) in songs {
        s.push_str(&format!(",{title},{artist},,200000,\n"));
    }
    std::fs::write(path, s).expect("write playlist");
}
