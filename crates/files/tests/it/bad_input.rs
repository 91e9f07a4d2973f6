//! Malformed files of every format: the error is `InvalidInput`, names the
//! file and the line, carries a hint, and an `add` writes nothing at all.

use crate::util::{block_on, names_in};
use musync_core::{ErrorKind, PlaylistId, Service, Track};
use musync_files::{FileService, read};
use std::fs;

/// (file name, content, expected "file:line" position, words of the message)
fn broken_files() -> Vec<(&'static str, &'static [u8], &'static str, &'static str)> {
    vec![
        (
            "bad-length.m3u8",
            b"#EXTM3U\n#EXTINF:3:20,A - B\n/m/a.mp3\n",
            ":2:",
            "is not a number of seconds",
        ),
        (
            "dangling.m3u",
            b"#EXTM3U\n/m/a.mp3\n\n#EXTINF:10,A - B\n",
            ":4:",
            "not followed by a file path",
        ),
        (
            "binary.m3u8",
            b"#EXTM3U\n/m/a.mp3\n\x00\x01\x02",
            ":3:",
            "NUL byte",
        ),
        (
            "broken.xspf",
            b"<?xml version=\"1.0\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  <trackList>\n    <track><title>A</title></trak>\n  </trackList>\n</playlist>\n",
            ":4:",
            "broken XML",
        ),
        (
            "amp.xspf",
            b"<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n<title>Rock & Roll</title>\n<trackList/>\n</playlist>\n",
            ":2:",
            "broken XML",
        ),
        (
            "truncated.xspf",
            b"<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  <trackList>\n    <track><title>A</title></track>\n",
            ":3:",
            "ends before <trackList> (opened on line 2) is closed",
        ),
        (
            "quote.csv",
            b"Track Name,Artist Name(s)\nA,B\n\"C,D\nE,F\n",
            ":3:",
            "never closed",
        ),
        (
            "fields.csv",
            b"Track Name,Artist Name(s),Album Name\nA,B,C\nD,E\nF,G,H\n",
            ":3:",
            "has 2 cells but the header has 3",
        ),
        (
            "columns.csv",
            b"Song Title Here,Performer\nA,B\n",
            ":1:",
            "missing columns 'Track Name' and 'Artist Name(s)' (columns found: 'Song Title Here', 'Performer')",
        ),
        (
            "latin1.csv",
            b"Track Name,Artist Name(s)\nCaf\xE9,B\n",
            ":2:",
            "not valid UTF-8",
        ),
        (
            "comma.json",
            b"{\n  \"name\": \"x\",\n  \"tracks\": [\n    {\"title\": \"a\", \"artist\": \"b\"},\n  ]\n}\n",
            ":5:3:",
            "trailing comma",
        ),
        (
            "notitle.json",
            b"{\"name\": \"x\", \"tracks\": [\n  {\"title\": \"a\", \"artist\": \"b\"},\n  {\"artist\": \"c\"}\n]}\n",
            ":3:",
            "track 2 has no \"title\"",
        ),
        (
            // Old Mac line endings: the line number still counts CRs.
            "cr-only.csv",
            b"Track Name,Artist Name(s)\rA,B\rC,D,E\r",
            ":3:",
            "this row has 3 cells but the header has 2",
        ),
        (
            "cr-only.m3u8",
            b"#EXTM3U\r#EXTINF:1,A - B\r/m/a.mp3\r#EXTINF:x,C - D\r/m/c.mp3\r",
            ":4:",
            "#EXTINF length 'x' is not a number of seconds",
        ),
        (
            // UTF-16 LE with a lone high surrogate on line 2.
            "surrogate.m3u",
            b"\xFF\xFE#\x00\n\x00\x00\xD8",
            ":2:",
            "not valid UTF-16 text",
        ),
        (
            "type.json",
            b"{\"name\": \"x\",\n\"tracks\": [{\"title\": \"a\", \"duration_s\": \"long\"}]}",
            ":2:",
            "invalid type",
        ),
    ]
}

#[test]
fn reading_a_broken_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content, position, words) in broken_files() {
        let path = dir.path().join(name);
        fs::write(&path, content).unwrap();
        let err = read(&path).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput, "{name}: {err}");
        assert_eq!(err.service, "Playlist file");
        let prefix = format!("{}{position}", path.display());
        assert!(
            err.message.starts_with(&prefix),
            "{name}: {:?} should start with {prefix:?}",
            err.message
        );
        assert!(err.message.contains(words), "{name}: {}", err.message);
        assert!(err.hint.as_deref().is_some_and(|h| !h.is_empty()), "{name}");
    }
}

#[test]
fn adding_to_a_broken_file_refuses_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content, position, _) in broken_files() {
        let path = dir.path().join(name);
        fs::write(&path, content).unwrap();
        let before = names_in(dir.path());
        let svc = FileService::open(&path).unwrap();
        let id = PlaylistId(path.to_string_lossy().into_owned());
        let err = block_on(svc.add(&id, &[Track::new("New", "Song")])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput, "{name}");
        assert!(
            err.message
                .starts_with(&format!("{}{position}", path.display())),
            "{name}: {}",
            err.message
        );
        assert!(
            err.hint.as_deref().is_some_and(|h| h.contains("unchanged")),
            "{name}: {:?}",
            err.hint
        );
        assert_eq!(fs::read(&path).unwrap(), content, "{name} was modified");
        assert_eq!(names_in(dir.path()), before, "{name} left files behind");
        // The listing fails the same way instead of showing an empty playlist.
        assert_eq!(
            block_on(svc.playlists()).unwrap_err().kind,
            ErrorKind::InvalidInput
        );
    }
}

#[test]
fn a_latin1_m3u_reads_but_is_never_half_converted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.m3u");
    let content: &[u8] = b"#EXTM3U\n#EXTINF:200,Bj\xF6rk - J\xF3ga\n/m/joga.mp3\n";
    fs::write(&path, content).unwrap();
    let (_, tracks) = read(&path).unwrap();
    assert_eq!(tracks[0].label(), "Björk - Jóga");
    let svc = FileService::open(&path).unwrap();
    let id = PlaylistId(path.to_string_lossy().into_owned());
    let err = block_on(svc.add(&id, &[Track::new("Hyperballad", "Björk")])).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("Latin-1"), "{}", err.message);
    assert_eq!(fs::read(&path).unwrap(), content);
}
