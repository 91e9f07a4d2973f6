//! No token, code or verifier ever reaches the logs, even at TRACE.
//!
//! A binary of its own: tracing's callsite interest is process-wide, so a
//! capturing subscriber is only reliable when no other test runs beside it.

#[allow(dead_code)]
mod util;

use fake_spotify::{AuthorizeMode, FakeSpotify, TEST_CLIENT_ID};
use musync_core::{MemorySecretStore, PlaylistId, SecretStore, Service, Track};
use musync_spotify::{SpotifyService, SpotifySignIn, sign_in};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

#[tokio::test(flavor = "current_thread")]
async fn no_secret_appears_in_trace_logs_or_debug_output() {
    let logs = LogBuf::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let fake = FakeSpotify::start().await;
    fake.add_user("alice", Some("Alice"));
    fake.state().authorize = AuthorizeMode::AutoApprove("alice".into());
    let mut o = SpotifySignIn::new(TEST_CLIENT_ID);
    o.port = 0;
    o.open_browser = false;
    o.api_url = fake.api_url();
    o.accounts_url = fake.accounts_url();
    o.timeout = Duration::from_secs(10);
    o.on_url = Box::new(|url| {
        let url = url.to_owned();
        tokio::spawn(async move {
            let _ = reqwest::get(&url).await;
        });
    });
    let new = sign_in(o).await.unwrap();
    let mut secrets: Vec<String> = new
        .secrets
        .iter()
        .map(|(_, v)| v.expose().to_owned())
        .collect();
    assert!(!format!("{new:?}").contains(&secrets[0]));

    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    let svc = SpotifyService::open(&new.account, store.clone()).unwrap();
    fake.state().expire_access_tokens(); // forces a 401 and a renewal
    let uris = fake_spotify::Catalogue::sample().uris();
    let id = fake.add_playlist("alice", "P", &[]);
    svc.add(
        &PlaylistId::new(&id),
        &[Track::new("t", "a").with_id(uris[0].as_str())],
    )
    .await
    .unwrap();
    svc.add(
        &PlaylistId::new("liked"),
        &[Track::new("t", "a").with_id(uris[1].as_str())],
    )
    .await
    .unwrap();
    svc.search(&Track::new("Hurt", "Johnny Cash").with_isrc("USUM70208925"))
        .await
        .unwrap();
    for key in ["access_token", "refresh_token"] {
        secrets.push(
            store
                .get(&new.account.id, key)
                .unwrap()
                .unwrap()
                .expose()
                .to_owned(),
        );
    }
    assert!(
        fake.state().requests_to("/api/token").len() >= 2,
        "exchange and renewal ran"
    );
    assert!(!format!("{svc:?}").contains(&secrets[0]));

    let text = logs.text();
    assert!(
        text.contains("TRACE") && text.contains("authorization"),
        "headers were traced: {text}"
    );
    assert!(
        text.contains("renewing") || text.contains("renewed"),
        "the renewal was logged"
    );
    for s in secrets.iter().filter(|s| s.len() > 12) {
        assert!(!text.contains(s.as_str()), "a secret leaked into the logs");
    }
}

/// A log sink for `tracing_subscriber`.
#[derive(Clone, Default)]
pub struct LogBuf(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuf {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
