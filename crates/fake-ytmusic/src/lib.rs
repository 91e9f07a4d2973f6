//! A stateful fake of YouTube Music's InnerTube API (the `WEB_REMIX`
//! client of music.youtube.com) for musync's tests and demo mode.
//!
//! It serves real HTTP on `127.0.0.1:0`, bound before the server task is
//! spawned. Every API call is checked as the real site checks a browser
//! session ([`auth`]: youtube.com cookies only, `SAPISIDHASH`, origin,
//! `X-Goog-AuthUser`, the dated client version). It holds a catalogue of
//! songs, music videos and uploads, the library's own and saved playlists,
//! and Liked Music (`LM`). It pages with both continuation styles at sizes
//! it chooses, refuses a whole `edit_playlist` batch holding a duplicate,
//! throttles playlist creation, greys out unavailable rows, rotates
//! `SIDCC` through `Set-Cookie`, and can play a dead session (200 answers
//! that are signed out). The [`Faults`] switches sit in front of the API
//! routes. The JSON is written here by hand after the shapes ytmusicapi
//! reads, never with the client's types.
//!
//! A browser can "sign in" too: `GET /signin` sets the session cookies on
//! the fake's host and returns to `/`.
#![warn(missing_docs)]

mod api;
pub mod auth;
mod render;
mod state;

pub use api::{PLAYLIST_CAP, SONGS_FILTER, render_fault};
pub use musync_testkit::{Fault, Faults};
pub use state::{FakePlaylist, FakeState, Item, Video, VideoKind};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::{Arc, Mutex, MutexGuard};

pub(crate) struct Shared {
    state: Mutex<FakeState>,
    faults: Faults,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake; the server stops when this is dropped.
pub struct FakeYtMusic {
    base: String,
    shared: Arc<Shared>,
    _served: musync_testkit::Served,
}

impl FakeYtMusic {
    /// Binds `127.0.0.1:0` and serves an empty library.
    pub async fn start() -> FakeYtMusic {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake YouTube Music");
        Self::serve(listener)
    }

    /// Like [`FakeYtMusic::start`] on a chosen port (demo mode).
    pub async fn start_on(port: u16) -> std::io::Result<FakeYtMusic> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        Ok(Self::serve(listener))
    }

    fn serve(listener: tokio::net::TcpListener) -> FakeYtMusic {
        let addr = listener.local_addr().expect("bound address");
        let shared = Arc::new(Shared {
            state: Mutex::new(FakeState::default()),
            faults: Faults::new(),
        });
        let app = router(shared.clone());
        FakeYtMusic {
            base: format!("http://{addr}"),
            shared,
            _served: musync_testkit::serve(listener, app, "fake YouTube Music"),
        }
    }

    /// The base URL to set as `MUSYNC_YTMUSIC_URL`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The fault switches and request recorder of the API routes.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The state, locked. Do not hold the guard across an `.await`.
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.shared.lock()
    }

    /// Adds a catalogue video; returns its id.
    pub fn add_video(&self, video: Video) -> String {
        self.state().add_video(video)
    }

    /// Adds a playlist of the library (own when `owned`, else saved from
    /// someone else) holding `video_ids`; returns its id (`PL…`).
    pub fn add_playlist(&self, title: &str, owned: bool, video_ids: &[String]) -> String {
        self.state().add_playlist(title, owned, video_ids)
    }

    /// The video ids of a playlist, in order.
    pub fn playlist_items(&self, id: &str) -> Vec<String> {
        self.state()
            .playlist(id)
            .map(|p| p.items.iter().map(|i| i.video_id.clone()).collect())
            .unwrap_or_default()
    }

    /// Liked Music, newest first.
    pub fn liked(&self) -> Vec<String> {
        self.state().liked.clone()
    }

    /// The session as a Netscape cookies.txt (with cookies of other Google
    /// domains that must never be sent).
    pub fn cookies_txt(&self) -> String {
        self.state().cookies_txt(true)
    }

    /// The same without the plain `SAPISID` cookie: clients must fall back
    /// to `__Secure-3PAPISID`.
    pub fn cookies_txt_without_sapisid(&self) -> String {
        self.state().cookies_txt(false)
    }

    /// Every cookie value of the session as issued so far (rotated ones
    /// included), for tests that look for leaks.
    pub fn cookie_values(&self) -> Vec<String> {
        let st = self.state();
        let mut out: Vec<String> = st.cookies.values().cloned().collect();
        out.extend(st.previous_sidcc.clone());
        out
    }

    /// The current value of a session cookie.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.state().cookies.get(name).cloned()
    }

    /// Dead-session mode: every call answers 200, signed out.
    pub fn set_signed_out(&self, on: bool) {
        self.state().signed_out = on;
    }

    /// Rotates `SIDCC` every `n` answers; older values stop working.
    pub fn rotate_cookies_every(&self, n: usize) {
        self.state().rotate_every = Some(n.max(1));
    }

    /// How many rotations happened.
    pub fn rotations(&self) -> usize {
        self.state().rotations
    }

    /// After `n` more playlists, creation answers "too many playlists"
    /// with `status` (400 or 429).
    pub fn throttle_creation_after(&self, n: usize, status: u16) {
        let mut st = self.state();
        st.create_limit = Some(n);
        st.throttle_status = status;
    }

    /// `playlist/create` requests received.
    pub fn create_attempts(&self) -> usize {
        self.state().create_attempts
    }

    /// Why requests were refused as badly authenticated (must stay empty
    /// for a faithful client).
    pub fn auth_failures(&self) -> Vec<String> {
        self.state().auth_failures.clone()
    }

    /// Edits aimed at `LM` or a saved playlist (must stay empty).
    pub fn forbidden_edits(&self) -> Vec<String> {
        self.state().forbidden_edits.clone()
    }

    /// How many requests went to `path` (e.g. `/youtubei/v1/browse/edit_playlist`).
    pub fn requests_to(&self, path: &str) -> usize {
        self.faults()
            .requests()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// A small library for demos: songs with music videos of the same
    /// recordings, two own playlists, one saved, a few liked songs and one
    /// greyed-out row.
    pub fn load_demo(&self) {
        let mut st = self.state();
        let mut song = |title: &str, artist: &str, album: &str, s: u32| {
            st.add_video(Video::song(title, &[artist], album, s))
        };
        let brightside = song("Mr. Brightside", "The Killers", "Hot Fuss", 222);
        let take_on_me = song("Take On Me", "a-ha", "Hunting High and Low", 225);
        let wonderwall = song(
            "Wonderwall",
            "Oasis",
            "(What's the Story) Morning Glory?",
            258,
        );
        let lights = song("Blinding Lights", "The Weeknd", "After Hours", 200);
        let heroes = song("Heroes", "David Bowie", "\"Heroes\"", 371);
        let gone =
            st.add_video(Video::song("Lost Single", &["Gone Band"], "Vanished", 199).unavailable());
        st.add_video(Video::music_video("Mr. Brightside", &["The Killers"], 227));
        st.add_video(Video::music_video("Take On Me", &["a-ha"], 244));
        st.add_playlist("Road trip", true, &[brightside, take_on_me.clone(), gone]);
        st.add_playlist("Chill", true, &[]);
        st.add_playlist("Their picks", false, &[wonderwall, heroes]);
        st.liked = vec![lights, take_on_me];
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/youtubei/v1/browse", post(api::browse))
        .route("/youtubei/v1/search", post(api::search))
        .route(
            "/youtubei/v1/browse/edit_playlist",
            post(api::edit_playlist),
        )
        .route("/youtubei/v1/like/like", post(api::like))
        .route("/youtubei/v1/like/removelike", post(api::remove_like))
        .route("/youtubei/v1/playlist/create", post(api::create))
        .route("/youtubei/v1/account/account_menu", post(api::account_menu))
        .layer(shared.faults.layer(render_fault));
    Router::new()
        .route("/", get(home))
        .route("/signin", get(sign_in_page))
        .merge(api)
        .with_state(shared)
}

/// The music home page: says whether the browser is signed in.
async fn home(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Html<String> {
    let jar = auth::cookies(&headers);
    let st = shared.lock();
    let signed_in = jar.get("__Secure-3PSID") == st.cookies.get("__Secure-3PSID");
    Html(if signed_in {
        format!(
            "<!doctype html><title>YouTube Music</title><p id=\"who\">{}</p>",
            st.account_name
        )
    } else {
        "<!doctype html><title>YouTube Music</title><a id=\"signin\" href=\"/signin\">Sign in</a>"
            .to_owned()
    })
}

/// "Signing in": sets every session cookie on this host, then goes home.
async fn sign_in_page(State(shared): State<Arc<Shared>>) -> Response {
    let st = shared.lock();
    let mut r = (StatusCode::FOUND, [(header::LOCATION, "/")]).into_response();
    for (name, value) in &st.cookies {
        let http_only = if state::HTTP_ONLY.contains(&name.as_str()) {
            "; HttpOnly"
        } else {
            ""
        };
        // Secure: `__Secure-` names require it; browsers allow it on
        // 127.0.0.1, a trustworthy origin.
        let line = format!("{name}={value}; Path=/; Max-Age=86400; Secure{http_only}");
        if let Ok(v) = HeaderValue::from_str(&line) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}
