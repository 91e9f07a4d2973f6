//! Amazon Music through the behaviour suite every service runs (read and
//! failure cases: it is read-only), against the fake with the shared fault
//! switches, GraphQL first as a real session goes.

use async_trait::async_trait;
use fake_amazon::{Library, LibraryPlaylist, LibraryTrack};
use musync_amazon::TransportMode;
use musync_core::{Checked, PlaylistId, Service};
use musync_testkit::{Faults, Harness, Song};
use std::sync::Arc;

#[path = "util.rs"]
#[allow(dead_code)]
mod util;

struct Amazon {
    env: util::Env,
}

fn library_track(n: usize, song: &Song) -> LibraryTrack {
    LibraryTrack {
        asin: Some(format!("B0SUITE{n:05}")),
        object_id: format!("suite-object-{n}"),
        title: song.title.clone(),
        artist: song.artist.clone(),
        album: song.album.clone(),
        album_artist: song.artist.clone(),
        genre: "Pop".into(),
        duration_s: song.duration_s,
        track_num: 1,
        disc_num: 1,
        purchased: false,
        status: "AVAILABLE".into(),
    }
}

#[async_trait]
impl Harness for Amazon {
    async fn start(_catalogue: &[Song]) -> Self {
        Amazon {
            env: util::Env::start(Library::empty("A1SUITE")).await,
        }
    }

    fn service(&self) -> Arc<dyn Service> {
        let options = util::fast_both(&self.env.fake, TransportMode::Direct);
        Arc::new(Checked(self.env.service_with(options)))
    }

    fn faults(&self) -> Option<&Faults> {
        Some(self.env.fake.faults())
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        let mut library = self.env.fake.library();
        let id = format!("suite-playlist-{}", library.playlists.len());
        library.playlists.push(LibraryPlaylist {
            id: id.clone(),
            title: name.to_owned(),
            tracks: songs
                .iter()
                .enumerate()
                .map(|(n, s)| library_track(n, s))
                .collect(),
        });
        self.env.fake.set_library(library);
        PlaylistId::new(id)
    }
}

musync_testkit::behaviour_suite!(Amazon);
