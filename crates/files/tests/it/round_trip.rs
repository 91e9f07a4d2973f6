//! Property tests: what musync writes (a new file, then an append) reads
//! back as the same tracks, with unicode everywhere, for every format —
//! as far as each format can carry a field: M3U keeps only ids that are
//! paths/URIs, and XSPF keeps the artist display string, not the list. Titles that look like spreadsheet formulas, artist names with
//! commas, `&` and ` - ` are in the mix.

use crate::util::block_on;
use musync_core::{PlaylistId, Service, Track, TrackId};
use musync_files::{FileService, Format, read, write_new};
use proptest::prelude::*;

/// A word: letters/digits from any script plus characters that need
/// escaping somewhere (XML `&<>"'`, CSV quotes, M3U `#`).
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\p{L}\\p{N}]{1,8}",
        "[\\p{L}][\\p{L}\\p{N}&<>\"'()!?.#%/-]{0,7}",
        Just("Beyoncé".to_owned()),
        Just("宇多田ヒカル".to_owned()),
        Just("Sigur Rós".to_owned()),
    ]
}

/// Words joined by single spaces.
fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..=max).prop_map(|w| w.join(" "))
}

/// An artist name: like `words`, but without characters that separate
/// artists in a display string (`,` `;` `&`) or ` - ` (the M3U separator).
fn artist_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec("[\\p{L}\\p{N}][\\p{L}\\p{N}'.!]{0,7}", 1..=3).prop_map(|w| w.join(" ")),
        1 => prop_oneof![
            Just("Tyler, The Creator".to_owned()),
            Just("Zeal & Ardor".to_owned()),
            Just("Crosby, Stills, Nash & Young".to_owned()),
            Just("Artist - With Dash".to_owned()),
            Just("=Formula".to_owned()),
        ],
    ]
}

/// A title: words, sometimes with a ` - ` qualifier or a leading formula
/// character a spreadsheet would run.
fn title() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("="), Just("-"), Just("@"), Just("+")],
        words(4),
        prop_oneof![Just(""), Just(" - Live")],
    )
        .prop_map(|(lead, w, tail)| format!("{lead}{w}{tail}"))
}

fn id() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        "[A-Za-z0-9]{22}".prop_map(|s| Some(format!("spotify:track:{s}"))),
        word().prop_map(|w| Some(format!("/music/{w}.flac"))),
        word().prop_map(|w| Some(format!("file:///music/Sigur%20R%C3%B3s/{w}.ogg"))),
        "[0-9]{1,6}".prop_map(|n| Some(format!("https://example.test/t/{n}"))),
        // An Amazon ASIN: not a location, so M3U cannot keep it.
        "B0[A-Z0-9]{8}".prop_map(Some),
    ]
}

fn track() -> impl Strategy<Value = Track> {
    (
        title(),
        prop::collection::vec(artist_name(), 0..=3),
        prop::option::of(words(3)),
        prop::option::of(0u32..100_000),
        prop::option::of("[A-Z]{2}[A-Z0-9]{3}[0-9]{7}"),
        id(),
    )
        .prop_map(|(title, artists, album, duration, isrc, id)| {
            let mut t = Track::new(title, "").with_artists(artists);
            t.album = album.map(Into::into);
            t.duration_s = duration;
            t.isrc = isrc.map(Into::into);
            t.id = id.map(TrackId);
            t
        })
}

/// `t` reduced to what `format` can store.
fn expected(format: Format, t: &Track) -> Track {
    let mut t = t.clone();
    match format {
        Format::M3u8 => {
            if t.id.as_ref().is_some_and(|id| id.0.starts_with("B0")) {
                t.id = None;
            }
        }
        Format::Xspf | Format::Csv | Format::Json => {}
    }
    t
}

/// Compares what each format promises to keep.
fn assert_same(format: Format, got: &Track, want: &Track) -> Result<(), TestCaseError> {
    let want = expected(format, want);
    prop_assert_eq!(&got.title, &want.title, "{} title", format);
    prop_assert_eq!(&got.artist, &want.artist, "{} artist", format);
    prop_assert_eq!(&got.album, &want.album, "{} album", format);
    prop_assert_eq!(got.duration_s, want.duration_s, "{} duration", format);
    prop_assert_eq!(&got.isrc, &want.isrc, "{} isrc", format);
    prop_assert_eq!(&got.id, &want.id, "{} id", format);
    if format != Format::Xspf {
        prop_assert_eq!(&got.artists, &want.artists, "{} artists", format);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn write_then_append_then_read_gives_the_same_tracks(
        first in prop::collection::vec(track(), 0..6),
        more in prop::collection::vec(track(), 1..4),
        name in words(3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        for format in Format::ALL {
            let path = dir.path().join(format!("p.{}", format.extension()));
            write_new(&path, format, &name, &first).unwrap();
            let (got_name, got) = read(&path).unwrap();
            let want_name = (format != Format::Csv).then(|| name.clone());
            prop_assert_eq!(got_name, want_name, "{} name", format);
            prop_assert_eq!(got.len(), first.len());
            for (g, w) in got.iter().zip(&first) {
                assert_same(format, g, w)?;
            }

            let svc = FileService::open(&path).unwrap();
            let id = PlaylistId(path.to_string_lossy().into_owned());
            block_on(svc.add(&id, &more)).unwrap();
            let (_, all) = read(&path).unwrap();
            prop_assert_eq!(all.len(), first.len() + more.len());
            for (g, w) in all.iter().zip(first.iter().chain(&more)) {
                assert_same(format, g, w)?;
            }
        }
    }

    #[test]
    fn json_keeps_every_field_exactly(tracks in prop::collection::vec(track(), 0..8)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.json");
        write_new(&path, Format::Json, "x", &tracks).unwrap();
        prop_assert_eq!(read(&path).unwrap().1, tracks);
    }
}
