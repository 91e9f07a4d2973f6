//! Shared set-up: a fake TIDAL with a signed-in user and a service opened
//! on it with fast retries.

use fake_tidal::{FakeTidal, TEST_CLIENT_ID};
use musync_core::{Account, AccountId, MemorySecretStore, Secret, SecretStore, Track};
use musync_tidal::{TidalService, Tuning};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const USER: &str = "12345";

pub fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn tuning() -> Tuning {
    Tuning {
        base_backoff: Duration::from_millis(5),
        max_attempts: 6,
        isrc_window: Duration::from_millis(30),
    }
}

pub struct Setup {
    pub fake: FakeTidal,
    pub secrets: Arc<MemorySecretStore>,
    pub account: Account,
    pub svc: TidalService,
}

impl Setup {
    pub fn secret(&self, key: &str) -> String {
        self.secrets
            .get(&self.account.id, key)
            .unwrap()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default()
    }

    /// The catalogue id of the (version-less) track `title` by `artist`.
    pub fn id(&self, title: &str, artist: &str) -> String {
        self.fake
            .state()
            .catalogue
            .find(title, artist)
            .unwrap_or_else(|| panic!("{title} in the catalogue"))
            .id
            .clone()
    }

    /// That track as the service would return it (only its id matters
    /// for writes).
    pub fn track(&self, title: &str, artist: &str) -> Track {
        Track::new(title, artist).with_id(format!("tidal:track:{}", self.id(title, artist)))
    }
}

/// A fake with user [`USER`] (in `country`) signed in, the access token
/// valid for `valid_for_s` seconds as far as the client knows.
pub async fn setup_in(country: &str, valid_for_s: i64) -> Setup {
    let fake = FakeTidal::start().await;
    fake.add_user(USER, "alice", country);
    let (access, refresh) = fake.issue_tokens(USER);
    let account = Account {
        id: AccountId::new(format!("tidal-{USER}")),
        service: musync_tidal::KIND.into(),
        name: "alice".into(),
        settings: serde_json::json!({
            "user_id": USER, "client_id": TEST_CLIENT_ID, "country": country,
            "api_url": fake.api_url(), "auth_url": fake.auth_url(),
        }),
    };
    let secrets = Arc::new(MemorySecretStore::new());
    let expires = (now_s() as i64 + valid_for_s).max(0) as u64;
    for (k, v) in [
        ("access_token", access),
        ("refresh_token", refresh),
        ("expires_at", expires.to_string()),
    ] {
        secrets.set(&account.id, k, &Secret::new(v)).unwrap();
    }
    let svc = TidalService::open_tuned(&account, secrets.clone(), tuning()).unwrap();
    Setup {
        fake,
        secrets,
        account,
        svc,
    }
}

pub async fn setup() -> Setup {
    setup_in("GB", 3600).await
}
