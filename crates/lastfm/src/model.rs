//! Last.fm's JSON, shaped exactly like the wire (`format=json`).
//!
//! Quirks handled here so the rest of the crate need not care:
//! - numbers in `@attr` and in search totals are strings (`"total": "7790"`);
//!   [`num`] accepts strings and numbers, and an empty string as 0;
//! - a list with a single entry may arrive as a bare object ([`OneOrMany`]);
//! - recent tracks name the artist in `#text`, or in `name` with
//!   `extended=1`;
//! - an empty search may send `trackmatches` as a string instead of an object.
//!
//! Nothing here uses `deny_unknown_fields`: Last.fm adds fields freely.

use musync_core::Secret;
use serde::{Deserialize, Deserializer};

/// A list that Last.fm may write as an array or, with one entry, as the
/// entry itself.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(v) => v,
            OneOrMany::One(t) => vec![t],
        }
    }
}

/// A count Last.fm writes as a string (or sometimes a number).
pub(crate) fn num<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Num(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Num(n) => Ok(n),
        Raw::Text(s) if s.trim().is_empty() => Ok(0),
        Raw::Text(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("expected a count, found {s:?}"))),
    }
}

/// `{"token": "…"}` from `auth.getToken`.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub token: Secret,
}

/// `{"session": {"name", "key", "subscriber"}}` from `auth.getSession`.
#[derive(Deserialize)]
pub(crate) struct SessionResponse {
    pub session: Session,
}

#[derive(Deserialize)]
pub(crate) struct Session {
    pub name: String,
    pub key: Secret,
}

/// `@attr` of a paged list.
#[derive(Deserialize, Debug, Clone, Copy)]
pub(crate) struct PageAttr {
    #[serde(rename = "totalPages", deserialize_with = "num", default)]
    pub total_pages: u64,
    #[serde(deserialize_with = "num", default)]
    pub total: u64,
}

/// `{"lovedtracks": {"track": [...], "@attr": {...}}}`.
#[derive(Deserialize)]
pub(crate) struct LovedTracksResponse {
    pub lovedtracks: LovedTracks,
}

#[derive(Deserialize)]
pub(crate) struct LovedTracks {
    #[serde(default)]
    pub track: OneOrMany<LovedTrack>,
    #[serde(rename = "@attr")]
    pub attr: PageAttr,
}

#[derive(Deserialize)]
pub(crate) struct LovedTrack {
    pub name: String,
    pub artist: ArtistRef,
    #[serde(default)]
    pub url: Option<String>,
}

/// An artist as an object: `name` in loved tracks and extended recent
/// tracks, `#text` in plain recent tracks.
#[derive(Deserialize, Default)]
pub(crate) struct ArtistRef {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "#text", default)]
    pub text: Option<String>,
}

/// `{"recenttracks": {"track": [...], "@attr": {...}}}`.
#[derive(Deserialize)]
pub(crate) struct RecentTracksResponse {
    pub recenttracks: RecentTracks,
}

#[derive(Deserialize)]
pub(crate) struct RecentTracks {
    #[serde(default)]
    pub track: OneOrMany<RecentTrack>,
    #[serde(rename = "@attr")]
    pub attr: PageAttr,
}

#[derive(Deserialize)]
pub(crate) struct RecentTrack {
    pub name: String,
    #[serde(default)]
    pub artist: ArtistRef,
    #[serde(default)]
    pub album: Option<TextRef>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(rename = "@attr", default)]
    pub attr: Option<RecentAttr>,
}

/// `{"#text": "…", "mbid": "…"}`.
#[derive(Deserialize)]
pub(crate) struct TextRef {
    #[serde(rename = "#text", default)]
    pub text: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct RecentAttr {
    #[serde(default)]
    pub nowplaying: Option<String>,
}

/// `{"results": {"opensearch:totalResults": "…", "trackmatches": {...}}}`.
#[derive(Deserialize)]
pub(crate) struct SearchResponse {
    pub results: SearchResults,
}

#[derive(Deserialize)]
pub(crate) struct SearchResults {
    #[serde(default)]
    pub trackmatches: Option<TrackMatches>,
}

/// The matches, or whatever Last.fm sends for "none" (a blank string).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum TrackMatches {
    List {
        #[serde(default)]
        track: OneOrMany<SearchTrack>,
    },
    Other(serde_json::Value),
}

#[derive(Deserialize)]
pub(crate) struct SearchTrack {
    pub name: String,
    pub artist: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_attr_reads_strings_numbers_and_blanks() {
        let a: PageAttr =
            serde_json::from_str(r#"{"page":"2","totalPages":7,"total":"","user":"x"}"#).unwrap();
        assert_eq!((a.total_pages, a.total), (7, 0));
        let bad = serde_json::from_str::<PageAttr>(r#"{"total":"two"}"#);
        assert!(bad.unwrap_err().to_string().contains("\"two\""));
    }

    #[test]
    fn a_single_track_may_be_an_object() {
        let r: LovedTracksResponse = serde_json::from_str(
            r#"{"lovedtracks":{"track":{"name":"T","artist":{"name":"A"}},
                "@attr":{"page":"1","totalPages":"1","total":"1"}}}"#,
        )
        .unwrap();
        assert_eq!(r.lovedtracks.track.into_vec().len(), 1);
    }

    #[test]
    fn empty_search_with_blank_trackmatches_reads_as_no_match() {
        let r: SearchResponse = serde_json::from_str(
            r#"{"results":{"trackmatches":"\n","opensearch:totalResults":"0"}}"#,
        )
        .unwrap();
        assert!(matches!(
            r.results.trackmatches,
            Some(TrackMatches::Other(_))
        ));
    }
}
