//! Playlist files through the behaviour suite every service runs, once per
//! format (M3U8, XSPF, CSV, JSON). A file has no server, so the failure
//! cases (which need fault switches) pass without running; the reads,
//! searches ("the source itself"), adds and removals run against real files
//! in a temporary folder.

use async_trait::async_trait;
use musync_core::{PlaylistId, Service};
use musync_files::{FileService, Format};
use musync_testkit::{Faults, Harness, Song};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The suite's harness for files of one format: 0 M3U8, 1 XSPF, 2 CSV,
/// 3 JSON.
struct Files<const F: u8> {
    dir: tempfile::TempDir,
    /// The playlist the last seed wrote; the service opens it.
    current: Mutex<PathBuf>,
}

impl<const F: u8> Files<F> {
    fn format() -> (Format, &'static str) {
        match F {
            0 => (Format::M3u8, "m3u8"),
            1 => (Format::Xspf, "xspf"),
            2 => (Format::Csv, "csv"),
            _ => (Format::Json, "json"),
        }
    }
}

#[async_trait]
impl<const F: u8> Harness for Files<F> {
    async fn start(_catalogue: &[Song]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let current = Mutex::new(dir.path().join(format!("empty.{}", Self::format().1)));
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
        let (format, ext) = Self::format();
        let path = self.dir.path().join(format!("{name}.{ext}"));
        let tracks: Vec<_> = songs.iter().map(Song::to_track).collect();
        let text = musync_files::render(format, name, &tracks).expect("render");
        std::fs::write(&path, text).expect("write the playlist");
        *self.current.lock().unwrap() = path.clone();
        PlaylistId::new(path.display().to_string())
    }
}

/// The suite for one format, in a module of its own.
macro_rules! suite_for {
    ($module:ident, $format:literal) => {
        mod $module {
            type Harness = super::Files<$format>;
            musync_testkit::behaviour_suite!(Harness);
        }
    };
}

suite_for!(m3u8, 0);
suite_for!(xspf, 1);
suite_for!(csv, 2);
suite_for!(json, 3);
