//! The track: what every service reads and writes, and what the CLI prints.

use crate::TrackId;
use serde::{Deserialize, Deserializer, Serialize};

/// The text of a track's fields: a string kept inline up to 24 bytes (most
/// titles, artists, albums and every ISRC), so a million-song playlist
/// costs a few hundred MB less than with a heap string per field.
pub type Text = compact_str::CompactString;

/// One song as a service lists it.
///
/// Serialises to the CLI contract's TRACK object:
/// `{"title", "artist", "artists", "album", "duration_s", "isrc", "id"}`.
/// `artist` is the display string of all artists; `artists` the individual
/// names (derived from `artist` when a source only has the display string).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Track {
    /// Title as the service shows it (qualifiers such as "- Live" included).
    pub title: Text,
    /// Display string of all artists, e.g. `"Daft Punk, Pharrell Williams"`.
    pub artist: Text,
    /// Individual artist names, in the service's order.
    pub artists: Vec<Text>,
    /// Album title, when known.
    pub album: Option<Text>,
    /// Duration in whole seconds, when known.
    pub duration_s: Option<u32>,
    /// International Standard Recording Code, upper case, when known.
    pub isrc: Option<Text>,
    /// The service's id or URI for this track, when it has one.
    pub id: Option<TrackId>,
}

impl Track {
    /// A track from a title and a display artist string; `artists` is split
    /// from the display string.
    pub fn new(title: impl Into<Text>, artist: impl Into<Text>) -> Self {
        let artist: Text = artist.into();
        Track {
            title: title.into(),
            artists: split_artists(&artist),
            artist,
            ..Track::default()
        }
    }

    /// Sets the individual artists and derives the display string from them.
    pub fn with_artists<S: Into<Text>>(mut self, artists: Vec<S>) -> Self {
        // Built at its exact size: `collect` would keep the argument's
        // buffer, often room for four names, once per track of a big file.
        self.artists = Vec::with_capacity(artists.len());
        self.artists.extend(artists.into_iter().map(Into::into));
        self.artist = join_names(&self.artists);
        self
    }

    /// Sets the album (an empty string means unknown).
    pub fn with_album(mut self, album: impl Into<Text>) -> Self {
        self.album = Some(album.into()).filter(|a| !a.trim().is_empty());
        self
    }

    /// Sets the duration in seconds.
    pub fn with_duration_s(mut self, seconds: u32) -> Self {
        self.duration_s = Some(seconds);
        self
    }

    /// Sets the ISRC (normalised to upper case without dashes or spaces;
    /// an empty string means unknown).
    pub fn with_isrc(mut self, isrc: impl AsRef<str>) -> Self {
        let cleaned: Text = isrc
            .as_ref()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        self.isrc = Some(cleaned).filter(|i| !i.is_empty());
        self
    }

    /// Sets the service id.
    pub fn with_id(mut self, id: impl Into<TrackId>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// `Artist - Title`, for messages and logs.
    pub fn label(&self) -> String {
        if self.artist.is_empty() {
            self.title.to_string()
        } else {
            format!("{} - {}", self.artist, self.title)
        }
    }
}

/// The title without a bracketed "feat. …" part (`Song (feat. X)`,
/// `Song [with Y]`), spaces collapsed: guests are artists, and services
/// write that part differently, so searches leave it out.
pub fn title_without_featuring(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(open) = rest.find(['(', '[']) {
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        let Some(close) = rest[open..].find(close_char).map(|c| open + c) else {
            break;
        };
        let inner = rest[open + 1..close].trim_start().to_lowercase();
        let featuring = ["feat", "ft.", "ft ", "featuring", "with "]
            .iter()
            .any(|p| inner.starts_with(p));
        out.push_str(&rest[..open]);
        if !featuring {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits a display artist string into individual names on the separators
/// services use between artists (`;` `, ` ` & ` ` feat. ` ` ft. ` …).
///
/// This is only a best effort for sources that have no artist list; the
/// matching engine compares artists as normalised sets anyway. It works on
/// borrowed slices and skips names that cannot split, because reading a
/// 100k-track file calls it once per track.
pub fn split_artists(display: &str) -> Vec<Text> {
    let b = display.as_bytes();
    let may_split = b.iter().any(|c| matches!(c, b';' | b',' | b'&'))
        || b.windows(2)
            .any(|w| w[0] == b' ' && matches!(w[1], b'f' | b'F'));
    if !may_split {
        let name = display.trim();
        return if name.is_empty() {
            Vec::new()
        } else {
            vec![name.into()]
        };
    }
    let mut parts: Vec<&str> = vec![display];
    let mut next: Vec<&str> = Vec::new();
    for sep in ARTIST_SEPARATORS {
        next.clear();
        for part in &parts {
            next.extend(part.split(sep));
        }
        std::mem::swap(&mut parts, &mut next);
    }
    let mut names: Vec<Text> = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Text::from)
        .collect();
    // A filtered `collect` starts with room for four: a million tracks
    // would carry ~70 MB of unused slots.
    names.shrink_to_fit();
    names
}

/// Names joined as a display string: `A, B`.
fn join_names(names: &[Text]) -> Text {
    let mut out = Text::default();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    out
}

/// Separators between artists in display strings, applied in this order.
const ARTIST_SEPARATORS: [&str; 9] = [
    ";",
    ", ",
    " & ",
    " feat. ",
    " feat ",
    " ft. ",
    " featuring ",
    " Feat. ",
    " Ft. ",
];

// Accepts the CLI's TRACK object with optional fields, so JSON written by
// other tools (or by hand) with only `title` and `artist` reads fine.
#[derive(Deserialize)]
struct TrackRepr {
    #[serde(default)]
    title: String,
    #[serde(default)]
    artist: Option<String>,
    #[serde(default)]
    artists: Option<Vec<String>>,
    #[serde(default)]
    album: Option<String>,
    #[serde(default)]
    duration_s: Option<f64>,
    #[serde(default)]
    isrc: Option<String>,
    #[serde(default)]
    id: Option<TrackId>,
}

impl<'de> Deserialize<'de> for Track {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = TrackRepr::deserialize(d)?;
        let artists = match (&r.artists, &r.artist) {
            (Some(list), _) if !list.is_empty() => list.iter().map(Text::from).collect(),
            (_, Some(display)) => split_artists(display),
            _ => Vec::new(),
        };
        let artist = r
            .artist
            .filter(|a| !a.is_empty())
            .map(Text::from)
            .unwrap_or_else(|| join_names(&artists));
        let mut track = Track {
            title: r.title.into(),
            artist,
            artists,
            album: r.album.filter(|a| !a.trim().is_empty()).map(Text::from),
            duration_s: r
                .duration_s
                .filter(|d| d.is_finite() && *d >= 0.0)
                .map(|d| d.round() as u32),
            isrc: None,
            id: r.id,
        };
        if let Some(isrc) = r.isrc {
            track = track.with_isrc(isrc);
        }
        Ok(track)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn featuring_parts_leave_the_title_other_brackets_stay() {
        assert_eq!(title_without_featuring("Song (feat. X)"), "Song");
        assert_eq!(
            title_without_featuring("Song [with Y]  (Live)"),
            "Song (Live)"
        );
        assert_eq!(
            title_without_featuring("Song (Remix) (ft. Z)"),
            "Song (Remix)"
        );
        assert_eq!(title_without_featuring("Open (bracket"), "Open (bracket");
    }

    #[test]
    fn artist_lists_hold_no_spare_room() {
        // A big file holds one list per track: spare slots add up.
        let split = split_artists("A; B, C");
        assert_eq!(split.len(), 3);
        assert_eq!(split.capacity(), 3);
        let mut four = Vec::with_capacity(4);
        four.push("Solo".to_owned());
        let track = Track::default().with_artists(four);
        assert_eq!(track.artists.capacity(), 1);
    }

    /// The plain definition: split on each separator in turn.
    fn split_reference(display: &str) -> Vec<String> {
        let mut parts = vec![display.to_owned()];
        for sep in ARTIST_SEPARATORS {
            parts = parts
                .iter()
                .flat_map(|p| p.split(sep).map(str::to_owned))
                .collect();
        }
        parts
            .iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    }

    #[test]
    fn fast_split_agrees_with_the_definition() {
        for display in [
            "Beyoncé",
            "  Sigur Rós ",
            "",
            "A feat. B",
            "A Feat. B",
            "A ft. B",
            "A featuring B",
            "A feat B",
            "A fearless band",
            "AC/DC",
            "A;B",
            "Earth, Wind & Fire",
            "a feat & b",
            "x, & y",
            "Tyler, The Creator;  ; Beyoncé & JAY-Z ft. Kendrick Lamar Feat. Ft. ",
            ";;,",
        ] {
            assert_eq!(
                split_artists(display),
                split_reference(display),
                "{display:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_split_matches_the_definition_on_separator_soup(s in "(feat|ft\\.|Feat\\.|featuring|[ ;,&.aFt])*") {
            proptest::prop_assert_eq!(split_artists(&s), split_reference(&s));
        }
    }

    #[test]
    fn splits_common_separators() {
        assert_eq!(
            split_artists("Daft Punk, Pharrell Williams & Nile Rodgers"),
            vec!["Daft Punk", "Pharrell Williams", "Nile Rodgers"]
        );
        assert_eq!(split_artists("AC/DC"), vec!["AC/DC"]);
    }

    #[test]
    fn json_with_only_title_and_artist_reads() {
        let t: Track = serde_json::from_str(r#"{"title":"Song","artist":"A & B"}"#).unwrap();
        assert_eq!(t.artists, vec!["A", "B"]);
        assert_eq!(t.album, None);
    }

    #[test]
    fn json_round_trip_keeps_every_field() {
        let t = Track::new("Déjà Vu", "Beyoncé")
            .with_album("B'Day")
            .with_duration_s(240)
            .with_isrc("us-sm1-06-01234")
            .with_id("spotify:track:1");
        assert_eq!(t.isrc.as_deref(), Some("USSM10601234"));
        let back: Track = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
