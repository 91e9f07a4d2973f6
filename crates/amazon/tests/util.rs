//! Test helpers: a fake Amazon host with a signed-in account stored in a
//! memory secret store, fast client options, and expected tracks computed
//! from the fake's library.

use fake_amazon::{FakeAmazon, Library, LibraryTrack};
use musync_amazon::{AmazonService, ClientOptions, Surface, TransportMode, sign_in_with_cookies};
use musync_core::{Account, MemorySecretStore, SecretStore, Track};
use std::sync::Arc;
use std::time::Duration;

/// A fake host and an account signed in to it.
pub struct Env {
    pub fake: FakeAmazon,
    pub store: Arc<MemorySecretStore>,
    pub account: Account,
    pub _dir: tempfile::TempDir,
}

/// Options that keep tests fast: short backoff, no pacing; the direct
/// transport and the legacy surface pinned (the legacy tests' exact request
/// sequences; GraphQL and the transports have their own tests).
pub fn fast() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(10),
        max_attempts: 4,
        base_backoff: Duration::from_millis(10),
        min_interval: Duration::ZERO,
        transport: Some(TransportMode::Direct),
        surface: Some(Surface::Legacy),
        ..ClientOptions::default()
    }
}

/// [`fast`] with both surfaces (GraphQL first) on the fake's GraphQL host.
pub fn fast_both(fake: &FakeAmazon, transport: TransportMode) -> ClientOptions {
    ClientOptions {
        transport: Some(transport),
        surface: None,
        graphql_url: Some(fake.graphql_url().to_owned()),
        ..fast()
    }
}

impl Env {
    /// Starts a fake over `library` and signs in with its cookies.txt.
    pub async fn start(library: Library) -> Env {
        let fake = FakeAmazon::start(library).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cookies.txt");
        std::fs::write(&path, fake.cookies_txt("127.0.0.1")).expect("write cookies.txt");
        let new = sign_in_with_cookies(&path, Some(fake.base_url().to_owned()))
            .await
            .expect("the fake's ready session signs in");
        let store = Arc::new(MemorySecretStore::new());
        for (key, value) in &new.secrets {
            store
                .set(&new.account.id, key, value)
                .expect("memory store");
        }
        fake.clear_requests();
        Env {
            fake,
            store,
            account: new.account,
            _dir: dir,
        }
    }

    /// The service with [`fast`] options.
    pub fn service(&self) -> AmazonService {
        self.service_with(fast())
    }

    pub fn service_with(&self, options: ClientOptions) -> AmazonService {
        AmazonService::open_with(&self.account, self.store.clone(), options)
            .expect("the stored account opens")
    }

    /// Legacy API requests the fake saw (those with an `X-Amz-Target`).
    pub fn api_requests(&self) -> Vec<fake_amazon::RecordedRequest> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.target().is_some())
            .collect()
    }
}

/// What musync should read for a track of the fake library.
pub fn expected(t: &LibraryTrack) -> Track {
    let placeholder = |s: &str| s.starts_with("Unknown ");
    let artist = if placeholder(&t.artist) {
        ""
    } else {
        &t.artist
    };
    let mut e = Track::new(t.title.clone(), artist).with_duration_s(t.duration_s);
    if !placeholder(&t.album) {
        e = e.with_album(t.album.clone());
    }
    e.with_id(t.asin.clone().unwrap_or_else(|| t.object_id.clone()))
}

pub fn expected_all<'a>(tracks: impl IntoIterator<Item = &'a LibraryTrack>) -> Vec<Track> {
    tracks.into_iter().map(expected).collect()
}

/// Records progress calls.
#[derive(Default)]
pub struct Recorder {
    pub total: std::sync::Mutex<Option<u64>>,
    pub done: std::sync::atomic::AtomicU64,
    pub calls: std::sync::atomic::AtomicU64,
}

impl musync_core::Progress for Recorder {
    fn set_total(&self, total: u64) {
        *self.total.lock().unwrap() = Some(total);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// What musync should read for a track through GraphQL: the artists as a
/// list, and the ISRC.
pub fn expected_gql(t: &LibraryTrack) -> Track {
    let mut e = expected(t);
    let artists: Vec<String> = if t.artist.starts_with("Unknown ") {
        Vec::new()
    } else {
        t.artist
            .split(" & ")
            .flat_map(|p| p.split(", "))
            .map(str::to_owned)
            .collect()
    };
    e = e.with_artists(artists);
    match t.isrc() {
        Some(i) => e.with_isrc(i),
        None => e,
    }
}

pub fn expected_gql_all<'a>(tracks: impl IntoIterator<Item = &'a LibraryTrack>) -> Vec<Track> {
    tracks.into_iter().map(expected_gql).collect()
}

/// The GraphQL operations musync may send.
pub const GQL_READS: &[&str] = &["OwnedPlaylists", "PlaylistTracks", "LibraryTracks"];

/// The legacy targets musync may send.
pub const LEGACY_READS: &[&str] = &[
    "com.amazon.musicplaylist.model.MusicPlaylistService.getOwnedPlaylistsInLibrary",
    "com.amazon.musicplaylist.model.MusicPlaylistService.getPlaylistsByIdV2",
    "com.amazon.cirrus.libraryservice.v3.CirrusLibraryServiceExternalV3.getTracks",
];

/// Every request the fake saw is a read: GraphQL POSTs are queries named
/// as one of [`GQL_READS`] (plus CORS preflights); music-host requests are
/// GETs or legacy POSTs of [`LEGACY_READS`].
pub fn assert_read_only(fake: &FakeAmazon) {
    for r in fake.requests() {
        let what = format!("{} {} ({})", r.method, r.path, r.origin);
        match (r.origin.as_str(), r.method.as_str()) {
            ("graphql", "OPTIONS") => {}
            ("graphql", "POST") => {
                let op = r.operation().unwrap_or_default();
                assert!(GQL_READS.contains(&op.as_str()), "{what}: operation {op:?}");
                let q = r.json()["query"].as_str().unwrap_or("").to_owned();
                assert!(q.trim_start().starts_with("query "), "{what}: {q}");
                assert!(!q.contains("mutation"), "{what}: {q}");
            }
            ("music", "GET") => {}
            ("music", "POST") => {
                let target = r.target().unwrap_or_default();
                assert!(LEGACY_READS.contains(&target), "{what}: target {target:?}");
            }
            _ => panic!("unexpected request {what}"),
        }
    }
}
