//! A stateful fake of the Last.fm API, for tests and demo mode.
//!
//! It speaks the JSON dialect of `ws.audioscrobbler.com/2.0/` for the
//! methods musync uses (desktop sign-in, loved and recent tracks, track
//! search, track.love) and holds real state: registered API accounts,
//! users, their loves and scrobbles, request tokens and sessions. It checks
//! what the real service checks — the API key, every signature, every
//! session key. It fails on demand through the fault switches every fake
//! takes ([`FakeLastfm::faults`]: an expired session, rate limits, outages,
//! answers of the wrong shape, a forced page size, a request recorder),
//! rendered as Last.fm words them; it can also answer slowly ([`Mode`]).
//!
//! ```no_run
//! # async fn demo() {
//! let fake = fake_lastfm::FakeLastfm::start().await;
//! fake.register_app("KEY", "SECRET");
//! let session_key = fake.issue_session("alice", "KEY");
//! // point MUSYNC_LASTFM_API_URL at fake.api_url() …
//! assert!(fake.loved("alice").is_empty());
//! # let _ = session_key;
//! # }
//! ```
//!
//! The server binds `127.0.0.1` before it is spawned, so it accepts
//! connections as soon as [`FakeLastfm::start`] returns; it stops when the
//! value is dropped.
#![warn(missing_docs)]

mod api;
mod auth_page;
mod catalogue;
mod sig;
mod state;

pub use catalogue::{Catalogue, CatalogueTrack};
pub use musync_testkit::{Fault, Faults};
pub use sig::expected_signature;
pub use state::{Call, Mode};

use axum::Router;
use axum::routing::{any, get};
use state::{Scrobble, Session, State};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// API key of the demo application set up by [`FakeLastfm::start_demo`].
pub const DEMO_API_KEY: &str = "0123456789abcdef0123456789abcdef";
/// Shared secret of the demo application.
pub const DEMO_API_SECRET: &str = "fedcba9876543210fedcba9876543210";
/// The user signed in to the demo.
pub const DEMO_USER: &str = "demo";

/// A running fake Last.fm. Cheap handles into its state for setting it up
/// and for assertions.
pub struct FakeLastfm {
    base: String,
    state: Arc<Mutex<State>>,
    faults: Faults,
    _served: musync_testkit::Served,
}

impl FakeLastfm {
    /// Starts an empty fake on a free port of 127.0.0.1.
    pub async fn start() -> FakeLastfm {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("binding 127.0.0.1:0 cannot fail on a working machine")
    }

    /// Starts an empty fake on `addr` (a fixed port for demo mode).
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<FakeLastfm> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let state: Arc<Mutex<State>> = Arc::default();
        let faults = Faults::new();
        // The fault switches stand in front of the API only: the approval
        // page is a web page of last.fm, not part of the API.
        let api = Router::new()
            .route("/2.0/", any(api::handle))
            .route("/2.0", any(api::handle))
            .layer(faults.layer(api::render_fault))
            .with_state((state.clone(), faults.clone()));
        let router = Router::new()
            .route("/api/auth/", get(auth_page::show).post(auth_page::submit))
            .route("/api/auth", get(auth_page::show).post(auth_page::submit))
            .with_state(state.clone())
            .merge(api);
        Ok(FakeLastfm {
            base: format!("http://{local}"),
            state,
            faults,
            _served: musync_testkit::serve(listener, router, "fake Last.fm"),
        })
    }

    /// A fake ready for a demo: the [`DEMO_API_KEY`] application, the user
    /// [`DEMO_USER`] signed in to the approval page, tokens approved as soon
    /// as they are issued, the [`Catalogue::sample`] catalogue, a few loves
    /// and scrobbles and a track playing now.
    pub async fn start_demo(addr: SocketAddr) -> std::io::Result<FakeLastfm> {
        let fake = Self::start_on(addr).await?;
        fake.register_app(DEMO_API_KEY, DEMO_API_SECRET);
        fake.add_user(DEMO_USER);
        fake.set_auto_approve(true);
        fake.set_catalogue(Catalogue::sample());
        fake.love(DEMO_USER, "Radiohead", "Karma Police");
        fake.love(DEMO_USER, "Massive Attack", "Teardrop");
        fake.scrobble(DEMO_USER, "Portishead", "Glory Box", "Dummy");
        fake.scrobble(DEMO_USER, "Björk", "Jóga", "Homogenic");
        fake.set_now_playing(DEMO_USER, Some(("Sigur Rós", "Hoppípolla", "Takk...")));
        Ok(fake)
    }

    fn st(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("fake state lock")
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The API root, `{base}/2.0/` (for `MUSYNC_LASTFM_API_URL`).
    pub fn api_url(&self) -> String {
        format!("{}/2.0/", self.base)
    }

    /// The approval page, `{base}/api/auth/` (for `MUSYNC_LASTFM_AUTH_URL`).
    pub fn auth_url(&self) -> String {
        format!("{}/api/auth/", self.base)
    }

    /// Registers an API account (key and shared secret).
    pub fn register_app(&self, key: &str, secret: &str) {
        self.st().apps.insert(key.to_owned(), secret.to_owned());
    }

    /// Adds a user (no-op when it exists). The first user added is the one
    /// signed in to the approval page.
    pub fn add_user(&self, name: &str) {
        self.st().add_user(name);
    }

    /// Makes `name` the user signed in to the approval page.
    pub fn set_browser_user(&self, name: &str) {
        let mut st = self.st();
        st.add_user(name);
        st.browser_user = Some(name.to_lowercase());
    }

    /// A session key for `user` under the API account `key`, as if the
    /// desktop sign-in had completed. Adds the user if needed.
    ///
    /// # Panics
    /// When `key` was not registered: a mistake in the test itself.
    pub fn issue_session(&self, user: &str, key: &str) -> String {
        let mut st = self.st();
        assert!(
            st.apps.contains_key(key),
            "register_app({key:?}, …) before issuing a session for it"
        );
        st.add_user(user);
        let sk = format!("{:032x}", rand::random::<u128>());
        st.sessions.insert(
            sk.clone(),
            Session {
                user: user.to_lowercase(),
                api_key: key.to_owned(),
            },
        );
        sk
    }

    /// Revokes every session of `user`, as when they remove the
    /// application in their Last.fm settings: their keys now get error 9.
    pub fn revoke_sessions(&self, user: &str) {
        let user = user.to_lowercase();
        self.st().sessions.retain(|_, s| s.user != user);
    }

    /// Approves a request token for `user`, like the approval page does.
    /// False when the token or the user is unknown.
    pub fn approve(&self, token: &str, user: &str) -> bool {
        let mut st = self.st();
        let user = user.to_lowercase();
        if !st.users.contains_key(&user) {
            return false;
        }
        match st.tokens.get_mut(token) {
            Some(t) => {
                t.approved_by = Some(user);
                true
            }
            None => false,
        }
    }

    /// Marks every outstanding request token expired (error 15).
    pub fn expire_tokens(&self) {
        for t in self.st().tokens.values_mut() {
            t.expired = true;
        }
    }

    /// Approve tokens as soon as they are issued, for the browser user
    /// (demo mode: no page to click through).
    pub fn set_auto_approve(&self, on: bool) {
        self.st().auto_approve = on;
    }

    /// Loves a track for `user` directly (test setup). Adds the user if
    /// needed. False when it was already loved.
    pub fn love(&self, user: &str, artist: &str, title: &str) -> bool {
        let mut st = self.st();
        st.add_user(user);
        st.love(user, artist, title)
    }

    /// `user`'s loved tracks as (artist, title), in the order they were
    /// loved (oldest first; the API lists newest first).
    pub fn loved(&self, user: &str) -> Vec<(String, String)> {
        self.st()
            .user(user)
            .map(|u| {
                u.loved
                    .iter()
                    .map(|l| (l.artist.clone(), l.title.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Adds a scrobble (a play in the past) for `user`, newer than every
    /// earlier one. Adds the user if needed.
    pub fn scrobble(&self, user: &str, artist: &str, title: &str, album: &str) {
        let mut st = self.st();
        st.add_user(user);
        let uts = st.tick();
        if let Some(u) = st.user_mut(user) {
            u.scrobbles.push(Scrobble {
                artist: artist.to_owned(),
                title: title.to_owned(),
                album: album.to_owned(),
                uts,
            });
        }
    }

    /// Sets (or clears) what `user` is playing right now, as
    /// (artist, title, album).
    pub fn set_now_playing(&self, user: &str, track: Option<(&str, &str, &str)>) {
        let mut st = self.st();
        st.add_user(user);
        if let Some(u) = st.user_mut(user) {
            u.now_playing = track.map(|(artist, title, album)| Scrobble {
                artist: artist.to_owned(),
                title: title.to_owned(),
                album: album.to_owned(),
                uts: 0,
            });
        }
    }

    /// Replaces the catalogue `track.search` looks in.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        self.st().catalogue = catalogue;
    }

    /// The shared fault switches, applied to every API request (not to the
    /// approval page); a forced page size applies to loved and recent
    /// tracks and to search. Requests answered with a fault never reach
    /// the fake, so they are in `faults().requests()` but not in
    /// [`FakeLastfm::calls`].
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Sets how fast the fake answers from the next call on.
    pub fn set_mode(&self, mode: Mode) {
        self.st().mode = mode;
    }

    /// The current speed.
    pub fn mode(&self) -> Mode {
        self.st().mode.clone()
    }

    /// Suspends (or restores) the API account `key`, as Last.fm does with
    /// keys that break its terms: every call with it gets error 26.
    pub fn set_suspended(&self, key: &str, suspended: bool) {
        let mut st = self.st();
        if suspended {
            st.suspended.insert(key.to_owned());
        } else {
            st.suspended.remove(key);
        }
    }

    /// Write a one-item track list as a bare object instead of an array, a
    /// quirk of Last.fm's XML-to-JSON conversion (default off).
    pub fn set_single_as_object(&self, on: bool) {
        self.st().single_as_object = on;
    }

    /// Every API call that reached the fake so far, oldest first, with the
    /// Last.fm method and error (a request answered by a fault switch is
    /// only in the shared recorder, [`Faults::requests`]).
    pub fn calls(&self) -> Vec<Call> {
        self.st().calls.clone()
    }

    /// The calls of one method (compared ignoring case, as Last.fm does).
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.st()
            .calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .cloned()
            .collect()
    }

    /// Forgets the calls recorded so far.
    pub fn clear_calls(&self) {
        self.st().calls.clear();
    }
}
