//! The corpus in `tests/corpus/`: small files written for these tests in
//! the shapes other tools write (Exportify 2017/2019/2026 and German,
//! TuneMyMusic, a spreadsheet's renamed columns, Excel's UTF-16 text, VLC,
//! Mopidy, Windows players, old Mac CR-only files, location-only XSPF,
//! compact and pretty JSON). Each is read, exported to every format and
//! read back, and synced into (appended to) with its bytes kept.

use crate::util::block_on;
use musync_core::{PlaylistId, Service, Track, TrackId};
use musync_files::{FileService, Format, read, write_new};
use std::fs;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// What one track of a corpus file must read as.
struct Want {
    title: &'static str,
    artists: &'static [&'static str],
    album: Option<&'static str>,
    duration_s: Option<u32>,
    isrc: Option<&'static str>,
    id: Option<&'static str>,
}

const fn want(title: &'static str, artists: &'static [&'static str]) -> Want {
    Want {
        title,
        artists,
        album: None,
        duration_s: None,
        isrc: None,
        id: None,
    }
}

/// (file, playlist title, track count, index of the track checked, want)
fn expectations() -> Vec<(&'static str, Option<&'static str>, usize, usize, Want)> {
    vec![
        (
            "exportify-2026-semicolon.csv",
            None,
            4,
            0,
            Want {
                album: Some("CHROMAKOPIA"),
                duration_s: Some(243),
                isrc: Some("USSM12409991"),
                id: Some("spotify:track:0aaaaaaaaaaaaaaaaaaaaa"),
                ..want(
                    "Sticky (feat. Lola Young)",
                    &["Tyler, The Creator", "Lola Young"],
                )
            },
        ),
        (
            "exportify-2026-semicolon.csv",
            None,
            4,
            1,
            Want {
                album: Some("Bluey the Album"),
                duration_s: Some(94),
                isrc: Some("AUDCB2100001"),
                id: Some("spotify:track:0bbbbbbbbbbbbbbbbbbbbb"),
                ..want("Keepy Uppy", &["Bluey", "Joff Bush"])
            },
        ),
        (
            "exportify-2026-semicolon.csv",
            None,
            4,
            2,
            Want {
                album: Some("Blood, Sweat & Tears"),
                duration_s: Some(249),
                isrc: Some("USSM16900001"),
                id: Some("spotify:track:0ccccccccccccccccccccc"),
                ..want("Spinning Wheel", &["Blood, Sweat & Tears"])
            },
        ),
        (
            "exportify-2026-semicolon.csv",
            None,
            4,
            3,
            Want {
                album: Some("Stranger Fruit"),
                duration_s: Some(171),
                isrc: Some("CH0001800001"),
                id: Some("spotify:track:0ddddddddddddddddddddd"),
                ..want("Götterdämmerung", &["Zeal & Ardor"])
            },
        ),
        (
            "exportify-2019-escaped-commas.csv",
            None,
            3,
            0,
            Want {
                album: Some("Random Access Memories"),
                duration_s: Some(370),
                isrc: Some("USQX91300108"),
                id: Some("spotify:track:1aaaaaaaaaaaaaaaaaaaaa"),
                ..want(
                    "Get Lucky",
                    &["Daft Punk", "Pharrell Williams", "Nile Rodgers"],
                )
            },
        ),
        (
            "exportify-2019-escaped-commas.csv",
            None,
            3,
            1,
            Want {
                album: Some("4 Way Street"),
                duration_s: Some(178),
                isrc: Some("USAT20000001"),
                id: Some("spotify:track:1bbbbbbbbbbbbbbbbbbbbb"),
                ..want("Ohio", &["Crosby, Stills, Nash & Young"])
            },
        ),
        (
            "exportify-2019-escaped-commas.csv",
            None,
            3,
            2,
            Want {
                album: Some("Flower Boy"),
                duration_s: Some(180),
                isrc: Some("USQX91701278"),
                id: Some("spotify:track:1ccccccccccccccccccccc"),
                ..want("See You Again", &["Tyler, The Creator", "Kali Uchis"])
            },
        ),
        (
            "exportify-2017-spotify-id.csv",
            None,
            2,
            0,
            Want {
                album: Some("Hot Space"),
                duration_s: Some(248),
                id: Some("spotify:track:2aaaaaaaaaaaaaaaaaaaaa"),
                ..want("Under Pressure", &["Queen", "David Bowie"])
            },
        ),
        (
            "exportify-german.csv",
            None,
            2,
            1,
            Want {
                album: Some("Ballast der Republik"),
                duration_s: Some(212),
                isrc: Some("DEA621200001"),
                id: Some("spotify:track:3bbbbbbbbbbbbbbbbbbbbb"),
                ..want("Tage wie diese", &["Die Toten Hosen", "Gast, Der"])
            },
        ),
        (
            "tunemymusic.csv",
            None,
            2,
            1,
            Want {
                album: Some("First Love"),
                isrc: Some("JPTO09900130"),
                id: Some("spotify:track:4bbbbbbbbbbbbbbbbbbbbb"),
                ..want("First Love", &["宇多田ヒカル"])
            },
        ),
        (
            "renamed-by-spreadsheet.csv",
            None,
            2,
            0,
            Want {
                album: Some("Homogenic"),
                duration_s: Some(305),
                ..want("Joga", &["Björk"])
            },
        ),
        // Another tool's formula-looking cell is read as written.
        (
            "renamed-by-spreadsheet.csv",
            None,
            2,
            1,
            want("=cmd|' /C calc'!A0", &["Someone"]),
        ),
        (
            "old-mac-cr.csv",
            None,
            2,
            1,
            Want {
                album: Some("A Night at the Opera"),
                ..want("Bohemian Rhapsody", &["Queen"])
            },
        ),
        (
            "excel-unicode-text-utf16le.csv",
            None,
            2,
            1,
            Want {
                album: Some("Группа крови"),
                ..want("Первая", &["Кино"])
            },
        ),
        (
            "vlc-file-urls.m3u8",
            None,
            2,
            0,
            Want {
                duration_s: Some(268),
                id: Some(
                    "file:///home/me/Music/Sigur%20R%C3%B3s/Takk/02%20-%20Hopp%C3%ADpolla.flac",
                ),
                ..want("Hoppípolla", &["Sigur Rós"])
            },
        ),
        (
            "vlc-file-urls.m3u8",
            None,
            2,
            1,
            Want {
                id: Some("http://stream.radioparadise.test/flac"),
                ..want("Radio Paradise", &[])
            },
        ),
        (
            "bare-paths.m3u",
            None,
            3,
            0,
            Want {
                id: Some("/home/me/Music/Sigur%20R%C3%B3s%20-%20Hopp%C3%ADpolla.flac"),
                ..want("Hoppípolla", &["Sigur Rós"])
            },
        ),
        (
            "bare-paths.m3u",
            None,
            3,
            1,
            Want {
                id: Some("Music\\Björk - Joga.mp3"),
                ..want("Joga", &["Björk"])
            },
        ),
        (
            "old-mac-cr.m3u",
            None,
            2,
            1,
            Want {
                duration_s: Some(355),
                id: Some("/Music/br.mp3"),
                ..want("Bohemian Rhapsody", &["Queen"])
            },
        ),
        (
            "latin1.m3u",
            None,
            1,
            0,
            Want {
                duration_s: Some(305),
                id: Some("C:\\Music\\Björk\\Jóga.mp3"),
                ..want("Jóga", &["Björk"])
            },
        ),
        (
            "windows-utf16le.m3u",
            None,
            2,
            1,
            Want {
                duration_s: Some(259),
                id: Some("C:\\Music\\Utada\\First Love.mp3"),
                ..want("First Love", &["宇多田ヒカル"])
            },
        ),
        (
            "mopidy-uris.m3u8",
            None,
            2,
            1,
            Want {
                duration_s: Some(369),
                id: Some("spotify:track:1aaaaaaaaaaaaaaaaaaaaa"),
                ..want("Get Lucky", &["Daft Punk", "Pharrell Williams"])
            },
        ),
        (
            "musync-tags.m3u8",
            Some("Tagged"),
            1,
            0,
            Want {
                album: Some("The Album"),
                duration_s: Some(200),
                isrc: Some("GBUM71029604"),
                id: Some("/m/song.flac"),
                ..want("Song", &["Artist - With Dash"])
            },
        ),
        (
            "location-only.xspf",
            None,
            2,
            0,
            Want {
                id: Some("file:///home/me/Music/Sigur%20R%C3%B3s%20-%20Hopp%C3%ADpolla.flac"),
                ..want("Hoppípolla", &["Sigur Rós"])
            },
        ),
        (
            "location-only.xspf",
            None,
            2,
            1,
            Want {
                id: Some("file:///home/me/Music/Intro.ogg"),
                ..want("Intro", &[])
            },
        ),
        (
            "full-crlf.xspf",
            Some("Chill & Calm"),
            2,
            0,
            Want {
                album: Some("I AM...SASHA FIERCE"),
                duration_s: Some(261),
                isrc: Some("USSM10804556"),
                id: Some("https://media.test/halo.mp3"),
                ..want("Halo", &["Beyoncé"])
            },
        ),
        (
            "full-crlf.xspf",
            Some("Chill & Calm"),
            2,
            1,
            Want {
                id: Some("spotify:track:4bbbbbbbbbbbbbbbbbbbbb"),
                ..want("First Love", &["宇多田ヒカル"])
            },
        ),
        (
            "utf16be.xspf",
            Some("Wide"),
            1,
            0,
            Want {
                duration_s: Some(305),
                ..want("Jóga", &["Björk"])
            },
        ),
        (
            "pretty.json",
            Some("Mix"),
            1,
            0,
            Want {
                album: Some("I AM...SASHA FIERCE"),
                duration_s: Some(261),
                isrc: Some("USSM10804556"),
                id: Some("spotify:track:4aaaaaaaaaaaaaaaaaaaaa"),
                ..want("Halo", &["Beyoncé"])
            },
        ),
        ("compact.json", Some("Compact"), 2, 1, want("Intro", &[])),
        (
            "bare-array.json",
            None,
            1,
            0,
            Want {
                id: Some("/m/get-lucky.flac"),
                ..want("Get Lucky", &["Daft Punk", "Pharrell Williams"])
            },
        ),
    ]
}

fn check(file: &str, got: &Track, w: &Want) {
    assert_eq!(got.title, w.title, "{file} title");
    assert_eq!(got.artists, w.artists, "{file} artists of {}", w.title);
    assert_eq!(got.album.as_deref(), w.album, "{file} album of {}", w.title);
    assert_eq!(
        got.duration_s, w.duration_s,
        "{file} duration of {}",
        w.title
    );
    assert_eq!(got.isrc.as_deref(), w.isrc, "{file} isrc of {}", w.title);
    assert_eq!(
        got.id,
        w.id.map(|i| TrackId(i.to_owned())),
        "{file} id of {}",
        w.title
    );
}

#[test]
fn every_corpus_file_reads_as_its_tool_meant() {
    let mut seen = std::collections::BTreeSet::new();
    for (file, name, count, index, w) in expectations() {
        let (got_name, tracks) = read(&corpus(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(got_name.as_deref(), name, "{file}");
        assert_eq!(tracks.len(), count, "{file}");
        check(file, &tracks[index], &w);
        seen.insert(file);
    }
    // Every file in the corpus is covered by the table above.
    let all: std::collections::BTreeSet<String> = fs::read_dir(corpus(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let seen: std::collections::BTreeSet<String> = seen.into_iter().map(str::to_owned).collect();
    assert_eq!(all, seen);
}

/// `t` as `format` stores it (what the format cannot hold dropped).
fn storable(format: Format, t: &Track) -> Track {
    let mut t = t.clone();
    if format == Format::Xspf {
        // `<creator>` is a display string: the list is split from it again.
        t.artists = musync_core::split_artists(&t.artist);
    }
    t
}

#[test]
fn every_corpus_file_exports_to_every_format_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let files: std::collections::BTreeSet<&str> = expectations().into_iter().map(|e| e.0).collect();
    for file in files {
        let (name, tracks) = read(&corpus(file)).unwrap();
        let name = name.unwrap_or_else(|| "Corpus".to_owned());
        for format in Format::ALL {
            let out = dir.path().join(format!("out.{}", format.extension()));
            write_new(&out, format, &name, &tracks).unwrap();
            let (back_name, back) = read(&out).unwrap();
            if format != Format::Csv {
                assert_eq!(
                    back_name.as_deref(),
                    Some(name.as_str()),
                    "{file} → {format}"
                );
            }
            let want: Vec<Track> = tracks.iter().map(|t| storable(format, t)).collect();
            assert_eq!(
                back,
                want,
                "{file} → {format}:\n{}",
                fs::read_to_string(&out).unwrap()
            );
        }
    }
}

/// The id a file keeps for `t`: all of them, except in a CSV without a
/// column for it (a bare `Spotify ID` column holds only Spotify ids).
fn kept_id(file: &str, t: &Track) -> Option<TrackId> {
    let spotify = t.id.as_ref().filter(|i| i.0.starts_with("spotify:track:"));
    match file {
        "tunemymusic.csv" | "exportify-2017-spotify-id.csv" => spotify.cloned(),
        "renamed-by-spreadsheet.csv" | "old-mac-cr.csv" | "excel-unicode-text-utf16le.csv" => None,
        _ => t.id.clone(),
    }
}

#[test]
fn syncing_into_each_corpus_file_appends_and_keeps_its_bytes_and_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let files: std::collections::BTreeSet<&str> = expectations().into_iter().map(|e| e.0).collect();
    let new = [
        Track::new("Sticky", "")
            .with_artists(vec!["Tyler, The Creator", "Lola Young"])
            .with_duration_s(243)
            .with_id("spotify:track:5aaaaaaaaaaaaaaaaaaaaa"),
        // One artist named with an `&`, as a service lists it.
        Track::new("Gotterdammerung", "")
            .with_artists(vec!["Zeal & Ardor"])
            .with_album("Stranger Fruit")
            .with_isrc("CH0001800001")
            .with_id("/music/Zeal & Ardor/03.flac"),
    ];
    for file in files {
        let original = fs::read(corpus(file)).unwrap();
        let path = dir.path().join(file);
        fs::write(&path, &original).unwrap();
        let (_, before) = read(&path).unwrap();
        let svc = FileService::open(&path).unwrap();
        let id = PlaylistId(path.to_string_lossy().into_owned());
        let result = block_on(svc.add(&id, &new));
        if file == "latin1.m3u" {
            // Never half converted: refused, file unchanged.
            let e = result.unwrap_err();
            assert!(e.message.contains("Latin-1"), "{e}");
            assert_eq!(fs::read(&path).unwrap(), original);
            continue;
        }
        result.unwrap_or_else(|e| panic!("{file}: {e}"));
        let written = fs::read(&path).unwrap();
        let (_, after) = read(&path).unwrap();
        assert_eq!(
            after[..before.len()],
            before[..],
            "{file}: old songs changed"
        );
        assert_eq!(after.len(), before.len() + 2, "{file}");
        for (got, want) in after[before.len()..].iter().zip(&new) {
            assert_eq!(got.title, want.title, "{file}");
            assert_eq!(got.artist, want.artist, "{file}");
            if !file.ends_with(".xspf") {
                assert_eq!(got.artists, want.artists, "{file}: names must stay whole");
            }
            assert_eq!(
                got.id,
                kept_id(file, want),
                "{file}: the location must survive"
            );
        }
        // The same BOM/encoding, and line formats keep every old byte.
        assert_eq!(written[..2], original[..2], "{file}: encoding changed");
        let line_based = file.ends_with(".csv") || file.contains(".m3u");
        if line_based {
            assert!(written.starts_with(&original), "{file}: old bytes changed");
        }
    }
}
