//! The fake API under `/v2` (spec 1.10.104): `users/me`, own playlists,
//! playlist items and favourite tracks (read through cursor pages; append
//! and remove 1–50 per call with `Idempotency-Key` replay), batch ISRC
//! lookup, search with `include=tracks`, new playlists. Scopes are checked
//! per endpoint, request bodies must be exactly `application/vnd.api+json`,
//! and adding a favourite that already exists fails the whole call (409).

use crate::Shared;
use crate::catalogue::{CatalogueTrack, numeric_id, search};
use crate::jsonapi::{MEDIA_TYPE, Params, doc, error, iso_duration, links, timestamp};
use crate::state::{FakeState, IdempotentAnswer, Item, uuid};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most resources one write may carry.
pub const MAX_WRITE_ITEMS: usize = 50;

/// Who is calling.
struct Caller {
    user: String,
    country: String,
}

/// The user behind the bearer token, if it holds `scope`.
fn caller(st: &FakeState, headers: &HeaderMap, scope: &str) -> Result<Caller, Response> {
    let unauthorized = |detail: &str| error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", detail, None);
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Err(unauthorized("No access token was given"));
    };
    let Some(t) = st.access_tokens.get(token) else {
        return Err(unauthorized("The access token is not valid"));
    };
    if t.expires <= Instant::now() {
        return Err(unauthorized("The access token has expired"));
    }
    if !t.scopes.contains(scope) {
        return Err(error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            &format!("the access token lacks the scope {scope}"),
            None,
        ));
    }
    let country = st
        .users
        .get(&t.user)
        .map(|u| u.country.clone())
        .unwrap_or_else(|| "US".to_owned());
    Ok(Caller {
        user: t.user.clone(),
        country,
    })
}

/// `me` or the caller's own id; anything else is out of reach (404).
fn is_self(who: &str, c: &Caller) -> bool {
    who == "me" || who == c.user
}

fn not_found(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("{what} not found"),
        None,
    )
}

fn artist_id(name: &str) -> String {
    numeric_id(&format!("artist|{name}"))
}

fn album_id(t: &CatalogueTrack) -> String {
    numeric_id(&format!("album|{}|{}", t.album, t.artists.join(",")))
}

/// A track resource. Relationship data is there only when included (a
/// relationship not included is absent, not empty). Carries fields and
/// enum values a client does not know, as the live API may at any time.
fn track_resource(t: &CatalogueTrack, artists: bool, albums: bool) -> Value {
    let rel = |name: &str, data: Option<Value>| {
        let mut r = json!({"links": {"self": format!("/tracks/{}/relationships/{name}", t.id)}});
        if let Some(d) = data {
            r["data"] = d;
        }
        r
    };
    let artist_ids: Vec<Value> = t
        .artists
        .iter()
        .map(|a| json!({"id": artist_id(a), "type": "artists"}))
        .collect();
    json!({
        "id": t.id,
        "type": "tracks",
        "attributes": {
            "title": t.title,
            "version": t.version,
            "isrc": t.isrc,
            "duration": iso_duration(t.duration_s),
            "explicit": false,
            "popularity": 0.42,
            "mediaTags": ["LOSSLESS", "SOME_FUTURE_TAG"],
            "key": "FSharp",
            "keyScale": "A_SCALE_NOT_YET_KNOWN",
            "accessType": "PUBLIC",
            "createdAt": "2020-01-01T00:00:00Z",
            "externalLinks": [{"href": format!("https://tidal.com/browse/track/{}", t.id),
                               "meta": {"type": "TIDAL_SHARING"}}],
            "spotlighted": false,
        },
        "relationships": {
            "artists": rel("artists", artists.then(|| json!(artist_ids))),
            "albums": rel("albums", albums.then(|| json!([{"id": album_id(t), "type": "albums"}]))),
            "usageRules": rel("usageRules", None),
            "similarTracks": rel("similarTracks", None),
        },
    })
}

fn artist_resource(name: &str) -> Value {
    json!({"id": artist_id(name), "type": "artists",
           "attributes": {"name": name, "popularity": 0.5}})
}

fn album_resource(t: &CatalogueTrack) -> Value {
    json!({"id": album_id(t), "type": "albums",
           "attributes": {"title": t.album, "albumType": "ALBUM", "barcodeId": "0000000000000",
                          "releaseDate": "2001-01-01", "numberOfItems": 12, "explicit": false,
                          "duration": "PT45M"}})
}

/// `included[]` for `tracks`, with artists and albums when asked.
fn included(
    tracks: &[&CatalogueTrack],
    with_tracks: bool,
    artists: bool,
    albums: bool,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for t in tracks {
        if with_tracks && seen.insert(format!("tracks/{}", t.id)) {
            out.push(track_resource(t, artists, albums));
        }
        if artists {
            for a in &t.artists {
                if seen.insert(format!("artists/{}", artist_id(a))) {
                    out.push(artist_resource(a));
                }
            }
        }
        if albums && seen.insert(format!("albums/{}", album_id(t))) {
            out.push(album_resource(t));
        }
    }
    out
}

fn playlist_resource(st: &FakeState, p: &crate::state::FakePlaylist) -> Value {
    let _ = st;
    json!({
        "id": p.id,
        "type": "playlists",
        "attributes": {
            "name": p.name,
            "description": p.description,
            "accessType": p.access_type,
            "playlistType": "USER",
            "bounded": true,
            "numberOfItems": p.items.len(),
            "numberOfTrackItems": p.items.len(),
            "createdAt": timestamp(p.created),
            "lastModifiedAt": timestamp(p.created),
            "externalLinks": [{"href": format!("https://tidal.com/playlist/{}", p.id),
                               "meta": {"type": "TIDAL_SHARING"}}],
        },
        "relationships": {
            "items": {"links": {"self": format!("/playlists/{}/relationships/items", p.id)}},
            "owners": {"links": {"self": format!("/playlists/{}/relationships/owners", p.id)}},
        },
    })
}

/// `GET /users/me`.
pub(crate) async fn users_me(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "user.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let u = &st.users[&c.user];
    doc(
        StatusCode::OK,
        &json!({"data": {"id": u.id, "type": "users", "attributes": {
            "username": u.username, "country": u.country, "email": format!("{}@example.test", u.username),
            "emailVerified": true, "developerAccessTier": "THIRD_PARTY"}},
            "links": {"self": "/users/me"}}),
    )
}

/// `GET /playlists?filter[owners.id]=me`.
pub(crate) async fn list_playlists(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "playlists.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = Params::parse(raw.as_deref());
    if let Err(r) = p.check_filters(&["owners.id", "collaborators.id", "id"]) {
        return r;
    }
    if let Err(r) = p.include(&["items", "owners", "coverArt"]) {
        return r;
    }
    let owners = p.all("filter[owners.id]");
    let ids = p.all("filter[id]");
    if owners.is_empty() && ids.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "MISSING_FILTER",
            "one of filter[owners.id], filter[collaborators.id], filter[id] is required",
            Some(("parameter", "filter")),
        );
    }
    let mut all: Vec<&crate::state::FakePlaylist> = st
        .playlists
        .values()
        .filter(|pl| {
            owners
                .iter()
                .any(|o| (*o == "me" && pl.owner == c.user) || *o == pl.owner)
                || ids.contains(&pl.id.as_str())
        })
        .collect();
    all.sort_by_key(|p| std::cmp::Reverse(p.created));
    let offset = match p.offset() {
        Ok(o) => o,
        Err(r) => return r,
    };
    let size = shared.faults.page_size(st.page_size, st.page_size);
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(size)
        .map(|pl| playlist_resource(&st, pl))
        .collect();
    let links = links(&p, "/playlists", offset, page.len(), all.len());
    doc(
        StatusCode::OK,
        &json!({"data": page, "links": links, "meta": {"total": all.len()}}),
    )
}

/// The request body's `data` array, checked: exactly the media type,
/// 1–50 resources of `tracks`.
fn write_items(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Value>, Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct != MEDIA_TYPE {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("Content-Type must be {MEDIA_TYPE}, got {ct:?}"),
            Some(("header", "Content-Type")),
        ));
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            &format!("not JSON: {e}"),
            None,
        )
    })?;
    let Some(data) = v.get("data").and_then(Value::as_array) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "data must be an array of resource identifiers",
            Some(("pointer", "/data")),
        ));
    };
    if data.is_empty() || data.len() > crate::api::MAX_WRITE_ITEMS {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            &format!(
                "data must hold 1 to {MAX_WRITE_ITEMS} items, got {}",
                data.len()
            ),
            Some(("pointer", "/data")),
        ));
    }
    for d in data {
        if d.get("type").and_then(Value::as_str) != Some("tracks")
            || d.get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "INVALID_BODY",
                "each item must be {\"type\":\"tracks\",\"id\":…}",
                Some(("pointer", "/data")),
            ));
        }
    }
    Ok(data.clone())
}

/// Runs a write under `Idempotency-Key`: a replay within an hour answers
/// what the first did; the same key with another payload is a 422. After
/// the write, `fail_after_write` may swallow the answer (503).
fn idempotent(
    st: &mut FakeState,
    user: &str,
    headers: &HeaderMap,
    fingerprint: String,
    apply: impl FnOnce(&mut FakeState) -> (StatusCode, Value),
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(k) = &key {
        if k.is_empty() || k.len() > 128 {
            return error(
                StatusCode::BAD_REQUEST,
                "INVALID_HEADER",
                "Idempotency-Key must be 1 to 128 characters",
                Some(("header", "Idempotency-Key")),
            );
        }
        let slot = (user.to_owned(), k.clone());
        if let Some(prev) = st.idempotency.get(&slot)
            && prev.at.elapsed() < Duration::from_secs(3600)
        {
            if prev.request != fingerprint {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was used for another request",
                    Some(("header", "Idempotency-Key")),
                );
            }
            let status = StatusCode::from_u16(prev.status).unwrap_or(StatusCode::OK);
            let body: Value = serde_json::from_str(&prev.body).unwrap_or(Value::Null);
            let mut resp = if body.is_null() {
                let mut r = Response::new(axum::body::Body::empty());
                *r.status_mut() = status;
                r
            } else {
                doc(status, &body)
            };
            resp.headers_mut().insert(
                "idempotent-replayed",
                header::HeaderValue::from_static("true"),
            );
            return resp;
        }
    }
    let (status, body) = apply(st);
    if let Some(k) = key
        && status.is_success()
    {
        st.idempotency.insert(
            (user.to_owned(), k),
            IdempotentAnswer {
                request: fingerprint,
                status: status.as_u16(),
                body: body.to_string(),
                at: Instant::now(),
            },
        );
    }
    if status.is_success() && st.fail_after_write > 0 {
        st.fail_after_write -= 1;
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "upstream timeout",
            None,
        );
    }
    if body.is_null() {
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = status;
        return r;
    }
    doc(status, &body)
}

/// `POST /playlists`.
pub(crate) async fn create_playlist(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let c = match caller(&st, &headers, "playlists.write") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct != MEDIA_TYPE {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("Content-Type must be {MEDIA_TYPE}, got {ct:?}"),
            Some(("header", "Content-Type")),
        );
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let attrs = &v["data"]["attributes"];
    let name = attrs["name"].as_str().unwrap_or("").trim().to_owned();
    if v["data"]["type"] != "playlists" || name.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "data must be {\"type\":\"playlists\",\"attributes\":{\"name\":…}}",
            Some(("pointer", "/data/attributes/name")),
        );
    }
    let access = attrs["accessType"].as_str().unwrap_or("PUBLIC").to_owned();
    if !matches!(access.as_str(), "PUBLIC" | "UNLISTED") {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_ENUM_VALUE",
            "accessType must be PUBLIC or UNLISTED",
            Some(("pointer", "/data/attributes/accessType")),
        );
    }
    let description = attrs["description"].as_str().unwrap_or("").to_owned();
    let fingerprint = format!("POST /playlists {body:?}");
    let user = c.user.clone();
    idempotent(&mut st, &c.user, &headers, fingerprint, move |st| {
        let id = st.add_playlist(&user, &name, &[]);
        let pl = st.playlists.get_mut(&id).expect("just added");
        pl.access_type = access;
        pl.description = description;
        let pl = pl.clone();
        (
            StatusCode::CREATED,
            json!({"data": playlist_resource(st, &pl)}),
        )
    })
}

/// Items of a playlist or of the favourites, as a paged relationship
/// document. `rows` are `(track id, itemId, added)`.
fn items_document(
    st: &FakeState,
    p: &Params,
    path: &str,
    rows: &[(String, Option<String>, u64)],
    country: &str,
    page_size: usize,
) -> Result<Value, Response> {
    let inc = p.include(&[
        "items",
        "items.artists",
        "items.albums",
        "items.albums.artists",
    ])?;
    p.check_filters(&[])?;
    let offset = p.offset()?;
    let page: Vec<&(String, Option<String>, u64)> =
        rows.iter().skip(offset).take(page_size).collect();
    let data: Vec<Value> = page
        .iter()
        .map(|(track, item, added)| {
            let mut meta = json!({"addedAt": timestamp(*added)});
            if let Some(i) = item {
                meta["itemId"] = json!(i);
            }
            json!({"id": track, "type": "tracks", "meta": meta})
        })
        .collect();
    let tracks: Vec<&CatalogueTrack> = page
        .iter()
        .filter_map(|(t, _, _)| st.catalogue.by_id(t))
        .collect();
    let _ = country; // availability would be redacted via usageRules; not modelled
    let inc_items = inc.contains("items");
    let included = included(
        &tracks,
        inc_items,
        inc.contains("items.artists"),
        inc.contains("items.albums"),
    );
    let links = links(p, path, offset, page.len(), rows.len());
    let mut d = json!({"data": data, "links": links});
    if !inc.is_empty() {
        d["included"] = json!(included);
    }
    Ok(d)
}

/// `GET /playlists/{id}/relationships/items`.
pub(crate) async fn playlist_items(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "playlists.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(pl) = st.playlists.get(&id) else {
        return not_found("playlist");
    };
    let p = Params::parse(raw.as_deref());
    let country = match p.country(&c.country) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let rows: Vec<(String, Option<String>, u64)> = pl
        .items
        .iter()
        .map(|i| (i.track_id.clone(), Some(i.item_id.clone()), i.added))
        .collect();
    let size = shared.faults.page_size(st.page_size, st.page_size);
    let path = format!("/playlists/{id}/relationships/items");
    match items_document(&st, &p, &path, &rows, &country, size) {
        Ok(d) => doc(StatusCode::OK, &d),
        Err(r) => r,
    }
}

/// `POST` and `DELETE /playlists/{id}/relationships/items`.
pub(crate) async fn change_playlist_items(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let c = match caller(&st, &headers, "playlists.write") {
        Ok(c) => c,
        Err(r) => return r,
    };
    match st.playlists.get(&id) {
        Some(pl) if pl.owner == c.user => {}
        _ => return not_found("playlist"),
    }
    let data = match write_items(&headers, &body) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let fingerprint = format!("{method} /playlists/{id}/relationships/items {body:?}");
    if method == Method::DELETE {
        let mut item_ids = Vec::new();
        for d in &data {
            let Some(item) = d["meta"]["itemId"].as_str() else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_BODY",
                    "removing needs meta.itemId for each item",
                    Some(("pointer", "/data/meta/itemId")),
                );
            };
            item_ids.push((d["id"].as_str().unwrap_or("").to_owned(), item.to_owned()));
        }
        return idempotent(&mut st, &c.user, &headers, fingerprint, move |st| {
            let pl = st.playlists.get_mut(&id).expect("checked above");
            for (track, item) in &item_ids {
                if !pl
                    .items
                    .iter()
                    .any(|i| &i.item_id == item && &i.track_id == track)
                {
                    return (
                        StatusCode::NOT_FOUND,
                        json!({"errors": [{"status": "404", "code": "NOT_FOUND",
                            "detail": format!("no item {item} of track {track} in this playlist")}]}),
                    );
                }
            }
            pl.items
                .retain(|i| !item_ids.iter().any(|(_, it)| it == &i.item_id));
            (StatusCode::NO_CONTENT, Value::Null)
        });
    }
    idempotent(&mut st, &c.user, &headers, fingerprint, move |st| {
        let mut added = Vec::new();
        let mut skipped = Vec::new();
        let mut new_items = Vec::new();
        for d in &data {
            let track = d["id"].as_str().unwrap_or("").to_owned();
            if st.catalogue.by_id(&track).is_none() {
                skipped.push(json!({"id": track, "type": "tracks", "reason": "NOT_FOUND"}));
                continue;
            }
            let seq = st.next_seq();
            let item = Item {
                item_id: uuid(),
                track_id: track.clone(),
                added: seq,
            };
            added.push(json!({"id": track, "type": "tracks",
                "meta": {"itemId": item.item_id, "addedAt": timestamp(seq)}}));
            new_items.push(item);
        }
        st.playlists
            .get_mut(&id)
            .expect("checked above")
            .items
            .extend(new_items);
        (
            StatusCode::CREATED,
            json!({"data": added, "meta": {"skipped": skipped}}),
        )
    })
}

/// `GET /userCollectionTracks/{me}/relationships/items`, newest first.
pub(crate) async fn favourites(
    State(shared): State<Arc<Shared>>,
    Path(who): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "collection.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !is_self(&who, &c) {
        return not_found("collection");
    }
    let p = Params::parse(raw.as_deref());
    let country = match p.country(&c.country) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let rows: Vec<(String, Option<String>, u64)> = st.users[&c.user]
        .favourites
        .iter()
        .rev()
        .map(|(t, seq)| (t.clone(), None, *seq))
        .collect();
    let size = shared.faults.page_size(st.page_size, st.page_size);
    let path = format!("/userCollectionTracks/{who}/relationships/items");
    match items_document(&st, &p, &path, &rows, &country, size) {
        Ok(d) => doc(StatusCode::OK, &d),
        Err(r) => r,
    }
}

/// `POST` and `DELETE /userCollectionTracks/{me}/relationships/items`.
pub(crate) async fn change_favourites(
    State(shared): State<Arc<Shared>>,
    Path(who): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = shared.lock();
    let c = match caller(&st, &headers, "collection.write") {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !is_self(&who, &c) {
        return not_found("collection");
    }
    let data = match write_items(&headers, &body) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let ids: Vec<String> = data
        .iter()
        .map(|d| d["id"].as_str().unwrap_or("").to_owned())
        .collect();
    let fingerprint = format!("{method} /userCollectionTracks {body:?}");
    let user = c.user.clone();
    if method == Method::DELETE {
        return idempotent(&mut st, &c.user, &headers, fingerprint, move |st| {
            if let Some(u) = st.users.get_mut(&user) {
                u.favourites.retain(|(t, _)| !ids.contains(t));
            }
            (StatusCode::NO_CONTENT, Value::Null)
        });
    }
    // An item already among the favourites fails the whole call.
    let existing: HashSet<&String> = st.users[&c.user]
        .favourites
        .iter()
        .map(|(t, _)| t)
        .collect();
    let mut in_call = HashSet::new();
    if let Some(dup) = ids
        .iter()
        .find(|i| existing.contains(i) || !in_call.insert(*i))
    {
        return error(
            StatusCode::CONFLICT,
            "ITEM_ALREADY_EXISTS",
            &format!("track {dup} is already in the collection"),
            Some(("pointer", "/data")),
        );
    }
    idempotent(&mut st, &c.user, &headers, fingerprint, move |st| {
        let mut skipped = Vec::new();
        let mut added = Vec::new();
        for id in &ids {
            if st.catalogue.by_id(id).is_none() {
                skipped.push(json!({"id": id, "type": "tracks", "reason": "NOT_FOUND"}));
                continue;
            }
            let seq = st.next_seq();
            st.users
                .get_mut(&user)
                .expect("caller exists")
                .favourites
                .push((id.clone(), seq));
            added.push(json!({"id": id, "type": "tracks", "meta": {"addedAt": timestamp(seq)}}));
        }
        (
            StatusCode::CREATED,
            json!({"data": added, "meta": {"skipped": skipped}}),
        )
    })
}

/// `GET /tracks?filter[isrc]=…` (several values: one track each, no
/// paging; one value: every release, paged) or `filter[id]=…`.
pub(crate) async fn tracks(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "search.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = Params::parse(raw.as_deref());
    if let Err(r) = p.check_filters(&["isrc", "id"]) {
        return r;
    }
    let inc = match p.include(&["artists", "albums", "albums.artists"]) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let country = match p.country(&c.country) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let isrcs: Vec<&str> = p
        .all("filter[isrc]")
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    let ids: Vec<&str> = p
        .all("filter[id]")
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    if isrcs.is_empty() && ids.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "MISSING_FILTER",
            "filter[isrc] or filter[id] is required",
            Some(("parameter", "filter")),
        );
    }
    let available = |t: &&CatalogueTrack| t.available_in(&country);
    let (found, paged): (Vec<&CatalogueTrack>, bool) = if isrcs.len() == 1 && ids.is_empty() {
        (
            st.catalogue
                .by_isrc(isrcs[0])
                .into_iter()
                .filter(available)
                .collect(),
            true,
        )
    } else {
        let mut v: Vec<&CatalogueTrack> = isrcs
            .iter()
            .filter_map(|i| st.catalogue.by_isrc(i).into_iter().find(available))
            .collect();
        v.extend(
            ids.iter()
                .filter_map(|i| st.catalogue.by_id(i))
                .filter(available),
        );
        (v, false)
    };
    let (offset, page): (usize, Vec<&CatalogueTrack>) = if paged {
        let size = shared.faults.page_size(st.page_size, st.page_size);
        let offset = match p.offset() {
            Ok(o) => o,
            Err(r) => return r,
        };
        (
            offset,
            found.iter().skip(offset).take(size).copied().collect(),
        )
    } else {
        (0, found.clone())
    };
    let artists = inc.contains("artists");
    let albums = inc.contains("albums");
    let data: Vec<Value> = page
        .iter()
        .map(|t| track_resource(t, artists, albums))
        .collect();
    let mut d = json!({
        "data": data,
        "links": links(&p, "/tracks", offset, page.len(), if paged { found.len() } else { page.len() }),
    });
    if artists || albums {
        d["included"] = json!(included(&page, false, artists, albums));
    }
    doc(StatusCode::OK, &d)
}

/// `GET /searchResults?filter[query]=…&include=tracks`: one
/// `searchResults` resource; its tracks are there only when included.
pub(crate) async fn search_results(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let st = shared.lock();
    let c = match caller(&st, &headers, "search.read") {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = Params::parse(raw.as_deref());
    if let Err(r) = p.check_filters(&["query"]) {
        return r;
    }
    let inc = match p.include(&[
        "tracks",
        "tracks.artists",
        "tracks.albums",
        "artists",
        "albums",
        "playlists",
        "videos",
        "topHits",
    ]) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let country = match p.country(&c.country) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let query = p.one("filter[query]").unwrap_or("").to_owned();
    if query.trim().is_empty() || query.chars().count() > 256 {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_FILTER",
            "filter[query] must hold 1 to 256 characters",
            Some(("parameter", "filter[query]")),
        );
    }
    if p.one("explicitFilter")
        .is_some_and(|e| !matches!(e, "INCLUDE" | "EXCLUDE"))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_ENUM_VALUE",
            "explicitFilter must be INCLUDE or EXCLUDE",
            Some(("parameter", "explicitFilter")),
        );
    }
    let hits: Vec<&CatalogueTrack> = search(&st.catalogue, &query)
        .into_iter()
        .filter(|t| t.available_in(&country))
        .collect();
    let size = shared.faults.page_size(st.page_size, st.page_size);
    let page: Vec<&CatalogueTrack> = hits.iter().take(size).copied().collect();
    let search_id = numeric_id(&format!("search|{query}|{country}"));
    let mut tracks_rel =
        json!({"links": {"self": format!("/searchResults/{search_id}/relationships/tracks")}});
    if inc.contains("tracks") {
        tracks_rel["data"] = json!(
            page.iter()
                .map(|t| json!({"id": t.id, "type": "tracks"}))
                .collect::<Vec<_>>()
        );
        if hits.len() > page.len() {
            tracks_rel["links"]["meta"] = json!({"nextCursor": "more"});
        }
    }
    let mut d = json!({"data": {
        "id": search_id,
        "type": "searchResults",
        "attributes": {"trackingId": uuid(), "didYouMean": null},
        "relationships": {"tracks": tracks_rel,
                          "artists": {"links": {"self": format!("/searchResults/{search_id}/relationships/artists")}}},
    }, "links": {"self": "/searchResults"}});
    if inc.contains("tracks") {
        d["included"] = json!(included(
            &page,
            true,
            inc.contains("tracks.artists"),
            inc.contains("tracks.albums")
        ));
    }
    doc(StatusCode::OK, &d)
}

/// Anything else under the API.
pub(crate) async fn fallback() -> Response {
    not_found("resource")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_without_includes_has_no_relationship_data() {
        let t = CatalogueTrack::new("T", &["A"], "B", 61, "X");
        let v = track_resource(&t, false, false);
        assert!(v["relationships"]["artists"].get("data").is_none());
        assert_eq!(v["attributes"]["duration"], "PT1M1S");
        let v = track_resource(&t, true, true);
        assert_eq!(v["relationships"]["artists"]["data"][0]["type"], "artists");
    }
}
