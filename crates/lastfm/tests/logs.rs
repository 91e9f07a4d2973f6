//! Secrets never reach the logs, even at TRACE.

use crate::util::{KEY, SECRET, USER, fast, store};
use fake_lastfm::{Catalogue, FakeLastfm};
use musync_core::{NoProgress, PlaylistId, Secret, Service, Track};
use musync_lastfm::{LastfmService, LastfmSignIn, sign_in};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn no_secret_in_trace_logs_of_sign_in_reads_loves_and_errors() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // tracing-core caches "never" for callsites first hit on another test's
    // thread while exactly one scoped dispatcher exists; a second live one
    // makes it ask every dispatcher, so this capture sees them all.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());

    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    fake.add_user(USER);
    fake.set_auto_approve(true);
    fake.set_catalogue(Catalogue::sample());
    let new = sign_in(LastfmSignIn {
        api_key: KEY.to_owned(),
        api_secret: Secret::new(SECRET),
        api_url: fake.api_url(),
        auth_url: fake.auth_url(),
        poll_interval: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        open_browser: false,
        on_url: Box::new(|_| {}),
    })
    .await
    .unwrap();
    let session_key = new
        .secrets
        .iter()
        .find(|(k, _)| k == "session_key")
        .map(|(_, v)| v.expose().to_owned())
        .unwrap();
    let token = fake.calls_to("auth.getSession")[0].params["token"].clone();

    let svc =
        LastfmService::open_with(&new.account, store(KEY, SECRET, &session_key), fast()).unwrap();
    let loved = PlaylistId::new("loved");
    svc.add(&loved, &[Track::new("Karma Police", "Radiohead")])
        .await
        .unwrap();
    svc.tracks(&loved, &NoProgress).await.unwrap();
    svc.search(&Track::new("Teardrop", "Massive Attack"))
        .await
        .unwrap();
    fake.faults()
        .fail_next(fake_lastfm::Fault::RateLimited(None), 1);
    svc.playlists().await.unwrap();
    fake.revoke_sessions(USER);
    let err = svc
        .add(&loved, &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap_err();
    let debug = format!("{err:?} {new:?} {svc:?}");

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    // The capture works: the shared layer logged the requests, retries too.
    assert!(text.contains("user.getLovedTracks"), "{text}");
    assert!(text.contains("retrying"), "{text}");
    for (name, secret) in [
        ("api secret", SECRET),
        ("session key", session_key.as_str()),
        ("request token", token.as_str()),
        ("api key", KEY),
    ] {
        assert!(!text.contains(secret), "the {name} is in the logs:\n{text}");
        assert!(
            !debug.contains(secret),
            "the {name} is in Debug output:\n{debug}"
        );
    }
}
