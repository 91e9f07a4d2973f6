//! Spotify through the behaviour suite every service runs, against the
//! fake with the shared fault switches.

use async_trait::async_trait;
use fake_spotify::{Catalogue, CatalogueTrack};
use musync_core::{Checked, PlaylistId, Service};
use musync_testkit::{Faults, Harness, Song};
use std::sync::Arc;

#[path = "util.rs"]
#[allow(dead_code)]
mod util;

struct Spotify {
    setup: util::Setup,
}

fn catalogue_track(song: &Song) -> CatalogueTrack {
    CatalogueTrack::new(
        &song.title,
        &[song.artist.as_str()],
        &song.album,
        u64::from(song.duration_s),
        Some(&song.isrc),
    )
}

#[async_trait]
impl Harness for Spotify {
    async fn start(catalogue: &[Song]) -> Self {
        let setup = util::setup().await;
        let mut cat = Catalogue::sample();
        for song in catalogue {
            cat.push(catalogue_track(song));
        }
        setup.fake.set_catalogue(cat);
        Spotify { setup }
    }

    fn service(&self) -> Arc<dyn Service> {
        let svc =
            musync_spotify::SpotifyService::open(&self.setup.account, self.setup.secrets.clone())
                .expect("open the service");
        Arc::new(Checked(svc))
    }

    fn faults(&self) -> Option<&Faults> {
        Some(self.setup.fake.faults())
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        let uris: Vec<String> = songs.iter().map(|s| catalogue_track(s).uri()).collect();
        PlaylistId::new(self.setup.fake.add_playlist("alice", name, &uris))
    }
}

musync_testkit::behaviour_suite!(Spotify);
