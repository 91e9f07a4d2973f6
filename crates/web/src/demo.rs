//! `musync ui --demo`: every service of the registry that has a fake runs
//! in-process with a music library shaped so every step of the wizard has
//! something to show, and a ready account — so a newcomer can walk Amazon
//! Music → Last.fm, Spotify, TIDAL, YouTube Music or Subsonic on a fresh
//! machine without any account.
//!
//! The demo walks [`musync_services::SERVICES`]: each entry gets its
//! account from [`demo_account`], by the registry's own sign-in flow where
//! it needs no person (Amazon and YouTube Music from a cookies.txt the fake
//! wrote, Subsonic with a password), or from a session the fake issued
//! where the flow waits for a person in a browser (Last.fm, Spotify,
//! TIDAL). A service without a fake is named in [`NOT_IN_DEMO`] with the
//! reason; a test checks that every registry entry is one or the other.
//!
//! Nothing real is touched: the state database lives in a temporary
//! directory (never the user's data dir), secrets stay in memory, and the
//! fakes listen on 127.0.0.1 ports of their own.
//!
//! The demo library: an Amazon "Road trip" of well-known songs where some
//! are already loved on Last.fm or in the other services' playlists
//! (green), most are found in the other catalogue (confident), a few only
//! as a live version or remaster (uncertain: the person decides) and one
//! nowhere.

use fake_amazon::{FakeAmazon, Library, LibraryPlaylist, LibraryTrack};
use fake_lastfm::FakeLastfm;
use fake_spotify::FakeSpotify;
use fake_subsonic::FakeSubsonic;
use fake_tidal::FakeTidal;
use fake_ytmusic::FakeYtMusic;
use musync_core::{
    Account, AccountId, MemorySecretStore, NewAccount, Secret, ServiceInfo, ServiceKind,
    SignInRequest, Track,
};
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
    /// Fake TIDAL.
    pub tidal: FakeTidal,
    /// Fake YouTube Music.
    pub ytmusic: FakeYtMusic,
    /// Fake Subsonic server.
    pub subsonic: FakeSubsonic,
    /// The Spotify demo playlist's id.
    pub spotify_playlist: String,
    /// The demo playlist file.
    pub playlist_file: PathBuf,
    dir: tempfile::TempDir,
}

/// The Last.fm and Spotify user of the demo.
pub const DEMO_USER: &str = fake_lastfm::DEMO_USER;

/// The Subsonic user and password of the demo.
const SUBSONIC_USER: (&str, &str) = ("demo", "demo-password");

/// Registry entries the demo has no fake for, and why.
pub const NOT_IN_DEMO: &[(&str, &str)] = &[
    (
        "mpd",
        "MPD is a server on your own computer; the demo starts none (add yours on the accounts page)",
    ),
    (
        "file",
        "playlist files need no account; the demo adds one file",
    ),
];

/// What the demo's add-account forms start with: (service, option, value).
pub const FORM_VALUES: &[(&str, &str, &str)] = &[
    ("lastfm", "api-key", fake_lastfm::DEMO_API_KEY),
    ("lastfm", "api-secret", fake_lastfm::DEMO_API_SECRET),
    ("spotify", "client-id", fake_spotify::TEST_CLIENT_ID),
    ("tidal", "client-id", fake_tidal::DEMO_CLIENT_ID),
    ("subsonic", "user", SUBSONIC_USER.0),
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
            "tidal" => vec![
                ("api-url", self.tidal.api_url()),
                ("login-url", self.tidal.login_url()),
                ("auth-url", self.tidal.auth_url()),
                ("port", "0".to_owned()),
            ],
            "ytmusic" => vec![("url", self.ytmusic.base_url().to_owned())],
            "subsonic" => vec![("url", self.subsonic.url())],
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

    let tidal = FakeTidal::start().await;
    let tidal_user = tidal.load_demo();
    let ytmusic = FakeYtMusic::start().await;
    ytmusic.load_demo();
    let subsonic = FakeSubsonic::start(fake_subsonic::Options::default()).await;
    load_subsonic(&subsonic);

    let demo = Demo {
        amazon,
        lastfm,
        spotify,
        tidal,
        ytmusic,
        subsonic,
        spotify_playlist,
        playlist_file: dir.path().join("Demo playlist.m3u8"),
        dir,
    };
    // One account per registry entry that has a fake.
    for info in musync_services::SERVICES {
        if let Some(new) = demo_account(info, &demo, &tidal_user).await? {
            remember(&store, secrets, new)?;
        }
    }

    // A playlist file with a few songs, some shared with the others.
    let playlist_file = demo.playlist_file.clone();
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

    tracing::info!(target: "musync_web", dir = %demo.data_dir().display(), "demo mode: fake services started");
    Ok((demo, store))
}

/// The demo account of a registry entry, made by its sign-in flow where no
/// person is needed, else from a session its fake issued; `None` for the
/// entries of [`NOT_IN_DEMO`].
async fn demo_account(
    info: &'static ServiceInfo,
    demo: &Demo,
    tidal_user: &str,
) -> Result<Option<NewAccount>, crate::WebError> {
    let failed = |e: musync_core::ServiceError| {
        crate::WebError::Demo(format!("the demo {} sign-in failed: {e}", info.kind))
    };
    let request = || {
        let mut r = SignInRequest::new(info.kind, Box::new(|_| {}));
        for (name, value) in demo.endpoints(info.kind) {
            r = r.with_value(name, value);
        }
        r
    };
    let cookies_file = |name: &str, text: String| {
        let path = demo.data_dir().join(name);
        std::fs::write(&path, text)
            .map_err(|e| crate::WebError::Demo(format!("could not write the demo cookies: {e}")))?;
        Ok::<_, crate::WebError>(path.display().to_string())
    };
    let new = match info.kind.as_str() {
        "amazon" => {
            let path = cookies_file("amazon-cookies.txt", demo.amazon.cookies_txt("127.0.0.1"))?;
            let mut new = musync_services::sign_in(info, request().with_value("cookies", path))
                .await
                .map_err(failed)?;
            // The fake runs no page scripts that would need a browser.
            new.account.settings["transport"] = serde_json::json!("direct");
            // Named for the listener, not the fake's 127.0.0.1:PORT address.
            new.account.name = "Demo Listener".to_owned();
            new
        }
        "ytmusic" => {
            let path = cookies_file("ytmusic-cookies.txt", demo.ytmusic.cookies_txt())?;
            musync_services::sign_in(info, request().with_value("cookies", path))
                .await
                .map_err(failed)?
        }
        "subsonic" => {
            let (user, password) = SUBSONIC_USER;
            let request = request()
                .with_value("user", user)
                .with_secret("password", Secret::new(password));
            let mut new = musync_services::sign_in(info, request)
                .await
                .map_err(failed)?;
            // Named for the listener, not the fake's 127.0.0.1:PORT address.
            new.account.name = user.to_owned();
            new
        }
        "lastfm" => {
            let session = demo
                .lastfm
                .issue_session(DEMO_USER, fake_lastfm::DEMO_API_KEY);
            NewAccount {
                account: Account {
                    id: AccountId::new(format!("lastfm-{DEMO_USER}")),
                    service: info.kind.into(),
                    name: DEMO_USER.to_owned(),
                    settings: serde_json::json!({"username": DEMO_USER, "api_url": demo.lastfm.api_url()}),
                },
                secrets: vec![
                    ("api_key".into(), Secret::new(fake_lastfm::DEMO_API_KEY)),
                    (
                        "api_secret".into(),
                        Secret::new(fake_lastfm::DEMO_API_SECRET),
                    ),
                    ("session_key".into(), Secret::new(session)),
                ],
            }
        }
        "spotify" => {
            let (access, refresh) = demo.spotify.issue_tokens(DEMO_USER);
            NewAccount {
                account: Account {
                    id: AccountId::new(format!("spotify-{DEMO_USER}")),
                    service: info.kind.into(),
                    name: "Demo Listener".to_owned(),
                    settings: serde_json::json!({
                        "user_id": DEMO_USER,
                        "client_id": fake_spotify::TEST_CLIENT_ID,
                        "api_url": demo.spotify.api_url(),
                        "accounts_url": demo.spotify.accounts_url(),
                    }),
                },
                secrets: token_secrets(access, refresh),
            }
        }
        "tidal" => {
            let (access, refresh) = demo.tidal.issue_tokens(tidal_user);
            NewAccount {
                account: Account {
                    id: AccountId::new(format!("tidal-{tidal_user}")),
                    service: info.kind.into(),
                    name: "demo".to_owned(),
                    settings: serde_json::json!({
                        "user_id": tidal_user,
                        "client_id": fake_tidal::TEST_CLIENT_ID,
                        "country": "GB",
                        "api_url": demo.tidal.api_url(),
                        "login_url": demo.tidal.login_url(),
                        "auth_url": demo.tidal.auth_url(),
                    }),
                },
                secrets: token_secrets(access, refresh),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(new))
}

/// An OAuth session as Spotify and TIDAL store it, valid for 50 minutes.
fn token_secrets(access: String, refresh: String) -> Vec<(String, Secret)> {
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() + 3000)
        .unwrap_or(0);
    vec![
        ("access_token".into(), Secret::new(access)),
        ("refresh_token".into(), Secret::new(refresh)),
        ("expires_at".into(), Secret::new(expires.to_string())),
    ]
}

/// The Subsonic server's library: part of the road trip, and a playlist
/// sharing a few songs with Amazon's.
fn load_subsonic(server: &FakeSubsonic) {
    let (user, password) = SUBSONIC_USER;
    server.add_user(user, password);
    let ids: Vec<String> = ROAD_TRIP
        .iter()
        .chain(MORE)
        .filter(|(title, ..)| !title.contains("Live at"))
        .map(|(title, artist, album, secs)| server.add_song(title, artist, album, *secs, None))
        .collect();
    let pick = |n: &[usize]| {
        n.iter()
            .filter_map(|&i| ids.get(i).cloned())
            .collect::<Vec<_>>()
    };
    server.add_playlist(user, "Road trip", &pick(&[0, 1, 6, 11]), false, false);
    server.add_playlist(user, "Late night", &pick(&[3, 7, 15]), false, false);
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
