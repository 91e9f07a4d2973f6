//! The fake's searchable catalogue: what `track.search` looks in.
//!
//! Real Last.fm search is fuzzy; the fake matches case-insensitive
//! substrings on title and artist, which is enough to drive the client and
//! to put decoys (live versions, remixes, covers, the same title by another
//! artist) in front of the matching engine.

/// One track Last.fm "knows", with a listener count used for ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueTrack {
    /// Artist name as Last.fm spells it.
    pub artist: String,
    /// Track title as Last.fm spells it.
    pub title: String,
    /// Listener count; search results are ordered by it, highest first.
    pub listeners: u64,
}

/// The tracks `track.search` can find.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    /// The tracks, in no particular order.
    pub tracks: Vec<CatalogueTrack>,
}

impl Catalogue {
    /// An empty catalogue (every search finds nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a track.
    pub fn with(mut self, artist: &str, title: &str, listeners: u64) -> Self {
        self.tracks.push(CatalogueTrack {
            artist: artist.to_owned(),
            title: title.to_owned(),
            listeners,
        });
        self
    }

    /// The tracks matching a search, best first: the title must contain
    /// `title` and, when given, the artist must contain `artist`, both
    /// ignoring case. Ties keep catalogue order.
    pub fn search(&self, title: &str, artist: Option<&str>) -> Vec<&CatalogueTrack> {
        let title = title.to_lowercase();
        let artist = artist.map(str::to_lowercase).filter(|a| !a.is_empty());
        let mut hits: Vec<&CatalogueTrack> = self
            .tracks
            .iter()
            .filter(|t| t.title.to_lowercase().contains(&title))
            .filter(|t| match &artist {
                Some(a) => t.artist.to_lowercase().contains(a),
                None => true,
            })
            .collect();
        hits.sort_by_key(|t| std::cmp::Reverse(t.listeners));
        hits
    }

    /// A realistic catalogue for demos and end-to-end tests. Every well-known
    /// song comes with decoys a careless matcher would pick: live versions,
    /// remixes, remasters, covers, and the same title by another artist.
    /// Names with accents (Beyoncé, Sigur Rós, Björk) test Unicode handling.
    pub fn sample() -> Self {
        let rows: &[(&str, &str, u64)] = &[
            ("Daft Punk", "Get Lucky", 2_900_000),
            ("Daft Punk", "Get Lucky - Radio Edit", 1_100_000),
            ("Daft Punk", "Get Lucky (Daft Punk Remix)", 240_000),
            ("Pentatonix", "Get Lucky", 61_000),
            ("The Lucky Strikes", "Get Lucky", 900),
            ("Radiohead", "Karma Police", 2_300_000),
            ("Radiohead", "Karma Police - Live in Berlin", 40_000),
            ("Scala & Kolacny Brothers", "Karma Police", 12_000),
            ("Queen", "Bohemian Rhapsody", 3_100_000),
            ("Queen", "Bohemian Rhapsody - Live Aid", 410_000),
            ("Queen", "Bohemian Rhapsody - Remastered 2011", 1_500_000),
            ("Panic! at the Disco", "Bohemian Rhapsody", 230_000),
            ("Adele", "Hello", 1_900_000),
            ("Adele", "Hello - Live at the Church Studios", 35_000),
            ("Lionel Richie", "Hello", 1_200_000),
            ("Massive Attack", "Teardrop", 1_700_000),
            ("Newton Faulkner", "Teardrop", 150_000),
            ("José González", "Teardrop", 260_000),
            ("Fleetwood Mac", "Dreams", 2_000_000),
            ("Fleetwood Mac", "Dreams - 2004 Remaster", 700_000),
            ("The Cranberries", "Dreams", 1_300_000),
            ("The Corrs", "Dreams", 180_000),
            ("Nirvana", "Smells Like Teen Spirit", 3_000_000),
            (
                "Nirvana",
                "Smells Like Teen Spirit - Live at Reading",
                90_000,
            ),
            ("Tori Amos", "Smells Like Teen Spirit", 70_000),
            ("Nine Inch Nails", "Hurt", 900_000),
            ("Johnny Cash", "Hurt", 1_600_000),
            ("Portishead", "Glory Box", 1_100_000),
            ("Portishead", "Glory Box - Live at Roseland", 45_000),
            ("Beyoncé", "Halo", 1_400_000),
            (
                "Beyoncé",
                "Halo (Olli Collins & Fred Portelli Remix)",
                20_000,
            ),
            ("Sigur Rós", "Hoppípolla", 800_000),
            ("Björk", "Jóga", 700_000),
            ("Björk", "Jóga - Live", 25_000),
            ("Journey", "Don't Stop Believin'", 2_200_000),
            ("Glee Cast", "Don't Stop Believin'", 310_000),
            ("Gotye", "Somebody That I Used to Know", 2_100_000),
            (
                "Walk off the Earth",
                "Somebody That I Used to Know",
                200_000,
            ),
            ("Simon & Garfunkel", "The Sound of Silence", 1_800_000),
            ("Disturbed", "The Sound of Silence", 1_000_000),
            ("Leonard Cohen", "Hallelujah", 1_200_000),
            ("Jeff Buckley", "Hallelujah", 1_500_000),
            ("Jeff Buckley", "Hallelujah - Live at Sin-é", 60_000),
            ("Pharrell Williams", "Happy", 1_600_000),
            ("Pharrell Williams", "Happy - From Despicable Me 2", 500_000),
            (
                "Kate Bush",
                "Running Up That Hill (A Deal with God)",
                1_700_000,
            ),
            ("Placebo", "Running Up That Hill", 300_000),
        ];
        let mut c = Catalogue::new();
        for (artist, title, listeners) in rows {
            c = c.with(artist, title, *listeners);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_case_insensitive_substring_ranked_by_listeners() {
        let c = Catalogue::sample();
        let hits = c.search("get lucky", Some("daft"));
        let titles: Vec<&str> = hits.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Get Lucky",
                "Get Lucky - Radio Edit",
                "Get Lucky (Daft Punk Remix)"
            ]
        );
        let covers = c.search("GET LUCKY", None);
        assert_eq!(covers.len(), 5);
        assert!(c.search("Get Lucky", Some("Queen")).is_empty());
        assert_eq!(c.search("jóga", Some("björk")).len(), 2);
    }
}
