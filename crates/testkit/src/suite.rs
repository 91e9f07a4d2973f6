//! The behaviour suite: one set of tests for every service, through its
//! fake. A service provides a [`Harness`] (start its fake with a library,
//! open the service pointed at it with fast retries) and joins with
//! `musync_testkit::behaviour_suite!(MyHarness);` in a test file of its
//! own crate. Each case reads the service's capabilities and returns early
//! (passing) when the service does not declare what the case needs, so a
//! read-only service runs the read and failure cases only.
//!
//! Where the cases need a playlist holding given songs, the suite seeds a
//! named playlist, except for services whose only writable playlist is
//! their library (they can add but not create playlists, and declare a
//! library playlist, as Last.fm's loved tracks): there it seeds the library
//! ([`Harness::seed_library`]) and checks the library's fixed name instead
//! of the seeded one.

use crate::{Fault, Faults};
use musync_core::{
    Capabilities, ErrorKind, NoProgress, PlaylistEntry, PlaylistId, Service, ServiceError, Track,
};
use std::sync::Arc;

/// A song the harness puts into its fake's catalogue or a playlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Song {
    /// Title.
    pub title: String,
    /// One artist.
    pub artist: String,
    /// Album.
    pub album: String,
    /// Whole seconds.
    pub duration_s: u32,
    /// ISRC.
    pub isrc: String,
}

impl Song {
    /// The `n`th song of a generated library: distinct titles and artists,
    /// a few in other scripts, realistic durations and unique ISRCs.
    pub fn numbered(n: usize) -> Song {
        const ARTISTS: [&str; 6] = [
            "The Suite Band",
            "Björk Tester",
            "宇多田テスト",
            "Сплин Тест",
            "Los Pruebas",
            "DJ Fixture",
        ];
        Song {
            title: format!("Behaviour Song {n:04}"),
            artist: ARTISTS[n % ARTISTS.len()].to_owned(),
            album: format!("Suite Album {}", n / 10),
            duration_s: 150 + (n as u32 * 7) % 180,
            isrc: format!("QZSUI26{n:05}"),
        }
    }

    /// A range of [`Song::numbered`].
    pub fn range(range: std::ops::Range<usize>) -> Vec<Song> {
        range.map(Song::numbered).collect()
    }

    /// As a track from elsewhere (no service id).
    pub fn to_track(&self) -> Track {
        Track::new(&self.title, &self.artist)
            .with_album(&self.album)
            .with_duration_s(self.duration_s)
            .with_isrc(&self.isrc)
    }
}

/// One service under test, with its fake.
#[async_trait::async_trait]
pub trait Harness: Send + Sync + Sized + 'static {
    /// Starts the fake with `catalogue` searchable (and, for services whose
    /// library is a catalogue of its own, readable) and returns the harness.
    async fn start(catalogue: &[Song]) -> Self;

    /// The service, signed in to the fake, with retries that wait
    /// milliseconds instead of seconds.
    fn service(&self) -> Arc<dyn Service>;

    /// The fake's fault switches; `None` for services without a server
    /// (playlist files).
    fn faults(&self) -> Option<&Faults>;

    /// A playlist of the account holding `songs` in order, seeded straight
    /// into the fake. It must be writable when the service can add.
    async fn seed_playlist(&self, name: &str, songs: &[Song]) -> PlaylistId;

    /// The library playlist holding exactly `songs`, listed by the service
    /// in this order, seeded straight into the fake. Only called for
    /// services whose only writable playlist is the library (see
    /// [`library_only`]); they implement it, the others need not.
    async fn seed_library(&self, songs: &[Song]) -> PlaylistId {
        let _ = songs;
        panic!(
            "{} can add but not create playlists and declares a library playlist: \
             the suite seeds its library, so its harness must implement seed_library",
            self.service().kind().display_name()
        )
    }

    /// Whether the service's playlists carry durations (true for almost
    /// every service; Last.fm's loved tracks have none).
    fn reads_durations(&self) -> bool {
        true
    }
}

/// True for services whose only writable playlist is their library: they
/// can add, cannot create playlists and declare a library playlist (Last.fm
/// loves). The suite seeds and checks their library instead of a named
/// playlist.
pub fn library_only(c: &Capabilities) -> bool {
    c.add_tracks && !c.create_playlist && c.library_playlist.is_some()
}

/// A playlist holding `songs` in order: a named one, or the library for
/// [`library_only`] services.
async fn seed<H: Harness>(h: &H, name: &str, songs: &[Song]) -> PlaylistId {
    if library_only(&caps(h)) {
        let id = h.seed_library(songs).await;
        assert_eq!(
            Some(id.as_str()),
            caps(h).library_playlist,
            "seed_library returns the declared library playlist"
        );
        id
    } else {
        h.seed_playlist(name, songs).await
    }
}

/// The service's capabilities (as declared).
fn caps<H: Harness>(h: &H) -> Capabilities {
    h.service().capabilities()
}

async fn read(svc: &Arc<dyn Service>, id: &PlaylistId) -> Vec<Track> {
    svc.tracks(id, &NoProgress)
        .await
        .unwrap_or_else(|e| panic!("reading {id}: {e}"))
}

fn titles(tracks: &[Track]) -> Vec<String> {
    tracks.iter().map(|t| t.title.to_string()).collect()
}

fn song_titles(songs: &[Song]) -> Vec<String> {
    songs.iter().map(|s| s.title.clone()).collect()
}

/// Reads a playlist exactly, in order, through pages smaller than asked.
pub async fn reads_every_page_in_order<H: Harness>() {
    let songs = Song::range(0..137);
    let h = H::start(&songs).await;
    if let Some(f) = h.faults() {
        f.set_page_size(7);
    }
    let id = seed(&h, "Suite paging", &songs).await;
    let tracks = read(&h.service(), &id).await;
    assert_eq!(
        titles(&tracks),
        song_titles(&songs),
        "every track, in order"
    );
    let with_duration = tracks.iter().filter(|t| t.duration_s.is_some()).count();
    if h.reads_durations() {
        assert_eq!(with_duration, songs.len(), "durations are read");
    } else {
        assert_eq!(with_duration, 0, "no durations are made up");
    }
    if caps(&h).track_isrc {
        let isrcs: Vec<_> = tracks.iter().filter_map(|t| t.isrc.clone()).collect();
        assert_eq!(isrcs.len(), songs.len(), "ISRCs are read");
    }
}

/// Lists the seeded playlist with its name (a library with its size), and
/// the library playlist the service declares.
pub async fn lists_playlists<H: Harness>() {
    let songs = Song::range(0..3);
    let h = H::start(&songs).await;
    let id = seed(&h, "Suite listing", &songs).await;
    let lists = h
        .service()
        .playlists()
        .await
        .unwrap_or_else(|e| panic!("listing: {e}"));
    let found = lists
        .iter()
        .find(|p| p.id == id)
        .expect("the seeded playlist is listed");
    if library_only(&caps(&h)) {
        // A library has its own fixed name; its size is what was seeded.
        assert!(!found.name.trim().is_empty(), "the library has a name");
        if let Some(n) = found.track_count {
            assert_eq!(n as usize, songs.len(), "the library's size");
        }
    } else {
        assert_eq!(found.name, "Suite listing");
    }
    assert_eq!(found.writable, caps(&h).add_tracks);
    if let Some(library) = caps(&h).library_playlist {
        let n = lists.iter().filter(|p| p.id.as_str() == library).count();
        assert_eq!(n, 1, "the library playlist `{library}` is listed once");
    }
}

/// Finds a catalogue song by searching for it.
pub async fn search_finds_the_song<H: Harness>() {
    let songs = Song::range(0..40);
    let h = H::start(&songs).await;
    if !caps(&h).search {
        return;
    }
    let wanted = &songs[17];
    let found = h
        .service()
        .search(&wanted.to_track())
        .await
        .unwrap_or_else(|e| panic!("searching: {e}"));
    assert!(
        found.iter().any(|t| t.title == wanted.title),
        "{} among {:?}",
        wanted.title,
        titles(&found)
    );
}

/// What to send to `add` for `songs`: the service's own tracks found by
/// search, or the songs themselves where the service takes anything.
async fn addable<H: Harness>(h: &H, songs: &[Song]) -> Vec<Track> {
    let svc = h.service();
    let mut out = Vec::new();
    for song in songs {
        if !caps(h).search {
            out.push(song.to_track());
            continue;
        }
        let found = svc
            .search(&song.to_track())
            .await
            .unwrap_or_else(|e| panic!("searching {}: {e}", song.title));
        let hit = found
            .into_iter()
            .find(|t| t.title == song.title)
            .unwrap_or_else(|| panic!("{} not found to add", song.title));
        out.push(hit);
    }
    out
}

/// Appends in order, in batches no larger than declared, keeping what was
/// there.
pub async fn adds_in_order_in_batches<H: Harness>() {
    let catalogue = Song::range(0..60);
    let h = H::start(&catalogue).await;
    let c = caps(&h);
    if !c.add_tracks {
        return;
    }
    let id = seed(&h, "Suite adds", &catalogue[..3]).await;
    let batch = c.add_max_batch.unwrap_or(usize::MAX).min(50);
    // Two and a half batches, or 25 songs for services without a limit.
    let n = if batch == usize::MAX || batch > 10 {
        25
    } else {
        batch * 2 + batch / 2 + 1
    };
    let more = &catalogue[3..3 + n.min(57)];
    let tracks = addable(&h, more).await;
    let svc = h.service();
    for chunk in tracks.chunks(batch.max(1)) {
        svc.add(&id, chunk)
            .await
            .unwrap_or_else(|e| panic!("adding: {e}"));
    }
    let after = read(&svc, &id).await;
    let mut expected = song_titles(&catalogue[..3]);
    expected.extend(song_titles(more));
    if library_only(&c) && titles(&after) != expected {
        // A library may list newest first (Last.fm loves): then the adds
        // are on top, the last one first, above what was there.
        let mut newest_first: Vec<String> = song_titles(more).into_iter().rev().collect();
        newest_first.extend(song_titles(&catalogue[..3]));
        assert_eq!(
            titles(&after),
            newest_first,
            "added in order (the library lists newest first), nothing lost"
        );
    } else {
        assert_eq!(titles(&after), expected, "appended in order, nothing lost");
    }
}

/// A batch larger than declared is refused before any request.
pub async fn oversized_batches_are_refused<H: Harness>() {
    let catalogue = Song::range(0..3);
    let h = H::start(&catalogue).await;
    let c = caps(&h);
    let (true, Some(max)) = (c.add_tracks, c.add_max_batch) else {
        return;
    };
    let id = seed(&h, "Suite limit", &[]).await;
    let before = h.faults().map(Faults::request_count);
    let tracks = vec![catalogue[0].to_track(); max + 1];
    let err = h
        .service()
        .add(&id, &tracks)
        .await
        .expect_err("over the limit");
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert_eq!(
        h.faults().map(Faults::request_count),
        before,
        "nothing sent"
    );
}

/// Creates an empty playlist that is then listed.
pub async fn creates_a_playlist<H: Harness>() {
    let h = H::start(&Song::range(0..1)).await;
    if !caps(&h).create_playlist {
        return;
    }
    let svc = h.service();
    let made = svc
        .create_playlist("Suite created")
        .await
        .unwrap_or_else(|e| panic!("creating: {e}"));
    assert_eq!(made.name, "Suite created");
    assert!(made.writable);
    let lists = svc
        .playlists()
        .await
        .unwrap_or_else(|e| panic!("listing: {e}"));
    assert!(
        lists.iter().any(|p| p.id == made.id),
        "the new playlist is listed"
    );
    assert!(read(&svc, &made.id).await.is_empty());
}

/// Removes exactly the named occurrence, keeping the order of the rest.
pub async fn removes_one_occurrence<H: Harness>() {
    let songs = Song::range(0..5);
    let h = H::start(&songs).await;
    if !caps(&h).remove_tracks {
        return;
    }
    let id = seed(&h, "Suite removal", &songs).await;
    let svc = h.service();
    let tracks = read(&svc, &id).await;
    let entry = PlaylistEntry {
        position: 2,
        track: tracks[2].clone(),
    };
    svc.remove(&id, &[entry])
        .await
        .unwrap_or_else(|e| panic!("removing: {e}"));
    let after = read(&svc, &id).await;
    let mut expected = song_titles(&songs);
    expected.remove(2);
    assert_eq!(titles(&after), expected);
}

fn assert_sign_in_again(err: &ServiceError) {
    assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
    let said = format!("{err} {}", err.hint.clone().unwrap_or_default());
    assert!(
        said.contains("accounts add") || said.contains("sign in again"),
        "says how to sign in again: {said}"
    );
}

/// An expired sign-in is reported as such, with the way out, never as an
/// empty list.
pub async fn expired_sign_in_says_sign_in_again<H: Harness>() {
    let songs = Song::range(0..3);
    let h = H::start(&songs).await;
    let Some(f) = h.faults() else { return };
    let id = seed(&h, "Suite expiry", &songs).await;
    f.fail_always(Fault::Expired);
    let svc = h.service();
    let err = svc.tracks(&id, &NoProgress).await.expect_err("expired");
    assert_sign_in_again(&err);
    let err = svc.playlists().await.expect_err("expired");
    assert_sign_in_again(&err);
}

/// 429 with and without Retry-After, and a burst of 503s, are waited out.
pub async fn rate_limits_and_outages_are_survived<H: Harness>() {
    let songs = Song::range(0..12);
    let h = H::start(&songs).await;
    let Some(f) = h.faults() else { return };
    let id = seed(&h, "Suite weather", &songs).await;
    let svc = h.service();
    for fault in [
        Fault::RateLimited(Some(1)),
        Fault::RateLimited(None),
        Fault::Unavailable,
    ] {
        f.fail_next(fault.clone(), 2);
        let tracks = svc
            .tracks(&id, &NoProgress)
            .await
            .unwrap_or_else(|e| panic!("after {fault:?}: {e}"));
        assert_eq!(titles(&tracks), song_titles(&songs), "after {fault:?}");
    }
}

/// A 200 of the wrong shape is an error that says so, never an empty or
/// partial result.
pub async fn wrong_shapes_are_errors<H: Harness>() {
    let songs = Song::range(0..3);
    let h = H::start(&songs).await;
    let Some(f) = h.faults() else { return };
    let id = seed(&h, "Suite drift", &songs).await;
    f.fail_always(Fault::WrongShape);
    let err = h
        .service()
        .tracks(&id, &NoProgress)
        .await
        .expect_err("a wrong shape is not an empty playlist");
    assert_eq!(err.kind, ErrorKind::Protocol, "{err}");
}

/// Every case, as `#[tokio::test]`s for `$harness`.
#[macro_export]
macro_rules! behaviour_suite {
    ($harness:ty) => {
        $crate::behaviour_suite!(@cases $harness;
            reads_every_page_in_order, lists_playlists, search_finds_the_song,
            adds_in_order_in_batches, oversized_batches_are_refused, creates_a_playlist,
            removes_one_occurrence, expired_sign_in_says_sign_in_again,
            rate_limits_and_outages_are_survived, wrong_shapes_are_errors);
    };
    (@cases $harness:ty; $($case:ident),*) => {
        mod behaviour {
            use super::*;
            $(
                #[tokio::test]
                async fn $case() {
                    $crate::suite::$case::<$harness>().await;
                }
            )*
        }
    };
}
