//! Browser sign-in end to end: headless Chromium opens the fake's music
//! page, the test acts as the person over DevTools (opens the sign-in
//! link, which sets the session cookies), and musync takes every cookie,
//! HttpOnly ones included, checks the session and closes the window. A
//! window nobody signs in to times out with nothing stored.
//!
//! Needs a Chromium-family browser; without one the tests say so and
//! pass, except under CI (`CI` set).

mod common;

use chromiumoxide::browser::Browser;
use fake_ytmusic::FakeYtMusic;
use futures::StreamExt;
use musync_browser::{SignInWindow, find_browser};
use musync_core::ErrorKind;
use std::time::{Duration, Instant};

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

fn window(
    fake: &FakeYtMusic,
    timeout: Duration,
) -> (SignInWindow, tokio::sync::oneshot::Receiver<String>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut w = SignInWindow::new(fake.base_url());
    w.headless = true;
    w.timeout = timeout;
    w.poll_interval = Duration::from_millis(200);
    w.devtools_url = Some(tx);
    (w, rx)
}

/// Acts as the person: waits for the music page, then follows its
/// sign-in link.
async fn sign_in_as_user(rx: tokio::sync::oneshot::Receiver<String>, base: String) {
    let ws = tokio::time::timeout(Duration::from_secs(40), rx)
        .await
        .unwrap()
        .unwrap();
    let (mut user, mut handler) = Browser::connect(ws).await.expect("connect over DevTools");
    tokio::spawn(async move { while let Some(Ok(_)) = handler.next().await {} });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = user.fetch_targets().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        for page in user.pages().await.unwrap_or_default() {
            if let Ok(Some(url)) = page.url().await
                && url.starts_with(&base)
            {
                // The window may close as soon as the cookies land, before
                // the navigation answers: the sign-in's result decides.
                let _ = page.goto(format!("{base}/signin")).await;
                return;
            }
        }
        assert!(Instant::now() < deadline, "the music page never opened");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_in_the_window_captures_the_session() {
    if !browser_available() {
        return;
    }
    let fake = FakeYtMusic::start().await;
    let (w, rx) = window(&fake, Duration::from_secs(60));
    let user = tokio::spawn(sign_in_as_user(rx, fake.base_url().to_owned()));
    let new = musync_ytmusic::sign_in_with_browser(w, fake.base_url(), common::fast())
        .await
        .expect("signed in");
    user.await.unwrap();
    assert_eq!(new.account.id.as_str(), "ytmusic-testlistener");
    let stored = new.secrets[0].1.expose();
    assert!(
        stored.contains("__Secure-3PSID") && stored.contains("LOGIN_INFO"),
        "HttpOnly cookies taken"
    );
    assert!(
        fake.auth_failures().is_empty(),
        "{:?}",
        fake.auth_failures()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_nobody_signs_in_to_stores_nothing() {
    if !browser_available() {
        return;
    }
    let fake = FakeYtMusic::start().await;
    let (w, _rx) = window(&fake, Duration::from_secs(3));
    let err = musync_ytmusic::sign_in_with_browser(w, fake.base_url(), common::fast())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("nothing was stored"), "{err}");
    assert!(err.hint.unwrap().contains("--cookies"));
}
