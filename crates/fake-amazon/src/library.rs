//! The music a fake Amazon customer owns: "My Music" and playlists.
//!
//! Tests build a [`Library`] (a realistic [`Library::sample`], a sized
//! [`Library::generated`], or by hand: every field is public), start a
//! [`crate::FakeAmazon`] over it, and compare what the client reads with the
//! library itself. Data is deterministic so failures reproduce.

/// The market the fake customer belongs to (what `config.json` reports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Market {
    /// `NA`, `EU` or `FE`: the `/<REGION>/api` prefix the legacy API accepts.
    pub site_region: String,
    /// ISO country, e.g. `GB`.
    pub territory: String,
    /// Amazon marketplace id, e.g. `A1F83G8C2ARO7P`.
    pub marketplace_id: String,
    /// The suffix of the sign-in cookies (`at-<suffix>`, `ubid-<suffix>`,
    /// `sess-at-<suffix>`): `main` for .com, `acbde` for .de, `acbjp` for
    /// .co.jp … (research §3.3).
    pub cookie_suffix: String,
}

impl Market {
    /// The UK market (`music.amazon.co.uk`, region EU). Its cookies keep the
    /// fake's historical `-main` names; the other markets use their own.
    pub fn uk() -> Self {
        Market {
            site_region: "EU".into(),
            territory: "GB".into(),
            marketplace_id: "A1F83G8C2ARO7P".into(),
            cookie_suffix: "main".into(),
        }
    }

    /// The US market (`music.amazon.com`, region NA, `-main` cookies).
    pub fn us() -> Self {
        Market {
            site_region: "NA".into(),
            territory: "US".into(),
            marketplace_id: "ATVPDKIKX0DER".into(),
            cookie_suffix: "main".into(),
        }
    }

    /// The German market (`music.amazon.de`, region EU, `-acbde` cookies).
    pub fn de() -> Self {
        Market {
            site_region: "EU".into(),
            territory: "DE".into(),
            marketplace_id: "A1PA6795UKMFR9".into(),
            cookie_suffix: "acbde".into(),
        }
    }

    /// The Japanese market (`music.amazon.co.jp`, region FE, `-acbjp`
    /// cookies).
    pub fn jp() -> Self {
        Market {
            site_region: "FE".into(),
            territory: "JP".into(),
            marketplace_id: "A1VC38T7YXB528".into(),
            cookie_suffix: "acbjp".into(),
        }
    }
}

/// One track as the fake stores it. Names are kept exactly as Amazon would
/// send them, placeholders ("Unknown Artist") included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryTrack {
    /// Catalogue ASIN; `None` for uploads known only by `objectId`.
    pub asin: Option<String>,
    /// Library object id (always present for library items).
    pub object_id: String,
    /// Title.
    pub title: String,
    /// Artist display name (may be the placeholder `Unknown Artist`).
    pub artist: String,
    /// Album name (may be the placeholder `Unknown Album`).
    pub album: String,
    /// Album artist.
    pub album_artist: String,
    /// Genre (may be the placeholder `Unknown Genre`).
    pub genre: String,
    /// Duration in seconds.
    pub duration_s: u32,
    /// Track number on its disc.
    pub track_num: u32,
    /// Disc number.
    pub disc_num: u32,
    /// Bought rather than streamed.
    pub purchased: bool,
    /// Library status; only `AVAILABLE` tracks belong to My Music.
    pub status: String,
}

impl LibraryTrack {
    /// The track's ISRC as the GraphQL surface reports it: derived from the
    /// ASIN so it is stable; uploads (no ASIN) have none.
    pub fn isrc(&self) -> Option<String> {
        let asin = self.asin.as_ref()?;
        let n = asin
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(131).wrapping_add(b as u64));
        Some(format!(
            "QZ{}{:02}{:05}",
            &asin[2..5],
            n % 100,
            (n / 100) % 100_000
        ))
    }
}

/// One playlist the customer owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryPlaylist {
    /// Playlist id (a UUID, as Amazon uses for user playlists).
    pub id: String,
    /// Title.
    pub title: String,
    /// Tracks in playlist order.
    pub tracks: Vec<LibraryTrack>,
}

/// Everything the fake customer has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Library {
    /// Amazon customer id (the account id becomes `amazon-<customer_id>`).
    pub customer_id: String,
    /// Market and region.
    pub market: Market,
    /// The whole library, including tracks whose status is not `AVAILABLE`.
    pub my_music: Vec<LibraryTrack>,
    /// Owned playlists, in the order Amazon lists them.
    pub playlists: Vec<LibraryPlaylist>,
}

impl Library {
    /// An empty library for `customer_id` in the UK market.
    pub fn empty(customer_id: &str) -> Self {
        Library {
            customer_id: customer_id.to_owned(),
            market: Market::uk(),
            my_music: Vec::new(),
            playlists: Vec::new(),
        }
    }

    /// The tracks that make up "My Music": the `AVAILABLE` ones, in order.
    pub fn available_tracks(&self) -> Vec<&LibraryTrack> {
        self.my_music
            .iter()
            .filter(|t| t.status == "AVAILABLE")
            .collect()
    }

    /// A realistic demo library: a few hundred tracks in several scripts,
    /// placeholders, uploads without ASIN, a few deleted items, and four
    /// playlists (one empty, one large).
    pub fn sample() -> Self {
        let mut rng = Gen::new(0x5EED_A11A);
        let mut lib = Library::empty("A1SAMPLE2CUSTOMER");
        for i in 0..320 {
            lib.my_music.push(rng.track(i));
        }
        let available: Vec<LibraryTrack> = lib.available_tracks().into_iter().cloned().collect();
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "Road trip".into(),
            tracks: available.iter().step_by(7).take(37).cloned().collect(),
        });
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "Empty for now".into(),
            tracks: Vec::new(),
        });
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "夜のドライブ 🌙".into(),
            tracks: available
                .iter()
                .filter(|t| !t.title.is_ascii())
                .take(25)
                .cloned()
                .collect(),
        });
        let mut everything: Vec<LibraryTrack> = available.iter().rev().cloned().collect();
        // Catalogue tracks that are not in the library, as large playlists have.
        for i in 0..600 {
            let mut t = rng.track(10_000 + i);
            t.status = "AVAILABLE".into();
            everything.push(t);
        }
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "Everything, shuffled".into(),
            tracks: everything,
        });
        lib
    }

    /// A library of `n` My Music tracks (every 50th not `AVAILABLE`) and
    /// `2 + n / 400` playlists: one empty, one with half the library, the
    /// rest with 30 tracks each.
    pub fn generated(n: usize) -> Self {
        let mut rng = Gen::new(n as u64 ^ 0x00C0_FFEE);
        let mut lib = Library::empty("A2GENERATED9CUSTOMER");
        for i in 0..n {
            let mut t = rng.track(i);
            t.status = if i % 50 == 49 { "DELETED" } else { "AVAILABLE" }.into();
            lib.my_music.push(t);
        }
        let available: Vec<LibraryTrack> = lib.available_tracks().into_iter().cloned().collect();
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "Empty".into(),
            tracks: Vec::new(),
        });
        lib.playlists.push(LibraryPlaylist {
            id: rng.uuid(),
            title: "Half of everything".into(),
            tracks: available.iter().step_by(2).cloned().collect(),
        });
        for p in 0..n / 400 {
            let start = (p * 13) % available.len().max(1);
            lib.playlists.push(LibraryPlaylist {
                id: rng.uuid(),
                title: format!("Mix {}", p + 1),
                tracks: available
                    .iter()
                    .cycle()
                    .skip(start)
                    .take(30)
                    .cloned()
                    .collect(),
            });
        }
        lib
    }
}

/// A small deterministic generator (xorshift), so the data never depends on
/// a random seed and failures reproduce.
struct Gen(u64);

const LATIN_TITLES: &[&str] = &[
    "Big in Japan",
    "Forever Young",
    "Midnight City",
    "Heroes",
    "Blue Monday",
    "Wonderwall",
    "Hallelujah",
    "Africa",
    "Dancing Queen",
    "Take On Me",
    "Running Up That Hill",
    "Karma Police",
];
const LATIN_ARTISTS: &[&str] = &[
    "Alphaville",
    "M83",
    "David Bowie",
    "New Order",
    "Oasis",
    "Leonard Cohen",
    "Toto",
    "ABBA",
    "a-ha",
    "Kate Bush",
    "Radiohead",
    "Daft Punk, Pharrell Williams",
];
const ACCENTED: &[(&str, &str)] = &[
    ("Déjà Vu", "Beyoncé"),
    ("Señorita", "Shawn Mendes & Camila Cabello"),
    ("Ça plane pour moi", "Plastic Bertrand"),
    ("Über den Wolken", "Reinhard Mey"),
    ("Mañana de carnaval", "Luiz Bonfá"),
    ("Smörgåsbord", "Ålesund Ensemble"),
];
const OTHER_SCRIPTS: &[(&str, &str, &str)] = &[
    ("夜に駆ける", "YOASOBI", "THE BOOK"),
    ("紅蓮華", "LiSA", "LEO-NiNE"),
    ("Звезда по имени Солнце", "Кино", "Звезда по имени Солнце"),
    ("Группа крови", "Кино", "Группа крови"),
    ("Δυνατά", "Άννα Βίσση", "Κραυγή"),
    ("بحبك يا صاحبي", "عمرو دياب", "أنا غير"),
    ("강남스타일", "싸이", "싸이6甲"),
    ("Dynamite", "방탄소년단", "BE"),
    ("月亮代表我的心", "鄧麗君", "島國之情歌"),
    ("शायद", "Arijit Singh", "Love Aaj Kal"),
];

impl Gen {
    fn new(seed: u64) -> Self {
        Gen(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }

    fn asin(&mut self) -> String {
        const CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut s = String::from("B0");
        for _ in 0..8 {
            s.push(CHARS[self.below(CHARS.len())] as char);
        }
        s
    }

    /// Track number `i`: the mix of scripts, placeholders and uploads is
    /// decided by `i` so every library has each kind.
    fn track(&mut self, i: usize) -> LibraryTrack {
        let (title, artist, album) = match i % 6 {
            0..=2 => {
                let t = LATIN_TITLES[self.below(LATIN_TITLES.len())];
                let a = LATIN_ARTISTS[self.below(LATIN_ARTISTS.len())];
                (t.to_owned(), a.to_owned(), format!("{t} (Deluxe)"))
            }
            3 => {
                let (t, a) = ACCENTED[self.below(ACCENTED.len())];
                (t.to_owned(), a.to_owned(), format!("Best of {a}"))
            }
            _ => {
                let (t, a, al) = OTHER_SCRIPTS[self.below(OTHER_SCRIPTS.len())];
                (t.to_owned(), a.to_owned(), al.to_owned())
            }
        };
        // Make every title unique within a library so order checks are exact.
        let title = format!("{title} #{i}");
        let (artist, album, genre) = match i % 17 {
            5 => ("Unknown Artist".to_owned(), album, "Pop".to_owned()),
            9 => (
                artist,
                "Unknown Album".to_owned(),
                "Unknown Genre".to_owned(),
            ),
            _ => (
                artist,
                album,
                ["Pop", "Rock", "J-Pop", "Électro"][i % 4].to_owned(),
            ),
        };
        let upload = i % 23 == 11;
        LibraryTrack {
            asin: if upload { None } else { Some(self.asin()) },
            object_id: self.uuid(),
            album_artist: artist.clone(),
            title,
            artist,
            album,
            genre,
            duration_s: 90 + self.below(400) as u32,
            track_num: 1 + (i % 14) as u32,
            disc_num: 1 + i.is_multiple_of(29) as u32,
            purchased: upload || i.is_multiple_of(5),
            status: if i % 41 == 40 { "DELETED" } else { "AVAILABLE" }.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_has_every_kind_of_track_and_playlist() {
        let lib = Library::sample();
        let avail = lib.available_tracks();
        assert!(avail.len() > 250 && avail.len() < lib.my_music.len());
        assert!(avail.iter().any(|t| t.asin.is_none()));
        assert!(avail.iter().any(|t| t.artist == "Unknown Artist"));
        assert!(avail.iter().any(|t| t.album == "Unknown Album"));
        assert!(
            avail
                .iter()
                .any(|t| t.title.contains("Кино") || t.artist == "Кино")
        );
        assert!(lib.playlists.iter().any(|p| p.tracks.is_empty()));
        assert!(lib.playlists.iter().any(|p| p.tracks.len() > 500));
        assert_eq!(Library::sample(), lib, "deterministic");
    }

    #[test]
    fn generated_scales_and_titles_are_unique() {
        let lib = Library::generated(2000);
        assert_eq!(lib.my_music.len(), 2000);
        assert_eq!(lib.playlists.len(), 7);
        let mut titles: Vec<_> = lib.my_music.iter().map(|t| &t.title).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 2000);
    }
}
