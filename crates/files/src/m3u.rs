//! M3U and M3U8 playlists: `#EXTM3U`, `#EXTINF:<seconds>,<Artist> - <Title>`
//! followed by a path or URI line, an optional `#PLAYLIST:` title.
//!
//! A plain path line without `#EXTINF` gets artist and title from an
//! `Artist - Title.ext` file name. Appending never rewrites the file: new
//! entries go after the last byte, in the file's own line ending, so comments
//! and directives musync does not know (`#EXTGRP`, `#EXTVLCOPT` …) survive.

use crate::convert;
use crate::error::Malformed;
use crate::model as wire;
use crate::text;
use musync_core::Track;

const EXTINF_HINT: &str = "write it as #EXTINF:<seconds>,<Artist> - <Title> (-1 when the length is unknown), followed by a line with the file path or URL";

/// `line` without `prefix` when it starts with it, ignoring ASCII case.
fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .map(|_| &line[prefix.len()..])
}

/// Parses the part after `#EXTINF:` into (seconds, display text).
fn parse_extinf(rest: &str, line: usize) -> Result<(Option<f64>, Option<String>), Malformed> {
    // The display text follows the first comma outside quoted attribute
    // values (`#EXTINF:-1 tvg-name="a,b",Title`).
    let mut in_quotes = false;
    let comma = rest.char_indices().find_map(|(i, c)| match c {
        '"' => {
            in_quotes = !in_quotes;
            None
        }
        ',' if !in_quotes => Some(i),
        _ => None,
    });
    let (head, display) = match comma {
        Some(i) => (&rest[..i], Some(rest[i + 1..].trim())),
        None => (rest, None),
    };
    let seconds = head.split_whitespace().next().unwrap_or("");
    let duration = if seconds.is_empty() {
        None
    } else {
        match seconds.parse::<f64>() {
            Ok(s) if s.is_finite() => Some(s).filter(|s| *s >= 0.0),
            _ => {
                return Err(Malformed::at(
                    line,
                    format!("#EXTINF length '{seconds}' is not a number of seconds"),
                    EXTINF_HINT,
                ));
            }
        }
    };
    Ok((
        duration,
        display.filter(|d| !d.is_empty()).map(str::to_owned),
    ))
}

/// Parses M3U text (BOM already removed; CRLF or LF).
pub(crate) fn parse(text: &str) -> Result<wire::M3u, Malformed> {
    let mut playlist = wire::M3u::default();
    // The #EXTINF waiting for its path line: (line, seconds, display).
    let mut pending: Option<(usize, Option<f64>, Option<String>)> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if !line.starts_with('#') {
            let (duration_s, display) = match pending.take() {
                Some((_, d, t)) => (d, t),
                None => (None, None),
            };
            playlist.entries.push(wire::M3uEntry {
                duration_s,
                display,
                location: line.to_owned(),
            });
        } else if let Some(rest) = strip_prefix_ci(line, "#EXTINF:") {
            if let Some((first, ..)) = pending {
                return Err(Malformed::at(
                    first,
                    "#EXTINF is not followed by a file path or URL",
                    EXTINF_HINT,
                ));
            }
            let (duration, display) = parse_extinf(rest, number)?;
            pending = Some((number, duration, display));
        } else if let Some(rest) = strip_prefix_ci(line, "#PLAYLIST:") {
            let name = rest.trim();
            if !name.is_empty() {
                playlist.name = Some(name.to_owned());
            }
        }
        // Other lines starting with `#` are comments or directives other
        // players use; they carry no track.
    }
    if let Some((first, ..)) = pending {
        return Err(Malformed::at(
            first,
            "#EXTINF is not followed by a file path or URL (the file ends there)",
            EXTINF_HINT,
        ));
    }
    Ok(playlist)
}

/// Reads the tracks of M3U bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let decoded = text::decode(bytes, true)?;
    let playlist = parse(&decoded.text)?;
    let tracks = playlist
        .entries
        .into_iter()
        .map(convert::m3u_entry_to_track)
        .collect();
    Ok((playlist.name, tracks))
}

/// Writes the `#EXTINF` + path lines of `tracks`.
fn push_entries(out: &mut String, tracks: &[Track], eol: &str) {
    for track in tracks {
        let display = convert::display_of(track);
        let location = convert::m3u_location(track, &display);
        let seconds = track.duration_s.map_or(-1, i64::from);
        out.push_str(&format!("#EXTINF:{seconds},{display}{eol}{location}{eol}"));
    }
}

/// A whole new M3U8 file.
pub(crate) fn render(name: &str, tracks: &[Track]) -> String {
    let mut out = String::from("#EXTM3U\n");
    let name = name.replace(['\r', '\n'], " ");
    if !name.trim().is_empty() {
        out.push_str(&format!("#PLAYLIST:{}\n", name.trim()));
    }
    push_entries(&mut out, tracks, "\n");
    out
}

/// `original` with `tracks` appended; `name` titles a file that was blank.
/// Refuses a file it cannot parse, and a Latin-1 file (appending UTF-8
/// would leave it in two encodings).
pub(crate) fn append(original: &[u8], name: &str, tracks: &[Track]) -> Result<Vec<u8>, Malformed> {
    let decoded = text::decode(original, true)?;
    parse(&decoded.text)?;
    if text::is_blank(&decoded.text) {
        return Ok(render(name, tracks).into_bytes());
    }
    if decoded.latin1 {
        return Err(Malformed::whole(
            "is not UTF-8 (musync read it as Latin-1) and adding UTF-8 entries would mix two encodings",
            "convert it to UTF-8 first (e.g. `iconv -f latin1 -t utf-8 old.m3u > new.m3u8`)",
        ));
    }
    let eol = text::eol_of(&decoded.text);
    let mut added = String::new();
    if !original.ends_with(b"\n") {
        added.push_str(eol);
    }
    push_entries(&mut added, tracks, eol);
    let mut out = Vec::with_capacity(original.len() + added.len());
    out.extend_from_slice(original);
    out.extend_from_slice(added.as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::TrackId;

    #[test]
    fn reads_extinf_entries_plain_lines_and_the_title() {
        let text = "\u{FEFF}#EXTM3U\r\n#PLAYLIST:Road Trip\r\n#EXTINF:355,Queen - Bohemian Rhapsody\r\n/music/queen/bohemian.mp3\r\n# a comment\r\n#EXTGRP:rock\r\n/music/Sigur Rós - Hoppípolla.flac\r\nIntro.ogg\r\n";
        let (name, tracks) = read(text.as_bytes()).unwrap();
        assert_eq!(name.as_deref(), Some("Road Trip"));
        assert_eq!(tracks.len(), 3);
        assert_eq!(tracks[0].label(), "Queen - Bohemian Rhapsody");
        assert_eq!(tracks[0].duration_s, Some(355));
        assert_eq!(
            tracks[0].id,
            Some(TrackId("/music/queen/bohemian.mp3".into()))
        );
        assert_eq!(
            (tracks[1].artist.as_str(), tracks[1].title.as_str()),
            ("Sigur Rós", "Hoppípolla")
        );
        assert_eq!(tracks[1].duration_s, None);
        assert_eq!(
            (tracks[2].artist.as_str(), tracks[2].title.as_str()),
            ("", "Intro")
        );
    }

    #[test]
    fn extinf_attributes_and_unknown_length() {
        let (_, tracks) =
            read(b"#EXTINF:-1 tvg-name=\"x, y\",A - B\nhttp://radio.test/stream\n").unwrap();
        assert_eq!(tracks[0].label(), "A - B");
        assert_eq!(tracks[0].duration_s, None);
    }

    #[test]
    fn bad_length_and_dangling_extinf_name_their_line() {
        let e = parse("#EXTM3U\n#EXTINF:abc,A - B\na.mp3\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("'abc'"), "{}", e.message);
        let e = parse("#EXTM3U\n#EXTINF:1,A - B\n#EXTINF:2,C - D\nc.mp3\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse("#EXTM3U\na.mp3\n#EXTINF:1,A - B\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("file ends"));
    }

    #[test]
    fn latin1_m3u_reads_but_refuses_appends() {
        let bytes = b"#EXTINF:1,Bj\xF6rk - J\xF3ga\nj.mp3\n";
        let (_, tracks) = read(bytes).unwrap();
        assert_eq!(tracks[0].label(), "Björk - Jóga");
        let e = append(bytes, "x", &[Track::new("a", "b")]).unwrap_err();
        assert!(e.message.contains("Latin-1"));
    }

    #[test]
    fn append_keeps_every_byte_and_the_line_ending() {
        let original = "\u{FEFF}#EXTM3U\r\n#EXTVLCOPT:x\r\nb.mp3";
        let out = append(
            original.as_bytes(),
            "x",
            &[Track::new("T", "A").with_duration_s(5)],
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, format!("{original}\r\n#EXTINF:5,A - T\r\nA - T\r\n"));
    }

    #[test]
    fn render_writes_header_title_and_entries() {
        let tracks = [
            Track::new("Halo", "Beyoncé").with_id("/m/halo.mp3"),
            Track::new("Song", "X"),
        ];
        assert_eq!(
            render("Mix", &tracks),
            "#EXTM3U\n#PLAYLIST:Mix\n#EXTINF:-1,Beyoncé - Halo\n/m/halo.mp3\n#EXTINF:-1,X - Song\nX - Song\n"
        );
    }
}
