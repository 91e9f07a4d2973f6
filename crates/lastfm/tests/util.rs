//! Shared set-up for the Last.fm tests: a fake server with one application
//! and one signed-in user, a service opened on it with fast retry settings,
//! and a progress recorder.

use fake_lastfm::FakeLastfm;
use musync_core::{Account, AccountId, MemorySecretStore, Progress, Secret, SecretStore};
use musync_lastfm::{LastfmService, LastfmTuning};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const KEY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const SECRET: &str = "shared-s3cr3t-value-42";
pub const USER: &str = "alice";

/// Tiny delays so retry tests run in milliseconds.
pub fn fast() -> LastfmTuning {
    LastfmTuning {
        min_interval: Duration::ZERO,
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_attempts: 4,
        timeout: Duration::from_secs(5),
    }
}

pub struct Setup {
    pub fake: FakeLastfm,
    pub service: LastfmService,
    pub secrets: Arc<MemorySecretStore>,
    pub session_key: String,
}

pub fn account(api_url: &str, settings_extra: serde_json::Value) -> Account {
    let mut settings = serde_json::json!({ "username": USER, "api_url": api_url });
    if let serde_json::Value::Object(extra) = settings_extra {
        for (k, v) in extra {
            settings[k] = v;
        }
    }
    Account {
        id: AccountId::new(format!("lastfm-{USER}")),
        service: musync_lastfm::KIND.into(),
        name: USER.to_owned(),
        settings,
    }
}

pub fn store(key: &str, secret: &str, session_key: &str) -> Arc<MemorySecretStore> {
    let secrets = Arc::new(MemorySecretStore::new());
    let id = AccountId::new(format!("lastfm-{USER}"));
    secrets.set(&id, "api_key", &Secret::new(key)).unwrap();
    secrets
        .set(&id, "api_secret", &Secret::new(secret))
        .unwrap();
    secrets
        .set(&id, "session_key", &Secret::new(session_key))
        .unwrap();
    secrets
}

/// A fake with the app and `alice` signed in, and a service for her.
pub async fn setup() -> Setup {
    setup_with(serde_json::json!({}), fast()).await
}

pub async fn setup_with(settings_extra: serde_json::Value, tuning: LastfmTuning) -> Setup {
    let fake = FakeLastfm::start().await;
    fake.register_app(KEY, SECRET);
    let session_key = fake.issue_session(USER, KEY);
    let secrets = store(KEY, SECRET, &session_key);
    let service = LastfmService::open_with(
        &account(&fake.api_url(), settings_extra),
        secrets.clone(),
        tuning,
    )
    .expect("opening the account");
    Setup {
        fake,
        service,
        secrets,
        session_key,
    }
}

/// Records what a service reports about a long read.
#[derive(Default)]
pub struct Recorder {
    pub total: AtomicU64,
    pub done: AtomicU64,
    pub messages: Mutex<Vec<String>>,
}

impl Progress for Recorder {
    fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::SeqCst);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::SeqCst);
    }
    fn message(&self, msg: &str) {
        self.messages.lock().unwrap().push(msg.to_owned());
    }
}

impl Recorder {
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::SeqCst)
    }
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::SeqCst)
    }
}
