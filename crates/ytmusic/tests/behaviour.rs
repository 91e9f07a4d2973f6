//! musync's behaviour suite against the fake YouTube Music.

mod common;

use fake_ytmusic::{FakeYtMusic, Video};
use musync_core::{PlaylistId, Service};
use musync_testkit::{Faults, Harness, Song};
use std::sync::Arc;

struct YtHarness {
    fake: FakeYtMusic,
    svc: Arc<dyn Service>,
}

#[async_trait::async_trait]
impl Harness for YtHarness {
    async fn start(catalogue: &[Song]) -> Self {
        let fake = FakeYtMusic::start().await;
        for s in catalogue {
            fake.add_video(Video::song(&s.title, &[&s.artist], &s.album, s.duration_s));
        }
        let (svc, _, _) = common::open(&fake).await;
        YtHarness { fake, svc }
    }

    fn service(&self) -> Arc<dyn Service> {
        self.svc.clone()
    }

    fn faults(&self) -> Option<&Faults> {
        Some(self.fake.faults())
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        let ids: Vec<String> = songs
            .iter()
            .map(|s| {
                let found = self
                    .fake
                    .state()
                    .videos
                    .values()
                    .find(|v| v.title == s.title)
                    .map(|v| v.video_id.clone());
                found.unwrap_or_else(|| {
                    self.fake
                        .add_video(Video::song(&s.title, &[&s.artist], &s.album, s.duration_s))
                })
            })
            .collect();
        PlaylistId::new(self.fake.add_playlist(name, true, &ids))
    }
}

musync_testkit::behaviour_suite!(YtHarness);
