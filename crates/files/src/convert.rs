//! Between the file formats' shapes (`model.rs`) and `musync_core::Track`:
//! the only module that sees both, so every "which field goes where" decision
//! (an `Artist - Title` display string, ids as `<location>` or
//! `<identifier>`, a CSV file's artist separator) lives here.

use crate::error::Malformed;
use crate::formula;
use crate::model::{self as wire, CsvColumns};
use musync_core::{Text, Track, TrackId};

/// Audio file extensions that make a bare name look like a file path.
const AUDIO_EXTENSIONS: [&str; 16] = [
    "mp3", "flac", "m4a", "aac", "ogg", "oga", "opus", "wav", "wma", "aif", "aiff", "alac", "ape",
    "wv", "mpc", "dsf",
];

/// Splits an `Artist - Title` display string on its first ` - `; without a
/// separator the whole string is the title. Titles often carry their own
/// ` - ` (`Song - Remastered 2011`), artist names rarely do, hence the first.
pub(crate) fn split_display(display: &str) -> (&str, &str) {
    match display.split_once(" - ") {
        Some((artist, title)) => (artist.trim(), title.trim()),
        None => ("", display.trim()),
    }
}

/// A track from an artist display string and a title.
fn track(artist: &str, title: &str) -> Track {
    Track {
        title: title.into(),
        artist: artist.into(),
        artists: musync_core::split_artists(artist),
        ..Track::default()
    }
}

/// `Artist - Title` on one line (line breaks would end an `#EXTINF`).
pub(crate) fn display_of(track: &Track) -> String {
    let label = track.label();
    if label.contains(['\r', '\n']) {
        label.replace(['\r', '\n'], " ")
    } else {
        label
    }
}

/// True when `id` has a URI scheme (`spotify:track:…`, `https://…`).
fn has_scheme(id: &str) -> bool {
    let Some((scheme, rest)) = id.split_once(':') else {
        return false;
    };
    // Two letters at least, so a Windows drive (`C:`) is not a scheme.
    scheme.len() >= 2
        && !rest.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        && !id.contains(char::is_whitespace)
}

/// True when the name ends in an audio file extension.
fn has_audio_extension(id: &str) -> bool {
    id.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && AUDIO_EXTENSIONS.iter().any(|a| ext.eq_ignore_ascii_case(a))
    })
}

/// True when `id` names a file or a stream a player could open: a path, a
/// URL, or an audio file name.
pub(crate) fn is_path_or_url(id: &str) -> bool {
    !id.contains(['\r', '\n'])
        && (id.contains("://")
            || id.starts_with("file:")
            || id.contains('/')
            || id.contains('\\')
            || has_audio_extension(id))
}

/// True when `id` can stand on an M3U path line: a path/URL or any URI
/// (`spotify:track:…`).
pub(crate) fn is_location(id: &str) -> bool {
    !id.is_empty() && !id.contains(['\r', '\n']) && (is_path_or_url(id) || has_scheme(id))
}

/// The path line written for a track: its id when that is a location, else
/// the `Artist - Title` display (which the reader recognises as a
/// placeholder and maps back to no id).
pub(crate) fn m3u_location(track: &Track, display: &str) -> String {
    match track.id.as_ref().map(|id| id.0.as_str()) {
        Some(id) if is_location(id) && !id.starts_with('#') => id.to_owned(),
        _ if display.is_empty() => "./Unknown".to_owned(),
        // A line starting with `#` would read back as a comment.
        _ if display.starts_with('#') || display.trim() != display => format!("./{display}"),
        _ => display.to_owned(),
    }
}

/// Decodes `%XX` escapes (URLs); invalid escapes stay as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file name of a path/URL line without directories and extension,
/// e.g. `/music/Sigur Rós - Hoppípolla.flac` → `Sigur Rós - Hoppípolla`.
pub(crate) fn name_from_location(location: &str) -> String {
    let is_url = location.contains("://");
    let mut path = location;
    if is_url {
        path = path.split(['?', '#']).next().unwrap_or(path);
    }
    let path = path.trim_end_matches(['/', '\\']);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    // Players and web servers escape names (`Sigur%20R%C3%B3s`); a literal
    // `%` not followed by two hex digits stays as written.
    let file = percent_decode(file);
    match file.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            stem.to_owned()
        }
        _ => file,
    }
}

/// An M3U entry as a track: artist/title from `#EXTINF` (its artist list
/// from `#EXTARTIST` when there is one), else from the file name; the path
/// line is the id unless it is musync's placeholder.
pub(crate) fn m3u_entry_to_track(entry: wire::M3uEntry) -> Track {
    let display = entry.display.as_deref().filter(|d| !d.is_empty());
    let mut t = match (display, entry.artist.as_deref()) {
        (Some(d), Some(tag)) => tagged_track(d, tag),
        (Some(d), None) => {
            let (artist, title) = split_display(d);
            track(artist, title)
        }
        (None, _) => {
            let name = name_from_location(&entry.location);
            let (artist, title) = split_display(&name);
            track(artist, title)
        }
    };
    t.duration_s = entry.duration_s.map(seconds);
    t.album = entry.album.map(Text::from);
    if let Some(isrc) = entry.isrc {
        t = t.with_isrc(isrc);
    }
    let placeholder = display
        .is_some_and(|d| entry.location == d || entry.location.strip_prefix("./") == Some(d))
        || (display.is_none() && entry.location == "./Unknown");
    if !placeholder {
        t.id = Some(TrackId(entry.location));
    }
    t
}

/// A track from an `#EXTINF` display string and the `#EXTARTIST:` list
/// (`;` between names): the display artist is the names joined by `, ` when
/// the display starts with that, and the title is what follows ` - `.
fn tagged_track(display: &str, tag: &str) -> Track {
    let artists: Vec<Text> = tag
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(Text::from)
        .collect();
    let joined = artists.join(", ");
    let prefixed = display
        .strip_prefix(joined.as_str())
        .and_then(|r| r.strip_prefix(" - "));
    let (artist, title) = match prefixed {
        Some(title) if !joined.is_empty() => (joined.as_str(), title),
        _ if artists.is_empty() => ("", display),
        _ => split_display(display),
    };
    Track {
        title: title.trim().into(),
        artist: artist.into(),
        artists,
        ..Track::default()
    }
}

/// The `#EXTARTIST:` value an entry needs, if any: the artist list joined
/// by `;`, written only when `Artist - Title` alone would read back as
/// another artist, title or list (an artist containing ` - `, an
/// artist-less title containing one, `Zeal & Ardor` as one name, or
/// `Tyler, The Creator` next to another artist).
pub(crate) fn m3u_artist_tag(track: &Track) -> Option<String> {
    let display = display_of(track);
    let (artist, title) = split_display(&display);
    let artists = if track.artists.is_empty() && !track.artist.trim().is_empty() {
        vec![Text::from(track.artist.trim())]
    } else {
        track.artists.clone()
    };
    let plain = artist == track.artist.trim()
        && title == track.title.trim()
        && musync_core::split_artists(artist) == artists;
    (!plain).then(|| artists.join(";"))
}

/// Whole seconds from a float, clamped into `u32`.
fn seconds(s: f64) -> u32 {
    s.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Whole seconds from milliseconds, rounded.
pub(crate) fn ms_to_seconds(ms: u64) -> u32 {
    u32::try_from(ms.saturating_add(500) / 1000).unwrap_or(u32::MAX)
}

/// The ISRC inside an XSPF identifier (`isrc:USSM…`, `urn:isrc:USSM…`).
pub(crate) fn isrc_of_identifier(identifier: &str) -> Option<&str> {
    let lower_prefix = |p: &str| {
        identifier
            .get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &identifier[p.len()..])
    };
    lower_prefix("isrc:").or_else(|| lower_prefix("urn:isrc:"))
}

/// An XSPF track as a track: the id is the `<location>`, else the first
/// identifier that is not an ISRC.
pub(crate) fn xspf_to_track(x: wire::XspfTrack) -> Track {
    let mut t = match (&x.title, &x.creator, &x.location) {
        // Only a location, as players write them: name it after its file,
        // as an M3U path line without `#EXTINF`.
        (None, None, Some(location)) => {
            let name = name_from_location(location);
            let (artist, title) = split_display(&name);
            track(artist, title)
        }
        _ => track(
            x.creator.as_deref().unwrap_or(""),
            x.title.as_deref().unwrap_or(""),
        ),
    };
    t.album = x.album.filter(|a| !a.is_empty()).map(Text::from);
    t.duration_s = x.duration_ms.map(ms_to_seconds);
    let mut other_id = None;
    for identifier in &x.identifiers {
        match isrc_of_identifier(identifier) {
            Some(isrc) if t.isrc.is_none() => t = t.with_isrc(isrc),
            Some(_) => {}
            None if other_id.is_none() => other_id = Some(identifier.clone()),
            None => {}
        }
    }
    t.id = x.location.or(other_id).map(TrackId);
    t
}

/// A row's artist cell before the file's separator is known.
#[derive(Debug)]
pub(crate) struct RawArtists {
    /// The cell as written (formula quote removed).
    pub cell: String,
    /// How many artist ids the row lists, when the file has that column.
    pub ids: Option<usize>,
}

/// Decides a file's artist separator from its artist cells, one row at a
/// time (appending decides it without keeping the rows): `;` when any cell
/// has one (Exportify today). Else `,` when a cell shows a comma used
/// between names: `A,B` without a space (older Exportify), `\\,` escapes
/// (watsonbox's Exportify), or a comma in a row whose artist ids say it has
/// several artists. Otherwise `;`: a `, ` is then part of a name
/// (`Tyler, The Creator`), never a reason to cut it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SeparatorVote {
    semicolon: bool,
    comma: bool,
}

impl SeparatorVote {
    /// Counts one row's artist cell.
    pub(crate) fn see(&mut self, raw: &RawArtists) {
        let cell = raw.cell.as_str();
        self.semicolon |= cell.contains(';');
        self.comma |= match raw.ids {
            Some(1) => false,
            Some(n) if n > 1 => cell.contains(','),
            _ => cell.contains("\\,") || has_tight_comma(cell),
        };
    }

    /// The separator the rows seen so far show.
    pub(crate) fn decide(self) -> wire::ArtistSeparator {
        if self.comma && !self.semicolon {
            wire::ArtistSeparator::Comma
        } else {
            wire::ArtistSeparator::Semicolon
        }
    }
}

/// True when a comma in `cell` is followed by something other than a space.
fn has_tight_comma(cell: &str) -> bool {
    cell.as_bytes()
        .windows(2)
        .any(|w| w[0] == b',' && w[1] != b' ')
}

/// The artist names in one cell.
pub(crate) fn split_artist_cell(raw: &RawArtists, sep: wire::ArtistSeparator) -> Vec<String> {
    let names: Vec<String> = if raw.ids == Some(1) {
        // One artist id: the whole cell is one name, commas and all.
        vec![raw.cell.replace("\\,", ",")]
    } else {
        match sep {
            wire::ArtistSeparator::Semicolon => raw.cell.split(';').map(str::to_owned).collect(),
            wire::ArtistSeparator::Comma => split_unescaped_commas(&raw.cell),
        }
    };
    names
        .into_iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Splits on `,` except `\,`, which becomes a literal comma.
fn split_unescaped_commas(cell: &str) -> Vec<String> {
    let mut names = vec![String::new()];
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                names.last_mut().expect("never empty").push(',');
            }
            ',' => names.push(String::new()),
            c => names.last_mut().expect("never empty").push(c),
        }
    }
    names
}

/// The artist cell for `track` in a file with separator `sep`.
///
/// The list is written when it is the track's own (its display string is
/// the names joined by `, `, as services give them); otherwise the list was
/// only guessed from a display string such as `Zeal & Ardor`, and that
/// string is written as it is, so a name is never cut in two.
pub(crate) fn csv_artists(track: &Track, sep: wire::ArtistSeparator) -> String {
    if track.artists.is_empty() || track.artists.join(", ") != track.artist {
        return track.artist.to_string();
    }
    match sep {
        wire::ArtistSeparator::Semicolon => track.artists.join(";"),
        wire::ArtistSeparator::Comma => track
            .artists
            .iter()
            .map(|a| a.replace(',', "\\,"))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// A Spotify track URI from a bare 22-character id; other values as given.
fn spotify_uri(id: &str) -> String {
    if id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        format!("spotify:track:{id}")
    } else {
        id.to_owned()
    }
}

/// One CSV row as a track, its artists still to split. `line` is for
/// error messages.
pub(crate) fn csv_row_to_track(
    row: &csv::StringRecord,
    columns: &CsvColumns,
    line: usize,
) -> Result<(Track, RawArtists), Malformed> {
    let field = |i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(|c| formula::restore(c.trim()))
            .filter(|s| !s.is_empty())
    };
    let raw = RawArtists {
        cell: field(Some(columns.artists)).unwrap_or("").to_owned(),
        ids: field(columns.artist_ids).map(|ids| {
            ids.split([',', ';'])
                .filter(|i| !i.trim().is_empty())
                .count()
        }),
    };
    let id = field(columns.uri)
        .map(str::to_owned)
        .or_else(|| field(columns.spotify_id).map(spotify_uri));
    let mut t = Track {
        title: field(Some(columns.name)).unwrap_or("").into(),
        album: field(columns.album).map(Text::from),
        id: id.map(TrackId),
        ..Track::default()
    };
    if let Some(ms) = field(columns.duration_ms) {
        match ms.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => t.duration_s = Some(ms_to_seconds(v as u64)),
            _ => {
                return Err(Malformed::at(
                    line,
                    format!("duration '{ms}' is not a number of milliseconds"),
                    "write durations in whole milliseconds (e.g. 215000) or leave the cell empty",
                ));
            }
        }
    }
    if let Some(isrc) = field(columns.isrc) {
        t = t.with_isrc(isrc);
    }
    Ok((t, raw))
}

/// The cells of a new row for `track` under `columns`; columns musync does
/// not know stay empty. Cells a spreadsheet would run as formulas get a `'`.
pub(crate) fn csv_row_from_track(
    track: &Track,
    columns: &CsvColumns,
    sep: wire::ArtistSeparator,
) -> Vec<String> {
    let mut row = vec![String::new(); columns.width];
    let mut set = |i: Option<usize>, value: &str| {
        if let Some(cell) = i.and_then(|i| row.get_mut(i)) {
            *cell = formula::spreadsheet_safe(value).into_owned();
        }
    };
    let id = track.id.as_ref().map_or("", |i| i.0.as_str());
    set(columns.uri, id);
    if let Some(bare) = id.strip_prefix("spotify:track:") {
        set(columns.spotify_id, bare);
    }
    set(Some(columns.name), &track.title);
    set(Some(columns.artists), &csv_artists(track, sep));
    set(columns.album, track.album.as_deref().unwrap_or(""));
    let ms = track
        .duration_s
        .map(|s| (u64::from(s) * 1000).to_string())
        .unwrap_or_default();
    set(columns.duration_ms, &ms);
    set(columns.isrc, track.isrc.as_deref().unwrap_or(""));
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_splits_on_the_first_separator() {
        assert_eq!(
            split_display("Queen - Bohemian Rhapsody - Remastered 2011"),
            ("Queen", "Bohemian Rhapsody - Remastered 2011")
        );
        assert_eq!(split_display("Just A Title"), ("", "Just A Title"));
    }

    #[test]
    fn file_names_lose_directories_extension_and_url_escapes() {
        assert_eq!(
            name_from_location("/music/Sigur Rós - Hoppípolla.flac"),
            "Sigur Rós - Hoppípolla"
        );
        assert_eq!(
            name_from_location(r"C:\Music\Beyoncé - Halo.MP3"),
            "Beyoncé - Halo"
        );
        assert_eq!(
            name_from_location("file:///m/Bj%C3%B6rk%20-%20Joga.ogg?x=1"),
            "Björk - Joga"
        );
        assert_eq!(name_from_location("Intro"), "Intro");
        assert_eq!(name_from_location("50%.mp3"), "50%");
    }

    #[test]
    fn ids_that_are_locations_are_recognised() {
        for id in [
            "/m/a.mp3",
            "a.flac",
            "https://x.test/s",
            "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
            r"C:\m\a.mp3",
        ] {
            assert!(is_location(id), "{id}");
        }
        for id in ["B00123ABC", "Artist - Title", "", "a b:c"] {
            assert!(!is_location(id), "{id}");
        }
        assert!(!is_path_or_url("spotify:track:1"));
    }

    #[test]
    fn placeholder_path_lines_read_back_without_an_id() {
        let t = Track::new("#1 Crush", "");
        let display = display_of(&t);
        let location = m3u_location(&t, &display);
        assert_eq!(location, "./#1 Crush");
        let back = m3u_entry_to_track(wire::M3uEntry {
            duration_s: None,
            display: Some(display),
            location,
            album: None,
            isrc: None,
            artist: None,
        });
        assert_eq!((back.title.as_str(), back.id), ("#1 Crush", None));
    }

    #[test]
    fn xspf_identifiers_give_isrc_and_id() {
        let t = xspf_to_track(wire::XspfTrack {
            identifiers: vec!["isrc:gbum71029604".into(), "spotify:track:1".into()],
            title: Some("T".into()),
            creator: Some("A & B".into()),
            duration_ms: Some(215_499),
            ..Default::default()
        });
        assert_eq!(t.isrc.as_deref(), Some("GBUM71029604"));
        assert_eq!(t.id, Some(TrackId("spotify:track:1".into())));
        assert_eq!(t.artists, vec!["A", "B"]);
        assert_eq!(t.duration_s, Some(215));
    }
}
