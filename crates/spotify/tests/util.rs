//! Shared set-up: a fake Spotify with a signed-in user and a service
//! opened on it, plus small recorders for progress and logs.

use fake_spotify::{FakeSpotify, TEST_CLIENT_ID};
use musync_core::{Account, AccountId, MemorySecretStore, Progress, Secret, SecretStore};
use musync_spotify::SpotifyService;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub struct Setup {
    pub fake: FakeSpotify,
    pub secrets: Arc<MemorySecretStore>,
    pub account: Account,
    pub svc: SpotifyService,
}

impl Setup {
    pub fn secret(&self, key: &str) -> String {
        self.secrets
            .get(&self.account.id, key)
            .unwrap()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default()
    }
    /// Re-opens the service from what the secret store holds now.
    pub fn reopen(&mut self) {
        self.svc = SpotifyService::open(&self.account, self.secrets.clone()).unwrap();
    }
}

pub fn account(fake: &FakeSpotify, user: &str) -> Account {
    Account {
        id: AccountId::new(format!("spotify-{user}")),
        service: musync_spotify::KIND.into(),
        name: user.to_owned(),
        settings: serde_json::json!({
            "user_id": user,
            "client_id": TEST_CLIENT_ID,
            "api_url": fake.api_url(),
            "accounts_url": fake.accounts_url(),
        }),
    }
}

/// A fake with user `alice` signed in; her access token valid for
/// `valid_for_s` seconds as far as the client knows.
pub async fn setup_with_expiry(valid_for_s: i64) -> Setup {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", Some("Alice"));
    let (access, refresh) = fake.issue_tokens("alice");
    let secrets = Arc::new(MemorySecretStore::new());
    let account = account(&fake, "alice");
    let expires_at = (now_s() as i64 + valid_for_s).max(0) as u64;
    for (k, v) in [
        ("access_token", access),
        ("refresh_token", refresh),
        ("expires_at", expires_at.to_string()),
    ] {
        secrets.set(&account.id, k, &Secret::new(v)).unwrap();
    }
    let svc = SpotifyService::open(&account, secrets.clone()).unwrap();
    Setup {
        fake,
        secrets,
        account,
        svc,
    }
}

pub async fn setup() -> Setup {
    setup_with_expiry(3600).await
}

/// Records what a service reports through `Progress`.
#[derive(Default)]
pub struct Recorder {
    pub total: AtomicU64,
    pub done: AtomicU64,
    pub calls: AtomicU64,
}

impl Progress for Recorder {
    fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::SeqCst);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::SeqCst);
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}
