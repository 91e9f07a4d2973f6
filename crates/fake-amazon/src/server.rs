//! The fake's HTTP server: routing, session and csrf checks, the legacy
//! operations, failure modes and request recording.
//!
//! One fallback handler dispatches on method and path by hand, because the
//! legacy API is addressed by `X-Amz-Target` rather than by route and every
//! request (matched or not) must be recorded.

use crate::library::{Library, LibraryTrack};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A switchable behaviour of the fake, for testing how the client copes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Everything works.
    #[default]
    Normal,
    /// Every session has expired: legacy calls answer `status` (401, or 400
    /// as Amazon's playlist service did in 2020), `config.json` answers the
    /// guest shape and `/` redirects to sign-in, until someone signs in again.
    Expired {
        /// 401 or 400.
        status: u16,
    },
    /// The issued csrf values are replaced (as when the web player renews
    /// them) and a csrf mismatch answers 403 instead of 401. Re-reading
    /// `config.json` gives the new values.
    CsrfForbidden,
    /// Answers keep HTTP 200 but change shape: playlists carry `id` instead
    /// of `playlistId`, playlist tracks carry flat `metadata` instead of
    /// `metadata.requestedMetadata`, `getTracks` answers `items` instead of
    /// `resultList`.
    SchemaDrift,
    /// Answers are HTTP 200 with a non-empty `errors` list.
    BodyErrors,
    /// The next `requests` API calls answer 429 with `Retry-After`.
    RateLimited {
        /// How many calls are refused.
        requests: u32,
        /// The `Retry-After` value in seconds.
        retry_after_s: u64,
    },
    /// The next `requests` API calls answer `status` (500, 503 …) with an HTML body.
    ServerError {
        /// How many calls fail.
        requests: u32,
        /// The status to answer.
        status: u16,
    },
    /// Every API call waits this long before answering.
    Slow(Duration),
    /// `getTracks` hands out the same `nextToken` again from the second page on.
    RepeatedToken,
    /// `getTracks` answers one empty page (with a `nextToken`) after the first.
    EmptyMiddlePage,
    /// `/config.json` is gone (404), as before the web player fetched it:
    /// the session config is only in the page's `window.amznMusic`.
    NoConfigJson,
    /// Sign-in asks for a two-step code (`auth-mfa-otpcode`,
    /// [`FakeAmazon::OTP`]) after the password.
    SignInOtp,
    /// The legacy JSON-RPC surface is withdrawn: every legacy call answers
    /// 404. GraphQL keeps working.
    LegacyGone,
    /// The GraphQL host answers 404 to everything; legacy keeps working.
    GraphqlGone,
    /// Only a client that runs the page's scripts gets through: the player
    /// page runs a small script that sets a short-lived `hornet-proof`
    /// cookie, and without it `config.json` answers the guest shape, legacy
    /// calls 401 and GraphQL 401, even with valid session cookies.
    BrowserOnly,
}

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy).
    pub body: String,
    /// Which port received it: `"music"` (the music host) or `"graphql"`.
    pub origin: String,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `operationName` of a GraphQL call (`None` for other requests).
    pub fn operation(&self) -> Option<String> {
        if self.origin != "graphql" {
            return None;
        }
        self.json()
            .get("operationName")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// The `X-Amz-Target` of a legacy API call.
    pub fn target(&self) -> Option<&str> {
        self.header("x-amz-target")
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// A running fake Amazon Music host on `127.0.0.1`; shuts down when dropped.
pub struct FakeAmazon {
    base_url: String,
    graphql_url: String,
    shared: Arc<Shared>,
    _served: [musync_testkit::Served; 2],
}

pub(crate) struct Shared {
    pub(crate) state: Mutex<FakeState>,
    /// The fault switches every musync fake takes (the behaviour suite's).
    pub(crate) faults: musync_testkit::Faults,
}

struct Csrf {
    token: String,
    rnd: String,
    ts: String,
}

pub(crate) struct Session {
    cookies: Vec<(String, String)>,
    pub(crate) access_token: String,
    /// When `access_token` was minted (it lives [`FakeState::token_lifetime`]).
    token_issued: Instant,
    pub(crate) device_id: String,
    session_id: String,
    csrf: Csrf,
}

pub(crate) struct FakeState {
    pub(crate) library: Library,
    /// Sessions by the value of their `at-<suffix>` cookie.
    pub(crate) sessions: HashMap<String, Session>,
    /// The ready session handed out by [`FakeAmazon::session_cookies`].
    ready_session: String,
    pub(crate) mode: Mode,
    /// Failures left to inject in the counted modes.
    remaining: u32,
    /// Mixed into `nextToken`s so tokens of another server are refused.
    pub(crate) token_salt: String,
    /// The web client's GraphQL API key, only in the page's bundle.
    pub(crate) api_key: String,
    /// The most items a GraphQL page holds, whatever the client asks.
    pub(crate) graphql_page_size: usize,
    /// The status of a GraphQL answer to an expired token (401, or 200).
    pub(crate) graphql_expired_status: u16,
    /// How long an access token lives; `None`: until the session ends.
    token_lifetime: Option<Duration>,
    /// Added to every answer, like a distant server.
    pub(crate) latency: Option<Duration>,
    /// Proof-cookie values the page's script computes, with their issue time.
    proofs: Vec<(String, Instant)>,
    /// How long a proof cookie is accepted.
    proof_lifetime: Duration,
    /// Sign-ins waiting for their two-step code, by ticket.
    otp_tickets: Vec<String>,
    requests: Vec<RecordedRequest>,
}

/// The username and password the fake's sign-in form accepts.
impl FakeAmazon {
    /// E-mail the sign-in form accepts.
    pub const EMAIL: &'static str = "listener@example.com";
    /// Password the sign-in form accepts.
    pub const PASSWORD: &'static str = "correct horse battery staple";
    /// The two-step code the fake accepts in [`Mode::SignInOtp`].
    pub const OTP: &'static str = "246810";
    /// The web player's device type, as the real config reports it.
    pub const DEVICE_TYPE: &'static str = "A16ZV8BU3SN1N3";

    /// Binds `127.0.0.1:0`, then serves `library` in the background.
    pub async fn start(library: Library) -> FakeAmazon {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake Amazon server");
        let addr = listener.local_addr().expect("bound address");
        let mut state = FakeState {
            library,
            sessions: HashMap::new(),
            ready_session: String::new(),
            mode: Mode::Normal,
            remaining: 0,
            token_salt: hex(8),
            api_key: format!("amzn1.application.{}", hex(16)),
            graphql_page_size: 37,
            graphql_expired_status: 401,
            token_lifetime: None,
            latency: None,
            proofs: Vec::new(),
            proof_lifetime: Duration::from_secs(600),
            otp_tickets: Vec::new(),
            requests: Vec::new(),
        };
        state.ready_session = state.new_session();
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: musync_testkit::Faults::new(),
        });
        let gql_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0 for the fake GraphQL host");
        let gql_addr = gql_listener.local_addr().expect("bound address");
        let app = Router::new()
            .fallback(handle)
            .layer(shared.faults.layer(render_fault))
            .with_state(shared.clone());
        let gql_app = Router::new()
            .fallback(crate::graphql::handle)
            .layer(shared.faults.layer(render_fault))
            .with_state(shared.clone());
        FakeAmazon {
            base_url: format!("http://{addr}"),
            graphql_url: format!("http://{gql_addr}/"),
            shared,
            _served: [
                musync_testkit::serve(listener, app, "fake Amazon"),
                musync_testkit::serve(gql_listener, gql_app, "fake Amazon GraphQL"),
            ],
        }
    }

    /// The shared fault switches, applied to every request of both hosts;
    /// a forced page size applies to GraphQL pages.
    pub fn faults(&self) -> &musync_testkit::Faults {
        &self.shared.faults
    }

    /// The GraphQL endpoint, `http://127.0.0.1:PORT/` (its own origin, as
    /// `gql.music.amazon.dev` is).
    pub fn graphql_url(&self) -> &str {
        &self.graphql_url
    }

    /// The web client's GraphQL API key, found only in the page's bundle
    /// (`/assets/hornet.js`).
    pub fn api_key(&self) -> String {
        self.lock().api_key.clone()
    }

    /// The most items one GraphQL page holds (default 37, below what
    /// clients ask for).
    pub fn set_graphql_page_size(&self, n: usize) {
        self.lock().graphql_page_size = n.max(1);
    }

    /// The HTTP status of GraphQL's `errors[UNAUTHENTICATED]` answer to an
    /// expired token: 401 (default) or 200.
    pub fn set_graphql_expired_status(&self, status: u16) {
        self.lock().graphql_expired_status = status;
    }

    /// Access tokens expire this long after being minted (`config.json`
    /// mints a new one for a signed-in session); `None`: never.
    pub fn set_access_token_lifetime(&self, lifetime: Option<Duration>) {
        self.lock().token_lifetime = lifetime;
    }

    /// Every answer (both hosts) waits this long first.
    pub fn set_latency(&self, latency: Option<Duration>) {
        self.lock().latency = latency;
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Switches the behaviour (see [`Mode`]).
    pub fn set_mode(&self, mode: Mode) {
        let mut st = self.lock();
        st.remaining = match mode {
            Mode::RateLimited { requests, .. } | Mode::ServerError { requests, .. } => requests,
            _ => 0,
        };
        if mode == Mode::CsrfForbidden {
            st.rotate_csrf();
        }
        if matches!(mode, Mode::Expired { .. }) {
            st.sessions.clear();
        }
        st.mode = mode;
    }

    /// Issues new csrf values to every session (the old ones are refused
    /// with 401, or 403 in [`Mode::CsrfForbidden`]).
    pub fn rotate_csrf(&self) {
        self.lock().rotate_csrf();
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// The cookies of a ready signed-in session, as `(name, value)` pairs.
    /// If sessions were expired since, a new one is made.
    pub fn session_cookies(&self) -> Vec<(String, String)> {
        let mut st = self.lock();
        if !st.sessions.contains_key(&st.ready_session) {
            st.ready_session = st.new_session();
        }
        st.sessions[&st.ready_session].cookies.clone()
    }

    /// The ready session as a Netscape cookies.txt for `domain` (as a
    /// browser extension exports it; `at-*` lines marked `#HttpOnly_`).
    pub fn cookies_txt(&self, domain: &str) -> String {
        let mut out = String::from("# Netscape HTTP Cookie File\n# exported for a test\n\n");
        for (name, value) in self.session_cookies() {
            let prefix = if name.starts_with("at-") || name.starts_with("sess-at") {
                "#HttpOnly_"
            } else {
                ""
            };
            out.push_str(&format!(
                "{prefix}{domain}\tTRUE\t/\tTRUE\t2145916800\t{name}\t{value}\n"
            ));
        }
        out
    }

    /// The library being served.
    pub fn library(&self) -> Library {
        self.lock().library.clone()
    }

    /// Replaces the library being served.
    pub fn set_library(&self, library: Library) {
        self.lock().library = library;
    }

    /// The values a client must never log for the ready session: cookie
    /// values, the csrf token and the access token.
    pub fn secret_values(&self) -> Vec<String> {
        let cookies = self.session_cookies();
        let st = self.lock();
        let mut out: Vec<String> = cookies.into_iter().map(|(_, v)| v).collect();
        for s in st.sessions.values() {
            out.push(s.csrf.token.clone());
            out.push(s.access_token.clone());
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.shared.state.lock().expect("fake state lock")
    }
}

impl FakeState {
    fn new_session(&mut self) -> String {
        let at_main = format!("Atza|{}", hex(24));
        let sfx = self.library.market.cookie_suffix.clone();
        let cookies = vec![
            ("session-id".to_owned(), format!("262-{}", hex(7))),
            (format!("ubid-{sfx}"), format!("131-{}", hex(7))),
            (format!("at-{sfx}"), at_main.clone()),
            (format!("sess-at-{sfx}"), format!("\"{}\"", hex(16))),
            ("at-main-music".to_owned(), format!("Atna|{}", hex(16))),
        ];
        let session = Session {
            cookies,
            access_token: format!("Atna|{}", hex(32)),
            token_issued: Instant::now(),
            device_id: format!("262{}", hex(8)),
            session_id: format!("262-{}", hex(7)),
            csrf: new_csrf(),
        };
        self.sessions.insert(at_main.clone(), session);
        at_main
    }

    fn rotate_csrf(&mut self) {
        for s in self.sessions.values_mut() {
            s.csrf = new_csrf();
        }
    }

    /// The session named by the request's cookies, unless sessions expired
    /// (or, in [`Mode::BrowserOnly`], the page's proof cookie is missing).
    fn session_of(&self, headers: &HeaderMap) -> Option<&Session> {
        let sfx = &self.library.market.cookie_suffix;
        let at_main = cookie(headers, &format!("at-{sfx}"))?;
        let s = self.sessions.get(&at_main)?;
        // Every session cookie must match, as a real session check would.
        let ubid = format!("ubid-{sfx}");
        let all_match = s
            .cookies
            .iter()
            .filter(|(n, _)| n == "session-id" || *n == ubid)
            .all(|(n, v)| cookie(headers, n).as_deref() == Some(v.as_str()));
        (all_match && (self.mode != Mode::BrowserOnly || self.proof_ok(headers))).then_some(s)
    }

    /// The session without the proof check (to serve the page that sets it).
    fn session_for_page(&self, headers: &HeaderMap) -> Option<&Session> {
        let sfx = &self.library.market.cookie_suffix;
        let at_main = cookie(headers, &format!("at-{sfx}"))?;
        self.sessions.get(&at_main)
    }

    /// Whether the request carries a live proof cookie from the page's script.
    pub(crate) fn proof_ok(&self, headers: &HeaderMap) -> bool {
        let Some(value) = cookie(headers, "hornet-proof") else {
            return false;
        };
        self.proofs
            .iter()
            .any(|(v, at)| *v == value && at.elapsed() < self.proof_lifetime)
    }

    /// Whether a session's access token is still valid.
    pub(crate) fn token_alive(&self, s: &Session) -> bool {
        self.token_lifetime
            .is_none_or(|life| s.token_issued.elapsed() < life)
    }

    /// A counted 429 or 5xx, if one is due (shared by both hosts).
    pub(crate) fn injected_failure(&mut self) -> Option<Response> {
        match self.mode.clone() {
            Mode::RateLimited { retry_after_s, .. } if self.take_failure() => {
                let mut resp = coral_error(429, "ThrottlingException", "Rate exceeded");
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&retry_after_s.to_string()).expect("digits"),
                );
                Some(resp)
            }
            Mode::ServerError { status, .. } if self.take_failure() => Some(html_response(
                status,
                "<html><body><h1>Service Unavailable</h1></body></html>".into(),
            )),
            _ => None,
        }
    }

    /// Takes one failure from a counted mode, if any is left.
    fn take_failure(&mut self) -> bool {
        if self.remaining > 0 {
            self.remaining -= 1;
            true
        } else {
            false
        }
    }
}

fn new_csrf() -> Csrf {
    Csrf {
        token: format!("g{}=", hex(20)),
        rnd: format!("{}", rand::random::<u32>()),
        ts: format!("{}", 1_760_000_000_000u64 + rand::random::<u32>() as u64),
    }
}

fn hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect()
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// Appends a request to the log.
pub(crate) fn record(
    shared: &Shared,
    origin: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &str,
) {
    let mut st = shared.state.lock().expect("fake state lock");
    st.requests.push(RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_owned(),
        origin: origin.to_owned(),
    });
}

/// The CORS headers the GraphQL host gives the music host's page, so a
/// `fetch()` from inside the page (credentials included) may read answers.
pub(crate) fn cors(mut resp: Response, origin: Option<&str>) -> Response {
    let Some(origin) = origin.and_then(|o| HeaderValue::from_str(o).ok()) else {
        return resp;
    };
    let h = resp.headers_mut();
    h.insert("access-control-allow-origin", origin);
    h.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("POST, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(
            "authorization, x-api-key, content-type, device-id, device-type, music-territory, \
             x-amzn-session-id, x-amzn-client-app-version, x-amzn-request-id",
        ),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
    resp
}

pub(crate) fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).expect("valid status code");
    if body.is_null() {
        return status.into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

fn html_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).expect("valid status code");
    (
        status,
        [(header::CONTENT_TYPE, "text/html;charset=UTF-8")],
        body,
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

fn coral_error(status: u16, kind: &str, message: &str) -> Response {
    json_response(
        status,
        json!({"__type": format!("com.amazon.coral.service#{kind}"), "message": message}),
    )
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let body_text = String::from_utf8_lossy(&body).into_owned();
    record(&shared, "music", &method, &uri, &headers, &body_text);
    let latency = shared.state.lock().expect("fake state lock").latency;
    if let Some(delay) = latency {
        tokio::time::sleep(delay).await;
    }
    if let Some((region, service)) = legacy_route(&path) {
        if method != Method::POST {
            return coral_error(405, "MethodNotAllowed", "use POST");
        }
        return legacy(&shared, region, service, &headers, &body_text).await;
    }
    let mut st = shared.state.lock().expect("fake state lock");
    match (method.as_str(), path.as_str()) {
        ("GET" | "POST", "/config.json") if st.mode == Mode::NoConfigJson => {
            html_response(404, "<html><body>Page not found</body></html>".into())
        }
        ("GET" | "POST", "/config.json") => config_json(&mut st, &headers),
        ("GET", "/" | "/my/library") => {
            let proof = if st.mode == Mode::BrowserOnly {
                // A fresh nonce per page; the script reverses it into the cookie.
                let nonce = hex(12);
                let value: String = nonce.chars().rev().collect();
                st.proofs.push((value, Instant::now()));
                Some(nonce)
            } else {
                None
            };
            match st.session_for_page(&headers) {
                Some(s) => html_response(200, player_page(&st.library, s, proof.as_deref())),
                None => redirect("/ap/signin?openid.return_to=%2F&openid.assoc_handle=amzn_webamp"),
            }
        }
        ("GET", "/assets/hornet.js") => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/javascript")],
            format!(
                "/* web-hornet player (fake) */\nwindow.__hornet = {{gql: {{endpoint: \"/\", apiKey: \"{}\"}}, version: \"1.0.23456.0\"}};\n",
                st.api_key
            ),
        )
            .into_response(),
        ("GET", "/forceSignIn" | "/gp/dmusic/cloudplayer/forceSignIn/") => {
            match st.session_of(&headers) {
                Some(_) => redirect("/"),
                None => redirect("/ap/signin?openid.return_to=%2F&openid.assoc_handle=amzn_webamp"),
            }
        }
        ("GET", "/ap/signin") => html_response(200, sign_in_page(None)),
        ("POST", "/ap/signin") => sign_in_post(&mut st, &body_text),
        ("POST", "/ap/mfa") => otp_post(&mut st, &body_text),
        ("POST", "/cirrus/" | "/EU/api/cirrus/" | "/NA/api/cirrus/" | "/FE/api/cirrus/") => {
            // The form-encoded Cirrus API was withdrawn (ksooo v2.0.0).
            html_response(410, "<html><body>Gone</body></html>".into())
        }
        _ => html_response(
            404,
            "<html><head><title>Amazon Music</title></head><body>Page not found</body></html>"
                .into(),
        ),
    }
}

/// `(Some(region) | None for the alias, "playlists" | "cirrus")` for a legacy API path.
fn legacy_route(path: &str) -> Option<(Option<String>, &'static str)> {
    match path {
        "/cloudplayer/playlists/" => return Some((None, "playlists")),
        "/cirrus/v3/" => return Some((None, "cirrus")),
        _ => {}
    }
    let rest = path.strip_prefix('/')?;
    let (region, rest) = rest.split_once('/')?;
    let service = match rest {
        "api/playlists/" => "playlists",
        "api/cirrus/v3/" => "cirrus",
        _ => return None,
    };
    Some((Some(region.to_owned()), service))
}

fn config_json(st: &mut FakeState, headers: &HeaderMap) -> Response {
    // A signed-in config.json mints a fresh access token, as the real one
    // does when its token is old.
    let key = st.session_of(headers).map(|s| s.access_token.clone());
    if let Some(token) = key
        && let Some(s) = st.sessions.values_mut().find(|s| s.access_token == token)
    {
        s.access_token = format!("Atna|{}", hex(32));
        s.token_issued = Instant::now();
    }
    let st = &*st;
    let lib = &st.library;
    let base = json!({
        "deviceType": FakeAmazon::DEVICE_TYPE,
        "marketplaceId": lib.market.marketplace_id,
        "musicTerritory": lib.market.territory,
        "siteRegion": lib.market.site_region,
        "version": "1.0.23456.0",
        "displayLanguage": "en_GB",
        "atCookieName": "at-main",
        "ubidCookieName": "ubid-main",
    });
    let mut cfg = base;
    let obj = cfg.as_object_mut().expect("object literal");
    match st.session_of(headers) {
        Some(s) => {
            obj.insert("accessToken".into(), json!(s.access_token));
            obj.insert("customerId".into(), json!(lib.customer_id));
            obj.insert("deviceId".into(), json!(s.device_id));
            obj.insert("sessionId".into(), json!(s.session_id));
            obj.insert(
                "csrf".into(),
                json!({"token": s.csrf.token, "ts": s.csrf.ts, "rnd": s.csrf.rnd}),
            );
            obj.insert("tier".into(), json!("UNLIMITED_HD"));
            obj.insert("isProfileCustomer".into(), json!(false));
        }
        None => {
            obj.insert("accessToken".into(), json!(""));
            obj.insert("customerId".into(), json!(""));
            obj.insert("deviceId".into(), json!(format!("guest{}", hex(6))));
            obj.insert("sessionId".into(), json!(format!("000-{}", hex(7))));
            let c = new_csrf();
            obj.insert(
                "csrf".into(),
                json!({"token": c.token, "ts": c.ts, "rnd": c.rnd}),
            );
            obj.insert("tier".into(), json!("NONE"));
        }
    }
    json_response(200, cfg)
}

/// A JS string literal, safe inside a `<script>` element.
fn js_str(s: &str) -> String {
    Value::from(s).to_string().replace("</", "<\\/")
}

fn player_page(lib: &Library, s: &Session, proof_nonce: Option<&str>) -> String {
    // The browser-only check: a cookie only a client running scripts gets.
    let proof = proof_nonce
        .map(|n| {
            format!(
                "<script>(function(){{var n={};document.cookie='hornet-proof='+n.split('').reverse().join('')+'; path=/; max-age=600';}})();</script>\n",
                js_str(n)
            )
        })
        .unwrap_or_default();
    // A JS object literal, not JSON: unquoted keys, as the real page has.
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Amazon Music</title>
{proof}<script src="/assets/hornet.js"></script>
<script>window.amznMusic = {{appConfig: {{accessToken: {at}, csrf: {{token: {tok}, ts: {ts}, rnd: {rnd}}}, customerId: {cid}, deviceId: {dev}, deviceType: {dt}, marketplaceId: {mp}, musicTerritory: {terr}, siteRegion: {reg}, sessionId: {sid}, version: "1.0.23456.0", isInContainerApp: false}}, ssr: false}};</script>
</head><body><music-app><h1>Your library</h1></music-app></body></html>
"#,
        at = js_str(&s.access_token),
        tok = js_str(&s.csrf.token),
        ts = js_str(&s.csrf.ts),
        rnd = js_str(&s.csrf.rnd),
        cid = js_str(&lib.customer_id),
        dev = js_str(&s.device_id),
        dt = js_str(FakeAmazon::DEVICE_TYPE),
        mp = js_str(&lib.market.marketplace_id),
        terr = js_str(&lib.market.territory),
        reg = js_str(&lib.market.site_region),
        sid = js_str(&s.session_id),
    )
}

fn sign_in_page(error: Option<&str>) -> String {
    let alert = error
        .map(|e| format!(r#"<div id="auth-error-message-box" role="alert">{e}</div>"#))
        .unwrap_or_default();
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Amazon Sign-In</title></head><body>
<h1>Sign in</h1>{alert}
<form name="signIn" method="post" action="/ap/signin">
<label for="ap_email">Email or mobile phone number</label>
<input type="email" id="ap_email" name="email">
<label for="ap_password">Password</label>
<input type="password" id="ap_password" name="password">
<input type="submit" id="signInSubmit" value="Sign in">
</form></body></html>
"#
    )
}

fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hexval = |c: u8| (c as char).to_digit(16);
                match (hexval(bytes[i + 1]), hexval(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sign_in_post(st: &mut FakeState, body: &str) -> Response {
    let email = form_value(body, "email").unwrap_or_default();
    let password = form_value(body, "password").unwrap_or_default();
    if email != FakeAmazon::EMAIL || password != FakeAmazon::PASSWORD {
        return html_response(200, sign_in_page(Some("Your password is incorrect")));
    }
    if st.mode == Mode::SignInOtp {
        let ticket = hex(12);
        st.otp_tickets.push(ticket.clone());
        return html_response(200, otp_page(&ticket, None));
    }
    signed_in(st)
}

fn otp_page(ticket: &str, error: Option<&str>) -> String {
    let alert = error
        .map(|e| format!(r#"<div id="auth-error-message-box" role="alert">{e}</div>"#))
        .unwrap_or_default();
    format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Two-Step Verification</title></head><body>
<h1>Two-Step Verification</h1>{alert}
<p>A text message with a One Time Password (OTP) has been sent to your phone.</p>
<form name="signIn" method="post" action="/ap/mfa">
<input type="hidden" name="ticket" value="{ticket}">
<label for="auth-mfa-otpcode">Enter OTP</label>
<input type="text" id="auth-mfa-otpcode" name="otpCode" autocomplete="off">
<input type="submit" id="auth-signin-button" value="Sign in">
</form></body></html>
"#
    )
}

fn otp_post(st: &mut FakeState, body: &str) -> Response {
    let ticket = form_value(body, "ticket").unwrap_or_default();
    let code = form_value(body, "otpCode").unwrap_or_default();
    if !st.otp_tickets.contains(&ticket) {
        return html_response(200, sign_in_page(Some("Your session has expired")));
    }
    if code != FakeAmazon::OTP {
        return html_response(
            200,
            otp_page(&ticket, Some("The code you entered is not valid")),
        );
    }
    st.otp_tickets.retain(|t| *t != ticket);
    signed_in(st)
}

/// A new session: cookies set, back to the player.
fn signed_in(st: &mut FakeState) -> Response {
    if matches!(st.mode, Mode::Expired { .. }) {
        // Signing in again ends the expiry.
        st.mode = Mode::Normal;
    }
    let key = st.new_session();
    let mut resp = redirect("/");
    for (name, value) in &st.sessions[&key].cookies {
        let http_only = if name.starts_with("at-") || name.starts_with("sess-at") {
            "; HttpOnly"
        } else {
            ""
        };
        let line = format!("{name}={value}; Path=/{http_only}");
        resp.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&line).expect("cookie values are header-safe"),
        );
    }
    resp
}

const PLAYLIST_TARGET: &str = "com.amazon.musicplaylist.model.MusicPlaylistService.";
const CIRRUS_TARGET: &str = "com.amazon.cirrus.libraryservice.v3.CirrusLibraryServiceExternalV3.";
const SORT_KEYS: &[&str] = &[
    "albumArtistName",
    "genre",
    "creationDate",
    "purchaseDate",
    "artistName",
    "lastUpdatedDate",
    "title",
    "albumName",
];

async fn legacy(
    shared: &Shared,
    region: Option<String>,
    service: &'static str,
    headers: &HeaderMap,
    body: &str,
) -> Response {
    let mode = shared.state.lock().expect("fake state lock").mode.clone();
    if let Mode::Slow(delay) = mode {
        tokio::time::sleep(delay).await;
    }
    let mut st = shared.state.lock().expect("fake state lock");
    if let Some(resp) = st.injected_failure() {
        return resp;
    }
    if st.mode == Mode::LegacyGone {
        return html_response(404, "<html><body>Not found</body></html>".into());
    }
    // 1. Session cookie.
    let expired_status = match st.mode {
        Mode::Expired { status } => status,
        _ => 401,
    };
    let Some(session) = st.session_of(headers) else {
        return coral_error(
            expired_status,
            "UnrecognizedClientException",
            "Not authenticated",
        );
    };
    // 2. The csrf triple.
    let csrf_status = if st.mode == Mode::CsrfForbidden {
        403
    } else {
        401
    };
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    if h("csrf-token") != Some(session.csrf.token.as_str())
        || h("csrf-rnd") != Some(session.csrf.rnd.as_str())
        || h("csrf-ts") != Some(session.csrf.ts.as_str())
    {
        return coral_error(
            csrf_status,
            "InvalidCsrfTokenException",
            "CSRF check failed",
        );
    }
    // 3. Coral encoding and JSON.
    let json_type = h("content-type").is_some_and(|v| v.starts_with("application/json"));
    if h("content-encoding") != Some("amz-1.0") || !json_type {
        return coral_error(
            400,
            "SerializationException",
            "Unsupported content encoding",
        );
    }
    // 4. The operation.
    let target = h("x-amz-target").unwrap_or_default();
    let prefix = if service == "playlists" {
        PLAYLIST_TARGET
    } else {
        CIRRUS_TARGET
    };
    let Some(op) = target.strip_prefix(prefix) else {
        return coral_error(400, "UnknownOperationException", "Unknown operation");
    };
    let Ok(req) = serde_json::from_str::<Value>(body) else {
        return coral_error(400, "SerializationException", "Malformed request body");
    };
    // 5. The body's customer must be the session's.
    let customer = req.get("customerId").and_then(Value::as_str);
    if customer != Some(st.library.customer_id.as_str()) {
        return coral_error(401, "AccessDeniedException", "Customer mismatch");
    }
    // 6. The region prefix must be the account's.
    if let Some(region) = region
        && region != st.library.market.site_region
    {
        return html_response(404, "<html><body>Not found</body></html>".into());
    }
    let lib = &st.library;
    let mode = &st.mode;
    match (service, op) {
        ("playlists", "getOwnedPlaylistsInLibrary") => owned_playlists(lib, mode, &req),
        ("playlists", "getPlaylistsByIdV2") => playlists_by_id(lib, mode, &req),
        ("cirrus", "getTracks") => {
            let salt = st.token_salt.clone();
            get_tracks(&st.library, &st.mode, &req, &salt)
        }
        ("cirrus", "reportClientActions") => json_response(200, json!({})),
        _ => coral_error(400, "UnknownOperationException", "Unknown operation"),
    }
}

fn body_errors() -> Response {
    json_response(
        200,
        json!({"errors": [{"code": "InternalFailure", "message": "Request could not be processed"}],
               "playlists": []}),
    )
}

/// A number that arrives as a JSON number or as a string.
fn num_arg(req: &Value, key: &str) -> Option<u64> {
    match req.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn owned_playlists(lib: &Library, mode: &Mode, req: &Value) -> Response {
    if *mode == Mode::BodyErrors {
        return body_errors();
    }
    let size = num_arg(req, "pageSize").unwrap_or(20).clamp(1, 100) as usize;
    // Jaffa's PR misspelled the key and it worked: be as lenient.
    let offset = num_arg(req, "entryOffset")
        .or_else(|| num_arg(req, "entryOfffset"))
        .unwrap_or(0) as usize;
    let items: Vec<Value> = lib
        .playlists
        .iter()
        .skip(offset)
        .take(size)
        .enumerate()
        .map(|(i, p)| {
            let id_key = if *mode == Mode::SchemaDrift {
                "id"
            } else {
                "playlistId"
            };
            // Counts arrive as numbers or strings in the wild.
            let count = if i % 2 == 0 {
                json!(p.tracks.len())
            } else {
                json!(p.tracks.len().to_string())
            };
            let mut item = json!({
                "title": p.title,
                "totalTrackCount": count,
                "durationSeconds": p.tracks.iter().map(|t| t.duration_s as u64).sum::<u64>(),
                "createdDate": 1_587_785_084_046u64 + i as u64,
                "fourSquareImage": {"url": "https://m.media-amazon.com/images/I/fake.jpg"},
                "visibility": "PRIVATE",
            });
            item[id_key] = json!(p.id);
            item
        })
        .collect();
    json_response(200, json!({ "playlists": items }))
}

fn requested_metadata(t: &LibraryTrack, keys: &[&str], index: usize) -> Value {
    let mut m = serde_json::Map::new();
    for &k in keys {
        let v = match k {
            "asin" => match &t.asin {
                Some(a) => json!(a),
                None => continue,
            },
            "objectId" => json!(t.object_id),
            "title" => json!(t.title),
            "artistName" => json!(t.artist),
            "albumName" => json!(t.album),
            "albumArtistName" => json!(t.album_artist),
            // Durations come as numbers, sometimes as strings.
            "duration" if index % 3 == 1 => json!(t.duration_s.to_string()),
            "duration" => json!(t.duration_s),
            "trackNum" => json!(t.track_num.to_string()),
            "discNum" => json!(t.disc_num.to_string()),
            "primeStatus" => json!("NOT_PRIME"),
            "isMusicSubscription" => json!("true"),
            "purchased" => json!(if t.purchased { "true" } else { "false" }),
            "uploaded" => json!(t.asin.is_none()),
            "status" => json!(t.status),
            "assetType" => json!("AUDIO"),
            _ => continue,
        };
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

fn playlists_by_id(lib: &Library, mode: &Mode, req: &Value) -> Response {
    if *mode == Mode::BodyErrors {
        return body_errors();
    }
    let ids: Vec<&str> = req
        .get("playlistIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let keys: Vec<&str> = req
        .get("requestedMetadata")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return coral_error(400, "ValidationException", "playlistIds is required");
    }
    let mut errors = Vec::new();
    let mut playlists = Vec::new();
    for id in ids {
        let Some(p) = lib.playlists.iter().find(|p| p.id == id) else {
            errors.push(json!({"code": "PlaylistNotFound", "playlistId": id,
                               "message": format!("Playlist {id} not found")}));
            continue;
        };
        let tracks: Vec<Value> = p
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let meta = requested_metadata(t, &keys, i);
                if *mode == Mode::SchemaDrift {
                    json!({ "metadata": meta })
                } else {
                    json!({ "metadata": { "requestedMetadata": meta } })
                }
            })
            .collect();
        let mut metadata = json!({"title": p.title, "totalTrackCount": p.tracks.len()});
        metadata[if *mode == Mode::SchemaDrift {
            "id"
        } else {
            "playlistId"
        }] = json!(p.id);
        playlists.push(json!({ "metadata": metadata, "tracks": tracks }));
    }
    json_response(200, json!({ "errors": errors, "playlists": playlists }))
}

fn encode_token(offset: usize, empty_served: bool, salt: &str) -> String {
    let raw = json!({"o": offset, "e": empty_served, "s": salt}).to_string();
    base64::engine::general_purpose::STANDARD.encode(raw)
}

fn decode_token(token: &str, salt: &str) -> Option<(usize, bool)> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let v: Value = serde_json::from_slice(&raw).ok()?;
    if v.get("s")?.as_str()? != salt {
        return None;
    }
    Some((v.get("o")?.as_u64()? as usize, v.get("e")?.as_bool()?))
}

fn get_tracks(lib: &Library, mode: &Mode, req: &Value, salt: &str) -> Response {
    if *mode == Mode::BodyErrors {
        return body_errors();
    }
    let sort = req
        .pointer("/sortOrder/sort")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !SORT_KEYS.contains(&sort) {
        return coral_error(400, "ValidationException", "Invalid sort key");
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    for f in req
        .get("filterList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = f.get("attributeName").and_then(Value::as_str).unwrap_or("");
        let cmp = f
            .get("comparisonType")
            .and_then(Value::as_str)
            .unwrap_or("");
        let value = match f.get("attributeValue") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        if cmp != "EQUALS" || !matches!(name, "status" | "purchased") {
            return coral_error(400, "ValidationException", "Unsupported filter");
        }
        wanted.push((name.to_owned(), value));
    }
    let keys: Vec<&str> = req
        .get("attributeList")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let max = num_arg(req, "maxResults").unwrap_or(50).clamp(1, 250) as usize;
    let incoming = req.get("nextToken").and_then(Value::as_str);
    let (offset, empty_served) = match incoming {
        None | Some("") => (0, false),
        Some(t) => match decode_token(t, salt) {
            Some(pos) => pos,
            None => return coral_error(400, "ValidationException", "Invalid nextToken"),
        },
    };
    let matching: Vec<&LibraryTrack> = lib
        .my_music
        .iter()
        .filter(|t| {
            wanted.iter().all(|(name, value)| match name.as_str() {
                "status" => &t.status == value,
                _ => t.purchased.to_string() == *value,
            })
        })
        .collect();
    let total = matching.len();
    let results_key = if *mode == Mode::SchemaDrift {
        "items"
    } else {
        "resultList"
    };
    if *mode == Mode::EmptyMiddlePage && offset > 0 && !empty_served {
        return json_response(
            200,
            json!({ results_key: [], "totalCount": total,
                    "nextToken": encode_token(offset, true, salt) }),
        );
    }
    let page: Vec<Value> = matching
        .iter()
        .enumerate()
        .skip(offset)
        .take(max)
        .map(|(i, t)| json!({ "metadata": requested_metadata(t, &keys, i) }))
        .collect();
    let end = offset + page.len();
    let mut body = json!({ results_key: page, "totalCount": total });
    if end < total {
        body["nextToken"] = json!(match (mode, incoming) {
            (Mode::RepeatedToken, Some(t)) if !t.is_empty() => t.to_owned(),
            _ => encode_token(end, empty_served, salt),
        });
    }
    json_response(200, body)
}

/// How Amazon's hosts answer each shared fault.
fn render_fault(fault: &musync_testkit::Fault) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    use musync_testkit::Fault;
    let json =
        |status: StatusCode, body: serde_json::Value| (status, axum::Json(body)).into_response();
    match fault {
        Fault::Expired => json(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({"message": "Unauthorized"}),
        ),
        Fault::RateLimited(retry_after) => {
            let mut resp = json(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({"message": "Rate exceeded"}),
            );
            if let Some(s) = retry_after {
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&s.to_string()).expect("digits are a valid header"),
                );
            }
            resp
        }
        Fault::Unavailable => json(
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({"message": "Service Unavailable"}),
        ),
        Fault::WrongShape => json(
            StatusCode::OK,
            serde_json::json!({"unexpected": {"shape": 1}}),
        ),
    }
}
