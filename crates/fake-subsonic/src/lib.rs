//! A stateful fake OpenSubsonic server on 127.0.0.1, for what the real
//! supysonic cannot show: token auth (md5 + salt) and its refusal (error
//! 41), OpenSubsonic API keys (`apiKey` without `u`, `tokenInfo`), the
//! `formPost` extension, `isrc` on songs, Navidrome's word search over
//! title, artist and album with case and accents folded, `createPlaylist`
//! answering with the new playlist, read-only (smart) playlists refusing
//! edits with error 50, and the shared fault switches of musync's testkit.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use md5::{Digest, Md5};
use musync_testkit::{Fault, Faults};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

/// A song in the fake's library.
#[derive(Clone, Debug)]
pub struct FakeSong {
    /// Id (`tr-N`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Artist.
    pub artist: String,
    /// Album.
    pub album: String,
    /// Seconds.
    pub duration: u32,
    /// ISRC, sent as an array.
    pub isrc: Option<String>,
}

/// A playlist.
#[derive(Clone, Debug)]
pub struct FakePlaylist {
    /// Id (`pl-N`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Owner's user name.
    pub owner: String,
    /// Listed for other users.
    pub public: bool,
    /// A smart playlist: songs cannot change.
    pub readonly: bool,
    /// Song ids in order.
    pub songs: Vec<String>,
}

/// How the fake behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// Token auth accepted (else error 41, as for LDAP users).
    pub token_auth: bool,
    /// Lists `apiKeyAuthentication` and accepts `apiKey`.
    pub api_keys: bool,
    /// Lists `formPost` and accepts POST bodies.
    pub form_post: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token_auth: true,
            api_keys: true,
            form_post: true,
        }
    }
}

/// Everything the fake knows.
#[derive(Default)]
pub struct FakeState {
    /// User name → password.
    pub users: HashMap<String, String>,
    /// API key → user name.
    pub api_keys: HashMap<String, String>,
    /// The library.
    pub songs: Vec<FakeSong>,
    /// Every user's playlists.
    pub playlists: Vec<FakePlaylist>,
    /// User → starred song ids, in starring order.
    pub starred: HashMap<String, Vec<String>>,
    /// Behaviour switches.
    pub options: Options,
    /// Every request's method and whether it came as a POST body.
    pub calls: Vec<(String, bool)>,
    next_id: usize,
}

/// A running fake.
pub struct FakeSubsonic {
    state: Arc<Mutex<FakeState>>,
    faults: Faults,
    url: String,
    _served: musync_testkit::Served,
}

type Shared = (Arc<Mutex<FakeState>>, Faults);

impl FakeSubsonic {
    /// Starts on a free loopback port.
    pub async fn start(options: Options) -> FakeSubsonic {
        let state = Arc::new(Mutex::new(FakeState {
            options,
            ..FakeState::default()
        }));
        let faults = Faults::new();
        let app = Router::new()
            .route("/rest/{method}", any(handle))
            .layer(faults.layer(render_fault))
            .with_state((state.clone(), faults.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        FakeSubsonic {
            state,
            faults,
            url,
            _served: musync_testkit::serve(listener, app, "fake Subsonic"),
        }
    }

    /// The base address (musync adds `/rest/`).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The state, to seed and inspect.
    pub fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fault switches.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Adds a user with a password.
    pub fn add_user(&self, name: &str, password: &str) {
        self.state()
            .users
            .insert(name.to_owned(), password.to_owned());
    }

    /// Issues an API key for a user.
    pub fn add_api_key(&self, user: &str, key: &str) {
        self.state()
            .api_keys
            .insert(key.to_owned(), user.to_owned());
    }

    /// Adds a song and returns its id.
    pub fn add_song(
        &self,
        title: &str,
        artist: &str,
        album: &str,
        duration: u32,
        isrc: Option<&str>,
    ) -> String {
        let mut st = self.state();
        st.next_id += 1;
        let id = format!("tr-{}", st.next_id);
        st.songs.push(FakeSong {
            id: id.clone(),
            title: title.into(),
            artist: artist.into(),
            album: album.into(),
            duration,
            isrc: isrc.map(str::to_owned),
        });
        id
    }

    /// Adds a playlist and returns its id.
    pub fn add_playlist(
        &self,
        owner: &str,
        name: &str,
        songs: &[String],
        public: bool,
        readonly: bool,
    ) -> String {
        let mut st = self.state();
        st.next_id += 1;
        let id = format!("pl-{}", st.next_id);
        st.playlists.push(FakePlaylist {
            id: id.clone(),
            name: name.into(),
            owner: owner.into(),
            public,
            readonly,
            songs: songs.to_vec(),
        });
        id
    }

    /// The song ids of a playlist.
    pub fn playlist_songs(&self, id: &str) -> Vec<String> {
        self.state()
            .playlists
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.songs.clone())
            .unwrap_or_default()
    }
}

fn envelope(status: &str, mut payload: Value) -> Value {
    let obj = payload.as_object_mut().expect("an object");
    obj.insert("status".into(), json!(status));
    obj.insert("version".into(), json!("1.16.1"));
    obj.insert("type".into(), json!("fake-navidrome"));
    obj.insert("serverVersion".into(), json!("0.0.1"));
    obj.insert("openSubsonic".into(), json!(true));
    json!({ "subsonic-response": payload })
}

fn ok(payload: Value) -> Response {
    axum::Json(envelope("ok", payload)).into_response()
}

fn failed(code: i64, message: &str) -> Response {
    axum::Json(envelope(
        "failed",
        json!({"error": {"code": code, "message": message}}),
    ))
    .into_response()
}

/// Each shared fault as a Subsonic server behind a proxy answers it.
fn render_fault(fault: &Fault) -> Response {
    match fault {
        Fault::Expired => failed(40, "Wrong username or password"),
        Fault::RateLimited(after) => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response();
            if let Some(s) = after {
                r.headers_mut().insert(header::RETRY_AFTER, s.to_string().parse().expect("a number"));
            }
            r
        }
        Fault::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        Fault::WrongShape => axum::Json(json!({"subsonic-response": {"status": "ok", "playlist": "surprise", "playlists": 7, "starred2": []}})).into_response(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

fn song_json(s: &FakeSong) -> Value {
    json!({
        "id": s.id, "title": s.title, "artist": s.artist, "album": s.album, "duration": s.duration,
        "isDir": false, "type": "music", "mediaType": "song",
        "isrc": s.isrc.iter().collect::<Vec<_>>(),
        "artists": [{"id": format!("ar-{}", fold(&s.artist)), "name": s.artist}],
        "displayArtist": s.artist,
    })
}

/// Who is asking, or the error to answer.
fn authenticate(st: &FakeState, p: &HashMap<String, Vec<String>>) -> Result<String, Response> {
    let one = |k: &str| p.get(k).and_then(|v| v.first()).cloned();
    if let Some(key) = one("apiKey") {
        if !st.options.api_keys {
            return Err(failed(42, "API keys are not supported"));
        }
        if one("u").is_some() {
            return Err(failed(
                43,
                "Multiple conflicting authentication mechanisms provided",
            ));
        }
        return st
            .api_keys
            .get(&key)
            .cloned()
            .ok_or_else(|| failed(44, "Invalid API key"));
    }
    let Some(user) = one("u") else {
        return Err(failed(10, "Required parameter is missing: u"));
    };
    let Some(password) = st.users.get(&user) else {
        return Err(failed(40, "Wrong username or password"));
    };
    let good = if let (Some(t), Some(s)) = (one("t"), one("s")) {
        if !st.options.token_auth {
            return Err(failed(41, "Token authentication not supported"));
        }
        let mut h = Md5::new();
        h.update(password.as_bytes());
        h.update(s.as_bytes());
        hex(&h.finalize()) == t
    } else if let Some(p) = one("p") {
        match p.strip_prefix("enc:") {
            Some(h) => h == hex(password.as_bytes()),
            None => &p == password,
        }
    } else {
        return Err(failed(10, "Required parameter is missing: p or t"));
    };
    if good {
        Ok(user)
    } else {
        Err(failed(40, "Wrong username or password"))
    }
}

async fn handle(
    State((state, _faults)): State<Shared>,
    Path(method): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let method = method.trim_end_matches(".view").to_owned();
    let posted = !body.is_empty();
    let mut p: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .chain(url::form_urlencoded::parse(&body))
    {
        p.entry(k.into_owned()).or_default().push(v.into_owned());
    }
    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
    st.calls.push((method.clone(), posted));
    if posted && !st.options.form_post {
        return (StatusCode::METHOD_NOT_ALLOWED, "no form posts").into_response();
    }
    if method == "getOpenSubsonicExtensions" {
        let mut ext = vec![json!({"name": "songLyrics", "versions": [1]})];
        if st.options.form_post {
            ext.push(json!({"name": "formPost", "versions": [1]}));
        }
        if st.options.api_keys {
            ext.push(json!({"name": "apiKeyAuthentication", "versions": [1]}));
        }
        return ok(json!({ "openSubsonicExtensions": ext }));
    }
    let user = match authenticate(&st, &p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let one = |k: &str| p.get(k).and_then(|v| v.first()).cloned();
    let many = |k: &str| p.get(k).cloned().unwrap_or_default();
    let st = &mut *st;
    match method.as_str() {
        "ping" => ok(json!({})),
        "tokenInfo" => ok(json!({"tokenInfo": {"username": user}})),
        "getPlaylists" => {
            let list: Vec<Value> = st
                .playlists
                .iter()
                .filter(|pl| pl.owner == user || pl.public)
                .map(|pl| {
                    json!({"id": pl.id, "name": pl.name, "owner": pl.owner, "public": pl.public,
                    "readonly": pl.readonly, "songCount": pl.songs.len()})
                })
                .collect();
            ok(json!({"playlists": {"playlist": list}}))
        }
        "getPlaylist" => {
            let Some(pl) = st
                .playlists
                .iter()
                .find(|pl| Some(&pl.id) == one("id").as_ref())
            else {
                return failed(70, "Playlist not found");
            };
            if pl.owner != user && !pl.public {
                return failed(50, "not yours");
            }
            let entry: Vec<Value> = pl
                .songs
                .iter()
                .filter_map(|id| st.songs.iter().find(|s| &s.id == id))
                .map(song_json)
                .collect();
            ok(
                json!({"playlist": {"id": pl.id, "name": pl.name, "owner": pl.owner, "readonly": pl.readonly,
                "songCount": entry.len(), "entry": entry}}),
            )
        }
        "createPlaylist" => {
            let Some(name) = one("name") else {
                return failed(10, "Required parameter is missing: name");
            };
            st.next_id += 1;
            let id = format!("pl-{}", st.next_id);
            st.playlists.push(FakePlaylist {
                id: id.clone(),
                name: name.clone(),
                owner: user.clone(),
                public: false,
                readonly: false,
                songs: many("songId"),
            });
            ok(
                json!({"playlist": {"id": id, "name": name, "owner": user, "songCount": 0, "entry": []}}),
            )
        }
        "updatePlaylist" => {
            let known: HashSet<String> = st.songs.iter().map(|s| s.id.clone()).collect();
            let Some(pl) = st
                .playlists
                .iter_mut()
                .find(|pl| Some(&pl.id) == one("playlistId").as_ref())
            else {
                return failed(70, "Playlist not found");
            };
            if pl.owner != user || pl.readonly {
                return failed(50, "User not authorized for this playlist");
            }
            let add = many("songIdToAdd");
            if add.iter().any(|id| !known.contains(id)) {
                return failed(70, "Song not found");
            }
            let mut remove: Vec<usize> = many("songIndexToRemove")
                .iter()
                .filter_map(|i| i.parse().ok())
                .collect();
            remove.sort_unstable_by(|a, b| b.cmp(a));
            remove.dedup();
            for i in remove {
                if i < pl.songs.len() {
                    pl.songs.remove(i);
                }
            }
            pl.songs.extend(add);
            ok(json!({}))
        }
        "search3" => {
            let Some(q) = one("query") else {
                return failed(10, "Required parameter is missing: query");
            };
            let count: usize = one("songCount").and_then(|c| c.parse().ok()).unwrap_or(20);
            let offset: usize = one("songOffset").and_then(|c| c.parse().ok()).unwrap_or(0);
            let q = fold(q.trim_matches('"'));
            let words: Vec<&str> = q.split_whitespace().collect();
            let song: Vec<Value> = st
                .songs
                .iter()
                .filter(|s| {
                    let hay = fold(&format!("{} {} {}", s.title, s.artist, s.album));
                    words.iter().all(|w| hay.contains(w))
                })
                .skip(offset)
                .take(count)
                .map(song_json)
                .collect();
            ok(json!({"searchResult3": {"song": song}}))
        }
        "getStarred2" => {
            let ids = st.starred.get(&user).cloned().unwrap_or_default();
            let song: Vec<Value> = ids
                .iter()
                .filter_map(|id| st.songs.iter().find(|s| &s.id == id))
                .map(|s| {
                    let mut v = song_json(s);
                    v["starred"] = json!("2026-12-02T12:00:00Z");
                    v
                })
                .collect();
            ok(json!({"starred2": {"song": song}}))
        }
        "star" => {
            let list = st.starred.entry(user).or_default();
            for id in many("id") {
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            ok(json!({}))
        }
        "unstar" => {
            let gone = many("id");
            st.starred
                .entry(user)
                .or_default()
                .retain(|id| !gone.contains(id));
            ok(json!({}))
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(envelope(
                "failed",
                json!({"error": {"code": 0, "message": "Unknown method"}}),
            )),
        )
            .into_response(),
    }
}
