//! The fake's catalogue: tracks with ISRC, `version`, artists, album,
//! duration and the countries they are available in. [`Catalogue::sample`]
//! puts decoys (live, remix, cover, remaster) next to each real song, and
//! often *before* it, so a client that takes the first search hit adds the
//! wrong recording.

/// One track of the fake catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueTrack {
    /// TIDAL track id (a decimal string, as TIDAL's are; opaque to clients).
    pub id: String,
    /// Title without the version.
    pub title: String,
    /// Version ("Live", "Remastered 2011"), shown after the title.
    pub version: Option<String>,
    /// Artist names, in credit order.
    pub artists: Vec<String>,
    /// Album title.
    pub album: String,
    /// Duration in whole seconds (served as ISO 8601, `PT3M5S`).
    pub duration_s: u32,
    /// ISRC.
    pub isrc: String,
    /// ISO 3166-1 countries where it can be streamed; `None` = everywhere.
    pub countries: Option<Vec<String>>,
}

impl CatalogueTrack {
    /// A track whose id is derived from its metadata, so catalogues built
    /// the same way always get the same ids.
    pub fn new(title: &str, artists: &[&str], album: &str, duration_s: u32, isrc: &str) -> Self {
        let seed = format!("{title}|{}|{album}|{isrc}", artists.join(","));
        CatalogueTrack {
            id: numeric_id(&seed),
            title: title.to_owned(),
            version: None,
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: album.to_owned(),
            duration_s,
            isrc: isrc.to_owned(),
            countries: None,
        }
    }

    /// The same track with a version.
    pub fn with_version(mut self, version: &str) -> Self {
        self.version = Some(version.to_owned());
        self.id = numeric_id(&format!("{}|{version}", self.id));
        self
    }

    /// The same track, streamable only in `countries`.
    pub fn only_in(mut self, countries: &[&str]) -> Self {
        self.countries = Some(countries.iter().map(|c| (*c).to_owned()).collect());
        self
    }

    /// Whether it can be streamed in `country`.
    pub fn available_in(&self, country: &str) -> bool {
        self.countries
            .as_ref()
            .is_none_or(|cs| cs.iter().any(|c| c.eq_ignore_ascii_case(country)))
    }

    /// Title and version as the TIDAL apps show them.
    pub fn full_title(&self) -> String {
        match &self.version {
            Some(v) => format!("{} ({v})", self.title),
            None => self.title.clone(),
        }
    }
}

/// The tracks the fake knows.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// Every track, in the order search ranks equal matches.
    pub tracks: Vec<CatalogueTrack>,
}

impl Catalogue {
    /// Adds a track.
    pub fn push(&mut self, t: CatalogueTrack) {
        self.tracks.push(t);
    }

    /// The track with this id.
    pub fn by_id(&self, id: &str) -> Option<&CatalogueTrack> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// Tracks with this ISRC (case-insensitive), catalogue order.
    pub fn by_isrc(&self, isrc: &str) -> Vec<&CatalogueTrack> {
        self.tracks
            .iter()
            .filter(|t| t.isrc.eq_ignore_ascii_case(isrc))
            .collect()
    }

    /// The first track with this title (no version) and first artist.
    pub fn find(&self, title: &str, artist: &str) -> Option<&CatalogueTrack> {
        self.tracks.iter().find(|t| {
            t.title == title
                && t.version.is_none()
                && t.artists.first().is_some_and(|a| a == artist)
        })
    }

    /// A small realistic catalogue. Decoys come first in catalogue order,
    /// so they outrank the real song in the fake's search.
    pub fn sample() -> Self {
        let t = CatalogueTrack::new;
        let mut c = Catalogue::default();
        for track in [
            t(
                "Karma Police",
                &["Radiohead"],
                "OK Computer OKNOTOK 1997 2017",
                264,
                "GBAYE1700001",
            )
            .with_version("Live"),
            t(
                "Karma Police",
                &["Scala & Kolacny Brothers"],
                "Covers",
                250,
                "BEA011000123",
            ),
            t(
                "Karma Police",
                &["Radiohead"],
                "OK Computer",
                264,
                "GBAYE9700106",
            ),
            t("Halo", &["Beyoncé"], "Halo (Remixes)", 300, "USSM10900777")
                .with_version("Olli Collins & Fred Portelli Remix"),
            t(
                "Halo",
                &["Beyoncé"],
                "I Am... Sasha Fierce",
                261,
                "USSM10804548",
            ),
            t(
                "Hoppípolla",
                &["Sigur Rós"],
                "Takk... (Live)",
                290,
                "GBAAP0600999",
            )
            .with_version("Live"),
            t("Hoppípolla", &["Sigur Rós"], "Takk...", 268, "GBAAP0500123"),
            t(
                "Bohemian Rhapsody",
                &["Queen"],
                "A Night At The Opera",
                355,
                "GBUM71029604",
            )
            .with_version("Remastered 2011"),
            t(
                "Bohemian Rhapsody",
                &["Queen"],
                "Live Aid",
                148,
                "GBUM70500817",
            )
            .with_version("Live Aid"),
            t(
                "Mr. Brightside",
                &["The Killers"],
                "Hot Fuss",
                222,
                "USIR20400274",
            ),
            t(
                "Take On Me",
                &["a-ha"],
                "Hunting High and Low",
                225,
                "GBAHT8500047",
            ),
            t(
                "Wonderwall",
                &["Oasis"],
                "(What's the Story) Morning Glory?",
                258,
                "GBAJE9500135",
            )
            .with_version("Remastered"),
            t(
                "Blinding Lights",
                &["The Weeknd"],
                "After Hours",
                200,
                "USUG11904206",
            ),
            t("Lose Yourself", &["Eminem"], "8 Mile", 326, "USIR10211559")
                .only_in(&["US", "GB", "DE", "NO"]),
        ] {
            c.push(track);
        }
        c
    }

    /// `n` synthetic tracks (`Track 0001` … by `Artist k`) for paging tests.
    pub fn generated(n: usize) -> Self {
        let mut c = Catalogue::default();
        for i in 0..n {
            c.push(CatalogueTrack::new(
                &format!("Track {i:04}"),
                &[&format!("Artist {}", i % 7)],
                &format!("Album {}", i / 12),
                120 + (i as u32 * 13) % 240,
                &format!("QZGEN26{i:05}"),
            ));
        }
        c
    }
}

/// A stable decimal id from a seed (FNV-1a, 9 digits, no leading zero).
pub(crate) fn numeric_id(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (100_000_000 + h % 900_000_000).to_string()
}

/// Folds `s` for matching: ASCII, lower case, words only.
pub(crate) fn words(s: &str) -> Vec<String> {
    deunicode::deunicode(s)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Tracks matching a free-text query: every query word appears in the
/// title, version, artists or album; exact titles are not favoured, so the
/// catalogue order (decoys first) decides.
pub(crate) fn search<'a>(c: &'a Catalogue, query: &str) -> Vec<&'a CatalogueTrack> {
    let q = words(query);
    if q.is_empty() {
        return Vec::new();
    }
    c.tracks
        .iter()
        .filter(|t| {
            let mut hay = words(&t.title);
            hay.extend(t.version.iter().flat_map(|v| words(v)));
            hay.extend(t.artists.iter().flat_map(|a| words(a)));
            hay.extend(words(&t.album));
            q.iter().all(|w| hay.contains(w))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_folds_accents_and_needs_every_word() {
        let c = Catalogue::sample();
        let hits = search(&c, "Hoppipolla Sigur Ros");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].version.as_deref(), Some("Live"), "decoy first");
        assert!(search(&c, "Hoppipolla Radiohead").is_empty());
    }

    #[test]
    fn ids_are_stable_and_distinct_per_version() {
        let a = CatalogueTrack::new("T", &["A"], "B", 100, "X");
        let b = CatalogueTrack::new("T", &["A"], "B", 100, "X");
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, b.clone().with_version("Live").id);
        assert!(a.id.chars().all(|c| c.is_ascii_digit()));
    }
}
