//! The in-browser and auto transports end to end: a headless Chromium
//! loads the fake's player page with the stored cookies, the page's script
//! sets the short-lived proof cookie of the browser-only mode, and every
//! request is a `fetch()` from that page. Also: the direct transport is
//! refused there, auto switches, an expired session still says "sign in
//! again", and a missing browser says how to get one.
//!
//! Needs a Chromium-family browser, like the sign-in tests; without one
//! they say so and pass, except under CI.

use crate::util::{Env, assert_read_only, expected_all, expected_gql_all, fast, fast_both};
use fake_amazon::{Library, Mode};
use musync_amazon::{ClientOptions, TransportMode, find_browser};
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service};

fn browser_available() -> bool {
    if find_browser().is_some() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "no Chromium-family browser installed; CI must install one"
    );
    eprintln!("skipping: no Chromium-family browser installed");
    false
}

fn my_music() -> PlaylistId {
    PlaylistId::new("my-music")
}

/// Requests that came from the headless browser (its User-Agent).
fn from_browser(env: &Env) -> usize {
    env.fake
        .requests()
        .iter()
        .filter(|r| {
            r.header("user-agent")
                .is_some_and(|ua| ua.contains("HeadlessChrome"))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_transport_reads_everything_where_only_browsers_get_through() {
    if !browser_available() {
        return;
    }
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::BrowserOnly);
    let svc = env.service_with(fast_both(&env.fake, TransportMode::Browser));
    let lib = env.fake.library();
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), lib.playlists.len() + 1);
    for (got, want) in lists[1..].iter().zip(&lib.playlists) {
        let tracks = svc.tracks(&got.id, &NoProgress).await.unwrap();
        assert_eq!(tracks, expected_gql_all(&want.tracks), "{}", want.title);
    }
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(mine, expected_gql_all(lib.available_tracks()));
    drop(svc);
    let reqs = env.fake.requests();
    // Every API call carried the cookie only the page's script sets.
    for r in reqs.iter().filter(|r| r.operation().is_some()) {
        assert!(
            r.header("cookie").unwrap_or("").contains("hornet-proof="),
            "{}",
            r.path
        );
        assert!(r.header("user-agent").unwrap().contains("HeadlessChrome"));
    }
    // The page loaded once: one browser for the whole command.
    let pages = reqs
        .iter()
        .filter(|r| r.origin == "music" && r.path == "/")
        .count();
    assert_eq!(
        pages,
        1 + 1,
        "the player page, then the key lookup's fetch of it"
    );
    assert_read_only(&env.fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_surface_also_runs_in_the_browser_with_renewal_and_retries() {
    if !browser_available() {
        return;
    }
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::BrowserOnly);
    let svc = env.service_with(ClientOptions {
        transport: Some(TransportMode::Browser),
        ..fast()
    });
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), env.fake.library().playlists.len() + 1);
    env.fake.rotate_csrf(); // renewal through config.json inside the page
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(mine, expected_all(env.fake.library().available_tracks()));
    env.fake.set_mode(Mode::ServerError {
        requests: 1,
        status: 503,
    });
    let again = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(again, mine);
    assert!(
        env.api_requests()
            .iter()
            .all(|r| r.header("user-agent").unwrap().contains("HeadlessChrome"))
    );
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn direct_requests_are_refused_where_only_browsers_get_through() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::BrowserOnly);
    let err = env
        .service_with(fast_both(&env.fake, TransportMode::Direct))
        .playlists()
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
    assert_eq!(from_browser(&env), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_switches_to_the_browser_when_the_signed_in_session_gets_the_guest_config() {
    if !browser_available() {
        return;
    }
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::BrowserOnly);
    let svc = env.service_with(fast_both(&env.fake, TransportMode::Auto));
    let mine = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(
        mine,
        expected_gql_all(env.fake.library().available_tracks())
    );
    // Direct first (refused: the guest config), then only the browser.
    let reqs = env.fake.requests();
    let first_browser = reqs
        .iter()
        .position(|r| {
            r.header("user-agent")
                .is_some_and(|ua| ua.contains("HeadlessChrome"))
        })
        .expect("the browser was used");
    assert!(first_browser > 0);
    assert!(
        reqs[first_browser..].iter().all(|r| r
            .header("user-agent")
            .is_some_and(|ua| ua.contains("HeadlessChrome"))),
        "once switched, everything goes through the browser"
    );
    assert_read_only(&env.fake);
}

#[tokio::test]
async fn auto_stays_direct_when_direct_requests_work() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service_with(fast_both(&env.fake, TransportMode::Auto));
    svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(from_browser(&env), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_in_the_browser_still_asks_to_sign_in_again() {
    if !browser_available() {
        return;
    }
    for mode in [TransportMode::Browser, TransportMode::Auto] {
        let env = Env::start(Library::sample()).await;
        env.fake.set_mode(Mode::Expired { status: 401 });
        let err = env
            .service_with(fast_both(&env.fake, mode))
            .playlists()
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::AuthExpired, "{mode:?}: {err}");
        assert!(
            err.message
                .contains("run `musync accounts add amazon` to sign in again"),
            "{mode:?}: {err}"
        );
        assert_read_only(&env.fake);
    }
}

#[tokio::test]
async fn a_missing_browser_names_musync_browser_and_never_says_expired() {
    let env = Env::start(Library::sample()).await;
    let err = env
        .service_with(ClientOptions {
            browser: Some("/nonexistent/chromium".into()),
            ..fast_both(&env.fake, TransportMode::Browser)
        })
        .playlists()
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io, "{err}");
    assert!(err.message.contains("MUSYNC_BROWSER"), "{err}");
    assert!(err.message.contains("Install Chromium"), "{err}");
    assert!(
        err.message.contains("/nonexistent/chromium does not exist"),
        "{err}"
    );
    assert!(!err.message.contains("expired"), "{err}");
    assert!(env.fake.requests().is_empty(), "nothing was sent");
}

#[derive(Clone, Default)]
struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One thread, so the browser's DevTools task logs into the test's
/// subscriber if it logs at all: cookies and tokens travel over it.
#[tokio::test(flavor = "current_thread")]
async fn trace_logs_of_a_browser_read_hold_no_secret() {
    if !browser_available() {
        return;
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    // See logs.rs: a second dispatcher keeps other threads from switching
    // callsites off.
    let _second = tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(std::io::sink)
            .finish(),
    );
    let _guard = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    );
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::BrowserOnly);
    let svc = env.service_with(fast_both(&env.fake, TransportMode::Browser));
    svc.tracks(&my_music(), &NoProgress).await.unwrap();
    drop(svc);
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("inside a headless browser page"),
        "logs were captured"
    );
    for secret in env.fake.secret_values() {
        assert!(
            !logs.contains(&secret),
            "a secret value appears in the logs"
        );
    }
}
