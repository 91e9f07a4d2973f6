//! Paths that are not playlists (issue 11): a link to /dev/zero, a FIFO
//! with no writer, a sparse file above the 512 MiB limit. Each fails at
//! once, naming the path, exits non-zero and leaves the other side as it
//! was. (Peak memory is measured by scripts/bench-hostile.sh.)

use crate::util::*;
use std::path::{Path, PathBuf};

const GOOD: &str = "#EXTM3U\n#EXTINF:200,Band - Song\n/m/1.mp3\n";

fn fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The hostile paths of one test dir, by name.
fn hostile(env: &Env) -> Vec<(&'static str, PathBuf)> {
    let zero = env.path("zero.m3u8");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let pipe = env.path("pipe.m3u8");
    fifo(&pipe);
    let sparse = env.path("sparse.m3u8");
    let f = std::fs::File::create(&sparse).unwrap();
    f.set_len(600 << 20).unwrap();
    vec![
        ("a device", zero),
        ("a FIFO", pipe),
        ("MiB; musync reads playlist files of up to 512 MiB", sparse),
    ]
}

#[test]
fn a_device_a_fifo_and_a_huge_file_fail_fast_naming_the_path_and_change_nothing() {
    let env = Env::new();
    let good = env.write("good.m3u8", GOOD);
    for (what, path) in hostile(&env) {
        let p = path.to_str().unwrap();
        // As the source, into a real file; and as the target of one.
        for (left, right, untouched) in [
            (p, good.to_str().unwrap(), &good),
            (good.to_str().unwrap(), p, &good),
        ] {
            let started = std::time::Instant::now();
            let out = env.run(&["sync", left, right, "--yes"]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{p}: {err}");
            assert!(err.contains(p), "names the path: {err}");
            assert!(err.contains(what), "says what it is: {err}");
            assert_eq!(read(untouched), GOOD, "the other side is untouched");
            // Generous: a hang or a read of the whole thing takes far longer.
            assert!(started.elapsed().as_secs() < 30, "{p}: fails fast");
        }
        // Reading commands refuse it the same way.
        for args in [vec!["tracks", p], vec!["diff", p, good.to_str().unwrap()]] {
            let out = env.run(&args);
            assert!(!out.status.success(), "{args:?}");
            assert!(stderr(&out).contains(p), "{}", stderr(&out));
        }
    }
    let meta = std::fs::symlink_metadata(env.path("pipe.m3u8")).unwrap();
    use std::os::unix::fs::FileTypeExt;
    assert!(meta.file_type().is_fifo(), "the FIFO is still a FIFO");
    assert_eq!(
        std::fs::metadata(env.path("sparse.m3u8")).unwrap().len(),
        600 << 20,
        "the sparse file is untouched"
    );
}
