//! Browser sign-in end to end: headless Chromium opens the fake's sign-in
//! page, the test types the credentials over the DevTools protocol as the
//! user would, and musync captures the cookies (HttpOnly included), the
//! config and the host. Also: a closed window and the time limit.
//!
//! Needs a Chromium-family browser (`apt-get install chromium`). Without
//! one the tests say so and pass, except under CI (`CI` set), where a
//! missing browser is a failure.

use crate::util::fast;
use chromiumoxide::browser::Browser;
use chromiumoxide::page::Page;
use fake_amazon::{FakeAmazon, Library, Mode};
use futures::StreamExt;
use musync_amazon::{AmazonService, BrowserSignIn, find_browser, sign_in_with_browser};
use musync_core::{ErrorKind, MemorySecretStore, SecretStore, Service};
use std::sync::Arc;
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

fn options(
    fake: &FakeAmazon,
    timeout: Duration,
) -> (BrowserSignIn, tokio::sync::oneshot::Receiver<String>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut opts = BrowserSignIn::for_host(fake.base_url());
    opts.headless = true;
    opts.timeout = timeout;
    opts.poll_interval = Duration::from_millis(200);
    opts.devtools_url = Some(tx);
    (opts, rx)
}

/// Connects to the sign-in browser as a second DevTools client: the "user".
async fn connect_as_user(rx: tokio::sync::oneshot::Receiver<String>) -> Browser {
    let ws = tokio::time::timeout(Duration::from_secs(40), rx)
        .await
        .expect("the browser started in time")
        .expect("the DevTools URL was sent");
    let (browser, mut handler) = Browser::connect(ws).await.expect("connect over DevTools");
    tokio::spawn(async move {
        while let Some(event) = handler.next().await {
            if event.is_err() {
                break;
            }
        }
    });
    browser
}

/// The page showing `path_part`, waiting for it to appear.
async fn find_page(user: &mut Browser, path_part: &str) -> Page {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = user.fetch_targets().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        for page in user.pages().await.unwrap_or_default() {
            if let Ok(Some(url)) = page.url().await
                && url.contains(path_part)
            {
                return page;
            }
        }
        assert!(Instant::now() < deadline, "no page at {path_part}");
    }
}

/// Types into the field `selector` once it exists.
///
/// The page may still be navigating when its address already shows the
/// sign-in path (the window follows redirects), so each try first asks the
/// live document whether the field is there and loaded, and a failed try
/// is simply repeated; a loaded machine gets 30 s.
async fn type_into(page: &Page, selector: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let ready = format!(
        "document.readyState === 'complete' && document.querySelector({selector:?}) !== null"
    );
    loop {
        let present = page
            .evaluate(ready.as_str())
            .await
            .ok()
            .and_then(|v| v.into_value::<bool>().ok())
            .unwrap_or(false);
        if present
            && let Ok(el) = page.find_element(selector).await
            && el.click().await.is_ok()
        {
            el.type_str(text).await.expect("type into the field");
            return;
        }
        assert!(Instant::now() < deadline, "no {selector} on the page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_in_the_browser_captures_cookies_config_and_host() {
    if !browser_available() {
        return;
    }
    let fake = FakeAmazon::start(Library::sample()).await;
    let (opts, rx) = options(&fake, Duration::from_secs(60));
    let signing_in = tokio::spawn(sign_in_with_browser(opts));
    let mut user = connect_as_user(rx).await;
    let page = find_page(&mut user, "/ap/signin").await;
    type_into(&page, "#ap_email", FakeAmazon::EMAIL).await;
    type_into(&page, "#ap_password", FakeAmazon::PASSWORD).await;
    page.find_element("#signInSubmit")
        .await
        .expect("submit button")
        .click()
        .await
        .expect("submit");
    let new = tokio::time::timeout(Duration::from_secs(60), signing_in)
        .await
        .expect("sign-in finished in time")
        .expect("task ran")
        .expect("signed in");

    assert_eq!(new.account.id.as_str(), "amazon-A1SAMPLE2CUSTOMER");
    assert_eq!(new.account.settings["host"], fake.base_url());
    assert!(
        new.account.settings["userAgent"]
            .as_str()
            .unwrap()
            .contains("Chrome")
    );
    let cookies: serde_json::Value = serde_json::from_str(new.secrets[0].1.expose()).unwrap();
    let cookies = cookies.as_array().unwrap();
    let names: Vec<&str> = cookies
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for name in [
        "session-id",
        "ubid-main",
        "at-main",
        "sess-at-main",
        "at-main-music",
    ] {
        assert!(names.contains(&name), "{name} captured: {names:?}");
    }
    let at_main = cookies.iter().find(|c| c["name"] == "at-main").unwrap();
    assert_eq!(at_main["http_only"], true, "HttpOnly cookies come over CDP");
    let config: serde_json::Value = serde_json::from_str(new.secrets[1].1.expose()).unwrap();
    assert_eq!(config["customerId"], "A1SAMPLE2CUSTOMER");
    assert!(!config["csrf"]["token"].as_str().unwrap().is_empty());
    // The password went to the sign-in form only, never to the API.
    for r in fake.requests() {
        if r.path != "/ap/signin" {
            assert!(
                !r.body.contains("battery"),
                "{} carried the password",
                r.path
            );
        }
    }

    // The captured session reads the account.
    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    let svc = AmazonService::open_with(&new.account, store, fast()).unwrap();
    assert_eq!(svc.playlists().await.unwrap().len(), 5);
}

/// Clicks `selector` once it exists.
async fn click(page: &Page, selector: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(el) = page.find_element(selector).await {
            el.click().await.expect("click");
            return;
        }
        assert!(Instant::now() < deadline, "no {selector} on the page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_step_code_page_is_waited_through() {
    if !browser_available() {
        return;
    }
    let fake = FakeAmazon::start(Library::sample()).await;
    fake.set_mode(Mode::SignInOtp);
    let (opts, rx) = options(&fake, Duration::from_secs(60));
    let signing_in = tokio::spawn(sign_in_with_browser(opts));
    let mut user = connect_as_user(rx).await;
    let page = find_page(&mut user, "/ap/signin").await;
    type_into(&page, "#ap_email", FakeAmazon::EMAIL).await;
    type_into(&page, "#ap_password", FakeAmazon::PASSWORD).await;
    click(&page, "#signInSubmit").await;
    // The code page: musync must still be waiting, not done or failed.
    type_into(&page, "#auth-mfa-otpcode", "000000").await;
    click(&page, "#auth-signin-button").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        !signing_in.is_finished(),
        "a wrong code does not end sign-in"
    );
    type_into(&page, "#auth-mfa-otpcode", FakeAmazon::OTP).await;
    click(&page, "#auth-signin-button").await;
    let new = tokio::time::timeout(Duration::from_secs(60), signing_in)
        .await
        .expect("sign-in finished in time")
        .expect("task ran")
        .expect("signed in after the two-step code");
    assert_eq!(new.account.id.as_str(), "amazon-A1SAMPLE2CUSTOMER");
    let posts: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/ap/"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(posts, ["/ap/signin", "/ap/mfa", "/ap/mfa"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_config_json_the_page_config_is_read() {
    if !browser_available() {
        return;
    }
    let fake = FakeAmazon::start(Library::sample()).await;
    fake.set_mode(Mode::NoConfigJson);
    let (opts, rx) = options(&fake, Duration::from_secs(60));
    let signing_in = tokio::spawn(sign_in_with_browser(opts));
    let mut user = connect_as_user(rx).await;
    let page = find_page(&mut user, "/ap/signin").await;
    type_into(&page, "#ap_email", FakeAmazon::EMAIL).await;
    type_into(&page, "#ap_password", FakeAmazon::PASSWORD).await;
    page.find_element("#signInSubmit")
        .await
        .expect("submit button")
        .click()
        .await
        .expect("submit");
    let new = tokio::time::timeout(Duration::from_secs(60), signing_in)
        .await
        .expect("sign-in finished in time")
        .expect("task ran")
        .expect("signed in from window.amznMusic.appConfig");
    let config: serde_json::Value = serde_json::from_str(new.secrets[1].1.expose()).unwrap();
    assert_eq!(config["customerId"], "A1SAMPLE2CUSTOMER");
    assert_eq!(config["siteRegion"], "EU");
    assert_eq!(new.account.settings["musicTerritory"], "GB");
    // The page's csrf values are the session's: the API accepts them.
    fake.set_mode(Mode::Normal);
    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    fake.clear_requests();
    let svc = AmazonService::open_with(&new.account, store, fast()).unwrap();
    assert_eq!(svc.playlists().await.unwrap().len(), 5);
    assert!(
        fake.requests().iter().all(|r| r.path != "/config.json"),
        "no renewal needed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_window_ends_sign_in_with_nothing_stored() {
    if !browser_available() {
        return;
    }
    let fake = FakeAmazon::start(Library::sample()).await;
    let (opts, rx) = options(&fake, Duration::from_secs(60));
    let signing_in = tokio::spawn(sign_in_with_browser(opts));
    let mut user = connect_as_user(rx).await;
    find_page(&mut user, "/ap/signin").await;
    let _ = user.close().await;
    let err = tokio::time::timeout(Duration::from_secs(30), signing_in)
        .await
        .expect("sign-in noticed the closed window")
        .expect("task ran")
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput, "{err}");
    assert!(err.message.contains("window was closed"), "{err}");
    assert!(err.message.contains("nothing was stored"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_gives_up_after_the_time_limit() {
    if !browser_available() {
        return;
    }
    let fake = FakeAmazon::start(Library::sample()).await;
    let (mut opts, _rx) = options(&fake, Duration::from_secs(3));
    opts.devtools_url = None;
    let started = Instant::now();
    let err = sign_in_with_browser(opts).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput, "{err}");
    assert!(err.message.contains("did not finish within 3 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn a_missing_browser_is_a_clear_error() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let mut opts = BrowserSignIn::for_host(fake.base_url());
    opts.browser = Some("/nonexistent/chromium".into());
    opts.headless = true;
    let err = sign_in_with_browser(opts).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(
        err.message
            .contains("could not start the browser /nonexistent/chromium"),
        "{err}"
    );
}
