//! Wire types of the Subsonic JSON API (`f=json`), lenient where servers
//! differ: ids may be strings or numbers, lists may be missing (Supysonic
//! sends `"playlists": {}`), `isrc` is an array in OpenSubsonic but may be
//! a string elsewhere.

use serde::{Deserialize, Deserializer};

/// An id sent as a string or a number.
fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("an id, not {other}"))),
    }
}

/// One string or a list of strings.
fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(a) => a
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    })
}

/// A song (`Child`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Child {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub artist: Option<String>,
    #[serde(default)]
    pub display_artist: Option<String>,
    #[serde(default)]
    pub artists: Vec<NamedRef>,
    #[serde(default)]
    pub album: Option<String>,
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default, deserialize_with = "strings")]
    pub isrc: Vec<String>,
    #[serde(default)]
    pub is_dir: bool,
}

/// `{id, name}` of an OpenSubsonic artist list.
#[derive(Clone, Debug, Deserialize)]
pub struct NamedRef {
    #[serde(default)]
    pub name: String,
}

/// A playlist as `getPlaylists` lists it (and `getPlaylist` with entries).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Playlist {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub song_count: Option<u64>,
    /// OpenSubsonic: smart or imported playlists whose songs cannot change.
    #[serde(default)]
    pub readonly: bool,
    #[serde(default)]
    pub entry: Vec<Child>,
}

/// `playlists: {playlist: [...]}`.
#[derive(Debug, Default, Deserialize)]
pub struct Playlists {
    #[serde(default)]
    pub playlist: Vec<Playlist>,
}

/// `searchResult3` / `starred2`: only songs matter here.
#[derive(Debug, Default, Deserialize)]
pub struct Songs {
    #[serde(default)]
    pub song: Vec<Child>,
}

/// One entry of `openSubsonicExtensions`.
#[derive(Debug, Deserialize)]
pub struct Extension {
    pub name: String,
}

/// `tokenInfo` (OpenSubsonic API keys).
#[derive(Debug, Deserialize)]
pub struct TokenInfo {
    pub username: String,
}

/// The `error` object of a failed envelope.
#[derive(Debug, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub message: String,
}
