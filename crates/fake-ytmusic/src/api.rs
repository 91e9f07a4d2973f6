//! The InnerTube routes the fake serves (`/youtubei/v1/…`): browse
//! (library grid with old-style continuations, playlist pages with
//! new-style ones), search, `browse/edit_playlist` with the dedupe rule,
//! `like/like`, `playlist/create` with its throttle, `account/account_menu`.

use crate::Shared;
use crate::render;
use crate::state::{FakeState, Item, Video, VideoKind};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use musync_testkit::Fault;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The songs filter of `search` (`params`).
pub const SONGS_FILTER: &str = "EgWKAQIIAWoMEA4QChADEAQQCRAF";

/// Most items one playlist may hold.
pub const PLAYLIST_CAP: usize = 5000;

/// How each fault is answered, in YouTube's own way: an expired session is
/// a 200 signed-out page, not an HTTP error.
pub fn render_fault(fault: &Fault) -> Response {
    match fault {
        Fault::Expired => (StatusCode::OK, Json(render::signed_out())).into_response(),
        Fault::RateLimited(after) => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(render::google_error(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "rateLimitExceeded",
                    "Resource has been exhausted (e.g. check quota).",
                )),
            )
                .into_response();
            if let Some(s) = after {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*s));
            }
            r
        }
        Fault::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(render::google_error(
                503,
                "UNAVAILABLE",
                "backendError",
                "The service is currently unavailable.",
            )),
        )
            .into_response(),
        Fault::WrongShape => (
            StatusCode::OK,
            Json(json!({"responseContext": render::context(true), "contents": {"frameworkUpdates": {"entityBatchUpdate": {}}}})),
        )
            .into_response(),
    }
}

fn error(status: StatusCode, google_status: &str, reason: &str, message: &str) -> Response {
    (
        status,
        Json(render::google_error(
            status.as_u16(),
            google_status,
            reason,
            message,
        )),
    )
        .into_response()
}

fn invalid(message: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "INVALID_ARGUMENT",
        "badRequest",
        message,
    )
}

/// Runs `serve` when the request passes the auth checks, and adds the
/// rotated cookies to a successful answer.
fn guarded(
    shared: &Shared,
    headers: &HeaderMap,
    body: &str,
    serve: impl FnOnce(&mut FakeState, &Value) -> Response,
) -> Response {
    let Ok(body) = serde_json::from_str::<Value>(body) else {
        return invalid("Invalid JSON payload received.");
    };
    let mut st = shared.lock();
    if let Err(refused) = crate::auth::check(&mut st, headers, &body) {
        return refused;
    }
    let mut response = serve(&mut st, &body);
    if response.status().is_success() {
        for line in st.rotate_if_due() {
            if let Ok(v) = HeaderValue::from_str(&line) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    response
}

fn encode_token(kind: &str, id: &str, offset: usize) -> String {
    let raw = format!("{kind}|{id}|{offset}");
    let hex: String = raw.bytes().map(|b| format!("{b:02x}")).collect();
    format!("4qmFsgK{hex}")
}

fn decode_token(token: &str) -> Option<(String, String, usize)> {
    let hex = token.strip_prefix("4qmFsgK")?;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    let mut parts = raw.splitn(3, '|');
    let kind = parts.next()?.to_owned();
    let id = parts.next()?.to_owned();
    let offset = parts.next()?.parse().ok()?;
    Some((kind, id, offset))
}

/// `POST /youtubei/v1/browse`.
pub async fn browse(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let faults = shared.faults.clone();
    guarded(&shared, &headers, &body, |st, body| {
        if let Some(token) = query.get("ctoken").or(query.get("continuation")) {
            return match decode_token(token) {
                Some((kind, _, offset)) if kind == "lib" => {
                    let size = faults.page_size(25, 100);
                    let (items, next) = library_slice(st, offset, size);
                    Json(render::library_continuation(items, next)).into_response()
                }
                _ => invalid("Invalid continuation token."),
            };
        }
        if let Some(token) = body["continuation"].as_str() {
            return match decode_token(token) {
                Some((kind, id, offset)) if kind == "pl" => {
                    let size = faults.page_size(100, 100);
                    match playlist_rows(st, &id, offset, size) {
                        Some(rows) => Json(render::playlist_continuation(rows)).into_response(),
                        None => invalid("Invalid continuation token."),
                    }
                }
                _ => invalid("Invalid continuation token."),
            };
        }
        let browse_id = body["browseId"].as_str().unwrap_or("");
        if browse_id == "FEmusic_liked_playlists" {
            let size = faults.page_size(25, 100);
            let (items, next) = library_slice(st, 0, size);
            return Json(render::library_page(items, next)).into_response();
        }
        let Some(id) = browse_id.strip_prefix("VL") else {
            return invalid("Invalid browse id.");
        };
        let header = if id == "LM" {
            json!({"musicResponsiveHeaderRenderer": {
                "title": {"runs": [{"text": "Liked Music"}]},
                "secondSubtitle": {"runs": [{"text": format!("{} songs", st.liked.len())}]}
            }})
        } else {
            match st.playlist(id) {
                Some(p) => render::playlist_header(p),
                None => {
                    return error(
                        StatusCode::NOT_FOUND,
                        "NOT_FOUND",
                        "notFound",
                        "Requested entity was not found.",
                    );
                }
            }
        };
        let size = faults.page_size(100, 100);
        let rows = playlist_rows(st, id, 0, size).unwrap_or_default();
        Json(render::playlist_page(header, id, rows)).into_response()
    })
}

/// The library grid from `offset`: the "New playlist" tile, Liked Music,
/// then every playlist; a token when more follow.
fn library_slice(st: &FakeState, offset: usize, size: usize) -> (Vec<Value>, Option<String>) {
    let mut all = vec![render::new_playlist_tile(), render::liked_tile()];
    for p in &st.playlists {
        let owner = if p.owned {
            st.account_name.as_str()
        } else {
            "Someone Else"
        };
        all.push(render::playlist_tile(
            &p.id,
            &p.title,
            owner,
            p.items.len(),
            p.owned,
        ));
    }
    let end = (offset + size).min(all.len());
    let items = all
        .get(offset..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let next = (end < all.len()).then(|| encode_token("lib", "", end));
    (items, next)
}

/// Rows `offset..offset+size` of a playlist (or `LM`), ending with a
/// continuation item (alternating both new-style forms) when more follow.
fn playlist_rows(st: &FakeState, id: &str, offset: usize, size: usize) -> Option<Vec<Value>> {
    let (items, owned): (Vec<Item>, bool) = if id == "LM" {
        let items = st
            .liked
            .iter()
            .map(|v| Item {
                video_id: v.clone(),
                set_video_id: format!("LM{v}"),
            })
            .collect();
        (items, false)
    } else {
        let p = st.playlist(id)?;
        (p.items.clone(), p.owned)
    };
    let end = (offset + size).min(items.len());
    let mut rows: Vec<Value> = items
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let video = st.videos.get(&item.video_id)?;
            Some(render::playlist_row(video, item, id, owned))
        })
        .collect();
    if end < items.len() {
        let page = offset / size.max(1);
        rows.push(render::continuation_item(
            &encode_token("pl", id, end),
            page % 2 == 1,
        ));
    }
    Some(rows)
}

fn words(s: &str) -> Vec<String> {
    deunicode::deunicode(s)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `POST /youtubei/v1/search`: videos sharing at least half the query's
/// words, best first; the songs filter puts everything in one "Songs"
/// shelf (music videos and decoys included, as the real filter does).
pub async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    guarded(&shared, &headers, &body, |st, body| {
        let query = words(body["query"].as_str().unwrap_or(""));
        if query.is_empty() {
            return invalid("Request contains an invalid argument.");
        }
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for id in &st.order {
            let v = &st.videos[id];
            let mut hay: HashSet<String> = words(&v.title).into_iter().collect();
            for a in &v.artists {
                hay.extend(words(a));
            }
            if let Some(a) = &v.album {
                hay.extend(words(a));
            }
            let hits = query.iter().filter(|w| hay.contains(*w)).count();
            if hits * 2 >= query.len() && v.available {
                scored.push((hits, id));
            }
        }
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        let found: Vec<_> = scored
            .iter()
            .take(20)
            .map(|(_, id)| &st.videos[*id])
            .collect();
        if body["params"].as_str() == Some(SONGS_FILTER) {
            let rows = found.iter().map(|v| render::search_row(v)).collect();
            Json(render::search_page(rows, None)).into_response()
        } else {
            let (songs, videos): (Vec<&&Video>, Vec<&&Video>) =
                found.iter().partition(|v| v.kind == VideoKind::Song);
            Json(render::search_page(
                songs.iter().map(|v| render::search_row(v)).collect(),
                Some(videos.iter().map(|v| render::search_row(v)).collect()),
            ))
            .into_response()
        }
    })
}

fn failed(message: &str) -> Response {
    Json(json!({
        "responseContext": render::context(true),
        "status": "STATUS_FAILED",
        "actions": [{"addToToastAction": {"item": {"notificationActionRenderer": {
            "responseText": {"runs": [{"text": message}]}
        }}}}]
    }))
    .into_response()
}

/// `POST /youtubei/v1/browse/edit_playlist`.
pub async fn edit_playlist(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    guarded(&shared, &headers, &body, |st, body| {
        let id = body["playlistId"].as_str().unwrap_or("").to_owned();
        if id == "LM" || id.starts_with("VL") {
            st.forbidden_edits.push(id.clone());
            return invalid("Invalid playlist id.");
        }
        let Some(owned) = st.playlist(&id).map(|p| p.owned) else {
            return error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "notFound",
                "Requested entity was not found.",
            );
        };
        if !owned {
            st.forbidden_edits.push(id.clone());
            return error(
                StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                "forbidden",
                "The caller does not have permission",
            );
        }
        let actions = body["actions"].as_array().cloned().unwrap_or_default();
        if actions.is_empty() {
            return invalid("Request contains an invalid argument.");
        }
        let mut items = st
            .playlist(&id)
            .map(|p| p.items.clone())
            .unwrap_or_default();
        let mut added = Vec::new();
        for action in &actions {
            match action["action"].as_str() {
                Some("ACTION_ADD_VIDEO") => {
                    let Some(v) = action["addedVideoId"].as_str() else {
                        return invalid("Request contains an invalid argument.");
                    };
                    if !st.videos.contains_key(v) {
                        return invalid("Invalid video id.");
                    }
                    let skip_check = action["dedupeOption"] == "DEDUPE_OPTION_SKIP";
                    if !skip_check && items.iter().any(|i| i.video_id == v) {
                        // One duplicate refuses the whole batch.
                        return failed("This song is already in the playlist");
                    }
                    let item = Item {
                        video_id: v.to_owned(),
                        set_video_id: st.set_video_id(),
                    };
                    added.push(json!({"playlistEditVideoAddedResultData": {
                        "videoId": v, "setVideoId": item.set_video_id
                    }}));
                    items.push(item);
                }
                Some("ACTION_REMOVE_VIDEO") => {
                    let set = action["setVideoId"].as_str().unwrap_or("");
                    let removed = action["removedVideoId"].as_str().unwrap_or("");
                    match items
                        .iter()
                        .position(|i| i.set_video_id == set && i.video_id == removed)
                    {
                        Some(pos) => {
                            items.remove(pos);
                        }
                        None => return failed("Could not remove the item"),
                    }
                }
                _ => return invalid("Request contains an invalid argument."),
            }
        }
        if items.len() > PLAYLIST_CAP {
            return failed("This playlist is full");
        }
        if let Some(p) = st.playlist_mut(&id) {
            p.items = items;
        }
        Json(json!({
            "responseContext": render::context(true),
            "status": "STATUS_SUCCEEDED",
            "playlistEditResults": added
        }))
        .into_response()
    })
}

/// `POST /youtubei/v1/like/like`.
pub async fn like(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    guarded(&shared, &headers, &body, |st, body| {
        let Some(v) = body["target"]["videoId"].as_str().map(str::to_owned) else {
            return invalid("Request contains an invalid argument.");
        };
        if !st.videos.contains_key(&v) {
            return invalid("Invalid video id.");
        }
        if !st.liked.contains(&v) {
            st.liked.insert(0, v);
        }
        Json(json!({"responseContext": render::context(true), "actions": [{"addToToastAction": {"item": {
            "notificationTextRenderer": {"successResponseText": {"runs": [{"text": "Saved to liked music"}]}}
        }}}]}))
        .into_response()
    })
}

/// `POST /youtubei/v1/like/removelike`.
pub async fn remove_like(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    guarded(&shared, &headers, &body, |st, body| {
        let Some(v) = body["target"]["videoId"].as_str() else {
            return invalid("Request contains an invalid argument.");
        };
        st.liked.retain(|l| l != v);
        Json(json!({"responseContext": render::context(true)})).into_response()
    })
}

/// `POST /youtubei/v1/playlist/create`.
pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    guarded(&shared, &headers, &body, |st, body| {
        st.create_attempts += 1;
        if st.create_limit == Some(0) {
            let message =
                "You are creating too many playlists. Please wait a few hours and try again.";
            return if st.throttle_status == 429 {
                error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RESOURCE_EXHAUSTED",
                    "RATE_LIMIT_EXCEEDED",
                    message,
                )
            } else {
                error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_ARGUMENT",
                    "RATE_LIMIT_EXCEEDED",
                    message,
                )
            };
        }
        let title = body["title"].as_str().unwrap_or("").trim().to_owned();
        if title.is_empty() || title.contains(['<', '>']) {
            return invalid("Request contains an invalid argument.");
        }
        if let Some(left) = st.create_limit.as_mut() {
            *left -= 1;
        }
        let ids: Vec<String> = body["videoIds"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let id = st.add_playlist(&title, true, &ids);
        // New playlists come first in the library, as on the site.
        if let Some(p) = st.playlists.pop() {
            st.playlists.insert(0, p);
        }
        Json(json!({"responseContext": render::context(true), "playlistId": id})).into_response()
    })
}

/// `POST /youtubei/v1/account/account_menu`.
pub async fn account_menu(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    guarded(&shared, &headers, &body, |st, _| {
        Json(render::account_menu(&st.account_name, &st.handle)).into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_junk_is_refused() {
        let t = encode_token("pl", "PLx", 200);
        assert_eq!(decode_token(&t), Some(("pl".into(), "PLx".into(), 200)));
        assert_eq!(decode_token("nonsense"), None);
    }
}
