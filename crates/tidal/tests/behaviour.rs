//! TIDAL joins the behaviour suite through its fake.

use fake_tidal::{Catalogue, CatalogueTrack, FakeTidal};
use musync_core::{
    Account, AccountId, Checked, MemorySecretStore, PlaylistId, Secret, SecretStore, Service,
};
use musync_testkit::{Faults, Harness, Song};
use musync_tidal::{TidalService, Tuning};
use std::sync::Arc;
use std::time::Duration;

struct Tidal {
    fake: FakeTidal,
    svc: Arc<dyn Service>,
}

const USER: &str = "70001";

#[async_trait::async_trait]
impl Harness for Tidal {
    async fn start(catalogue: &[Song]) -> Self {
        let fake = FakeTidal::start().await;
        let mut c = Catalogue::default();
        for s in catalogue {
            c.push(CatalogueTrack::new(
                &s.title,
                &[&s.artist],
                &s.album,
                s.duration_s,
                &s.isrc,
            ));
        }
        fake.set_catalogue(c);
        fake.add_user(USER, "suite", "GB");
        let (access, refresh) = fake.issue_tokens(USER);
        let account = Account {
            id: AccountId::new(format!("tidal-{USER}")),
            service: musync_tidal::KIND.into(),
            name: "suite".into(),
            settings: serde_json::json!({
                "user_id": USER, "client_id": fake_tidal::TEST_CLIENT_ID, "country": "GB",
                "api_url": fake.api_url(), "auth_url": fake.auth_url(),
            }),
        };
        let secrets = Arc::new(MemorySecretStore::new());
        for (k, v) in [
            ("access_token", access),
            ("refresh_token", refresh),
            ("expires_at", "9999999999".to_owned()),
        ] {
            secrets.set(&account.id, k, &Secret::new(v)).unwrap();
        }
        let tuning = Tuning {
            base_backoff: Duration::from_millis(5),
            max_attempts: 6,
            isrc_window: Duration::from_millis(5),
        };
        let svc = TidalService::open_tuned(&account, secrets, tuning).unwrap();
        Tidal {
            fake,
            svc: Arc::new(Checked(svc)),
        }
    }

    fn service(&self) -> Arc<dyn Service> {
        self.svc.clone()
    }

    fn faults(&self) -> Option<&Faults> {
        Some(self.fake.faults())
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        let ids: Vec<String> = {
            let st = self.fake.state();
            songs
                .iter()
                .map(|s| st.catalogue.by_isrc(&s.isrc)[0].id.clone())
                .collect()
        };
        PlaylistId::new(self.fake.add_playlist(USER, name, &ids))
    }
}

musync_testkit::behaviour_suite!(Tidal);
