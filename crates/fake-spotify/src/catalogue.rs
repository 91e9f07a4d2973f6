//! The fake's music catalogue: the tracks search can find and playlists can
//! hold. `Catalogue::sample()` is a small realistic set with decoys (live,
//! remix, cover, remaster, same title by another artist) for demos and
//! matching tests; `Catalogue::generated(n)` makes `n` synthetic tracks for
//! paging tests.

/// One track of the fake catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueTrack {
    /// Spotify base62 id (22 characters).
    pub id: String,
    /// Track title.
    pub name: String,
    /// Artist names, in credit order.
    pub artists: Vec<String>,
    /// Album title.
    pub album: String,
    /// Duration in milliseconds.
    pub duration_ms: u64,
    /// ISRC, when the label supplied one.
    pub isrc: Option<String>,
}

impl CatalogueTrack {
    /// A track whose id is derived from its metadata, so catalogues built
    /// the same way always get the same ids.
    pub fn new(
        name: &str,
        artists: &[&str],
        album: &str,
        duration_s: u64,
        isrc: Option<&str>,
    ) -> Self {
        let seed = format!(
            "{name}|{}|{album}|{}",
            artists.join(","),
            isrc.unwrap_or("")
        );
        CatalogueTrack {
            id: base62_id(&seed),
            name: name.to_owned(),
            artists: artists.iter().map(|a| (*a).to_owned()).collect(),
            album: album.to_owned(),
            duration_ms: duration_s * 1000 + 123,
            isrc: isrc.map(str::to_owned),
        }
    }

    /// `spotify:track:<id>`.
    pub fn uri(&self) -> String {
        format!("spotify:track:{}", self.id)
    }
}

/// The tracks the fake knows.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// Every track, in the order search ranks equal matches.
    pub tracks: Vec<CatalogueTrack>,
}

impl Catalogue {
    /// A small, realistic catalogue with decoys next to each real song.
    pub fn sample() -> Self {
        let t = CatalogueTrack::new;
        Catalogue {
            tracks: vec![
                t(
                    "Mr. Brightside",
                    &["The Killers"],
                    "Hot Fuss",
                    222,
                    Some("USIR20400274"),
                ),
                t(
                    "Mr. Brightside - Live from Wembley Stadium",
                    &["The Killers"],
                    "Live from Wembley Stadium",
                    244,
                    Some("USUM70713456"),
                ),
                t(
                    "Mr. Brightside - Jacques Lu Cont's Thin White Duke Mix",
                    &["The Killers"],
                    "Mr. Brightside (Remixes)",
                    530,
                    Some("GBUM70400511"),
                ),
                t(
                    "Mr. Brightside",
                    &["Vitamin String Quartet"],
                    "VSQ Performs The Killers",
                    219,
                    Some("USZ4V0600123"),
                ),
                t(
                    "Bohemian Rhapsody",
                    &["Queen"],
                    "A Night At The Opera",
                    355,
                    Some("GBUM71029604"),
                ),
                t(
                    "Bohemian Rhapsody - Remastered 2011",
                    &["Queen"],
                    "A Night At The Opera (2011 Remaster)",
                    354,
                    Some("GBUM71029605"),
                ),
                t(
                    "Bohemian Rhapsody - Live Aid",
                    &["Queen"],
                    "Live Aid",
                    148,
                    Some("GBUM70500817"),
                ),
                t(
                    "Get Lucky (feat. Pharrell Williams and Nile Rodgers)",
                    &["Daft Punk", "Pharrell Williams", "Nile Rodgers"],
                    "Random Access Memories",
                    369,
                    Some("USQX91300108"),
                ),
                t(
                    "Get Lucky - Radio Edit",
                    &["Daft Punk", "Pharrell Williams", "Nile Rodgers"],
                    "Get Lucky",
                    248,
                    Some("USQX91300105"),
                ),
                t(
                    "Get Lucky",
                    &["Karaoke Kings"],
                    "Karaoke Hits 2013",
                    250,
                    Some("GBKAR1300042"),
                ),
                t(
                    "Harder, Better, Faster, Stronger",
                    &["Daft Punk"],
                    "Discovery",
                    224,
                    Some("GBDUW0000059"),
                ),
                t(
                    "Hurt",
                    &["Nine Inch Nails"],
                    "The Downward Spiral",
                    373,
                    Some("USIR10400389"),
                ),
                t(
                    "Hurt",
                    &["Johnny Cash"],
                    "American IV: The Man Comes Around",
                    218,
                    Some("USUM70208925"),
                ),
                t(
                    "Hallelujah",
                    &["Leonard Cohen"],
                    "Various Positions",
                    279,
                    Some("USSM18400416"),
                ),
                t(
                    "Hallelujah",
                    &["Jeff Buckley"],
                    "Grace",
                    413,
                    Some("USSM19400325"),
                ),
                t(
                    "Dreams - 2004 Remaster",
                    &["Fleetwood Mac"],
                    "Rumours (Super Deluxe)",
                    257,
                    Some("USWB10400049"),
                ),
                t(
                    "Dreams",
                    &["The Cranberries"],
                    "Everybody Else Is Doing It, So Why Can't We?",
                    271,
                    Some("GBUM79300045"),
                ),
                t(
                    "Déjà Vu (feat. Jay-Z)",
                    &["Beyoncé", "JAY-Z"],
                    "B'Day",
                    240,
                    Some("USSM10603618"),
                ),
                t(
                    "Deja Vu",
                    &["Olivia Rodrigo"],
                    "SOUR",
                    215,
                    Some("USUG12101044"),
                ),
                t(
                    "Blinding Lights",
                    &["The Weeknd"],
                    "After Hours",
                    200,
                    Some("USUG11904206"),
                ),
                t(
                    "Blinding Lights - Live",
                    &["The Weeknd"],
                    "Live at SoFi Stadium",
                    205,
                    Some("USUG12203333"),
                ),
                t(
                    "Smells Like Teen Spirit",
                    &["Nirvana"],
                    "Nevermind",
                    301,
                    Some("USGF19942501"),
                ),
                t(
                    "Smells Like Teen Spirit",
                    &["Tori Amos"],
                    "Crucify",
                    197,
                    Some("USAT29200078"),
                ),
                t(
                    "Heroes - 2017 Remaster",
                    &["David Bowie"],
                    "\"Heroes\" (2017 Remaster)",
                    371,
                    Some("USJT11700010"),
                ),
                t(
                    "Wonderwall",
                    &["Oasis"],
                    "(What's The Story) Morning Glory?",
                    258,
                    Some("GBQCP1400112"),
                ),
                t(
                    "Wonderwall - Remastered",
                    &["Oasis"],
                    "(What's The Story) Morning Glory? (Remastered)",
                    259,
                    Some("GBQCP1400200"),
                ),
                t(
                    "Wonderwall",
                    &["Ryan Adams"],
                    "Love Is Hell",
                    228,
                    Some("USUM70405555"),
                ),
                t(
                    "Take On Me",
                    &["a-ha"],
                    "Hunting High and Low",
                    225,
                    Some("USWB10002405"),
                ),
                t(
                    "Sweet Child O' Mine",
                    &["Guns N' Roses"],
                    "Appetite For Destruction",
                    356,
                    Some("USGF18714809"),
                ),
                t(
                    "Lose Yourself",
                    &["Eminem"],
                    "8 Mile",
                    326,
                    Some("USIR10211559"),
                ),
                t(
                    "Clair de lune",
                    &["Claude Debussy", "Alexis Weissenberg"],
                    "Debussy: Piano Works",
                    301,
                    None,
                ),
            ],
        }
    }

    /// `n` synthetic tracks ("Song 0001" by one of 37 artists), each with
    /// its own ISRC, for paging and volume tests.
    pub fn generated(n: usize) -> Self {
        let tracks = (1..=n)
            .map(|i| {
                let artist = format!("Artist {}", i % 37);
                let album = format!("Album {}", i / 12);
                let isrc = format!("QZFAK{:07}", i);
                CatalogueTrack::new(
                    &format!("Song {i:04}"),
                    &[artist.as_str()],
                    &album,
                    120 + (i as u64 % 180),
                    Some(&isrc),
                )
            })
            .collect();
        Catalogue { tracks }
    }

    /// Adds a track (for tests that need a particular one).
    pub fn push(&mut self, track: CatalogueTrack) {
        self.tracks.push(track);
    }

    /// Adds every track of `other`.
    pub fn extend(&mut self, other: Catalogue) {
        self.tracks.extend(other.tracks);
    }

    /// The track with this URI.
    pub fn by_uri(&self, uri: &str) -> Option<&CatalogueTrack> {
        let id = uri.strip_prefix("spotify:track:")?;
        self.tracks.iter().find(|t| t.id == id)
    }

    /// The first track with this title and first artist (exact).
    pub fn find(&self, name: &str, artist: &str) -> Option<&CatalogueTrack> {
        self.tracks
            .iter()
            .find(|t| t.name == name && t.artists.first().is_some_and(|a| a == artist))
    }

    /// The URIs of every track, in catalogue order.
    pub fn uris(&self) -> Vec<String> {
        self.tracks.iter().map(CatalogueTrack::uri).collect()
    }
}

/// A 22-character base62 id from a seed (splitmix64 over an FNV-1a hash), so
/// ids look like Spotify's and stay stable between runs.
pub(crate) fn base62_id(seed: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(22);
    for _ in 0..22 {
        h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.push(ALPHABET[(z % 62) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_stable_unique_and_spotify_shaped() {
        let a = Catalogue::generated(3000);
        let b = Catalogue::generated(3000);
        assert_eq!(a.tracks, b.tracks);
        let ids: HashSet<_> = a.tracks.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids.len(), 3000);
        assert!(
            a.tracks
                .iter()
                .all(|t| t.id.len() == 22 && t.id.chars().all(|c| c.is_ascii_alphanumeric()))
        );
    }

    #[test]
    fn sample_has_decoys_beside_the_real_song() {
        let c = Catalogue::sample();
        let brightside: Vec<_> = c
            .tracks
            .iter()
            .filter(|t| t.name.starts_with("Mr. Brightside"))
            .collect();
        assert!(brightside.len() >= 4);
        let isrcs: HashSet<_> = brightside.iter().map(|t| t.isrc.clone()).collect();
        assert_eq!(
            isrcs.len(),
            brightside.len(),
            "each version has its own ISRC"
        );
        assert!(c.find("Hurt", "Johnny Cash").is_some());
    }
}
