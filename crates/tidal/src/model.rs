//! TIDAL's wire types: JSON:API documents of spec 1.10.104 and the OAuth
//! answers, shaped like the JSON. Everything the API may leave out is
//! optional, unknown fields are ignored and enum values stay strings, so a
//! new field or value never breaks a read. `data` is required: a document
//! without it is not an answer musync understands.

use serde::Deserialize;
use std::collections::HashMap;

/// A JSON:API document whose primary data is `T`.
#[derive(Debug, Deserialize)]
pub(crate) struct Document<T> {
    pub data: T,
    #[serde(default)]
    pub included: Vec<Resource>,
    #[serde(default)]
    pub links: Option<Links>,
}

/// `links` of a listing: `next` is relative to the API base.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Links {
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub meta: Option<LinksMeta>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LinksMeta {
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A resource identifier, as relationship documents list them.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Identifier {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub meta: Option<IdentifierMeta>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentifierMeta {
    /// Per-occurrence id of a playlist item (what removals name).
    #[serde(default)]
    pub item_id: Option<String>,
}

/// A full resource of any type; attributes of all the types musync reads
/// share one struct, all optional.
#[derive(Debug, Deserialize)]
pub(crate) struct Resource {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub attributes: Attributes,
    #[serde(default)]
    pub relationships: HashMap<String, Relationship>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Attributes {
    // tracks
    pub title: Option<String>,
    pub version: Option<String>,
    pub isrc: Option<String>,
    pub duration: Option<String>,
    // artists, playlists
    pub name: Option<String>,
    // playlists
    pub number_of_items: Option<u64>,
    // users
    pub username: Option<String>,
    pub country: Option<String>,
}

/// A relationship; `data` is absent when it was not included.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Relationship {
    #[serde(default)]
    pub data: Option<Linkage>,
}

/// To-one or to-many linkage.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Linkage {
    Many(Vec<Identifier>),
    One(Identifier),
}

impl Linkage {
    pub fn ids(&self) -> Vec<&Identifier> {
        match self {
            Linkage::Many(v) => v.iter().collect(),
            Linkage::One(i) => vec![i],
        }
    }
}

/// The answer to adding items: what was added and what was skipped.
#[derive(Debug, Deserialize)]
pub(crate) struct WriteAnswer {
    #[serde(default)]
    pub data: Vec<Identifier>,
    #[serde(default)]
    pub meta: Option<WriteMeta>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WriteMeta {
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Skipped {
    pub id: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A JSON:API error document.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorDocument {
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ErrorObject {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// The token endpoint's OAuth error.
#[derive(Debug, Deserialize)]
pub(crate) struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}
