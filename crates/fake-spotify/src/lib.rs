//! A stateful fake of Spotify — the accounts service (authorization code
//! with PKCE, token refresh) and the Web API under the February 2026
//! development-mode rules — for musync's tests and demo mode.
//!
//! It serves real HTTP on `127.0.0.1:0`, bound before the server task is
//! spawned, so a test can use the URLs at once. Knobs on [`FakeState`]
//! produce what a client must survive: 429 with `Retry-After`, 5xx, expired
//! access tokens, revoked refresh tokens, the pre-2026 field names. Every
//! request is recorded for assertions. The JSON is written here, by hand,
//! after Spotify's documented shapes, never with the client's types.
//!
//! ```no_run
//! # async fn demo() {
//! let fake = fake_spotify::FakeSpotify::start().await;
//! fake.register_client("my-client-id");
//! fake.add_user("alice", Some("Alice"));
//! let (access, refresh) = fake.issue_tokens("alice");
//! # let _ = (access, refresh);
//! # }
//! ```
#![warn(missing_docs)]
// Handler helpers return the ready error `Response` for an early exit;
// its size does not matter in a test fake.

mod accounts;
mod api;
mod catalogue;
mod search;
mod state;

pub use catalogue::{Catalogue, CatalogueTrack};
pub use state::{
    AuthorizeMode, Entry, FakePlaylist, FakeState, FakeUser, RateLimit, RecordedRequest,
};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use std::sync::{Arc, Mutex, MutexGuard};

/// The scopes the fake grants when a test issues tokens directly.
pub const DEFAULT_SCOPE: &str = "playlist-read-private playlist-read-collaborative \
playlist-modify-private playlist-modify-public user-library-read user-library-modify";

/// The client id [`FakeSpotify::issue_tokens`] issues for; registered at start.
pub const TEST_CLIENT_ID: &str = "musync-test-client";

/// A client id for demos (`--client-id musync-demo`); registered at start.
pub const DEMO_CLIENT_ID: &str = "musync-demo";

pub(crate) struct Shared {
    state: Mutex<FakeState>,
    /// The fault switches every musync fake takes.
    pub(crate) faults: musync_testkit::Faults,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, FakeState> {
        // A panicking handler must not wedge every later test request.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake; the server stops when this is dropped.
pub struct FakeSpotify {
    base: String,
    shared: Arc<Shared>,
    _served: musync_testkit::Served,
}

impl FakeSpotify {
    /// Binds `127.0.0.1:0`, then serves in a background task. The sample
    /// catalogue is loaded and [`TEST_CLIENT_ID`] is registered.
    pub async fn start() -> FakeSpotify {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake Spotify");
        Self::serve(listener)
    }

    /// Like [`FakeSpotify::start`] on a chosen port (demo mode: a fixed
    /// address to point `MUSYNC_SPOTIFY_*_URL` at).
    pub async fn start_on(port: u16) -> std::io::Result<FakeSpotify> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        Ok(Self::serve(listener))
    }

    fn serve(listener: tokio::net::TcpListener) -> FakeSpotify {
        let addr = listener.local_addr().expect("bound address");
        let mut state = FakeState::default();
        state.clients.insert(TEST_CLIENT_ID.to_owned());
        state.clients.insert(DEMO_CLIENT_ID.to_owned());
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: musync_testkit::Faults::new(),
        });
        let app = router(shared.clone());
        FakeSpotify {
            base: format!("http://{addr}"),
            shared,
            _served: musync_testkit::serve(listener, app, "fake Spotify"),
        }
    }

    /// Fills the fake for a demo: user `demo` with two playlists of their
    /// own, one followed playlist of someone else's, and a few Liked Songs,
    /// all from [`Catalogue::sample`]. Returns the user id.
    pub fn load_demo(&self) -> String {
        let mut st = self.state();
        st.catalogue = Catalogue::sample();
        let uri = |st: &FakeState, title: &str, artist: &str| {
            st.catalogue
                .find(title, artist)
                .map(CatalogueTrack::uri)
                .expect("a track of the sample catalogue")
        };
        st.add_user("demo", Some("Demo User"));
        st.add_user("dj", Some("A DJ"));
        let road = vec![
            uri(&st, "Mr. Brightside", "The Killers"),
            uri(&st, "Take On Me", "a-ha"),
            uri(&st, "Wonderwall", "Oasis"),
        ];
        st.add_playlist("demo", "Road trip", &road);
        st.add_playlist("demo", "Chill", &[]);
        let picks = vec![
            uri(&st, "Harder, Better, Faster, Stronger", "Daft Punk"),
            uri(&st, "Heroes - 2017 Remaster", "David Bowie"),
        ];
        let theirs = st.add_playlist("dj", "DJ's picks", &picks);
        st.follow("demo", &theirs);
        let liked = vec![
            uri(&st, "Blinding Lights", "The Weeknd"),
            uri(&st, "Lose Yourself", "Eminem"),
        ];
        st.users.get_mut("demo").expect("just added").liked = liked;
        "demo".to_owned()
    }

    /// Base URL of the Web API, like `https://api.spotify.com/v1`.
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.base)
    }

    /// Base URL of the accounts service, like `https://accounts.spotify.com`.
    pub fn accounts_url(&self) -> String {
        self.base.clone()
    }

    /// The state, locked: knobs, users, playlists, recorded requests. Do
    /// not hold the guard across an `.await`.
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.shared.lock()
    }

    /// Registers an app (client id) that may sign users in.
    pub fn register_client(&self, client_id: &str) {
        self.state().clients.insert(client_id.to_owned());
    }

    /// Adds a user.
    pub fn add_user(&self, id: &str, display_name: Option<&str>) {
        self.state().add_user(id, display_name);
    }

    /// Creates a playlist owned by `owner` holding `uris`; returns its id.
    pub fn add_playlist(&self, owner: &str, name: &str, uris: &[String]) -> String {
        self.state().add_playlist(owner, name, uris)
    }

    /// Replaces the catalogue.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        self.state().catalogue = catalogue;
    }

    /// A ready session for `user` under [`TEST_CLIENT_ID`]:
    /// `(access_token, refresh_token)`.
    pub fn issue_tokens(&self, user: &str) -> (String, String) {
        self.state()
            .issue_tokens(user, TEST_CLIENT_ID, DEFAULT_SCOPE)
    }

    /// The track URIs of a playlist, in order.
    pub fn playlist_items(&self, id: &str) -> Vec<String> {
        self.state().playlist_items(id)
    }

    /// A user's Liked Songs URIs, newest first.
    pub fn liked(&self, user: &str) -> Vec<String> {
        self.state().liked(user)
    }

    /// The shared fault switches (the behaviour suite's), applied to the
    /// Web API routes.
    pub fn faults(&self) -> &musync_testkit::Faults {
        &self.shared.faults
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/me", get(api::me))
        .route(
            "/me/playlists",
            get(api::my_playlists).post(api::create_playlist),
        )
        .route(
            "/playlists/{id}/items",
            get(api::playlist_items)
                .post(api::add_items)
                .delete(api::remove_items),
        )
        .route("/playlists/{id}/tracks", any(api::removed))
        .route(
            "/me/tracks",
            get(api::saved_tracks)
                .put(api::removed)
                .delete(api::removed),
        )
        .route(
            "/me/library",
            axum::routing::put(api::library_save).delete(api::library_remove),
        )
        .route("/me/library/contains", get(api::library_contains))
        .route("/search", get(api::search))
        .route("/users/{id}", any(api::removed))
        .route("/users/{id}/playlists", any(api::removed))
        .route("/tracks", get(api::removed))
        .fallback(api::not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), slow_down))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            inject_failures,
        ))
        .layer(shared.faults.layer(render_fault));
    Router::new()
        .route("/authorize", get(accounts::authorize))
        .route("/authorize/decide", get(accounts::decide))
        .route("/api/token", post(accounts::token))
        .nest("/v1", api)
        .layer(middleware::from_fn_with_state(shared.clone(), record))
        .with_state(shared)
}

/// Answers Web API requests with 429 or 5xx while the knobs say so, after
/// the configured latency; 429 too beyond the rate limit.
async fn inject_failures(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let latency = shared.lock().latency;
    if let Some(delay) = latency {
        tokio::time::sleep(delay).await;
    }
    let failure = {
        let mut st = shared.lock();
        if st.fail_with_429 > 0 {
            st.fail_with_429 -= 1;
            Some((StatusCode::TOO_MANY_REQUESTS, Some(st.retry_after_s)))
        } else if st.fail_with_5xx > 0 {
            st.fail_with_5xx -= 1;
            let status =
                StatusCode::from_u16(st.failure_status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            Some((status, None))
        } else {
            st.over_rate_limit(std::time::Instant::now())
                .map(|after| (StatusCode::TOO_MANY_REQUESTS, Some(after)))
        }
    };
    match failure {
        Some((status, retry_after)) => {
            let message = if status == StatusCode::TOO_MANY_REQUESTS {
                "API rate limit exceeded"
            } else {
                "Service unavailable"
            };
            let mut resp = api::error(status, message);
            if let Some(s) = retry_after {
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&s.to_string()).expect("digits are a valid header"),
                );
            }
            resp
        }
        None => next.run(req).await,
    }
}

/// Delays searches, and the answers of playlist writes, as the knobs say.
async fn slow_down(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let write = matches!(req.method().as_str(), "POST" | "DELETE")
        && path.contains("/playlists/")
        && path.ends_with("/items");
    let (before, after) = {
        let st = shared.lock();
        if path.ends_with("/search") {
            (st.slow_searches, std::time::Duration::ZERO)
        } else if write {
            (std::time::Duration::ZERO, st.slow_write_answers)
        } else {
            Default::default()
        }
    };
    tokio::time::sleep(before).await;
    let resp = next.run(req).await;
    tokio::time::sleep(after).await;
    resp
}

/// How Spotify answers each shared fault.
fn render_fault(fault: &musync_testkit::Fault) -> Response {
    use musync_testkit::Fault;
    match fault {
        Fault::Expired => api::error(StatusCode::UNAUTHORIZED, "The access token expired"),
        Fault::RateLimited(retry_after) => {
            let mut resp = api::error(StatusCode::TOO_MANY_REQUESTS, "API rate limit exceeded");
            if let Some(s) = retry_after {
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&s.to_string()).expect("digits are a valid header"),
                );
            }
            resp
        }
        Fault::Unavailable => api::error(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable"),
        Fault::WrongShape => {
            axum::Json(serde_json::json!({"unexpected": {"shape": true}})).into_response()
        }
    }
}

/// Records every request with the status it got.
async fn record(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let resp = next.run(req).await.into_response();
    shared.lock().requests.push(RecordedRequest {
        method,
        path,
        query,
        status: resp.status().as_u16(),
    });
    resp
}
