//! The 2026 web player's Firefly GraphQL surface (research §7): the only
//! private surface with ISRCs.
//!
//! - **Operations.** Three fixed query documents ([`GqlOp`]): own
//!   playlists, a playlist's tracks, the library's tracks. There is no
//!   mutation in this crate, so none can be sent.
//! - **Auth.** `authorization: AmznMusic <base64 {deviceId, deviceType,
//!   access_token}>` from the session config, and the web client's
//!   `x-api-key`, found at run time in the player page or its scripts (it
//!   differs between player builds, so it is never hard-coded).
//! - **Paging.** `pageInfo {hasNextPage token}`; the server decides the page
//!   size, so only `hasNextPage` ends a read. `hasNextPage` without a token,
//!   or a token seen before, is an error, never a loop or a short list.
//! - **Errors.** 401 and `errors[UNAUTHENTICATED]` in a 200 mean an expired
//!   token (renewed once by the transport); 403 means the API key was
//!   refused (looked up again once); 400 ("Cannot query field") and 404 mean
//!   the surface changed, which the reader answers by trying the legacy
//!   surface. A 200 without `data` is a protocol error.
//! - **Library.** `user.tracks` is what public clients read as the library;
//!   research §7.2 notes it is not proven to equal "My Music" everywhere.

use crate::error::{SERVICE, expired, protocol};
use crate::model::Loose;
use crate::transport::{Call, Transport};
use musync_core::{ErrorKind, Playlist, PlaylistId, Progress, ServiceError, Track};
use musync_http::HttpResponse;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;

/// Items asked per page (the server may send fewer).
const PAGE_LIMIT: usize = 100;
/// A hard stop for paging, far above any real library (in pages).
const MAX_PAGES: usize = 20_000;

/// The GraphQL reads musync makes; nothing else can be named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GqlOp {
    /// `user.playlists(roleFilter: OWNER)`.
    OwnedPlaylists,
    /// `playlist(id).tracks`.
    PlaylistTracks,
    /// `user.tracks` (the library).
    LibraryTracks,
}

const TRACK_NODE: &str = "id title isrc duration album { id title } \
     contributingArtists { edges { role node { id name } } }";

impl GqlOp {
    /// The `operationName`.
    pub fn name(self) -> &'static str {
        match self {
            GqlOp::OwnedPlaylists => "OwnedPlaylists",
            GqlOp::PlaylistTracks => "PlaylistTracks",
            GqlOp::LibraryTracks => "LibraryTracks",
        }
    }

    /// The query document (always a `query`).
    pub fn document(self) -> String {
        match self {
            GqlOp::OwnedPlaylists => "query OwnedPlaylists($cursor: String, $limit: Int) { user { \
                 playlists(roleFilter: OWNER, sortBy: \"RECENTLY_UPDATED\", cursor: $cursor, \
                 limit: $limit) { edges { node { id title trackCount } } \
                 pageInfo { hasNextPage token } } } }"
                .to_owned(),
            GqlOp::PlaylistTracks => format!(
                "query PlaylistTracks($id: String!, $cursor: String, $limit: Int) {{ \
                 playlist(id: $id) {{ id tracks(limit: $limit, cursor: $cursor) {{ \
                 edges {{ cursor itemId node {{ {TRACK_NODE} }} }} \
                 pageInfo {{ hasNextPage token }} }} }} }}"
            ),
            GqlOp::LibraryTracks => format!(
                "query LibraryTracks($cursor: String, $limit: Int) {{ user {{ \
                 tracks(limit: $limit, cursor: $cursor) {{ edges {{ cursor node {{ {TRACK_NODE} }} }} \
                 pageInfo {{ hasNextPage token }} }} }} }}"
            ),
        }
    }
}

/// The shared layer's classifier for GraphQL answers.
pub(crate) fn classify(_service: &str, op: &str, r: &HttpResponse) -> Option<ServiceError> {
    let body: Option<Value> = serde_json::from_slice(&r.body).ok();
    let errors = body
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty());
    match r.status {
        401 => Some(expired(op).with_status(r.status)),
        // The API key, not the session (research §10.3): no renewal, and
        // no reason to leave the direct transport; the reader looks the key
        // up again, then falls back to the legacy surface.
        403 => Some(
            protocol(
                op,
                "Amazon Music's GraphQL API refused the web client's key (HTTP 403)",
            )
            .with_status(403),
        ),
        400 | 404 | 405 | 410 => Some(
            protocol(
                op,
                format!(
                    "Amazon Music's GraphQL API refused the query (HTTP {}{})",
                    r.status,
                    errors
                        .map(|e| format!(": {}", describe(e)))
                        .unwrap_or_default()
                ),
            )
            .with_status(r.status),
        ),
        200..=299 => {
            let Some(body) = body.as_ref() else {
                return Some(protocol(op, "the GraphQL answer was not JSON").with_status(r.status));
            };
            if let Some(errors) = errors {
                let code = |e: &Value| {
                    e.pointer("/extensions/code")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_uppercase()
                };
                let text = |e: &Value| {
                    e.get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_lowercase()
                };
                if errors.iter().any(|e| {
                    matches!(code(e).as_str(), "UNAUTHENTICATED" | "UNAUTHORIZED")
                        || text(e).contains("unauthorized")
                        || text(e).contains("token expired")
                }) {
                    return Some(expired(op).with_status(401));
                }
                if errors.iter().any(|e| code(e) == "NOT_FOUND") {
                    return Some(ServiceError::new(
                        ErrorKind::NotFound,
                        SERVICE,
                        op,
                        format!(
                            "Amazon Music does not know this playlist ({}); `musync playlists` lists them",
                            describe(errors)
                        ),
                    ));
                }
                return Some(protocol(
                    op,
                    format!("Amazon Music answered with errors: {}", describe(errors)),
                ));
            }
            if body.get("data").is_none_or(Value::is_null) {
                return Some(protocol(op, "the GraphQL answer has no `data`"));
            }
            None
        }
        _ => None,
    }
}

fn describe(errors: &[Value]) -> String {
    errors
        .iter()
        .take(2)
        .filter_map(|e| e.get("message").and_then(Value::as_str))
        .map(|m| m.chars().take(120).collect::<String>())
        .collect::<Vec<_>>()
        .join("; ")
}

// Wire shapes, every field optional (checked below with the operation name).

#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
}

#[derive(Deserialize)]
struct UserData<N> {
    user: Option<UserField<N>>,
}

#[derive(Deserialize)]
struct UserField<N> {
    playlists: Option<Connection<N>>,
    tracks: Option<Connection<N>>,
}

#[derive(Deserialize)]
struct PlaylistData {
    playlist: Option<PlaylistField>,
}

#[derive(Deserialize)]
struct PlaylistField {
    tracks: Option<Connection<TrackNode>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<N> {
    edges: Option<Vec<Edge<N>>>,
    page_info: Option<PageInfo>,
}

#[derive(Deserialize)]
struct Edge<N> {
    node: Option<N>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    #[serde(default)]
    has_next_page: Loose,
    #[serde(default)]
    token: Loose,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlaylistNode {
    #[serde(default)]
    id: Loose,
    #[serde(default)]
    title: Loose,
    #[serde(default)]
    track_count: Loose,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackNode {
    #[serde(default)]
    id: Loose,
    #[serde(default)]
    title: Loose,
    #[serde(default)]
    isrc: Loose,
    #[serde(default)]
    duration: Loose,
    album: Option<AlbumNode>,
    contributing_artists: Option<Connection<ArtistNode>>,
}

#[derive(Deserialize)]
struct AlbumNode {
    #[serde(default)]
    title: Loose,
}

/// The artist of a `contributingArtists` edge (`{role, node {id name}}`).
#[derive(Deserialize)]
struct ArtistNode {
    #[serde(default)]
    name: Loose,
}

/// Amazon's stand-ins for a missing name.
fn real_name(v: &Loose) -> Option<String> {
    let text = v.text()?;
    let lower = text.to_lowercase();
    (!matches!(lower.as_str(), "unknown artist" | "unknown album")).then_some(text)
}

fn track(node: &TrackNode, position: usize, op: &str) -> Result<Track, ServiceError> {
    let id = node.id.text().ok_or_else(|| {
        protocol(
            op,
            format!("track {} in the GraphQL answer has no `id`", position + 1),
        )
    })?;
    let artists: Vec<String> = node
        .contributing_artists
        .as_ref()
        .and_then(|c| c.edges.as_ref())
        .map(|edges| {
            edges
                .iter()
                .filter_map(|e| e.node.as_ref())
                .filter_map(|a| real_name(&a.name))
                .collect()
        })
        .unwrap_or_default();
    let mut t = Track::new(node.title.text().unwrap_or_default(), "").with_artists(artists);
    if let Some(album) = node.album.as_ref().and_then(|a| real_name(&a.title)) {
        t = t.with_album(album);
    }
    if let Some(seconds) = node.duration.number().filter(|s| *s > 0.0) {
        t = t.with_duration_s(seconds.round() as u32);
    }
    if let Some(isrc) = node.isrc.text() {
        t = t.with_isrc(isrc);
    }
    Ok(t.with_id(id))
}

fn decode<T: DeserializeOwned>(op: &str, body: &[u8]) -> Result<T, ServiceError> {
    serde_json::from_slice(body).map_err(|e| {
        protocol(
            op,
            format!(
                "the GraphQL answer was not the expected JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads an account through the GraphQL surface.
pub(crate) struct GraphqlReader {
    transport: Arc<dyn Transport>,
}

/// Where paging stands: the next cursor and every token seen.
struct Cursor {
    next: Option<String>,
    seen: HashSet<String>,
    pages: usize,
}

impl Cursor {
    fn new() -> Self {
        Cursor {
            next: None,
            seen: HashSet::new(),
            pages: 0,
        }
    }

    /// Takes a page's `pageInfo`; `false` when the read is complete.
    fn advance(
        &mut self,
        info: Option<&PageInfo>,
        op: &str,
        read: usize,
    ) -> Result<bool, ServiceError> {
        self.pages += 1;
        let info = info.ok_or_else(|| protocol(op, "a GraphQL page has no `pageInfo`"))?;
        let has_next = match info.has_next_page.text().as_deref() {
            Some("true") => true,
            Some("false") | None => false,
            Some(other) => {
                return Err(protocol(op, format!("`hasNextPage` is {other:?}")));
            }
        };
        if !has_next {
            return Ok(false);
        }
        let token = info.token.text().ok_or_else(|| {
            protocol(
                op,
                format!("`hasNextPage` is true but the page token is empty after {read} items"),
            )
        })?;
        if !self.seen.insert(token.clone()) {
            return Err(protocol(
                op,
                format!(
                    "Amazon Music sent the same page token twice after {read} items (paging did \
                     not advance); stopped instead of reading the same pages forever"
                ),
            ));
        }
        if self.pages >= MAX_PAGES {
            return Err(protocol(op, "the list never ended"));
        }
        self.next = Some(token);
        Ok(true)
    }

    fn variables(&self, mut base: Value) -> Value {
        base["limit"] = json!(PAGE_LIMIT);
        if let Some(c) = &self.next {
            base["cursor"] = json!(c);
        }
        base
    }
}

fn op_name(what: &str, op: GqlOp) -> String {
    format!("{what} (GraphQL {})", op.name())
}

impl GraphqlReader {
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        GraphqlReader { transport }
    }

    /// Every playlist the customer owns.
    pub async fn owned_playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        let gop = GqlOp::OwnedPlaylists;
        let op = op_name("listing playlists", gop);
        let mut out: Vec<Playlist> = Vec::new();
        let mut cursor = Cursor::new();
        loop {
            let call = Call::Graphql(gop, cursor.variables(json!({})));
            let body = self.transport.call(&call, &op).await?;
            let env: Envelope<UserData<PlaylistNode>> = decode(&op, &body)?;
            let conn = env
                .data
                .and_then(|d| d.user)
                .and_then(|u| u.playlists)
                .ok_or_else(|| protocol(&op, "the answer has no `user.playlists`"))?;
            for node in conn.edges.iter().flatten().filter_map(|e| e.node.as_ref()) {
                let id = node
                    .id
                    .text()
                    .ok_or_else(|| protocol(&op, "a playlist in the answer has no `id`"))?;
                if out.iter().any(|p| p.id.as_str() == id) {
                    return Err(protocol(&op, format!("playlist {id} was listed twice")));
                }
                out.push(Playlist {
                    id: PlaylistId::new(id),
                    name: node.title.text().unwrap_or_default(),
                    writable: false,
                    track_count: node
                        .track_count
                        .number()
                        .filter(|n| *n >= 0.0)
                        .map(|n| n as u64),
                    // The surface lists the customer's own playlists only.
                    owned: true,
                });
            }
            if !cursor.advance(conn.page_info.as_ref(), &op, out.len())? {
                return Ok(out);
            }
        }
    }

    /// One playlist's tracks, in order.
    pub async fn playlist_tracks(
        &self,
        id: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        let gop = GqlOp::PlaylistTracks;
        let op = op_name("reading a playlist", gop);
        let mut cursor = Cursor::new();
        let mut out = Vec::new();
        loop {
            let call = Call::Graphql(gop, cursor.variables(json!({ "id": id.as_str() })));
            let body = self.transport.call(&call, &op).await?;
            let env: Envelope<PlaylistData> = decode(&op, &body)?;
            let playlist = env
                .data
                .ok_or_else(|| protocol(&op, "the answer has no `data`"))?
                .playlist
                .ok_or_else(|| {
                    ServiceError::new(
                        ErrorKind::NotFound,
                        SERVICE,
                        &op,
                        format!("Amazon Music does not know playlist {id}; `musync playlists` lists them"),
                    )
                })?;
            let conn = playlist
                .tracks
                .ok_or_else(|| protocol(&op, "the playlist has no `tracks`"))?;
            self.take_tracks(&conn, &op, &mut out, progress)?;
            if !cursor.advance(conn.page_info.as_ref(), &op, out.len())? {
                return Ok(out);
            }
        }
    }

    /// The library's tracks.
    pub async fn library(&self, progress: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        let gop = GqlOp::LibraryTracks;
        let op = op_name("reading My Music", gop);
        let mut cursor = Cursor::new();
        let mut out = Vec::new();
        loop {
            let call = Call::Graphql(gop, cursor.variables(json!({})));
            let body = self.transport.call(&call, &op).await?;
            let env: Envelope<UserData<TrackNode>> = decode(&op, &body)?;
            let conn = env
                .data
                .and_then(|d| d.user)
                .and_then(|u| u.tracks)
                .ok_or_else(|| protocol(&op, "the answer has no `user.tracks`"))?;
            self.take_tracks(&conn, &op, &mut out, progress)?;
            if !cursor.advance(conn.page_info.as_ref(), &op, out.len())? {
                return Ok(out);
            }
        }
    }

    fn take_tracks(
        &self,
        conn: &Connection<TrackNode>,
        op: &str,
        out: &mut Vec<Track>,
        progress: &dyn Progress,
    ) -> Result<(), ServiceError> {
        let edges = conn
            .edges
            .as_ref()
            .ok_or_else(|| protocol(op, "a page has no `edges`"))?;
        for edge in edges {
            let node = edge
                .node
                .as_ref()
                .ok_or_else(|| protocol(op, format!("track {} has no `node`", out.len() + 1)))?;
            let position = out.len();
            out.push(track(node, position, op)?);
        }
        progress.advance(edges.len() as u64);
        Ok(())
    }
}

/// The web client's GraphQL key in `text`: `amzn1.application.` and 32 hex
/// digits.
pub(crate) fn find_api_key(text: &str) -> Option<String> {
    const PREFIX: &str = "amzn1.application.";
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let tail = &rest[at + PREFIX.len()..];
        let hex: String = tail.chars().take_while(char::is_ascii_hexdigit).collect();
        if hex.len() == 32 {
            return Some(format!("{PREFIX}{hex}"));
        }
        rest = tail;
    }
    None
}

/// Same-origin script addresses (`src="/…"`) in a page, at most `max`.
pub(crate) fn script_paths(html: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("<script").skip(1) {
        let tag = part.split('>').next().unwrap_or("");
        let Some(at) = tag.find("src=") else { continue };
        let value = &tag[at + 4..];
        let quote = value.chars().next().unwrap_or(' ');
        let src: String = if quote == '"' || quote == '\'' {
            value[1..].chars().take_while(|c| *c != quote).collect()
        } else {
            value.chars().take_while(|c| !c.is_whitespace()).collect()
        };
        if src.starts_with('/') && !src.starts_with("//") && out.len() < max {
            out.push(src);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_queries_with_paging_and_isrc() {
        for op in [
            GqlOp::OwnedPlaylists,
            GqlOp::PlaylistTracks,
            GqlOp::LibraryTracks,
        ] {
            let d = op.document();
            assert!(d.starts_with(&format!("query {}", op.name())), "{d}");
            assert!(!d.contains("mutation"));
            assert!(d.contains("pageInfo { hasNextPage token }"));
        }
        assert!(GqlOp::PlaylistTracks.document().contains("isrc"));
    }

    #[test]
    fn expired_tokens_in_200s_and_refusals_are_told_apart() {
        let r = |status, body: &str| HttpResponse::new(status, body);
        let e = classify(
            SERVICE,
            "op",
            &r(200, r#"{"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        let e = classify(
            SERVICE,
            "op",
            &r(400, r#"{"errors":[{"message":"Cannot query field x"}]}"#),
        )
        .unwrap();
        assert_eq!((e.kind, e.status), (ErrorKind::Protocol, Some(400)));
        assert!(e.message.contains("Cannot query field x"));
        let e = classify(SERVICE, "op", &r(200, r#"{"data":null}"#)).unwrap();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert!(classify(SERVICE, "op", &r(200, r#"{"data":{"user":null}}"#)).is_none());
        assert!(classify(SERVICE, "op", &r(503, "")).is_none());
    }

    #[test]
    fn api_keys_and_scripts_are_found_in_pages() {
        let key = format!("amzn1.application.{}", "ab12".repeat(8));
        assert_eq!(
            find_api_key(&format!("x amzn1.application.short y apiKey:\"{key}\"")),
            Some(key)
        );
        assert_eq!(find_api_key("nothing here"), None);
        let html = r#"<script src="/assets/a.js"></script><script>inline</script>
            <script defer src='//cdn/x.js'></script><script src=/b.js async></script>"#;
        assert_eq!(script_paths(html, 10), ["/assets/a.js", "/b.js"]);
    }

    #[test]
    fn paging_refuses_empty_and_repeated_tokens() {
        let info = |next: bool, token: &str| PageInfo {
            has_next_page: Loose(Some(json!(next))),
            token: Loose(Some(json!(token))),
        };
        let mut c = Cursor::new();
        assert!(c.advance(Some(&info(true, "t1")), "op", 10).unwrap());
        let e = c.advance(Some(&info(true, "t1")), "op", 20).unwrap_err();
        assert!(e.message.contains("did not advance"), "{}", e.message);
        let e = Cursor::new()
            .advance(Some(&info(true, "")), "op", 5)
            .unwrap_err();
        assert!(e.message.contains("token is empty"), "{}", e.message);
        assert!(
            !Cursor::new()
                .advance(Some(&info(false, "")), "op", 5)
                .unwrap()
        );
    }
}
