//! Everything the fake remembers: users (with their country), playlists
//! with per-occurrence item ids, favourite tracks, the catalogue, OAuth
//! codes and tokens with scopes, idempotency records, the token bucket,
//! knobs, and a log of API requests. Tests read and change it through
//! [`crate::FakeTidal::state`].

use crate::catalogue::Catalogue;
use rand::distr::{Alphanumeric, SampleString};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

/// How `GET /authorize` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorizeMode {
    /// Approve at once as this user id and redirect.
    AutoApprove(String),
    /// Redirect back with `error=access_denied`.
    Deny,
    /// Show an approve/deny page (interactive demo); approving signs in as
    /// the first user.
    Page,
}

/// A user of the fake.
#[derive(Clone, Debug, Default)]
pub struct FakeUser {
    /// TIDAL user id (decimal string).
    pub id: String,
    /// Username.
    pub username: String,
    /// ISO 3166-1 country of the account.
    pub country: String,
    /// Favourite tracks: `(track id, added sequence)`, oldest first.
    pub favourites: Vec<(String, u64)>,
}

/// One occurrence of a track in a playlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Per-occurrence id (what removals name).
    pub item_id: String,
    /// Track id.
    pub track_id: String,
    /// Added sequence (stands in for a timestamp).
    pub added: u64,
}

/// A playlist of the fake.
#[derive(Clone, Debug)]
pub struct FakePlaylist {
    /// Playlist id (UUID-shaped).
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Owner's user id.
    pub owner: String,
    /// PUBLIC, UNLISTED or PRIVATE.
    pub access_type: String,
    /// Items in order.
    pub items: Vec<Item>,
    /// Creation sequence (newest first in listings).
    pub created: u64,
}

/// One API request the fake answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path below the API base, e.g. `/playlists`.
    pub path: String,
    /// Raw query string.
    pub query: String,
    /// `Content-Type` of the request, when sent.
    pub content_type: Option<String>,
    /// `Idempotency-Key`, when sent.
    pub idempotency_key: Option<String>,
    /// Number of entries in the body's `data` array (writes).
    pub body_items: Option<usize>,
    /// Status the fake answered with.
    pub status: u16,
}

impl RecordedRequest {
    /// Every value of query parameter `name`, decoded.
    pub fn params(&self, name: &str) -> Vec<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect()
    }

    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params(name).into_iter().next()
    }
}

/// A token bucket (TIDAL's rate limit): each request costs tokens; an
/// empty bucket answers 429 with `Retry-After`.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// Burst capacity.
    pub capacity: f64,
    /// Tokens added per second.
    pub replenish_per_s: f64,
    /// Tokens now.
    pub tokens: f64,
    /// When `tokens` was last brought up to date.
    pub updated: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn new(capacity: u32, replenish_per_s: u32) -> Self {
        Bucket {
            capacity: f64::from(capacity),
            replenish_per_s: f64::from(replenish_per_s.max(1)),
            tokens: f64::from(capacity),
            updated: Instant::now(),
        }
    }

    /// Takes `cost` tokens, or says how many whole seconds until it could.
    pub(crate) fn take(&mut self, cost: f64) -> Result<f64, u64> {
        let now = Instant::now();
        let elapsed = now.duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.replenish_per_s).min(self.capacity);
        self.updated = now;
        if self.tokens >= cost {
            self.tokens -= cost;
            Ok(self.tokens)
        } else {
            Err(((cost - self.tokens) / self.replenish_per_s)
                .ceil()
                .max(1.0) as u64)
        }
    }
}

pub(crate) struct PendingCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub user: String,
    pub scopes: HashSet<String>,
}

pub(crate) struct PendingAuthorize {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub state: String,
    pub scopes: HashSet<String>,
}

pub(crate) struct AccessToken {
    pub user: String,
    pub scopes: HashSet<String>,
    pub expires: Instant,
}

pub(crate) struct RefreshToken {
    pub user: String,
    pub client_id: String,
    pub scopes: HashSet<String>,
}

/// A remembered write, replayed for the same `Idempotency-Key`.
pub(crate) struct IdempotentAnswer {
    pub request: String,
    pub status: u16,
    pub body: String,
    pub at: Instant,
}

/// The fake's whole state. Public fields are knobs and observations.
pub struct FakeState {
    /// Tracks search can find and playlists can hold.
    pub catalogue: Catalogue,
    /// Registered client ids.
    pub clients: HashSet<String>,
    /// Users by id.
    pub users: BTreeMap<String, FakeUser>,
    /// Playlists by id.
    pub playlists: HashMap<String, FakePlaylist>,
    /// How `/authorize` answers.
    pub authorize: AuthorizeMode,
    /// Lifetime of new access tokens (default one hour).
    pub token_lifetime: Duration,
    /// A refresh answers with a new refresh token (and revokes the old
    /// one). Default false: TIDAL's refresh answer carries none.
    pub rotate_refresh_tokens: bool,
    /// Page size of every cursor listing (default 20; the testkit's
    /// forced page size wins).
    pub page_size: usize,
    /// The rate limit; `None` = unlimited (default).
    pub bucket: Option<Bucket>,
    /// Tokens a search costs (other requests cost 1).
    pub search_cost: u32,
    /// The next N writes are applied, then answered 503 (a lost answer).
    pub fail_after_write: u32,
    /// Token endpoint requests received.
    pub token_requests: u32,
    /// 429s sent by the bucket.
    pub rate_limited: u32,
    /// Every API request answered, in order.
    pub requests: Vec<RecordedRequest>,
    pub(crate) codes: HashMap<String, PendingCode>,
    pub(crate) pending: HashMap<String, PendingAuthorize>,
    pub(crate) access_tokens: HashMap<String, AccessToken>,
    pub(crate) refresh_tokens: HashMap<String, RefreshToken>,
    pub(crate) idempotency: HashMap<(String, String), IdempotentAnswer>,
    pub(crate) seq: u64,
}

impl Default for FakeState {
    fn default() -> Self {
        FakeState {
            catalogue: Catalogue::sample(),
            clients: HashSet::new(),
            users: BTreeMap::new(),
            playlists: HashMap::new(),
            authorize: AuthorizeMode::Page,
            token_lifetime: Duration::from_secs(3600),
            rotate_refresh_tokens: false,
            page_size: 20,
            bucket: None,
            search_cost: 1,
            fail_after_write: 0,
            token_requests: 0,
            rate_limited: 0,
            requests: Vec::new(),
            codes: HashMap::new(),
            pending: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            idempotency: HashMap::new(),
            seq: 0,
        }
    }
}

/// A random opaque token.
pub(crate) fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A random UUID-shaped id.
pub(crate) fn uuid() -> String {
    let hex: String = (0..32)
        .map(|_| char::from_digit(rand::random_range(0..16u32), 16).unwrap_or('0'))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

impl FakeState {
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Adds (or updates) a user.
    pub fn add_user(&mut self, id: &str, username: &str, country: &str) {
        let user = self.users.entry(id.to_owned()).or_default();
        user.id = id.to_owned();
        user.username = username.to_owned();
        user.country = country.to_owned();
    }

    /// Creates a playlist owned by `owner` holding `track_ids`; returns its id.
    pub fn add_playlist(&mut self, owner: &str, name: &str, track_ids: &[String]) -> String {
        let id = uuid();
        let created = self.next_seq();
        let items = track_ids
            .iter()
            .map(|t| Item {
                item_id: uuid(),
                track_id: t.clone(),
                added: created,
            })
            .collect();
        self.playlists.insert(
            id.clone(),
            FakePlaylist {
                id: id.clone(),
                name: name.to_owned(),
                description: String::new(),
                owner: owner.to_owned(),
                access_type: "UNLISTED".to_owned(),
                items,
                created,
            },
        );
        id
    }

    /// Adds favourites for `user` (as if added now, in order).
    pub fn add_favourites(&mut self, user: &str, track_ids: &[String]) {
        for t in track_ids {
            let seq = self.next_seq();
            if let Some(u) = self.users.get_mut(user) {
                u.favourites.push((t.clone(), seq));
            }
        }
    }

    /// Issues a ready session for `user` with `scopes`:
    /// `(access_token, refresh_token)`.
    pub fn issue_tokens(&mut self, user: &str, client_id: &str, scopes: &str) -> (String, String) {
        let scopes: HashSet<String> = scopes.split_whitespace().map(str::to_owned).collect();
        let access = random_token(48);
        let refresh = random_token(48);
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                user: user.to_owned(),
                scopes: scopes.clone(),
                expires: Instant::now() + self.token_lifetime,
            },
        );
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                user: user.to_owned(),
                client_id: client_id.to_owned(),
                scopes,
            },
        );
        (access, refresh)
    }

    /// Makes every access token expired (the next API call gets 401).
    pub fn expire_access_tokens(&mut self) {
        let past = Instant::now() - Duration::from_secs(1);
        for t in self.access_tokens.values_mut() {
            t.expires = past;
        }
    }

    /// Revokes every refresh token: the next refresh answers `invalid_grant`.
    pub fn revoke_refresh_tokens(&mut self) {
        self.refresh_tokens.clear();
    }

    /// Every access and refresh token issued and still known (for tests
    /// that check no token leaks into output).
    pub fn known_tokens(&self) -> Vec<String> {
        self.access_tokens
            .keys()
            .chain(self.refresh_tokens.keys())
            .cloned()
            .collect()
    }

    /// The track ids of a playlist, in order.
    pub fn playlist_tracks(&self, id: &str) -> Vec<String> {
        self.playlists
            .get(id)
            .map(|p| p.items.iter().map(|i| i.track_id.clone()).collect())
            .unwrap_or_default()
    }

    /// A user's favourite track ids, newest first.
    pub fn favourites(&self, user: &str) -> Vec<String> {
        self.users
            .get(user)
            .map(|u| u.favourites.iter().rev().map(|(t, _)| t.clone()).collect())
            .unwrap_or_default()
    }

    /// API requests whose path is exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}
