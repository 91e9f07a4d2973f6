//! The fake Web API under `/v1`, following the February 2026
//! development-mode rules: `/playlists/{id}/items` (the old `/tracks` paths
//! answer 403), `items`/`item` field names (or the old ones in
//! `old_field_names` mode), `POST /me/playlists`, `PUT /me/library?uris=`
//! (at most 40), search `limit` at most 10, track listings only for
//! playlists the user owns or collaborates on, and Spotify's error shape
//! `{"error": {"status", "message"}}`.

use crate::Shared;
use crate::catalogue::CatalogueTrack;
use crate::state::{Entry, FakePlaylist, FakeState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type Params = HashMap<String, String>;

/// Spotify's error object.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}})),
    )
        .into_response()
}

/// The user behind the bearer token, or the 401 Spotify answers.
fn user_of(st: &FakeState, headers: &HeaderMap) -> Result<String, Response> {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Err(error(StatusCode::UNAUTHORIZED, "No token provided"));
    };
    match st.access_tokens.get(token) {
        None => Err(error(StatusCode::UNAUTHORIZED, "Invalid access token")),
        Some(t) if t.expires <= Instant::now() => {
            Err(error(StatusCode::UNAUTHORIZED, "The access token expired"))
        }
        Some(t) if !st.users.contains_key(&t.user) => Err(error(
            StatusCode::FORBIDDEN,
            "User not registered in the Developer Dashboard",
        )),
        Some(t) => Ok(t.user.clone()),
    }
}

/// Parses `limit` (default `default`, 1..=max) and `offset` (default 0).
fn limit_offset(p: &Params, default: usize, max: usize) -> Result<(usize, usize), Response> {
    let limit = match p.get("limit") {
        None => default,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => return Err(error(StatusCode::BAD_REQUEST, "Invalid limit")),
        },
    };
    let offset = match p.get("offset") {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| error(StatusCode::BAD_REQUEST, "Invalid offset"))?,
    };
    Ok((limit, offset))
}

/// A paging object for one page of `items` out of `total`, with `next`/`previous` URLs built from the
/// request's host so clients can follow them.
fn page(
    headers: &HeaderMap,
    path: &str,
    extra: &[(&str, &str)],
    (total, items): (usize, Vec<Value>),
    limit: usize,
    offset: usize,
) -> Value {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let link = |off: usize| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(extra.iter().copied());
        q.append_pair("offset", &off.to_string());
        q.append_pair("limit", &limit.to_string());
        format!("http://{host}{path}?{}", q.finish())
    };
    json!({
        "href": link(offset),
        "items": items,
        "limit": limit,
        "offset": offset,
        "total": total,
        "next": if offset + limit < total { json!(link(offset + limit)) } else { Value::Null },
        "previous": if offset > 0 { json!(link(offset.saturating_sub(limit))) } else { Value::Null },
    })
}

/// The page `[offset, offset + limit)` of `all`, rendered with `render`
/// (only the page is rendered: big playlists stay cheap), and the total.
fn slice<T>(
    all: &[T],
    offset: usize,
    limit: usize,
    render: impl Fn(&T) -> Value,
) -> (usize, Vec<Value>) {
    (
        all.len(),
        all.iter().skip(offset).take(limit).map(render).collect(),
    )
}

fn artist_json(name: &str) -> Value {
    let id = crate::catalogue::base62_id(&format!("artist|{name}"));
    json!({"id": id, "name": name, "type": "artist", "uri": format!("spotify:artist:{id}")})
}

/// A full track object (what playlist items, Liked Songs and search carry).
pub(crate) fn track_json(t: &CatalogueTrack) -> Value {
    let album_id = crate::catalogue::base62_id(&format!("album|{}", t.album));
    let artists: Vec<Value> = t.artists.iter().map(|a| artist_json(a)).collect();
    let mut external_ids = json!({});
    if let Some(isrc) = &t.isrc {
        external_ids["isrc"] = json!(isrc);
    }
    json!({
        "album": {
            "album_type": "album",
            "id": album_id,
            "name": t.album,
            "artists": [artists[0].clone()],
            "release_date": "2004-06-07",
            "type": "album",
            "uri": format!("spotify:album:{album_id}"),
        },
        "artists": artists,
        "disc_number": 1,
        "duration_ms": t.duration_ms,
        "explicit": false,
        "external_ids": external_ids,
        "external_urls": {"spotify": format!("https://open.spotify.com/track/{}", t.id)},
        "href": format!("https://api.spotify.com/v1/tracks/{}", t.id),
        "id": t.id,
        "is_local": false,
        "name": t.name,
        "track_number": 1,
        "type": "track",
        "uri": t.uri(),
    })
}

/// The object a playlist entry carries (`null` for unavailable content).
fn entry_json(st: &FakeState, e: &Entry) -> (bool, Value) {
    match e {
        Entry::Track(uri) => (
            false,
            st.catalogue
                .by_uri(uri)
                .map(track_json)
                .unwrap_or(Value::Null),
        ),
        Entry::LocalFile { name, artist } => (
            true,
            json!({
                "album": {"name": "", "id": null, "uri": null},
                "artists": [{"name": artist, "id": null, "uri": null, "type": "artist"}],
                "duration_ms": 180000,
                "external_ids": {},
                "id": null,
                "is_local": true,
                "name": name,
                "type": "track",
                "uri": format!("spotify:local:{}::{}:180", artist.replace(' ', "+"), name.replace(' ', "+")),
            }),
        ),
        Entry::Episode { name } => {
            let id = crate::catalogue::base62_id(&format!("episode|{name}"));
            (
                false,
                json!({
                    "id": id, "name": name, "type": "episode", "duration_ms": 1_800_000,
                    "uri": format!("spotify:episode:{id}"), "show": {"name": "A Podcast"},
                }),
            )
        }
        Entry::Unavailable => (false, Value::Null),
    }
}

fn simplified_playlist(st: &FakeState, p: &FakePlaylist) -> Value {
    let owner_name = st.users.get(&p.owner).and_then(|u| u.display_name.clone());
    let href = format!("https://api.spotify.com/v1/playlists/{}/items", p.id);
    let summary = json!({"href": href, "total": p.entries.len()});
    let mut v = json!({
        "collaborative": p.collaborative,
        "description": p.description,
        "id": p.id,
        "name": p.name,
        "owner": {"id": p.owner, "display_name": owner_name, "type": "user"},
        "public": p.public,
        "snapshot_id": format!("snap{}", p.snapshot),
        "type": "playlist",
        "uri": format!("spotify:playlist:{}", p.id),
    });
    if st.old_field_names {
        v["tracks"] = summary;
    } else {
        v["items"] = summary;
        v["tracks"] = Value::Null;
    }
    v
}

/// `GET /v1/me`.
pub(crate) async fn me(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let u = &st.users[&user];
    Json(json!({
        "display_name": u.display_name,
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{}", u.id)},
        "href": format!("https://api.spotify.com/v1/users/{}", u.id),
        "id": u.id,
        "type": "user",
        "uri": format!("spotify:user:{}", u.id),
    }))
    .into_response()
}

/// `GET /v1/me/playlists`.
pub(crate) async fn my_playlists(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (limit, offset) = match limit_offset(&p, 20, 50) {
        Ok((limit, offset)) => (shared.faults.page_size(limit, 50), offset),
        Err(r) => return r,
    };
    let lists: Vec<&FakePlaylist> = st.users[&user]
        .playlists
        .iter()
        .filter_map(|id| st.playlists.get(id))
        .collect();
    let part = slice(&lists, offset, limit, |pl| simplified_playlist(&st, pl));
    Json(page(&headers, "/v1/me/playlists", &[], part, limit, offset)).into_response()
}

/// `POST /v1/me/playlists`.
pub(crate) async fn create_playlist(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Error parsing JSON.");
    };
    let Some(name) = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
    else {
        return error(StatusCode::BAD_REQUEST, "Missing required field: name");
    };
    let id = st.add_playlist(&user, name, &[]);
    let pl = st.playlists.get_mut(&id).expect("just created");
    pl.public = body.get("public").and_then(Value::as_bool).unwrap_or(true);
    pl.collaborative = body
        .get("collaborative")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    pl.description = body
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let pl = st.playlists[&id].clone();
    (StatusCode::CREATED, Json(simplified_playlist(&st, &pl))).into_response()
}

/// May `user` read or change the items of `pl`?
fn may_edit(pl: &FakePlaylist, user: &str) -> bool {
    pl.owner == user || pl.collaborative
}

/// `GET /v1/playlists/{id}/items`.
pub(crate) async fn playlist_items(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (limit, offset) = match limit_offset(&p, 20, 50) {
        Ok((limit, offset)) => (shared.faults.page_size(limit, 50), offset),
        Err(r) => return r,
    };
    let Some(pl) = st.playlists.get(&id) else {
        return error(StatusCode::NOT_FOUND, "Resource not found");
    };
    if st.broken_playlists.contains(&id) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "Server error");
    }
    if !may_edit(pl, &user) {
        // Development mode since February 2026: listings only for
        // playlists the user owns or collaborates on.
        return error(StatusCode::FORBIDDEN, "Forbidden");
    }
    let inner = if st.old_field_names { "track" } else { "item" };
    let part = slice(&pl.entries, offset, limit, |e| {
        let (is_local, obj) = entry_json(&st, e);
        let mut v = json!({
            "added_at": "2026-03-01T12:00:00Z",
            "added_by": {"id": pl.owner, "type": "user"},
            "is_local": is_local,
        });
        v[inner] = obj;
        v
    });
    let path = format!("/v1/playlists/{id}/items");
    Json(page(&headers, &path, &[], part, limit, offset)).into_response()
}

#[derive(serde::Deserialize)]
struct AddBody {
    #[serde(default)]
    uris: Vec<String>,
    #[serde(default)]
    position: Option<usize>,
}

/// `POST /v1/playlists/{id}/items`.
pub(crate) async fn add_items(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(p): Query<Params>,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut req: AddBody = if body.is_empty() {
        AddBody {
            uris: Vec::new(),
            position: None,
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(_) => return error(StatusCode::BAD_REQUEST, "Error parsing JSON."),
        }
    };
    if req.uris.is_empty()
        && let Some(q) = p.get("uris")
    {
        req.uris = q.split(',').map(str::to_owned).collect();
    }
    if req.uris.is_empty() {
        return error(StatusCode::BAD_REQUEST, "No uris provided");
    }
    if req.uris.len() > 100 {
        return error(
            StatusCode::BAD_REQUEST,
            "You can add a maximum of 100 tracks per request.",
        );
    }
    if let Some(bad) = req.uris.iter().find(|u| st.catalogue.by_uri(u).is_none()) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid track uri: {bad}"),
        );
    }
    let Some(pl) = st.playlists.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "Resource not found");
    };
    if !may_edit(pl, &user) {
        return error(StatusCode::FORBIDDEN, "Forbidden");
    }
    let at = req
        .position
        .unwrap_or(pl.entries.len())
        .min(pl.entries.len());
    let new: Vec<Entry> = req.uris.into_iter().map(Entry::Track).collect();
    pl.entries.splice(at..at, new);
    pl.snapshot += 1;
    (
        StatusCode::CREATED,
        Json(json!({"snapshot_id": format!("snap{}", pl.snapshot)})),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct RemoveItem {
    uri: String,
    #[serde(default)]
    positions: Option<Vec<usize>>,
}

#[derive(serde::Deserialize)]
struct RemoveBody {
    #[serde(default)]
    items: Vec<RemoveItem>,
    /// The pre-2026 name of `items`, still read.
    #[serde(default)]
    tracks: Vec<RemoveItem>,
}

/// `DELETE /v1/playlists/{id}/items`: `{"items": [{"uri", "positions"?}]}`.
/// With positions, exactly those occurrences go (each must hold that URI,
/// positions as before the call); without, every occurrence of the URI.
pub(crate) async fn remove_items(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let req: RemoveBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(_) => return error(StatusCode::BAD_REQUEST, "Error parsing JSON."),
    };
    let items: Vec<RemoveItem> = req.items.into_iter().chain(req.tracks).collect();
    if items.is_empty() {
        return error(StatusCode::BAD_REQUEST, "Missing items");
    }
    if items.len() > 100 {
        return error(
            StatusCode::BAD_REQUEST,
            "You can remove a maximum of 100 tracks per request.",
        );
    }
    let Some(pl) = st.playlists.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "Resource not found");
    };
    if !may_edit(pl, &user) {
        return error(StatusCode::FORBIDDEN, "Forbidden");
    }
    let holds = |e: &Entry, uri: &str| matches!(e, Entry::Track(u) if u == uri);
    let mut drop = vec![false; pl.entries.len()];
    for item in &items {
        match &item.positions {
            Some(positions) => {
                for &p in positions {
                    if !pl.entries.get(p).is_some_and(|e| holds(e, &item.uri)) {
                        return error(
                            StatusCode::BAD_REQUEST,
                            "Could not remove tracks, please check parameters.",
                        );
                    }
                    drop[p] = true;
                }
            }
            None => {
                for (i, e) in pl.entries.iter().enumerate() {
                    if holds(e, &item.uri) {
                        drop[i] = true;
                    }
                }
            }
        }
    }
    let mut i = 0;
    pl.entries.retain(|_| {
        let keep = !drop[i];
        i += 1;
        keep
    });
    pl.snapshot += 1;
    Json(json!({"snapshot_id": format!("snap{}", pl.snapshot)})).into_response()
}

/// Endpoints removed for development-mode apps in February 2026.
pub(crate) async fn removed() -> Response {
    error(StatusCode::FORBIDDEN, "Forbidden")
}

/// `GET /v1/me/tracks` (Liked Songs, newest first).
pub(crate) async fn saved_tracks(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (limit, offset) = match limit_offset(&p, 20, 50) {
        Ok((limit, offset)) => (shared.faults.page_size(limit, 50), offset),
        Err(r) => return r,
    };
    let part = slice(&st.users[&user].liked, offset, limit, |uri| {
        json!({
            "added_at": "2026-03-01T12:00:00Z",
            "track": st.catalogue.by_uri(uri).map(track_json).unwrap_or(Value::Null),
        })
    });
    Json(page(&headers, "/v1/me/tracks", &[], part, limit, offset)).into_response()
}

/// The `uris` query parameter of the library endpoints, checked.
fn library_uris(st: &FakeState, p: &Params) -> Result<Vec<String>, Response> {
    let uris: Vec<String> = p
        .get("uris")
        .map(|s| {
            s.split(',')
                .filter(|u| !u.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if uris.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Missing required parameter: uris",
        ));
    }
    if uris.len() > 40 {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Too many URIs requested: at most 40",
        ));
    }
    if let Some(bad) = uris.iter().find(|u| st.catalogue.by_uri(u).is_none()) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid URI: {bad}"),
        ));
    }
    Ok(uris)
}

/// `PUT /v1/me/library?uris=`: saves tracks (already saved ones stay put).
pub(crate) async fn library_save(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let mut st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let uris = match library_uris(&st, &p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let liked = &mut st.users.get_mut(&user).expect("checked by user_of").liked;
    // Items saved in one request get one timestamp; the list is newest
    // first, so a batch lands on top in its own order.
    let fresh: Vec<String> =
        uris.into_iter()
            .filter(|u| !liked.contains(u))
            .fold(Vec::new(), |mut acc, u| {
                if !acc.contains(&u) {
                    acc.push(u);
                }
                acc
            });
    liked.splice(0..0, fresh);
    StatusCode::OK.into_response()
}

/// `DELETE /v1/me/library?uris=`.
pub(crate) async fn library_remove(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let mut st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let uris = match library_uris(&st, &p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let liked = &mut st.users.get_mut(&user).expect("checked by user_of").liked;
    liked.retain(|u| !uris.contains(u));
    StatusCode::OK.into_response()
}

/// `GET /v1/me/library/contains?uris=`.
pub(crate) async fn library_contains(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let st = shared.lock();
    let user = match user_of(&st, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let uris = match library_uris(&st, &p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let liked = &st.users[&user].liked;
    Json(json!(
        uris.iter().map(|u| liked.contains(u)).collect::<Vec<_>>()
    ))
    .into_response()
}

/// `GET /v1/search`.
pub(crate) async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let st = shared.lock();
    if let Err(r) = user_of(&st, &headers) {
        return r;
    }
    let (limit, offset) = match limit_offset(&p, 5, 10) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(q) = p.get("q").filter(|q| !q.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "No search query");
    };
    let types = p.get("type").cloned().unwrap_or_default();
    if types.is_empty() {
        return error(StatusCode::BAD_REQUEST, "Missing parameter type");
    }
    if !types.split(',').any(|t| t == "track") {
        return Json(json!({})).into_response();
    }
    let hits = crate::search::run(&st.catalogue, &crate::search::parse(q));
    let tracks = page(
        &headers,
        "/v1/search",
        &[("q", q.as_str()), ("type", types.as_str())],
        slice(&hits, offset, limit, |t| track_json(t)),
        limit,
        offset,
    );
    Json(json!({"tracks": tracks})).into_response()
}

/// Anything else under `/v1`.
pub(crate) async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Service not found")
}
