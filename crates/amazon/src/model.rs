//! Wire types: the JSON of Amazon Music's web player, shaped exactly as it
//! arrives (see the research notes §3.2 and §4).
//!
//! None of this is a documented contract, and public clients saw numbers and
//! booleans arrive as strings and fields come and go. So every field is
//! optional and every scalar is a [`Loose`] value that is interpreted when
//! converted; whether a missing field is an error is decided in
//! `convert.rs`/`client.rs`, which can name the operation.

use musync_core::Secret;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A scalar that may arrive as a string, a number, a boolean or null.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Loose(pub Option<Value>);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Loose(Option::<Value>::deserialize(d)?))
    }
}

impl Loose {
    /// The value as text: strings as they are, numbers and booleans
    /// printed; `None` for null, objects, arrays and blank strings.
    pub fn text(&self) -> Option<String> {
        let s = match self.0.as_ref()? {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    }

    /// The value as a number: numbers, or strings holding one.
    pub fn number(&self) -> Option<f64> {
        match self.0.as_ref()? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|n| n.is_finite())
    }
}

/// A secret that may arrive as a string or a number (`csrf.ts` is both in
/// the wild).
fn loose_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    Ok(Secret::new(
        Loose::deserialize(d)?.text().unwrap_or_default(),
    ))
}

/// The csrf triple the legacy API wants as headers.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Csrf {
    #[serde(default, deserialize_with = "loose_secret")]
    pub token: Secret,
    #[serde(default, deserialize_with = "loose_secret")]
    pub ts: Secret,
    #[serde(default, deserialize_with = "loose_secret")]
    pub rnd: Secret,
}

/// The web player's session configuration: `/config.json?skipToken=false`,
/// or `window.amznMusic.appConfig` in the page. Signed out, `customerId`
/// and `accessToken` are empty. Only what the two API surfaces need is read;
/// the whole JSON is kept as a secret.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppConfig {
    #[serde(default, deserialize_with = "loose_secret")]
    pub access_token: Secret,
    #[serde(default)]
    pub session_id: Loose,
    #[serde(default)]
    pub version: Loose,
    #[serde(default)]
    pub csrf: Option<Csrf>,
    #[serde(default)]
    pub customer_id: Loose,
    #[serde(default)]
    pub device_id: Loose,
    #[serde(default)]
    pub device_type: Loose,
    #[serde(default)]
    pub marketplace_id: Loose,
    #[serde(default)]
    pub music_territory: Loose,
    #[serde(default)]
    pub site_region: Loose,
}

/// `getOwnedPlaylistsInLibrary` answer.
#[derive(Debug, Deserialize)]
pub(crate) struct OwnedPlaylists {
    #[serde(default)]
    pub playlists: Option<Vec<OwnedPlaylist>>,
}

/// One owned playlist in the listing.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OwnedPlaylist {
    #[serde(default)]
    pub playlist_id: Loose,
    #[serde(default)]
    pub title: Loose,
    #[serde(default)]
    pub total_track_count: Loose,
    #[serde(default)]
    pub track_count: Loose,
}

/// `getPlaylistsByIdV2` answer.
#[derive(Debug, Deserialize)]
pub(crate) struct PlaylistsById {
    #[serde(default)]
    pub errors: Option<Vec<Value>>,
    #[serde(default)]
    pub playlists: Option<Vec<PlaylistWithTracks>>,
}

/// One playlist with its tracks.
#[derive(Debug, Deserialize)]
pub(crate) struct PlaylistWithTracks {
    #[serde(default)]
    pub metadata: Option<PlaylistMetadata>,
    #[serde(default)]
    pub tracks: Option<Vec<PlaylistEntry>>,
}

/// A playlist's own metadata in `getPlaylistsByIdV2`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlaylistMetadata {
    #[serde(default)]
    pub playlist_id: Loose,
}

/// One playlist entry: `{"metadata": {"requestedMetadata": {…}}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct PlaylistEntry {
    #[serde(default)]
    pub metadata: Option<EntryMetadata>,
}

/// The wrapper around the requested track fields.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EntryMetadata {
    #[serde(default)]
    pub requested_metadata: Option<TrackMetadata>,
}

/// The track fields both `getPlaylistsByIdV2` and Cirrus `getTracks` use.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TrackMetadata {
    #[serde(default)]
    pub asin: Loose,
    #[serde(default)]
    pub object_id: Loose,
    #[serde(default)]
    pub title: Loose,
    #[serde(default)]
    pub artist_name: Loose,
    #[serde(default)]
    pub album_name: Loose,
    #[serde(default)]
    pub duration: Loose,
}

/// Cirrus v3 `getTracks` answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LibraryTracks {
    #[serde(default)]
    pub result_list: Option<Vec<LibraryItem>>,
    #[serde(default)]
    pub total_count: Loose,
    #[serde(default)]
    pub next_token: Loose,
}

/// One library item: `{"metadata": {…}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct LibraryItem {
    #[serde(default)]
    pub metadata: Option<TrackMetadata>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_values_read_strings_numbers_and_booleans() {
        let v: Vec<Loose> =
            serde_json::from_str(r#"["12", 12, 12.5, true, "  ", null, {"a":1}]"#).unwrap();
        assert_eq!(v[0].number(), Some(12.0));
        assert_eq!(v[1].text().as_deref(), Some("12"));
        assert_eq!(v[2].number(), Some(12.5));
        assert_eq!(v[3].text().as_deref(), Some("true"));
        assert_eq!(v[4].text(), None);
        assert_eq!(v[5].number(), None);
        assert_eq!(v[6].text(), None);
    }

    #[test]
    fn config_reads_numeric_csrf_ts_and_hides_secrets() {
        let c: AppConfig = serde_json::from_str(
            r#"{"accessToken":"Atna|x","csrf":{"token":"S3cr3tCsrf","ts":1700000000,"rnd":"42"},
                "customerId":"A1","siteRegion":"EU","extra":{"ignored":true}}"#,
        )
        .unwrap();
        let csrf = c.csrf.clone().unwrap();
        assert_eq!(csrf.ts.expose(), "1700000000");
        assert_eq!(c.customer_id.text().as_deref(), Some("A1"));
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("Atna|x") && !shown.contains("S3cr3tCsrf"),
            "{shown}"
        );
    }
}
