//! Signing in with a cookies.txt: what is stored, and what is refused.

use crate::util::Env;
use fake_amazon::{FakeAmazon, Library, Mode};
use musync_amazon::{AmazonService, sign_in_with_cookies};
use musync_core::{ErrorKind, MemorySecretStore, SecretStore, Service};
use std::sync::Arc;

#[tokio::test]
async fn cookies_txt_sign_in_stores_cookies_and_config_as_secrets() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(&path, fake.cookies_txt("127.0.0.1")).unwrap();
    let new = sign_in_with_cookies(&path, Some(format!("{}/", fake.base_url())))
        .await
        .unwrap();
    assert_eq!(new.account.id.as_str(), "amazon-A1SAMPLE2CUSTOMER");
    assert!(
        new.account.name.starts_with("Amazon Music (127.0.0.1:"),
        "{}",
        new.account.name
    );
    let s = &new.account.settings;
    assert_eq!(s["host"], fake.base_url());
    assert_eq!(s["siteRegion"], "EU");
    assert_eq!(s["musicTerritory"], "GB");
    assert_eq!(s["marketplaceId"], "A1F83G8C2ARO7P");
    let settings_text = s.to_string();
    for secret in fake.secret_values() {
        assert!(!settings_text.contains(&secret), "settings hold no secret");
    }
    let keys: Vec<&str> = new.secrets.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["cookies", "config"]);
    let cookies: serde_json::Value = serde_json::from_str(new.secrets[0].1.expose()).unwrap();
    let at_main = cookies
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "at-main")
        .unwrap();
    assert_eq!(at_main["http_only"], true);
    let config: serde_json::Value = serde_json::from_str(new.secrets[1].1.expose()).unwrap();
    assert_eq!(config["customerId"], "A1SAMPLE2CUSTOMER");
    // The debug form of what the CLI gets shows no secret.
    let shown = format!("{new:?}");
    for secret in fake.secret_values() {
        assert!(!shown.contains(&secret));
    }
}

#[tokio::test]
async fn cookies_that_are_not_signed_in_are_refused_and_nothing_is_made() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(&path, fake.cookies_txt("127.0.0.1")).unwrap();
    fake.set_mode(Mode::Expired { status: 401 });
    let err = sign_in_with_cookies(&path, Some(fake.base_url().to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(
        err.message.contains(
            "these cookies are not signed in to Amazon Music (expired, or from another market)"
        ),
        "{err}"
    );
    // Only the config was asked for; no API call was tried.
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/config.json"]);
}

#[tokio::test]
async fn a_malformed_cookies_txt_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(
        &path,
        "# Netscape HTTP Cookie File\n.amazon.de\tTRUE\t/\tTRUE\t0\tsession-id\t1\nnot a cookie line\n",
    )
    .unwrap();
    let err = sign_in_with_cookies(&path, Some("http://127.0.0.1:9".into()))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("cookies.txt: line 3"), "{err}");
}

#[tokio::test]
async fn cookies_of_no_amazon_domain_need_a_host() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(&path, "example.org\tFALSE\t/\tFALSE\t0\ta\tb\n").unwrap();
    if std::env::var("MUSYNC_AMAZON_URL").is_ok() {
        return; // the override would name a host
    }
    let err = sign_in_with_cookies(&path, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(
        err.message.contains("none of these cookies is Amazon's"),
        "{err}"
    );
    let missing = sign_in_with_cookies(&dir.path().join("nope.txt"), None)
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::Io);
    assert!(missing.message.contains("nope.txt"));
}

#[tokio::test]
async fn a_missing_sign_in_asks_to_sign_in_and_removal_leaves_no_secret() {
    let env = Env::start(Library::sample()).await;
    env.service().playlists().await.unwrap();
    env.store.delete_account(&env.account.id).unwrap();
    assert!(env.store.is_empty());
    let store: Arc<dyn SecretStore> = env.store.clone();
    let err = AmazonService::open(&env.account, store).err().unwrap();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert_eq!(err.hint.as_deref(), Some("musync accounts add amazon"));
    let other: Arc<dyn SecretStore> = Arc::new(MemorySecretStore::new());
    assert!(AmazonService::open(&env.account, other).is_err());
}
