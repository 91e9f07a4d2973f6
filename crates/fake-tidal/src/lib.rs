//! A stateful fake of TIDAL's developer platform — the login host
//! (`/authorize`), the auth host (`/v1/oauth2/token`, OAuth 2.1 with PKCE)
//! and the JSON:API v2 (spec 1.10.104) — for musync's tests and demo mode.
//!
//! It serves real HTTP on `127.0.0.1:0`, bound before the server task is
//! spawned. The three hosts live under different path prefixes of one
//! server (`/login`, `/auth`, `/v2`), so a client that mixes them up fails.
//! What it enforces is what the research lists: cursor pages of a size the
//! server picks, 1–50 items per write, the exact request media type,
//! `include` depth, unknown filters → 400, at most 100 filter values,
//! scopes, `Idempotency-Key` replay, a token bucket answering 429 with
//! `Retry-After`, 5xx, token expiry. The testkit's [`Faults`] layer sits in
//! front of the API routes. The JSON is written here by hand.
#![warn(missing_docs)]

mod api;
mod auth;
mod catalogue;
mod jsonapi;
mod state;

pub use api::MAX_WRITE_ITEMS;
pub use auth::THIRD_PARTY_SCOPES;
pub use catalogue::{Catalogue, CatalogueTrack};
pub use jsonapi::{MAX_FILTER_VALUES, MAX_INCLUDE_DEPTH, MEDIA_TYPE};
pub use musync_testkit::{Fault, Faults};
pub use state::{AuthorizeMode, Bucket, FakePlaylist, FakeState, FakeUser, Item, RecordedRequest};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::{Arc, Mutex, MutexGuard};

/// Every third-party scope, as a signed-in musync holds them.
pub const DEFAULT_SCOPES: &str =
    "collection.read collection.write playlists.read playlists.write search.read user.read";

/// The client id [`FakeTidal::issue_tokens`] issues for; registered at start.
pub const TEST_CLIENT_ID: &str = "musync-test-client";

/// A client id for demos (`--client-id musync-demo`); registered at start.
pub const DEMO_CLIENT_ID: &str = "musync-demo";

pub(crate) struct Shared {
    state: Mutex<FakeState>,
    pub(crate) faults: Faults,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake; the server stops when this is dropped.
pub struct FakeTidal {
    base: String,
    shared: Arc<Shared>,
    _served: musync_testkit::Served,
}

impl FakeTidal {
    /// Binds `127.0.0.1:0`, then serves in a background task, with the
    /// sample catalogue and both client ids registered.
    pub async fn start() -> FakeTidal {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake TIDAL");
        Self::serve(listener)
    }

    /// Like [`FakeTidal::start`] on a chosen port (demo mode).
    pub async fn start_on(port: u16) -> std::io::Result<FakeTidal> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        Ok(Self::serve(listener))
    }

    fn serve(listener: tokio::net::TcpListener) -> FakeTidal {
        let addr = listener.local_addr().expect("bound address");
        let mut state = FakeState::default();
        state.clients.insert(TEST_CLIENT_ID.to_owned());
        state.clients.insert(DEMO_CLIENT_ID.to_owned());
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: Faults::new(),
        });
        let app = router(shared.clone());
        FakeTidal {
            base: format!("http://{addr}"),
            shared,
            _served: musync_testkit::serve(listener, app, "fake TIDAL"),
        }
    }

    /// Fills the fake for a demo: user `1001` ("demo", GB) with two
    /// playlists and two favourites from [`Catalogue::sample`]. Returns the
    /// user id.
    pub fn load_demo(&self) -> String {
        let mut st = self.state();
        st.catalogue = Catalogue::sample();
        let id = |st: &FakeState, title: &str, artist: &str| {
            st.catalogue
                .find(title, artist)
                .map(|t| t.id.clone())
                .expect("a track of the sample catalogue")
        };
        st.add_user("1001", "demo", "GB");
        let road = vec![
            id(&st, "Mr. Brightside", "The Killers"),
            id(&st, "Take On Me", "a-ha"),
        ];
        st.add_playlist("1001", "Road trip", &road);
        st.add_playlist("1001", "Chill", &[]);
        let favs = vec![
            id(&st, "Blinding Lights", "The Weeknd"),
            id(&st, "Lose Yourself", "Eminem"),
        ];
        st.add_favourites("1001", &favs);
        st.authorize = AuthorizeMode::Page;
        "1001".to_owned()
    }

    /// The API base, like `https://openapi.tidal.com/v2`.
    pub fn api_url(&self) -> String {
        format!("{}/v2", self.base)
    }

    /// The login host, like `https://login.tidal.com`.
    pub fn login_url(&self) -> String {
        format!("{}/login", self.base)
    }

    /// The auth host, like `https://auth.tidal.com`.
    pub fn auth_url(&self) -> String {
        format!("{}/auth", self.base)
    }

    /// The state, locked. Do not hold the guard across an `.await`.
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.shared.lock()
    }

    /// The fault switches in front of the API routes.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Adds a user with a country.
    pub fn add_user(&self, id: &str, username: &str, country: &str) {
        self.state().add_user(id, username, country);
    }

    /// Creates a playlist owned by `owner`; returns its id.
    pub fn add_playlist(&self, owner: &str, name: &str, track_ids: &[String]) -> String {
        self.state().add_playlist(owner, name, track_ids)
    }

    /// Replaces the catalogue.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        self.state().catalogue = catalogue;
    }

    /// A ready session for `user` under [`TEST_CLIENT_ID`] with
    /// [`DEFAULT_SCOPES`]: `(access_token, refresh_token)`.
    pub fn issue_tokens(&self, user: &str) -> (String, String) {
        self.state()
            .issue_tokens(user, TEST_CLIENT_ID, DEFAULT_SCOPES)
    }

    /// The track ids of a playlist, in order.
    pub fn playlist_tracks(&self, id: &str) -> Vec<String> {
        self.state().playlist_tracks(id)
    }

    /// A user's favourite track ids, newest first.
    pub fn favourites(&self, user: &str) -> Vec<String> {
        self.state().favourites(user)
    }

    /// Every API request answered so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/users/me", get(api::users_me))
        .route(
            "/playlists",
            get(api::list_playlists).post(api::create_playlist),
        )
        .route(
            "/playlists/{id}/relationships/items",
            get(api::playlist_items)
                .post(api::change_playlist_items)
                .delete(api::change_playlist_items),
        )
        .route(
            "/userCollectionTracks/{who}/relationships/items",
            get(api::favourites)
                .post(api::change_favourites)
                .delete(api::change_favourites),
        )
        .route("/tracks", get(api::tracks))
        .route("/searchResults", get(api::search_results))
        .fallback(api::fallback)
        .layer(middleware::from_fn_with_state(shared.clone(), rate_limit))
        .layer(shared.faults.layer(render_fault))
        .layer(middleware::from_fn_with_state(shared.clone(), record));
    let login = Router::new()
        .route("/authorize", get(auth::authorize))
        .route("/authorize/decide", get(auth::decide));
    Router::new()
        .nest("/login", login)
        .route("/auth/v1/oauth2/token", post(auth::token))
        .nest("/v2", api)
        .with_state(shared)
}

/// How TIDAL answers each testkit fault.
fn render_fault(fault: &Fault) -> Response {
    match fault {
        Fault::Expired => jsonapi::error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "The access token has expired",
            None,
        ),
        Fault::RateLimited(after) => {
            let mut r = jsonapi::error(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "Rate limit exceeded",
                None,
            );
            let h = r.headers_mut();
            h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
            h.insert(
                "x-ratelimit-requested-tokens",
                HeaderValue::from_static("1"),
            );
            h.insert("x-ratelimit-burst-capacity", HeaderValue::from_static("10"));
            h.insert("x-ratelimit-replenish-rate", HeaderValue::from_static("1"));
            if let Some(s) = after {
                h.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&s.to_string()).expect("digits"),
                );
            }
            r
        }
        Fault::Unavailable => jsonapi::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "The service is temporarily unavailable",
            None,
        ),
        Fault::WrongShape => jsonapi::doc(
            StatusCode::OK,
            &serde_json::json!({"result": {"items": []}, "links": {}}),
        ),
    }
}

/// The token bucket: each request costs tokens (searches `search_cost`);
/// an empty bucket answers 429 with `Retry-After` and TIDAL's
/// `x-ratelimit-*` headers.
async fn rate_limit(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let cost = if req.uri().path().ends_with("/searchResults") {
        f64::from(shared.lock().search_cost.max(1))
    } else {
        1.0
    };
    let verdict = {
        let mut st = shared.lock();
        match st
            .bucket
            .as_mut()
            .map(|b| (b.take(cost), b.capacity, b.replenish_per_s))
        {
            None => None,
            Some((Ok(left), cap, rate)) => Some((Ok(left), cap, rate)),
            Some((Err(wait), cap, rate)) => {
                st.rate_limited += 1;
                Some((Err(wait), cap, rate))
            }
        }
    };
    let Some((outcome, capacity, rate)) = verdict else {
        return next.run(req).await;
    };
    let mut resp = match outcome {
        Ok(_) => next.run(req).await,
        Err(wait) => {
            let mut r = jsonapi::error(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "Rate limit exceeded",
                None,
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&wait.to_string()).expect("digits"),
            );
            r
        }
    };
    let remaining = match outcome {
        Ok(left) => left.floor() as u64,
        Err(_) => 0,
    };
    let h = resp.headers_mut();
    for (name, value) in [
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-requested-tokens", (cost as u64).to_string()),
        ("x-ratelimit-burst-capacity", (capacity as u64).to_string()),
        ("x-ratelimit-replenish-rate", (rate as u64).to_string()),
    ] {
        h.insert(name, HeaderValue::from_str(&value).expect("digits"));
    }
    resp
}

/// Records every API request: media type, idempotency key, body size.
async fn record(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 4 << 20)
        .await
        .unwrap_or_default();
    let header_str = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let body_items = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("data").and_then(|d| d.as_array()).map(Vec::len));
    let mut rec = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        content_type: header_str("content-type"),
        idempotency_key: header_str("idempotency-key"),
        body_items,
        status: 0,
    };
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await
        .into_response();
    rec.status = resp.status().as_u16();
    shared.lock().requests.push(rec);
    resp
}
