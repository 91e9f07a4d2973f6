//! The PKCE sign-in end to end: the test plays the browser.

use fake_spotify::{AuthorizeMode, FakeSpotify, TEST_CLIENT_ID};
use musync_core::{ErrorKind, MemorySecretStore, SecretStore, Service};
use musync_spotify::{SpotifyService, SpotifySignIn, sign_in};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// What the "browser" saw: status and page text.
type Seen = (u16, String);

/// Options whose `on_url` hands the URL to `browse`, run as a task.
fn opts<F, Fut>(fake: &FakeSpotify, browse: F) -> (SpotifySignIn, mpsc::UnboundedReceiver<Seen>)
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Seen> + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let mut o = SpotifySignIn::new(TEST_CLIENT_ID);
    o.port = 0;
    o.open_browser = false;
    o.api_url = fake.api_url();
    o.accounts_url = fake.accounts_url();
    o.timeout = Duration::from_secs(10);
    o.on_url = Box::new(move |url| {
        let fut = browse(url.to_owned());
        let tx = tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(fut.await);
        });
    });
    (o, rx)
}

/// Follows redirects like a browser would.
async fn open(url: String) -> Seen {
    let resp = reqwest::get(&url).await.expect("browser request");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

#[tokio::test]
async fn pkce_sign_in_through_the_loopback_redirect() {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", Some("Alice Liddell"));
    fake.state().authorize = AuthorizeMode::AutoApprove("alice".into());
    let (o, mut seen) = opts(&fake, open);

    let new = sign_in(o).await.expect("signed in");
    assert_eq!(new.account.id.as_str(), "spotify-alice");
    assert_eq!(new.account.name, "Alice Liddell");
    assert_eq!(new.account.settings["user_id"], "alice");
    assert_eq!(new.account.settings["client_id"], TEST_CLIENT_ID);
    assert_eq!(new.account.settings["api_url"], fake.api_url().as_str());
    let mut keys: Vec<&str> = new.secrets.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort();
    assert_eq!(keys, ["access_token", "expires_at", "refresh_token"]);

    let (status, page) = seen.recv().await.expect("the browser finished");
    assert_eq!(status, 200);
    assert!(page.contains("You can close this tab"), "{page}");

    // The authorize request asked for S256 and the playlist/library scopes;
    // the token exchange passed the fake's PKCE check.
    let reqs = fake.requests();
    let auth = reqs
        .iter()
        .find(|r| r.path == "/authorize")
        .expect("authorize");
    assert_eq!(auth.param("code_challenge_method").as_deref(), Some("S256"));
    let scope = auth.param("scope").unwrap_or_default();
    for s in [
        "playlist-modify-private",
        "playlist-read-collaborative",
        "user-library-modify",
    ] {
        assert!(scope.contains(s), "{scope}");
    }
    let redirect = auth.param("redirect_uri").unwrap();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    let token = reqs
        .iter()
        .find(|r| r.path == "/api/token")
        .expect("token exchange");
    assert_eq!(token.status, 200);

    // The stored tokens work.
    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    let svc = SpotifyService::open(&new.account, store).unwrap();
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists[0].name, "Liked Songs");
}

#[tokio::test]
async fn a_callback_with_the_wrong_state_is_refused_and_nothing_is_exchanged() {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", None);
    let (o, mut seen) = opts(&fake, |url: String| async move {
        // A forged answer straight to the loopback listener.
        let u = url::Url::parse(&url).unwrap();
        let redirect = u
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        open(format!("{redirect}?code=stolen&state=forged")).await
    });
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("state mismatch"), "{err}");
    let (status, page) = seen.recv().await.unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("refused"), "{page}");
    assert!(
        fake.state().requests_to("/api/token").is_empty(),
        "no code exchanged"
    );
}

#[tokio::test]
async fn cancelling_in_the_browser_says_so() {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", None);
    fake.state().authorize = AuthorizeMode::Deny;
    let (o, mut seen) = opts(&fake, open);
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(
        err.message.contains("cancelled") && err.message.contains("access_denied"),
        "{err}"
    );
    assert!(seen.recv().await.unwrap().1.contains("Sign-in cancelled"));
    assert!(fake.state().requests_to("/api/token").is_empty());
}

#[tokio::test]
async fn no_answer_times_out_with_a_clear_message() {
    let fake = FakeSpotify::start().await;
    let (mut o, _seen) = opts(&fake, |_url: String| async { (0, String::new()) });
    o.on_url = Box::new(|_| {}); // the user never opens the page
    o.timeout = Duration::from_millis(300);
    let err = sign_in(o).await.unwrap_err();
    assert!(err.message.contains("timed out"), "{err}");
    assert!(err.message.contains("/callback"), "{err}");
    assert!(!err.temporary);
}

#[tokio::test]
async fn a_busy_port_is_reported_before_any_url_is_shown() {
    let fake = FakeSpotify::start().await;
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (mut o, _seen) = opts(&fake, open);
    o.port = busy.local_addr().unwrap().port();
    let shown = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s = shown.clone();
    o.on_url = Box::new(move |_| s.store(true, std::sync::atomic::Ordering::SeqCst));
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(err.message.contains("--port"), "{err}");
    assert!(!shown.load(std::sync::atomic::Ordering::SeqCst));
}

#[tokio::test]
async fn an_unknown_client_id_is_refused_at_the_authorize_page() {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", None);
    fake.state().authorize = AuthorizeMode::AutoApprove("alice".into());
    let (mut o, mut seen) = opts(&fake, open);
    o.client_id = "not-registered".into();
    o.timeout = Duration::from_millis(800);
    let err = sign_in(o).await.unwrap_err();
    let (status, page) = seen.recv().await.unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("INVALID_CLIENT"));
    assert!(err.message.contains("timed out"), "{err}");
}

#[tokio::test]
async fn demo_mode_sign_in_through_the_approve_page() {
    let fake = FakeSpotify::start().await;
    let user = fake.load_demo();
    let base = fake.accounts_url();
    let (mut o, mut seen) = opts(&fake, move |url: String| {
        let base = base.clone();
        async move {
            // The page a person would see; "Agree" is its first link.
            let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
            assert!(page.contains("Allow this app"), "{page}");
            let start = page.find("href=\"").unwrap() + 6;
            let end = start + page[start..].find('"').unwrap();
            let agree = page[start..end].replace("&amp;", "&");
            assert!(agree.contains("approve=true"));
            open(format!("{base}{agree}")).await
        }
    });
    o.client_id = fake_spotify::DEMO_CLIENT_ID.into();
    let new = sign_in(o).await.unwrap();
    assert_eq!(new.account.id.as_str(), format!("spotify-{user}"));
    assert_eq!(new.account.name, "Demo User");
    assert!(
        seen.recv()
            .await
            .unwrap()
            .1
            .contains("You can close this tab")
    );

    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    let svc = SpotifyService::open(&new.account, store).unwrap();
    let lists = svc.playlists().await.unwrap();
    let names: Vec<(&str, bool)> = lists
        .iter()
        .map(|p| (p.name.as_str(), p.writable))
        .collect();
    assert_eq!(
        names,
        [
            ("Liked Songs", true),
            ("DJ's picks", false),
            ("Chill", true),
            ("Road trip", true)
        ]
    );
}
