//! `musync ui --demo`: the three fake services in-process, with a music
//! library shaped so every step of the wizard has something to show, and
//! ready accounts — so a newcomer can walk Amazon Music → Last.fm or
//! Spotify on a fresh machine without any account.
//!
//! Nothing real is touched: the state database lives in a temporary
//! directory (never the user's data dir), secrets stay in memory, and the
//! fakes listen on 127.0.0.1 ports of their own. The Amazon account is made
//! by the real cookies.txt sign-in (the fake's session written to a
//! temporary cookies.txt); the Last.fm and Spotify accounts carry the
//! fakes' URLs in their settings and sessions the fakes issued.
//!
//! The demo library: an Amazon "Road trip" of well-known songs where some
//! are already loved on Last.fm or in the Spotify playlist (green), most
//! are found in the other catalogue (confident), a few only as a live
//! version or remaster (uncertain: the person decides) and one nowhere.

use fake_amazon::{FakeAmazon, Library, LibraryPlaylist, LibraryTrack};
use fake_lastfm::FakeLastfm;
use fake_spotify::FakeSpotify;
use musync_core::{Account, AccountId, MemorySecretStore, NewAccount, Secret, ServiceKind, Track};
use musync_store::Store;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The running fakes and where the demo keeps its files. Dropping it stops
/// the fakes and deletes the temporary directory.
pub struct Demo {
    /// Fake Amazon Music.
    pub amazon: FakeAmazon,
    /// Fake Last.fm.
    pub lastfm: FakeLastfm,
    /// Fake Spotify.
    pub spotify: FakeSpotify,
    /// The Spotify demo playlist's id.
    pub spotify_playlist: String,
    /// The demo playlist file.
    pub playlist_file: PathBuf,
    dir: tempfile::TempDir,
}

/// The Last.fm and Spotify user of the demo.
pub const DEMO_USER: &str = fake_lastfm::DEMO_USER;

/// What the demo's add-account forms start with: (service, option, value).
pub const FORM_VALUES: &[(&str, &str, &str)] = &[
    ("lastfm", "api-key", fake_lastfm::DEMO_API_KEY),
    ("lastfm", "api-secret", fake_lastfm::DEMO_API_SECRET),
    ("spotify", "client-id", fake_spotify::TEST_CLIENT_ID),
];

impl Demo {
    /// The temporary data directory.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The fakes' addresses as a sign-in request's endpoint options, so
    /// the registry's real sign-in flows talk to them.
    pub fn endpoints(&self, kind: ServiceKind) -> Vec<(&'static str, String)> {
        match kind.as_str() {
            "amazon" => vec![("url", self.amazon.base_url().to_owned())],
            "lastfm" => vec![
                ("api-url", self.lastfm.api_url()),
                ("auth-url", self.lastfm.auth_url()),
            ],
            "spotify" => vec![
                ("api-url", self.spotify.api_url()),
                ("accounts-url", self.spotify.accounts_url()),
                // Any free port: the demo's redirect needs no registration.
                ("port", "0".to_owned()),
            ],
            _ => Vec::new(),
        }
    }
}

/// (title, artist, album, seconds) of the Amazon "Road trip" playlist.
const ROAD_TRIP: &[(&str, &str, &str, u32)] = &[
    ("Mr. Brightside", "The Killers", "Hot Fuss", 222),
    ("Bohemian Rhapsody", "Queen", "A Night At The Opera", 355),
    ("Karma Police", "Radiohead", "OK Computer", 264),
    ("Teardrop", "Massive Attack", "Mezzanine", 330),
    ("Hallelujah", "Jeff Buckley", "Grace", 413),
    (
        "Hurt",
        "Johnny Cash",
        "American IV: The Man Comes Around",
        218,
    ),
    ("Dreams", "Fleetwood Mac", "Rumours", 257),
    ("Glory Box", "Portishead", "Dummy", 305),
    ("Jóga", "Björk", "Homogenic", 305),
    ("Smells Like Teen Spirit", "Nirvana", "Nevermind", 301),
    ("Heroes", "David Bowie", "\"Heroes\"", 371),
    (
        "Wonderwall",
        "Oasis",
        "(What's The Story) Morning Glory?",
        258,
    ),
    (
        "Get Lucky",
        "Daft Punk, Pharrell Williams",
        "Random Access Memories",
        248,
    ),
    ("Running Up That Hill", "Kate Bush", "Hounds of Love", 300),
    (
        "Smells Like Teen Spirit - Live at Reading",
        "Nirvana",
        "Live at Reading",
        290,
    ),
    (
        "Ça plane pour moi",
        "Plastic Bertrand",
        "Ça plane pour moi",
        180,
    ),
];

/// Extra songs in "My Music" only.
const MORE: &[(&str, &str, &str, u32)] = &[
    ("Hoppípolla", "Sigur Rós", "Takk...", 268),
    ("Take On Me", "a-ha", "Hunting High and Low", 225),
    ("Happy", "Pharrell Williams", "G I R L", 233),
];

fn library() -> Library {
    let mut lib = Library::empty("A1DEMO2LISTENER");
    let track = |i: usize, (title, artist, album, secs): (&str, &str, &str, u32)| LibraryTrack {
        asin: Some(format!("B0DEMO{i:04}")),
        object_id: format!("00000000-0000-4000-8000-{i:012}"),
        title: title.to_owned(),
        artist: artist.to_owned(),
        album: album.to_owned(),
        album_artist: artist.to_owned(),
        genre: "Rock".to_owned(),
        duration_s: secs,
        track_num: 1 + (i % 12) as u32,
        disc_num: 1,
        purchased: i.is_multiple_of(3),
        status: "AVAILABLE".to_owned(),
    };
    let road: Vec<LibraryTrack> = ROAD_TRIP
        .iter()
        .enumerate()
        .map(|(i, t)| track(i + 1, *t))
        .collect();
    let more: Vec<LibraryTrack> = MORE
        .iter()
        .enumerate()
        .map(|(i, t)| track(ROAD_TRIP.len() + i + 1, *t))
        .collect();
    lib.my_music = road.iter().chain(&more).cloned().collect();
    lib.playlists.push(LibraryPlaylist {
        id: "6f1c8a52-demo-4c1e-9d0a-road00000001".into(),
        title: "Road trip".into(),
        tracks: road.clone(),
    });
    lib.playlists.push(LibraryPlaylist {
        id: "6f1c8a52-demo-4c1e-9d0a-chill0000002".into(),
        title: "Late night".into(),
        tracks: vec![
            road[3].clone(),
            road[7].clone(),
            road[8].clone(),
            more[0].clone(),
        ],
    });
    lib
}

/// Starts the fakes, opens a state database in a new temporary directory
/// and stores the demo accounts in it and in `secrets`.
pub async fn start(secrets: &Arc<MemorySecretStore>) -> Result<(Demo, Store), crate::WebError> {
    let dir = tempfile::Builder::new()
        .prefix("musync-demo-")
        .tempdir()
        .map_err(|e| crate::WebError::Demo(format!("no temporary directory: {e}")))?;
    let store = Store::open(dir.path())?;

    let amazon = FakeAmazon::start(library()).await;
    let lastfm = FakeLastfm::start_demo(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| crate::WebError::Demo(format!("the fake Last.fm did not start: {e}")))?;
    let spotify = FakeSpotify::start().await;
    let spotify_playlist = {
        let mut st = spotify.state();
        st.add_user(DEMO_USER, Some("Demo Listener"));
        let uri = |name: &str, artist: &str| {
            st.catalogue
                .find(name, artist)
                .map(|t| t.uri())
                .ok_or_else(|| format!("{artist} - {name} is not in the fake catalogue"))
        };
        let mix = [
            uri("Mr. Brightside", "The Killers"),
            uri("Wonderwall", "Oasis"),
            uri("Take On Me", "a-ha"),
            uri("Blinding Lights", "The Weeknd"),
        ]
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(crate::WebError::Demo)?;
        let liked = [uri("Lose Yourself", "Eminem"), uri("Hurt", "Johnny Cash")]
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(crate::WebError::Demo)?;
        if let Some(user) = st.users.get_mut(DEMO_USER) {
            user.liked = liked;
        }
        st.add_playlist(DEMO_USER, "Road trip mix", &mix)
    };

    // Amazon Music through the real cookies.txt sign-in.
    let cookies = dir.path().join("amazon-cookies.txt");
    std::fs::write(&cookies, amazon.cookies_txt("127.0.0.1"))
        .map_err(|e| crate::WebError::Demo(format!("could not write the demo cookies: {e}")))?;
    let mut new = musync_amazon::sign_in_with_cookies(&cookies, Some(amazon.base_url().to_owned()))
        .await
        .map_err(|e| crate::WebError::Demo(format!("the demo Amazon sign-in failed: {e}")))?;
    // The fake runs no page scripts that would need a browser.
    new.account.settings["transport"] = serde_json::json!("direct");
    // Named for the listener, not the fake's 127.0.0.1:PORT address.
    new.account.name = "Demo Listener".to_owned();
    remember(&store, secrets, new)?;

    // Last.fm: the fake's session for the demo user.
    let session = lastfm.issue_session(DEMO_USER, fake_lastfm::DEMO_API_KEY);
    remember(
        &store,
        secrets,
        NewAccount {
            account: Account {
                id: AccountId::new(format!("lastfm-{DEMO_USER}")),
                service: musync_lastfm::KIND.into(),
                name: DEMO_USER.to_owned(),
                settings: serde_json::json!({"username": DEMO_USER, "api_url": lastfm.api_url()}),
            },
            secrets: vec![
                ("api_key".into(), Secret::new(fake_lastfm::DEMO_API_KEY)),
                (
                    "api_secret".into(),
                    Secret::new(fake_lastfm::DEMO_API_SECRET),
                ),
                ("session_key".into(), Secret::new(session)),
            ],
        },
    )?;

    // Spotify: tokens the fake issued for the demo user.
    let (access, refresh) = spotify.issue_tokens(DEMO_USER);
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() + 3000)
        .unwrap_or(0);
    remember(
        &store,
        secrets,
        NewAccount {
            account: Account {
                id: AccountId::new(format!("spotify-{DEMO_USER}")),
                service: musync_spotify::KIND.into(),
                name: "Demo Listener".to_owned(),
                settings: serde_json::json!({
                    "user_id": DEMO_USER,
                    "client_id": fake_spotify::TEST_CLIENT_ID,
                    "api_url": spotify.api_url(),
                    "accounts_url": spotify.accounts_url(),
                }),
            },
            secrets: vec![
                ("access_token".into(), Secret::new(access)),
                ("refresh_token".into(), Secret::new(refresh)),
                ("expires_at".into(), Secret::new(expires.to_string())),
            ],
        },
    )?;

    // A playlist file with a few songs, some shared with the others.
    let playlist_file = dir.path().join("Demo playlist.m3u8");
    let tracks: Vec<Track> = [
        ("Teardrop", "Massive Attack", 330),
        ("Hoppípolla", "Sigur Rós", 268),
        ("Bohemian Rhapsody", "Queen", 355),
        ("Running Up That Hill (A Deal with God)", "Kate Bush", 300),
    ]
    .iter()
    .map(|(t, a, s)| Track::new(*t, *a).with_duration_s(*s))
    .collect();
    let text = musync_files::render(musync_files::Format::M3u8, "Demo playlist", &tracks)
        .map_err(|e| crate::WebError::Demo(format!("could not write the demo playlist: {e}")))?;
    std::fs::write(&playlist_file, text)
        .map_err(|e| crate::WebError::Demo(format!("could not write the demo playlist: {e}")))?;

    let demo = Demo {
        amazon,
        lastfm,
        spotify,
        spotify_playlist,
        playlist_file,
        dir,
    };
    tracing::info!(target: "musync_web", dir = %demo.data_dir().display(), "demo mode: fake services started");
    Ok((demo, store))
}

fn remember(
    store: &Store,
    secrets: &Arc<MemorySecretStore>,
    new: NewAccount,
) -> Result<(), crate::WebError> {
    musync_services::remember(store, secrets.as_ref(), new)
        .map(|_| ())
        .map_err(|e| crate::WebError::Demo(format!("could not store a demo account: {e}")))
}
