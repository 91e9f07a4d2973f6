//! The fake's Firefly GraphQL host (research §7, §10.3): `POST /` on its own
//! loopback port, as `gql.music.amazon.dev` is its own origin.
//!
//! Checks, in order: the `x-api-key` the web client's bundle carries (403
//! without it), the `authorization: AmznMusic <base64 JSON>` of a live
//! session whose access token has not expired (401 with
//! `errors[UNAUTHENTICATED]`, or 200 with the same errors when told to), and
//! in [`Mode::BrowserOnly`] the page-set proof cookie. No GraphQL parser:
//! operations are matched on `operationName` and the fields the query names.
//! A document that is not a `query` (a mutation) is refused with 400 and
//! stays in the request log for tests to find. Pages are never larger than
//! [`FakeAmazon::set_graphql_page_size`] allows, whatever the client asks.

use crate::library::{Library, LibraryTrack};
use crate::server::{FakeState, Mode, Shared, cors, json_response, record};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use base64::Engine;
use serde_json::{Value, json};
use std::sync::Arc;

fn gql_error(status: u16, message: &str, code: &str) -> Response {
    json_response(
        status,
        json!({"errors": [{"message": message, "extensions": {"code": code}}]}),
    )
}

/// The handler of every request to the GraphQL port.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body_text = String::from_utf8_lossy(&body).into_owned();
    record(&shared, "graphql", &method, &uri, &headers, &body_text);
    let origin = headers
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let resp = answer(&shared, &method, &uri, &headers, &body_text).await;
    cors(resp, origin.as_deref())
}

async fn answer(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &str,
) -> Response {
    if method == Method::OPTIONS {
        return json_response(204, Value::Null);
    }
    if method != Method::POST || uri.path() != "/" {
        return gql_error(404, "Not found", "NOT_FOUND");
    }
    let mode = shared.state.lock().expect("fake state lock").mode.clone();
    if let Mode::Slow(delay) = mode {
        tokio::time::sleep(delay).await;
    }
    let latency = shared.state.lock().expect("fake state lock").latency;
    if let Some(delay) = latency {
        tokio::time::sleep(delay).await;
    }
    let mut st = shared.state.lock().expect("fake state lock");
    if let Some(resp) = st.injected_failure() {
        return resp;
    }
    if st.mode == Mode::GraphqlGone {
        return gql_error(404, "Not found", "NOT_FOUND");
    }
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    if h("x-api-key") != Some(st.api_key.as_str()) {
        return gql_error(403, "Forbidden: missing or unknown API key", "FORBIDDEN");
    }
    let unauthenticated =
        |st: &FakeState| gql_error(st.graphql_expired_status, "Unauthorized", "UNAUTHENTICATED");
    let Some(auth) = h("authorization").and_then(|a| a.strip_prefix("AmznMusic ")) else {
        return unauthenticated(&st);
    };
    let Some(claims) = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .ok()
        .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok())
    else {
        return unauthenticated(&st);
    };
    let token = claims.get("access_token").and_then(Value::as_str);
    let device = claims.get("deviceId").and_then(Value::as_str);
    let session_ok = st.sessions.values().any(|s| {
        Some(s.access_token.as_str()) == token
            && Some(s.device_id.as_str()) == device
            && st.token_alive(s)
    });
    let device_type_ok =
        claims.get("deviceType").and_then(Value::as_str) == Some(crate::FakeAmazon::DEVICE_TYPE);
    if !session_ok || !device_type_ok {
        return unauthenticated(&st);
    }
    if st.mode == Mode::BrowserOnly && !st.proof_ok(headers) {
        return unauthenticated(&st);
    }
    let Ok(req) = serde_json::from_str::<Value>(body) else {
        return gql_error(400, "Malformed request body", "BAD_REQUEST");
    };
    let query = req.get("query").and_then(Value::as_str).unwrap_or("");
    if !query.trim_start().starts_with("query") {
        return gql_error(400, "Only queries are accepted here", "BAD_REQUEST");
    }
    let vars = req.get("variables").cloned().unwrap_or(Value::Null);
    let op = req
        .get("operationName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let page_size = shared.faults.page_size(st.graphql_page_size, usize::MAX);
    let salt = st.token_salt.clone();
    let lib = &st.library;
    let mode = &st.mode;
    let paging = Paging {
        page_size,
        salt: &salt,
        repeat: *mode == Mode::RepeatedToken,
    };
    match op {
        "OwnedPlaylists" if query.contains("playlists(") => owned_playlists(lib, &vars, &paging),
        "PlaylistTracks" if query.contains("playlist(") && query.contains("tracks(") => {
            playlist_tracks(lib, &vars, &paging, *mode == Mode::SchemaDrift)
        }
        "LibraryTracks" if query.contains("tracks(") => {
            let tracks: Vec<&LibraryTrack> = lib.available_tracks();
            let (edges, info) = match page(&tracks, &vars, &paging) {
                Ok(p) => p,
                Err(resp) => return resp,
            };
            let edges: Vec<Value> = edges
                .iter()
                .map(|(i, t)| {
                    json!({"cursor": format!("{i}:{}", t.object_id), "likeState": "NONE",
                           "node": track_node(t, *mode == Mode::SchemaDrift)})
                })
                .collect();
            json_response(
                200,
                json!({"data": {"user": {"tracks": {"edges": edges, "pageInfo": info}}}}),
            )
        }
        _ => gql_error(
            400,
            &format!("Cannot query field for operation {op:?}"),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    }
}

struct Paging<'a> {
    page_size: usize,
    salt: &'a str,
    repeat: bool,
}

/// One page of `items` after the request's cursor: at most the smaller of
/// the asked `limit` and the server's own page size.
#[allow(clippy::type_complexity)]
fn page<'a, T>(
    items: &'a [T],
    vars: &Value,
    paging: &Paging,
) -> Result<(Vec<(usize, &'a T)>, Value), Response> {
    let limit = vars.get("limit").and_then(Value::as_u64).unwrap_or(50) as usize;
    let size = limit.clamp(1, 1000).min(paging.page_size);
    let cursor = vars.get("cursor").and_then(Value::as_str);
    let offset = match cursor {
        None | Some("") => 0,
        Some(c) => match decode_cursor(c, paging.salt) {
            Some(o) => o,
            None => return Err(gql_error(400, "Invalid pagination token", "BAD_REQUEST")),
        },
    };
    let chosen: Vec<(usize, &T)> = items.iter().enumerate().skip(offset).take(size).collect();
    let end = offset + chosen.len();
    let has_next = end < items.len();
    let token = if !has_next {
        Value::Null
    } else if paging.repeat && cursor.is_some_and(|c| !c.is_empty()) {
        json!(cursor)
    } else {
        json!(encode_cursor(end, paging.salt))
    };
    Ok((chosen, json!({"hasNextPage": has_next, "token": token})))
}

fn encode_cursor(offset: usize, salt: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"gql": offset, "s": salt}).to_string())
}

fn decode_cursor(token: &str, salt: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let v: Value = serde_json::from_slice(&raw).ok()?;
    (v.get("s")?.as_str()? == salt).then_some(())?;
    Some(v.get("gql")?.as_u64()? as usize)
}

fn owned_playlists(lib: &Library, vars: &Value, paging: &Paging) -> Response {
    let (chosen, info) = match page(&lib.playlists, vars, paging) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let edges: Vec<Value> = chosen
        .iter()
        .map(|(_, p)| {
            json!({"node": {"id": p.id, "title": p.title, "description": "",
                            "visibility": "PRIVATE", "trackCount": p.tracks.len(),
                            "lastModifiedDate": 1_760_000_000_000u64, "images": []}})
        })
        .collect();
    json_response(
        200,
        json!({"data": {"user": {"playlists": {"edges": edges, "pageInfo": info}}}}),
    )
}

fn playlist_tracks(lib: &Library, vars: &Value, paging: &Paging, drift: bool) -> Response {
    let id = vars.get("id").and_then(Value::as_str).unwrap_or("");
    let Some(p) = lib.playlists.iter().find(|p| p.id == id) else {
        return json_response(
            200,
            json!({"data": {"playlist": null},
                   "errors": [{"message": format!("Playlist {id} not found"),
                               "extensions": {"code": "NOT_FOUND"}}]}),
        );
    };
    let (chosen, info) = match page(&p.tracks, vars, paging) {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    let edges: Vec<Value> = chosen
        .iter()
        .map(|(i, t)| {
            json!({"cursor": format!("{i}:{}-{i}", p.id), "itemId": format!("{}-{i}", p.id),
                   "node": track_node(t, drift)})
        })
        .collect();
    json_response(
        200,
        json!({"data": {"playlist": {"id": p.id, "title": p.title,
                                     "tracks": {"edges": edges, "pageInfo": info}}}}),
    )
}

/// A track node: the ASIN as id (the library object id for uploads), float
/// seconds, primary and featured artists split from the display string.
fn track_node(t: &LibraryTrack, drift: bool) -> Value {
    let artists: Vec<Value> = split_artists(&t.artist)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"role": if i == 0 { "PRIMARY" } else { "FEATURED" },
                   "node": {"id": format!("art-{}", name.len()), "name": name}})
        })
        .collect();
    let id_key = if drift { "trackId" } else { "id" };
    let mut node = json!({
        "title": t.title,
        "isrc": t.isrc(),
        "duration": t.duration_s as f64 + 0.25,
        "album": {"id": format!("alb-{}", t.album.len()), "title": t.album},
        "contributingArtists": {"edges": artists},
    });
    node[id_key] = json!(t.asin.clone().unwrap_or_else(|| t.object_id.clone()));
    node
}

/// The individual artists of a display string, as the real service lists
/// them; "Unknown Artist" stays the placeholder it is.
fn split_artists(display: &str) -> Vec<String> {
    display
        .split(" & ")
        .flat_map(|p| p.split(", "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
