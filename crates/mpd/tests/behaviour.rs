//! The behaviour suite against the REAL mpd (Debian package; scripts/test.sh
//! installs it): each case starts its own mpd over a generated music
//! folder. MPD has no HTTP faults to inject, so the fault cases pass
//! through; the connection failures are tested in `real_mpd.rs`.

use musync_core::{Checked, PlaylistId, Service};
use musync_mpd::MpdService;
use musync_testkit::{Faults, Harness, Song};
use musync_testservers::{Mpd, MusicDir, TestSong};
use std::sync::Arc;
use std::time::Duration;

struct MpdHarness {
    music: MusicDir,
    mpd: Mpd,
    svc: Arc<dyn Service>,
}

#[async_trait::async_trait]
impl Harness for MpdHarness {
    async fn start(catalogue: &[Song]) -> Self {
        let songs: Vec<TestSong> = catalogue
            .iter()
            .map(|s| TestSong::new(&s.title, &s.artist, &s.album, s.duration_s).with_isrc(&s.isrc))
            .collect();
        let music = MusicDir::new(&songs);
        let mpd = Mpd::start(&music, None);
        let svc = Arc::new(Checked(MpdService::connect(
            "127.0.0.1",
            mpd.port(),
            None,
            Duration::from_secs(10),
        )));
        MpdHarness { music, mpd, svc }
    }

    fn service(&self) -> Arc<dyn Service> {
        self.svc.clone()
    }

    fn faults(&self) -> Option<&Faults> {
        None
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        // A stored playlist is an .m3u of URIs in MPD's playlist directory.
        let mut text = String::new();
        for s in songs {
            text.push_str(
                &self
                    .music
                    .uri_of(&s.title, &s.artist)
                    .expect("seeded song is in the folder"),
            );
            text.push('\n');
        }
        std::fs::write(self.mpd.playlist_dir().join(format!("{name}.m3u")), text).unwrap();
        PlaylistId::new(name)
    }
}

musync_testkit::behaviour_suite!(MpdHarness);
