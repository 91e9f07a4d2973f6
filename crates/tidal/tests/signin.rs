//! Sign-in through the loopback redirect, against the fake's login and
//! auth hosts.

use fake_tidal::{AuthorizeMode, FakeTidal, TEST_CLIENT_ID};
use musync_core::ErrorKind;
use musync_tidal::{TidalSignIn, sign_in};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn opts(fake: &FakeTidal, seen: Arc<Mutex<Vec<String>>>) -> TidalSignIn {
    let mut o = TidalSignIn::new(TEST_CLIENT_ID);
    o.port = 0;
    o.open_browser = false;
    o.accept_paste = false;
    o.api_url = fake.api_url();
    o.login_url = fake.login_url();
    o.auth_url = fake.auth_url();
    o.timeout = Duration::from_secs(20);
    o.on_url = Box::new(move |u| seen.lock().unwrap().push(u.to_owned()));
    o
}

/// Plays the browser: waits for the address, then opens it (following
/// the redirect to the loopback listener).
async fn browse(seen: Arc<Mutex<Vec<String>>>) -> String {
    let url = loop {
        if let Some(u) = seen.lock().unwrap().first().cloned() {
            break u;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let page = reqwest::get(&url).await.unwrap();
    assert!(page.status().is_success(), "{}", page.status());
    url
}

#[tokio::test]
async fn the_loopback_sign_in_makes_a_tidal_account_with_its_country() {
    let fake = FakeTidal::start().await;
    fake.add_user("555", "bob", "NO");
    fake.state().authorize = AuthorizeMode::AutoApprove("555".into());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (new, url) = tokio::join!(sign_in(opts(&fake, seen.clone())), browse(seen));
    let new = new.unwrap();
    assert_eq!(new.account.id.as_str(), "tidal-555");
    assert_eq!(new.account.name, "bob");
    assert_eq!(new.account.settings["country"], "NO");
    let keys: Vec<&str> = new.secrets.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, vec!["access_token", "refresh_token", "expires_at"]);
    assert!(
        url.starts_with(&format!("{}/authorize?", fake.login_url())),
        "{url}"
    );
    let u = url::Url::parse(&url).unwrap();
    let scope = u
        .query_pairs()
        .find(|(k, _)| k == "scope")
        .unwrap()
        .1
        .into_owned();
    assert!(
        !scope.contains("r_usr") && scope.contains("collection.write"),
        "{scope}"
    );
    assert!(u.query_pairs().any(|(k, v)| k == "state" && v.len() >= 16));
    assert_eq!(fake.state().token_requests, 1);
}

#[tokio::test]
async fn a_cancelled_sign_in_says_so_and_saves_nothing() {
    let fake = FakeTidal::start().await;
    fake.add_user("555", "bob", "NO");
    fake.state().authorize = AuthorizeMode::Deny;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (res, _) = tokio::join!(sign_in(opts(&fake, seen.clone())), browse(seen));
    let e = res.unwrap_err();
    assert_eq!(e.kind, ErrorKind::PermissionDenied);
    assert!(e.message.contains("cancelled"), "{e}");
    assert_eq!(fake.state().token_requests, 0);
}
