//! Real self-hosted music servers for musync's tests.
//!
//! - [`MusicDir`]: a folder of tiny tagged FLAC files (metadata only: a
//!   STREAMINFO giving the duration and a Vorbis comment with the tags), so
//!   hundreds of "five-minute" songs cost a few KB and both servers index
//!   them with the right title, artist, album and duration.
//! - [`Supysonic`]: the Debian `supysonic` package (a real Subsonic server)
//!   with a private config, database and port on 127.0.0.1.
//! - [`Mpd`]: the Debian `mpd` daemon with a private config and port.
//!
//! Each server is started by its binary and killed by its PID on drop. CI
//! installs the packages through `scripts/test.sh`; when a binary is
//! missing, starting a server panics with the package to install.

mod flac;
mod mpd;
mod supysonic;

pub use flac::{MusicDir, SYNC_SOURCE_CSV, TestSong, sync_library};
pub use mpd::Mpd;
pub use supysonic::Supysonic;

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A free port on 127.0.0.1 (bound and released; the server binds it next).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// The path of `binary`, or a panic naming the Debian package that has it.
pub(crate) fn require(binary: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
        let candidate = dir.join(binary);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "`{binary}` is not installed: these tests run the real server. Install the Debian \
         package `{package}` (scripts/test.sh does: apt-get install --no-install-recommends \
         supysonic python3-waitress mpd)"
    );
}

/// Waits until something listens on `port`, or panics after `limit` with
/// the server's log.
pub(crate) fn wait_for_port(port: u16, limit: Duration, what: &str, log: &std::path::Path) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!(
        "{what} did not listen on 127.0.0.1:{port} within {limit:?}; its log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// Kills a child by its PID and reaps it.
pub(crate) fn stop(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}
