//! The behaviour suite through the fake OpenSubsonic server (token auth,
//! formPost, the shared faults). The real supysonic is driven in
//! `supysonic.rs`.

use fake_subsonic::{FakeSubsonic, Options};
use musync_core::{Checked, PlaylistId, Secret, Service};
use musync_subsonic::{AuthMethod, Connection, SubsonicService, Timing};
use musync_testkit::{Faults, Harness, Song};
use std::sync::Arc;
use std::time::Duration;

struct SubsonicHarness {
    fake: FakeSubsonic,
    svc: Arc<dyn Service>,
}

pub fn fast() -> Timing {
    Timing {
        timeout: Duration::from_secs(10),
        backoff: Duration::from_millis(10),
        attempts: 4,
    }
}

#[async_trait::async_trait]
impl Harness for SubsonicHarness {
    async fn start(catalogue: &[Song]) -> Self {
        let fake = FakeSubsonic::start(Options::default()).await;
        fake.add_user("alice", "pw");
        for s in catalogue {
            fake.add_song(&s.title, &s.artist, &s.album, s.duration_s, Some(&s.isrc));
        }
        let svc = SubsonicService::connect(Connection {
            url: fake.url(),
            user: "alice".into(),
            secret: Secret::new("pw"),
            method: AuthMethod::Token,
            form_post: false,
            timing: fast(),
        })
        .unwrap();
        svc.extensions().await.unwrap();
        SubsonicHarness {
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
                .map(|s| {
                    st.songs
                        .iter()
                        .find(|f| f.title == s.title)
                        .expect("in the library")
                        .id
                        .clone()
                })
                .collect()
        };
        PlaylistId::new(self.fake.add_playlist("alice", name, &ids, false, false))
    }
}

musync_testkit::behaviour_suite!(SubsonicHarness);
