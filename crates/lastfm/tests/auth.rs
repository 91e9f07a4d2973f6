//! Desktop sign-in: token → approval in the browser → session.

use crate::util::{KEY, SECRET, USER, fast, store};
use fake_lastfm::FakeLastfm;
use musync_core::{ErrorKind, Secret, Service};
use musync_lastfm::{LastfmService, LastfmSignIn, lastfm_code, sign_in};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn opts(fake: &FakeLastfm, secret: &str) -> LastfmSignIn {
    LastfmSignIn {
        api_key: KEY.to_owned(),
        api_secret: Secret::new(secret),
        api_url: fake.api_url(),
        auth_url: fake.auth_url(),
        poll_interval: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
        open_browser: false,
        on_url: Box::new(|_| {}),
    }
}

fn secret_of(new: &musync_core::NewAccount, key: &str) -> String {
    new.secrets
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.expose().to_owned())
        .unwrap_or_else(|| panic!("secret {key} missing"))
}

#[tokio::test]
async fn approval_through_the_page_yields_a_working_account() {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    fake.add_user("Alice");
    let shown = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut o = opts(&fake, SECRET);
    let sink = shown.clone();
    o.on_url = Box::new(move |url| {
        sink.lock().unwrap().push(url.to_owned());
        // The user reads the page, then presses the button, a little later
        // (sign-in requests are paced 250 ms apart, so polls come at about
        // 250 and 500 ms, then succeed).
        let url = url.to_owned();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            let http = reqwest::Client::new();
            let page = http.get(&url).send().await.unwrap().text().await.unwrap();
            assert!(page.contains("<form method=\"post\""), "{page}");
            assert!(page.contains("Yes, allow access"));
            let q: Vec<(String, String)> = url::Url::parse(&url)
                .unwrap()
                .query_pairs()
                .into_owned()
                .collect();
            let done = http.post(&url).form(&q).send().await.unwrap();
            assert!(done.status().is_success());
            assert!(
                done.text()
                    .await
                    .unwrap()
                    .contains("Application authorised")
            );
        });
    });
    let new = sign_in(o).await.expect("sign-in succeeds once approved");

    let urls = shown.lock().unwrap().clone();
    assert_eq!(urls.len(), 1, "on_url is called exactly once");
    let url = url::Url::parse(&urls[0]).unwrap();
    assert!(urls[0].starts_with(&fake.auth_url()));
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("api_key".to_owned(), KEY.to_owned()));
    assert_eq!(pairs[1].0, "token");

    assert_eq!(new.account.id.as_str(), "lastfm-Alice");
    assert_eq!(new.account.name, "Alice");
    assert_eq!(new.account.settings["username"], "Alice");
    assert_eq!(new.account.settings["api_url"], fake.api_url());
    assert_eq!(secret_of(&new, "api_key"), KEY);
    assert_eq!(secret_of(&new, "api_secret"), SECRET);

    // Polling saw "not yet" (14) before the approval, and every call was
    // signed correctly (the fake answers 13 otherwise).
    let polls = fake.calls_to("auth.getSession");
    assert!(polls.len() >= 2, "{polls:?}");
    assert_eq!(polls[0].error, Some(14));
    assert_eq!(polls.last().unwrap().error, None);
    assert!(fake.calls().iter().all(|c| c.error != Some(13)));
    assert_eq!(fake.calls_to("auth.getToken").len(), 1);

    // The stored secrets open a service that can write.
    let secrets = store(KEY, SECRET, &secret_of(&new, "session_key"));
    let mut account = new.account.clone();
    account.id = musync_core::AccountId::new(format!("lastfm-{USER}"));
    let svc = LastfmService::open_with(&account, secrets, fast()).unwrap();
    svc.add(
        &musync_core::PlaylistId::new("loved"),
        &[musync_core::Track::new("Hurt", "Johnny Cash")],
    )
    .await
    .unwrap();
    assert_eq!(
        fake.loved("alice"),
        vec![("Johnny Cash".to_owned(), "Hurt".to_owned())]
    );
}

#[tokio::test]
async fn approve_shortcut_and_auto_approve_need_no_form() {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    fake.add_user(USER);
    let mut o = opts(&fake, SECRET);
    o.on_url = Box::new(|url| {
        let url = format!("{url}&approve=1");
        tokio::spawn(async move {
            let r = reqwest::get(&url).await.unwrap();
            assert!(r.status().is_success());
        });
    });
    let new = sign_in(o).await.unwrap();
    assert_eq!(new.account.id.as_str(), "lastfm-alice");

    fake.clear_calls();
    fake.set_auto_approve(true);
    let new = sign_in(opts(&fake, SECRET)).await.unwrap();
    assert_eq!(new.account.name, USER);
    assert_eq!(
        fake.calls_to("auth.getSession").len(),
        1,
        "approved at once"
    );
    // Two sign-ins, two different session keys.
    assert_eq!(secret_of(&new, "session_key").len(), 32);
}

#[tokio::test]
async fn gives_up_with_a_clear_message_when_never_approved() {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    fake.add_user(USER);
    let mut o = opts(&fake, SECRET);
    o.timeout = Duration::from_millis(600);
    o.poll_interval = Duration::from_millis(30);
    let started = std::time::Instant::now();
    let err = sign_in(o).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert_eq!(
        err.message,
        "musync was not approved on Last.fm within 0.6 seconds; nothing was stored"
    );
    assert!(err.hint.unwrap().contains("musync accounts add lastfm"));
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    let polls = fake.calls_to("auth.getSession");
    assert!(polls.len() >= 3 && polls.iter().all(|c| c.error == Some(14)));
}

#[tokio::test]
async fn an_expired_token_stops_polling() {
    let fake = Arc::new(FakeLastfm::start().await);
    fake.register_app(KEY, SECRET);
    fake.add_user(USER);
    let mut o = opts(&fake, SECRET);
    let f = fake.clone();
    o.on_url = Box::new(move |_| f.expire_tokens());
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert_eq!(lastfm_code(&err), Some(15));
    assert!(err.message.contains("expired"), "{}", err.message);
    assert_eq!(fake.calls_to("auth.getSession").len(), 1);
}

#[tokio::test]
async fn a_wrong_secret_is_reported_as_a_signature_bug_and_a_wrong_key_as_sign_in() {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    fake.add_user(USER);
    let err = sign_in(opts(&fake, "not-the-secret")).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Protocol);
    assert_eq!(
        err.message,
        "invalid signature: check the API secret; if it is right, this is a musync bug, please report it"
    );

    let mut o = opts(&fake, SECRET);
    o.api_key = "unknownkey".to_owned();
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert_eq!(lastfm_code(&err), Some(10));
    assert!(
        err.hint
            .unwrap()
            .contains("https://www.last.fm/api/accounts")
    );
}

#[tokio::test]
async fn missing_credentials_fail_before_any_request() {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    let mut o = opts(&fake, SECRET);
    o.api_key = "  ".to_owned();
    let err = sign_in(o).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("API key and the shared secret"));
    assert!(err.hint.unwrap().contains("api/account/create"));
    assert!(fake.calls().is_empty());
}
