//! M3U and M3U8 playlists: `#EXTM3U`, `#EXTINF:<seconds>,<Artist> - <Title>`
//! followed by a path or URI line, an optional `#PLAYLIST:` title.
//!
//! A plain path line without `#EXTINF` gets artist and title from an
//! `Artist - Title.ext` file name. What `#EXTINF` cannot hold travels in
//! directives for the next entry: `#EXTALB:` (the album, as Winamp's Album
//! List wrote it), and musync's `#EXTISRC:` and `#EXTARTIST:` (the artist
//! list, `;` between names, written only when `Artist - Title` would read
//! back as another artist, title or list). Other
//! players skip `#` lines they do not know. Appending never rewrites the
//! file: new entries go after the last byte, in the file's own line ending,
//! so comments and directives musync does not know (`#EXTGRP`,
//! `#EXTVLCOPT` …) survive.

use crate::convert;
use crate::error::Malformed;
use crate::model as wire;
use crate::text::Text;
use musync_core::Track;
use std::borrow::Borrow;

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

/// Per-entry directives seen since the last path line.
#[derive(Default)]
struct Pending {
    /// The `#EXTINF` line number, seconds and display text.
    extinf: Option<(usize, Option<f64>, Option<String>)>,
    album: Option<String>,
    isrc: Option<String>,
    artist: Option<String>,
}

/// The non-empty, trimmed value of a directive.
fn value(rest: &str) -> Option<String> {
    Some(rest.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Parses M3U text (BOM removed; line breaks LF or CRLF).
pub(crate) fn parse(text: &str) -> Result<wire::M3u, Malformed> {
    let mut playlist = wire::M3u::default();
    let mut pending = Pending::default();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if !line.starts_with('#') {
            let p = std::mem::take(&mut pending);
            let (duration_s, display) = match p.extinf {
                Some((_, d, t)) => (d, t),
                None => (None, None),
            };
            playlist.entries.push(wire::M3uEntry {
                duration_s,
                display,
                location: line.to_owned(),
                album: p.album,
                isrc: p.isrc,
                artist: p.artist,
            });
        } else if let Some(rest) = strip_prefix_ci(line, "#EXTINF:") {
            if let Some((first, ..)) = pending.extinf {
                return Err(Malformed::at(
                    first,
                    "#EXTINF is not followed by a file path or URL",
                    EXTINF_HINT,
                ));
            }
            let (duration, display) = parse_extinf(rest, number)?;
            pending.extinf = Some((number, duration, display));
        } else if let Some(rest) = strip_prefix_ci(line, "#EXTALB:") {
            pending.album = value(rest);
        } else if let Some(rest) = strip_prefix_ci(line, "#EXTISRC:") {
            pending.isrc = value(rest);
        } else if let Some(rest) = strip_prefix_ci(line, "#EXTARTIST:") {
            // Present but empty means "no artist", so keep the empty string.
            pending.artist = Some(rest.trim().to_owned());
        } else if let Some(rest) = strip_prefix_ci(line, "#PLAYLIST:")
            && let Some(name) = value(rest)
        {
            playlist.name = Some(name);
        }
        // Other lines starting with `#` are comments or directives other
        // players use; they carry no track.
    }
    if let Some((first, ..)) = pending.extinf {
        return Err(Malformed::at(
            first,
            "#EXTINF is not followed by a file path or URL (the file ends there)",
            EXTINF_HINT,
        ));
    }
    Ok(playlist)
}

/// Reads the title and tracks of M3U text.
pub(crate) fn read(text: &str) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let playlist = parse(text)?;
    let tracks = playlist
        .entries
        .into_iter()
        .map(convert::m3u_entry_to_track)
        .collect();
    Ok((playlist.name, tracks))
}

/// One line of a directive: its value on one line.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ").trim().to_owned()
}

/// Writes the `#EXTINF`, directive and path lines of `tracks`.
fn push_entries(out: &mut String, tracks: &[impl Borrow<Track>], eol: &str) {
    for track in tracks.iter().map(Borrow::borrow) {
        let display = convert::display_of(track);
        let location = convert::m3u_location(track, &display);
        let seconds = track.duration_s.map_or(-1, i64::from);
        out.push_str(&format!("#EXTINF:{seconds},{display}{eol}"));
        if let Some(artists) = convert::m3u_artist_tag(track) {
            out.push_str(&format!("#EXTARTIST:{}{eol}", one_line(&artists)));
        }
        if let Some(album) = track
            .album
            .as_deref()
            .map(one_line)
            .filter(|a| !a.is_empty())
        {
            out.push_str(&format!("#EXTALB:{album}{eol}"));
        }
        if let Some(isrc) = &track.isrc {
            out.push_str(&format!("#EXTISRC:{}{eol}", one_line(isrc)));
        }
        out.push_str(&format!("{location}{eol}"));
    }
}

/// A whole new M3U8 file.
pub(crate) fn render(name: &str, tracks: &[impl Borrow<Track>]) -> String {
    let mut out = String::from("#EXTM3U\n");
    let name = one_line(name);
    if !name.is_empty() {
        out.push_str(&format!("#PLAYLIST:{name}\n"));
    }
    push_entries(&mut out, tracks, "\n");
    out
}

/// What follows the file's last byte to add `tracks`. Refuses a file it
/// cannot parse.
pub(crate) fn append(doc: &Text<'_>, tracks: &[impl Borrow<Track>]) -> Result<String, Malformed> {
    parse(doc.text())?;
    let mut added = String::new();
    push_entries(&mut added, tracks, doc.eol);
    Ok(crate::text::tail_after(&doc.raw, doc.eol, added))
}

/// `raw` without the entries at `positions`: each entry's path line and
/// the track directives (`#EXTINF`, `#EXTARTIST`, `#EXTALB`, `#EXTISRC`)
/// right before it. Every other line, comment and line ending is kept.
pub(crate) fn remove(raw: &str, positions: &[usize]) -> String {
    let lines = split_lines(raw);
    let mut drop = vec![false; lines.len()];
    let mut entry = 0;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if positions.contains(&entry) {
            drop[i] = true;
            let mut j = i;
            while j > 0 && is_track_directive(lines[j - 1].trim()) {
                j -= 1;
                drop[j] = true;
            }
        }
        entry += 1;
    }
    lines
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(l, _)| *l)
        .collect()
}

fn is_track_directive(line: &str) -> bool {
    ["#EXTINF:", "#EXTARTIST:", "#EXTALB:", "#EXTISRC:"]
        .iter()
        .any(|p| strip_prefix_ci(line, p).is_some())
}

/// Lines with their endings (LF, CRLF or a lone CR).
fn split_lines(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&raw[start..=i]);
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                out.push(&raw[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < raw.len() {
        out.push(&raw[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decode;
    use musync_core::TrackId;

    fn read_bytes(bytes: &[u8]) -> (Option<String>, Vec<Track>) {
        read(decode(bytes, true).unwrap().text()).unwrap()
    }

    #[test]
    fn reads_extinf_entries_plain_lines_and_the_title() {
        let text = "\u{FEFF}#EXTM3U\r\n#PLAYLIST:Road Trip\r\n#EXTINF:355,Queen - Bohemian Rhapsody\r\n/music/queen/bohemian.mp3\r\n# a comment\r\n#EXTGRP:rock\r\n/music/Sigur%20R%C3%B3s - Hopp%C3%ADpolla.flac\r\nIntro.ogg\r\n";
        let (name, tracks) = read_bytes(text.as_bytes());
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
        // The path itself stays as written: it is where the song is.
        assert_eq!(
            tracks[1].id,
            Some(TrackId(
                "/music/Sigur%20R%C3%B3s - Hopp%C3%ADpolla.flac".into()
            ))
        );
        assert_eq!(tracks[1].duration_s, None);
        assert_eq!(
            (tracks[2].artist.as_str(), tracks[2].title.as_str()),
            ("", "Intro")
        );
    }

    #[test]
    fn removing_drops_only_that_entrys_lines() {
        let text = "#EXTM3U\r\n# keep me\r\n#EXTINF:1,A - One\r\n#EXTALB:X\r\n/a/1.mp3\r\n#EXTGRP:g\r\n#EXTINF:2,A - Two\r\n/a/2.mp3\r\n/a/3.mp3";
        assert_eq!(
            remove(text, &[1]),
            "#EXTM3U\r\n# keep me\r\n#EXTINF:1,A - One\r\n#EXTALB:X\r\n/a/1.mp3\r\n#EXTGRP:g\r\n/a/3.mp3"
        );
        assert_eq!(
            remove(text, &[0, 2]),
            "#EXTM3U\r\n# keep me\r\n#EXTGRP:g\r\n#EXTINF:2,A - Two\r\n/a/2.mp3\r\n"
        );
        let cr = "#EXTINF:1,A - B\r/m/b.mp3\r/m/C - D.mp3\r";
        assert_eq!(remove(cr, &[0]), "/m/C - D.mp3\r");
    }

    #[test]
    fn cr_only_line_endings_read_and_append_with_cr() {
        let text = "#EXTM3U\r#EXTINF:10,A - B\r/m/b.mp3\r/m/C - D.mp3\r";
        let doc = decode(text.as_bytes(), false).unwrap();
        let (_, tracks) = read(doc.text()).unwrap();
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[1].label(), "C - D");
        let tail = append(&doc, &[Track::new("F", "E").with_duration_s(3)]).unwrap();
        assert_eq!(tail, "#EXTINF:3,E - F\rE - F\r");
    }

    #[test]
    fn extinf_attributes_and_unknown_length() {
        let (_, tracks) =
            read_bytes(b"#EXTINF:-1 tvg-name=\"x, y\",A - B\nhttp://radio.test/stream\n");
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
    fn album_isrc_and_exact_artist_travel_in_directives() {
        let tracks = [
            Track::new("Song", "Artist - With Dash")
                .with_album("Album")
                .with_isrc("GBUM71029604")
                .with_id("/m/s.flac"),
            Track::new("Title - Part 2", ""),
            Track::new("Plain", "X"),
        ];
        let out = render("Mix", &tracks);
        assert_eq!(
            out,
            "#EXTM3U\n#PLAYLIST:Mix\n#EXTINF:-1,Artist - With Dash - Song\n#EXTARTIST:Artist - With Dash\n#EXTALB:Album\n#EXTISRC:GBUM71029604\n/m/s.flac\n#EXTINF:-1,Title - Part 2\n#EXTARTIST:\nTitle - Part 2\n#EXTINF:-1,X - Plain\nX - Plain\n"
        );
        let (_, back) = read(&out).unwrap();
        assert_eq!(back, tracks);
    }

    #[test]
    fn append_keeps_every_byte_and_the_line_ending() {
        let original = "#EXTM3U\r\n#EXTVLCOPT:x\r\nb.mp3";
        let doc = decode(original.as_bytes(), false).unwrap();
        let tail = append(&doc, &[Track::new("T", "A").with_duration_s(5)]).unwrap();
        assert_eq!(tail, "\r\n#EXTINF:5,A - T\r\nA - T\r\n");
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
