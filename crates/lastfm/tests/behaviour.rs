//! Last.fm through the behaviour suite every service runs, against the fake
//! with the shared fault switches. Last.fm's playlists are fixed (loved and
//! recent tracks), so the suite seeds the library, `loved`; a removal is an
//! unlove.

use crate::util::{self, USER};
use async_trait::async_trait;
use fake_lastfm::Catalogue;
use musync_core::{Checked, PlaylistId, Service};
use musync_lastfm::{LOVED, LastfmService};
use musync_testkit::{Faults, Harness, Song};
use std::sync::Arc;

struct Lastfm {
    setup: util::Setup,
}

#[async_trait]
impl Harness for Lastfm {
    async fn start(catalogue: &[Song]) -> Self {
        let setup = util::setup().await;
        let mut cat = Catalogue::sample();
        for (n, song) in catalogue.iter().enumerate() {
            cat = cat.with(&song.artist, &song.title, 1000 + n as u64);
        }
        setup.fake.set_catalogue(cat);
        Lastfm { setup }
    }

    fn service(&self) -> Arc<dyn Service> {
        let account = util::account(&self.setup.fake.api_url(), serde_json::json!({}));
        let svc = LastfmService::open_with(&account, self.setup.secrets.clone(), util::fast())
            .expect("open the service");
        Arc::new(Checked(svc))
    }

    fn faults(&self) -> Option<&Faults> {
        Some(self.setup.fake.faults())
    }

    async fn seed_playlist(&self, name: &str, _songs: &[Song]) -> PlaylistId {
        panic!("Last.fm has no named playlists to seed {name:?} into; the suite seeds its library")
    }

    async fn seed_library(&self, songs: &[Song]) -> PlaylistId {
        // Loved tracks are listed newest first: love the last song first.
        for song in songs.iter().rev() {
            self.setup.fake.love(USER, &song.artist, &song.title);
        }
        PlaylistId::new(LOVED)
    }

    fn reads_durations(&self) -> bool {
        false
    }
}

musync_testkit::behaviour_suite!(Lastfm);
