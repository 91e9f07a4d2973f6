//! Paths that are not playlists, whatever their name says: a FIFO, a link
//! to `/dev/zero`, a 2 GB sparse file, a line of 2 MiB. Each is refused
//! with a message naming the path, fast, without reading it whole, and an
//! add writes nothing. Also: leftovers of a crashed write are cleaned up.

use crate::util::{block_on, names_in};
use musync_core::{ErrorKind, PlaylistId, Service, Track};
use musync_files::{FileService, read};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

fn id_of(path: &Path) -> PlaylistId {
    PlaylistId(path.to_string_lossy().into_owned())
}

/// Reading and adding through `open_or_new` both fail with `InvalidInput`
/// and a message starting with the path, and the directory is unchanged.
fn refused(path: &Path, words: &str) {
    let dir = path.parent().unwrap();
    let before = names_in(dir);
    let started = Instant::now();
    let e = read(path).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput, "{e}");
    assert!(
        e.message.starts_with(&path.display().to_string()),
        "{}",
        e.message
    );
    assert!(e.message.contains(words), "{}", e.message);
    assert!(e.hint.is_some());
    let e = FileService::open_or_new(path).unwrap_err();
    assert!(e.message.contains(words), "{}", e.message);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(names_in(dir), before, "nothing may be written");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.m3u8");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    refused(&fifo, "is a FIFO (named pipe), not a playlist file");
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_and_a_link_to_a_file_reads() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.m3u8");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    refused(&zero, "is a device, not a playlist file");

    let real = dir.path().join("real.m3u8");
    fs::write(&real, "#EXTM3U\n#EXTINF:1,A - B\n/m/b.mp3\n").unwrap();
    let link = dir.path().join("link.m3u8");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(read(&link).unwrap().1.len(), 1);
    let svc = FileService::open(&link).unwrap();
    block_on(svc.add(&id_of(&link), &[Track::new("C", "D")])).unwrap();
    assert_eq!(read(&real).unwrap().1.len(), 2);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_2gb_sparse_file_is_refused_by_its_size_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.csv");
    let file = fs::File::create(&big).unwrap();
    file.set_len(2 << 30).unwrap();
    drop(file);
    let started = Instant::now();
    let e = read(&big).unwrap_err();
    // Reading 2 GB of zeros would take seconds and 2 GB of memory.
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert_eq!(
        e.message,
        format!(
            "{}: is 2048.0 MiB; musync reads playlist files of up to 512 MiB",
            big.display()
        )
    );
    let svc = FileService::open(&big).unwrap();
    let e = block_on(svc.add(&id_of(&big), &[Track::new("A", "B")])).unwrap_err();
    assert!(e.message.contains("512 MiB"), "{}", e.message);
    assert_eq!(fs::metadata(&big).unwrap().len(), 2 << 30);
    assert_eq!(names_in(dir.path()), ["huge.csv"]);
}

#[test]
fn a_line_over_1_mib_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for (name, head) in [
        ("long.m3u8", "#EXTM3U\n#EXTINF:1,A - B\n"),
        ("long.csv", "Track Name,Artist Name(s)\nA,B\n"),
    ] {
        let path = dir.path().join(name);
        let content = format!("{head}{}\n", "x".repeat(2 << 20));
        fs::write(&path, &content).unwrap();
        let e = read(&path).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(
            e.message,
            format!(
                "{}:3: this line is 2097152 bytes long; musync reads lines of up to 1 MiB in M3U and CSV files",
                path.display()
            )
        );
        let svc = FileService::open(&path).unwrap();
        assert!(block_on(svc.add(&id_of(&path), &[Track::new("C", "D")])).is_err());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            content,
            "{name} changed"
        );
    }
    // JSON and XSPF are not line-based: a long single line is fine there.
    let compact = dir.path().join("one-line.json");
    let tracks: Vec<String> = (0..20_000)
        .map(|i| format!("{{\"title\":\"Song number {i}\",\"artist\":\"Some Artist\"}}"))
        .collect();
    fs::write(&compact, format!("{{\"tracks\":[{}]}}", tracks.join(","))).unwrap();
    assert!(fs::metadata(&compact).unwrap().len() > 1 << 20);
    assert_eq!(read(&compact).unwrap().1.len(), 20_000);
}

#[test]
fn a_crashed_writes_leftover_is_removed_by_the_next_write_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.m3u8");
    fs::write(&path, "#EXTM3U\n").unwrap();
    let old = SystemTime::now() - Duration::from_secs(600);
    let leftover = dir.path().join(".musync-Ab3dE9.tmp");
    let fresh = dir.path().join(".musync-Zz9yY8.tmp");
    let other = dir.path().join(".other-Ab3dE9.tmp");
    for p in [&leftover, &fresh, &other] {
        fs::write(p, "half a playlist").unwrap();
    }
    for p in [&leftover, &other] {
        fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let svc = FileService::open(&path).unwrap();
    block_on(svc.add(&id_of(&path), &[Track::new("A", "B")])).unwrap();
    assert_eq!(
        names_in(dir.path()),
        [".musync-Zz9yY8.tmp", ".other-Ab3dE9.tmp", "p.m3u8"]
    );
}
