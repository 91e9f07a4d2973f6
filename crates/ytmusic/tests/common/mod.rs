//! Signing in to the fake with fast retries, for the integration tests.
#![allow(dead_code)]

use fake_ytmusic::FakeYtMusic;
use musync_core::{Checked, MemorySecretStore, NewAccount, SecretStore, Service};
use musync_ytmusic::{ClientOptions, YtMusicService};
use std::sync::Arc;
use std::time::Duration;

/// Retries in milliseconds, no pacing.
pub fn fast() -> ClientOptions {
    ClientOptions {
        max_attempts: 5,
        base_backoff: Duration::from_millis(5),
        min_interval: Duration::ZERO,
        create_gap: Duration::ZERO,
    }
}

/// Signs in with `cookies_txt` through a file, as `accounts add` does.
pub async fn sign_in(
    fake: &FakeYtMusic,
    cookies_txt: &str,
) -> Result<NewAccount, musync_core::ServiceError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(&path, cookies_txt).unwrap();
    musync_ytmusic::sign_in_with_cookies(&path, fake.base_url(), fast()).await
}

/// A signed-in service and the store holding its secrets.
pub async fn open(fake: &FakeYtMusic) -> (Arc<dyn Service>, Arc<MemorySecretStore>, NewAccount) {
    let new = sign_in(fake, &fake.cookies_txt()).await.expect("signed in");
    let store = Arc::new(MemorySecretStore::new());
    for (k, v) in &new.secrets {
        store.set(&new.account.id, k, v).unwrap();
    }
    let svc = YtMusicService::open_with(&new.account, store.clone(), fast()).expect("opened");
    (Arc::new(Checked(svc)), store, new)
}
