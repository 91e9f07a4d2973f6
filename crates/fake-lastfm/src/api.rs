//! The `/2.0/` endpoint: Last.fm's one URL for every method, selected by the
//! `method` parameter, answering JSON shaped like the real service: numbers
//! in `@attr` and search totals are strings, errors are
//! `{"error": N, "message": "…"}`, a now-playing scrobble carries
//! `@attr.nowplaying = "true"`.
//!
//! Errors that come from the fake's state (an unknown key, a revoked
//! session, a bad signature) carry the 4xx/5xx status Last.fm pairs with
//! them today; the shared fault switches are rendered by [`render_fault`],
//! some of them with HTTP 200 and the error only in the body, as Last.fm
//! has long answered.

use crate::sig::signature_ok;
use crate::state::{Call, Scrobble, Session, State, Token};
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use musync_testkit::{Fault, Faults};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub(crate) type Shared = Arc<Mutex<State>>;

/// What the API handler sees: the fake's memory and its fault switches
/// (for the page size they may force).
pub(crate) type ApiState = (Shared, Faults);

/// A Last.fm error to answer with: code, optional HTTP status overriding the
/// usual one, optional message replacing the documented one.
struct Failure {
    code: u32,
    status: Option<u16>,
    message: Option<String>,
}

fn fail(code: u32) -> Failure {
    Failure {
        code,
        status: None,
        message: None,
    }
}

fn fail_with(code: u32, message: &str) -> Failure {
    Failure {
        code,
        status: None,
        message: Some(message.to_owned()),
    }
}

/// The documented message of each error code.
pub(crate) fn error_message(code: u32) -> &'static str {
    match code {
        2 => "Invalid service - This service does not exist",
        3 => "Invalid Method - No method with that name in this package",
        4 => "Authentication Failed - You do not have permissions to access the service",
        5 => "Invalid format - This service doesn't exist in that format",
        6 => "Invalid parameters - Your request is missing a required parameter",
        7 => "Invalid resource specified",
        8 => "Operation failed - Something else went wrong",
        9 => "Invalid session key - Please re-authenticate",
        10 => "Invalid API key - You must be granted a valid key by last.fm",
        11 => "Service Offline - This service is temporarily offline. Try again later.",
        13 => "Invalid method signature supplied",
        14 => "This token has not been authorized",
        15 => "This token has expired",
        16 => "There was a temporary error processing your request. Please try again",
        17 => "Login required - Requested profile might not have privacy set to public.",
        26 => {
            "Suspended API key - Access for your account has been suspended, please contact Last.fm"
        }
        29 => "Rate limit exceeded - Your IP has made too many requests in a short period",
        _ => "Operation failed",
    }
}

/// The HTTP status the fake pairs with an error its state produced (the
/// real service answers these with 4xx/5xx; [`render_fault`] covers the
/// all-200 answers).
fn default_status(code: u32) -> u16 {
    match code {
        4 | 9 | 10 | 13 | 14 | 15 | 17 | 26 => 403,
        8 => 500,
        11 | 16 => 503,
        29 => 429,
        _ => 400,
    }
}

fn error_response(status: u16, code: u32) -> Response {
    let body = json!({"error": code, "message": error_message(code)});
    (
        StatusCode::from_u16(status).expect("statuses used are valid"),
        axum::Json(body),
    )
        .into_response()
}

/// The shared faults in Last.fm's words: an expired session is error 9 and
/// a rate limit error 29 with HTTP 200 (the body alone tells), a rate limit
/// with `Retry-After` comes as a 429, an outage is a 503 with error 16, and
/// a wrong shape is a 200 in the XML-converted envelope the client does not
/// read.
pub(crate) fn render_fault(fault: &Fault) -> Response {
    match fault {
        Fault::Expired => error_response(200, 9),
        Fault::RateLimited(None) => error_response(200, 29),
        Fault::RateLimited(Some(after)) => {
            let mut resp = error_response(429, 29);
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                after
                    .to_string()
                    .parse()
                    .expect("digits are a valid header"),
            );
            resp
        }
        Fault::Unavailable => error_response(503, 16),
        Fault::WrongShape => (
            StatusCode::OK,
            axum::Json(json!({"lfm": {"status": "ok", "#text": ""}})),
        )
            .into_response(),
    }
}

pub(crate) async fn handle(
    AxState((shared, faults)): AxState<ApiState>,
    http_method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let slow = match &shared.lock().expect("fake state lock").mode {
        crate::Mode::Slow(d) => Some(*d),
        _ => None,
    };
    if let Some(d) = slow {
        tokio::time::sleep(d).await;
    }
    let mut params = BTreeMap::new();
    if let Some(q) = uri.query() {
        params.extend(url::form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    if http_method == Method::POST {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    let mut st = shared.lock().expect("fake state lock");
    let outcome = dispatch(&mut st, &faults, &http_method, &params);
    let method = params.get("method").cloned().unwrap_or_default();
    tracing::debug!(target: "fake_lastfm", %http_method, method, ok = outcome.is_ok(), "fake Last.fm call");
    st.calls.push(Call {
        http_method: http_method.to_string(),
        method,
        params,
        error: outcome.as_ref().err().map(|f| f.code),
    });
    match outcome {
        Ok(v) => (StatusCode::OK, axum::Json(v)).into_response(),
        Err(f) => {
            let status = f.status.unwrap_or_else(|| default_status(f.code));
            let message = f
                .message
                .unwrap_or_else(|| error_message(f.code).to_owned());
            let body = json!({"error": f.code, "message": message});
            (
                StatusCode::from_u16(status).expect("statuses used are valid"),
                axum::Json(body),
            )
                .into_response()
        }
    }
}

fn dispatch(
    st: &mut State,
    faults: &Faults,
    http_method: &Method,
    p: &BTreeMap<String, String>,
) -> Result<Value, Failure> {
    if p.get("format").map(String::as_str) != Some("json") {
        return Err(fail_with(
            5,
            "Invalid format - this fake only answers format=json",
        ));
    }
    let api_key = p.get("api_key").cloned().unwrap_or_default();
    let Some(secret) = st.apps.get(&api_key).cloned() else {
        return Err(fail(10));
    };
    if st.suspended.contains(&api_key) {
        return Err(fail(26));
    }
    let method = p
        .get("method")
        .map(|m| m.to_lowercase())
        .unwrap_or_default();
    let signed_method = matches!(
        method.as_str(),
        "auth.gettoken" | "auth.getsession" | "track.love" | "track.unlove"
    );
    let known = signed_method
        || matches!(
            method.as_str(),
            "user.getlovedtracks" | "user.getrecenttracks" | "track.search"
        );
    if !known {
        return Err(fail(3));
    }
    if (signed_method || p.contains_key("api_sig")) && !signature_ok(p, &secret) {
        return Err(fail(13));
    }
    match method.as_str() {
        "auth.gettoken" => Ok(get_token(st, &api_key)),
        "auth.getsession" => get_session(st, &api_key, p),
        "user.getlovedtracks" => loved_tracks(st, faults, p),
        "user.getrecenttracks" => recent_tracks(st, faults, p),
        "track.search" => search(st, faults, p),
        _ => {
            if http_method != Method::POST {
                return Err(fail_with(
                    6,
                    "This is a write service and must be accessed with an HTTP POST request",
                ));
            }
            love(st, &api_key, p, method == "track.love")
        }
    }
}

fn random_hex() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn get_token(st: &mut State, api_key: &str) -> Value {
    let token = random_hex();
    let approved_by = if st.auto_approve {
        st.browser_user.clone()
    } else {
        None
    };
    st.tokens.insert(
        token.clone(),
        Token {
            api_key: api_key.to_owned(),
            approved_by,
            expired: false,
        },
    );
    json!({ "token": token })
}

fn get_session(
    st: &mut State,
    api_key: &str,
    p: &BTreeMap<String, String>,
) -> Result<Value, Failure> {
    let token = p.get("token").ok_or_else(|| fail(6))?;
    let Some(t) = st.tokens.get(token).filter(|t| t.api_key == api_key) else {
        return Err(fail_with(4, "Invalid authentication token supplied"));
    };
    if t.expired {
        return Err(fail(15));
    }
    let Some(user) = t.approved_by.clone() else {
        return Err(fail(14));
    };
    // A token makes one session, then it is used up.
    st.tokens.remove(token);
    let key = random_hex();
    st.sessions.insert(
        key.clone(),
        Session {
            user: user.clone(),
            api_key: api_key.to_owned(),
        },
    );
    let name = st.user(&user).map(|u| u.name.clone()).unwrap_or(user);
    Ok(json!({"session": {"subscriber": 0, "name": name, "key": key}}))
}

/// Parses `limit` and `page` with the method's default and maximum limit;
/// a page size forced through the fault switches wins over both.
fn paging(
    p: &BTreeMap<String, String>,
    faults: &Faults,
    default_limit: usize,
    max: usize,
) -> Result<(usize, usize), Failure> {
    let number = |name: &str, default: usize| -> Result<usize, Failure> {
        match p.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse::<usize>().map_err(|_| {
                fail_with(6, &format!("Invalid parameters - {name} must be a number"))
            }),
        }
    };
    let limit = faults.page_size(number("limit", default_limit)?.max(1), max);
    let page = number("page", 1)?.max(1);
    Ok((limit, page))
}

/// The slice of `items` on `page`, and the page count.
fn page_of<T: Clone>(items: &[T], page: usize, limit: usize) -> (Vec<T>, usize) {
    let total_pages = items.len().div_ceil(limit);
    let start = (page - 1).saturating_mul(limit).min(items.len());
    let end = (start + limit).min(items.len());
    (items[start..end].to_vec(), total_pages)
}

/// A track list as Last.fm writes it: an array, or with the single-object
/// quirk switched on, a bare object when there is exactly one.
fn track_list(st: &State, tracks: Vec<Value>) -> Value {
    if st.single_as_object && tracks.len() == 1 {
        tracks.into_iter().next().expect("one element")
    } else {
        Value::Array(tracks)
    }
}

fn lastfm_url(artist: &str, title: Option<&str>) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    match title {
        Some(t) => format!("https://www.last.fm/music/{}/_/{}", enc(artist), enc(t)),
        None => format!("https://www.last.fm/music/{}", enc(artist)),
    }
}

fn images() -> Value {
    json!([
        {"size": "small", "#text": ""},
        {"size": "medium", "#text": ""},
        {"size": "large", "#text": ""},
        {"size": "extralarge", "#text": ""}
    ])
}

fn date(uts: u64) -> Value {
    let fmt = time::macros::format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute]"
    );
    let text = time::OffsetDateTime::from_unix_timestamp(uts as i64)
        .ok()
        .and_then(|d| d.format(&fmt).ok())
        .unwrap_or_default();
    json!({"uts": uts.to_string(), "#text": text})
}

fn page_attr(user: &str, page: usize, limit: usize, total_pages: usize, total: usize) -> Value {
    json!({
        "user": user,
        "totalPages": total_pages.to_string(),
        "page": page.to_string(),
        "perPage": limit.to_string(),
        "total": total.to_string(),
    })
}

fn loved_tracks(
    st: &mut State,
    faults: &Faults,
    p: &BTreeMap<String, String>,
) -> Result<Value, Failure> {
    let (limit, page) = paging(p, faults, 50, 1000)?;
    let name = p.get("user").ok_or_else(|| fail(6))?;
    let user = st
        .user(name)
        .ok_or_else(|| fail_with(6, "User not found"))?;
    let newest_first: Vec<_> = user.loved.iter().rev().cloned().collect();
    let (items, total_pages) = page_of(&newest_first, page, limit);
    let tracks: Vec<Value> = items
        .iter()
        .map(|l| {
            json!({
                "artist": {"url": lastfm_url(&l.artist, None), "name": l.artist, "mbid": ""},
                "date": date(l.uts),
                "mbid": "",
                "url": lastfm_url(&l.artist, Some(&l.title)),
                "name": l.title,
                "image": images(),
                "streamable": {"fulltrack": "0", "#text": "0"},
            })
        })
        .collect();
    let attr = page_attr(&user.name, page, limit, total_pages, newest_first.len());
    Ok(json!({"lovedtracks": {"track": track_list(st, tracks), "@attr": attr}}))
}

fn recent_json(s: &Scrobble, now_playing: bool) -> Value {
    let mut v = json!({
        "artist": {"mbid": "", "#text": s.artist},
        "streamable": "0",
        "image": images(),
        "mbid": "",
        "album": {"mbid": "", "#text": s.album},
        "name": s.title,
        "url": lastfm_url(&s.artist, Some(&s.title)),
    });
    if now_playing {
        v["@attr"] = json!({"nowplaying": "true"});
    } else {
        v["date"] = date(s.uts);
    }
    v
}

fn recent_tracks(
    st: &mut State,
    faults: &Faults,
    p: &BTreeMap<String, String>,
) -> Result<Value, Failure> {
    let (limit, page) = paging(p, faults, 50, 200)?;
    let name = p.get("user").ok_or_else(|| fail(6))?;
    let user = st
        .user(name)
        .ok_or_else(|| fail_with(6, "User not found"))?;
    let newest_first: Vec<_> = user.scrobbles.iter().rev().cloned().collect();
    let (items, total_pages) = page_of(&newest_first, page, limit);
    // As on Last.fm, the track playing right now comes on top of every
    // page, on top of `limit`, and is not counted in `total`.
    let mut tracks: Vec<Value> = user
        .now_playing
        .iter()
        .map(|s| recent_json(s, true))
        .collect();
    tracks.extend(items.iter().map(|s| recent_json(s, false)));
    let attr = page_attr(&user.name, page, limit, total_pages, newest_first.len());
    Ok(json!({"recenttracks": {"track": track_list(st, tracks), "@attr": attr}}))
}

fn search(st: &mut State, faults: &Faults, p: &BTreeMap<String, String>) -> Result<Value, Failure> {
    let (limit, page) = paging(p, faults, 30, 1000)?;
    let title = p
        .get("track")
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| fail(6))?;
    let artist = p.get("artist").map(String::as_str);
    let hits = st.catalogue.search(title, artist);
    let (items, _) = page_of(&hits, page, limit);
    let tracks: Vec<Value> = items
        .iter()
        .map(|t| {
            json!({
                "name": t.title,
                "artist": t.artist,
                "url": lastfm_url(&t.artist, Some(&t.title)),
                "streamable": "FIXME",
                "listeners": t.listeners.to_string(),
                "image": images(),
                "mbid": "",
            })
        })
        .collect();
    Ok(json!({"results": {
        "opensearch:Query": {"#text": "", "role": "request", "startPage": page.to_string()},
        "opensearch:totalResults": hits.len().to_string(),
        "opensearch:startIndex": ((page - 1) * limit).to_string(),
        "opensearch:itemsPerPage": limit.to_string(),
        "trackmatches": {"track": tracks},
        "@attr": {"for": title},
    }}))
}

fn love(
    st: &mut State,
    api_key: &str,
    p: &BTreeMap<String, String>,
    love: bool,
) -> Result<Value, Failure> {
    let sk = p.get("sk").ok_or_else(|| fail(9))?;
    let Some(session) = st.sessions.get(sk).filter(|s| s.api_key == api_key) else {
        return Err(fail(9));
    };
    let user = session.user.clone();
    let artist = p.get("artist").map(|s| s.trim()).unwrap_or_default();
    let title = p.get("track").map(|s| s.trim()).unwrap_or_default();
    if artist.is_empty() || title.is_empty() {
        return Err(fail_with(6, "Invalid track name supplied"));
    }
    if love {
        st.love(&user, artist, title);
    } else if let Some(u) = st.user_mut(&user) {
        u.loved.retain(|l| {
            l.artist.to_lowercase() != artist.to_lowercase()
                || l.title.to_lowercase() != title.to_lowercase()
        });
    }
    Ok(json!({}))
}
