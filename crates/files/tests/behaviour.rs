//! Playlist files through the behaviour suite every service runs. A file
//! has no server, so the failure cases (which need fault switches) pass
//! without running; the reads, searches ("the source itself") and adds run
//! against real files in a temporary folder.

use async_trait::async_trait;
use musync_core::{PlaylistId, Service};
use musync_files::{FileService, Format};
use musync_testkit::{Faults, Harness, Song};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct Files {
    dir: tempfile::TempDir,
    /// The playlist the last seed wrote; the service opens it.
    current: Mutex<PathBuf>,
}

#[async_trait]
impl Harness for Files {
    async fn start(_catalogue: &[Song]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let current = Mutex::new(dir.path().join("empty.m3u8"));
        Files { dir, current }
    }

    fn service(&self) -> Arc<dyn Service> {
        let path = self.current.lock().unwrap().clone();
        Arc::new(musync_core::Checked(
            FileService::open_or_new(path).expect("open the playlist file"),
        ))
    }

    fn faults(&self) -> Option<&Faults> {
        None
    }

    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId {
        let path = self.dir.path().join(format!("{name}.m3u8"));
        let tracks: Vec<_> = songs.iter().map(Song::to_track).collect();
        let text = musync_files::render(Format::M3u8, name, &tracks).expect("render");
        std::fs::write(&path, text).expect("write the playlist");
        *self.current.lock().unwrap() = path.clone();
        PlaylistId::new(path.display().to_string())
    }
}

musync_testkit::behaviour_suite!(Files);
