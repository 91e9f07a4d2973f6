//! Everything the fake remembers: users, playlists, Liked Songs, the
//! catalogue, OAuth codes and tokens, failure knobs and a log of requests.
//! Tests read and change it through [`crate::FakeSpotify::state`].

use crate::catalogue::{Catalogue, base62_id};
use rand::distr::{Alphanumeric, SampleString};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// How `GET /authorize` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorizeMode {
    /// Approve at once as this user and redirect (tests, scripted demos).
    AutoApprove(String),
    /// Redirect back with `error=access_denied`, as when the user clicks
    /// "Cancel".
    Deny,
    /// Show an approve/deny page (interactive demo); approving signs in
    /// as the first user added.
    Page,
}

/// One entry of a playlist, including the kinds a client must skip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A catalogue track, by URI.
    Track(String),
    /// A local file the owner added from their disk (no Spotify id).
    LocalFile {
        /// Title.
        name: String,
        /// Artist.
        artist: String,
    },
    /// A podcast episode.
    Episode {
        /// Episode title.
        name: String,
    },
    /// An entry whose item is `null` (unavailable content).
    Unavailable,
}

/// A user account of the fake.
#[derive(Clone, Debug, Default)]
pub struct FakeUser {
    /// Spotify user id.
    pub id: String,
    /// Display name (may be absent, as on the real service).
    pub display_name: Option<String>,
    /// Playlists in the user's library (owned or followed), library order.
    pub playlists: Vec<String>,
    /// Liked Songs, newest first.
    pub liked: Vec<String>,
}

/// A playlist of the fake.
#[derive(Clone, Debug)]
pub struct FakePlaylist {
    /// Spotify playlist id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Owner's user id.
    pub owner: String,
    /// Whether followers may edit it.
    pub collaborative: bool,
    /// Public or private.
    pub public: bool,
    /// Description.
    pub description: String,
    /// Entries in order.
    pub entries: Vec<Entry>,
    /// Bumped on every change.
    pub snapshot: u64,
}

/// One request the fake answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path, e.g. `/v1/me/playlists`.
    pub path: String,
    /// Raw query string (may be empty).
    pub query: String,
    /// Status the fake answered with.
    pub status: u16,
}

impl RecordedRequest {
    /// The value of query parameter `name`, decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

pub(crate) struct PendingCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub user: String,
    pub scope: String,
}

pub(crate) struct PendingAuthorize {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub state: Option<String>,
    pub scope: String,
}

pub(crate) struct AccessToken {
    pub user: String,
    pub expires: Instant,
}

pub(crate) struct RefreshToken {
    pub user: String,
    pub client_id: String,
    pub scope: String,
}

/// The fake's whole state. Public fields are knobs and observations.
pub struct FakeState {
    /// Tracks search can find and playlists can hold.
    pub catalogue: Catalogue,
    /// Registered client ids (apps).
    pub clients: HashSet<String>,
    /// Users by id.
    pub users: BTreeMap<String, FakeUser>,
    /// Playlists by id.
    pub playlists: HashMap<String, FakePlaylist>,
    /// How `/authorize` answers.
    pub authorize: AuthorizeMode,
    /// Lifetime of new access tokens (default one hour).
    pub token_lifetime: Duration,
    /// A refresh answers with a new refresh token and revokes the old one
    /// (default true, as Spotify does for PKCE clients).
    pub rotate_refresh_tokens: bool,
    /// Serve the pre-2026 names `tracks`/`track` instead of `items`/`item`.
    pub old_field_names: bool,
    /// The next N Web API requests answer 429 with `Retry-After`.
    pub fail_with_429: u32,
    /// The `Retry-After` seconds sent with those 429s.
    pub retry_after_s: u64,
    /// The next N Web API requests answer with `failure_status` (5xx).
    pub fail_with_5xx: u32,
    /// Status used by `fail_with_5xx` (default 503).
    pub failure_status: u16,
    /// Playlists whose items answer 500 (one broken playlist among good ones).
    pub broken_playlists: HashSet<String>,
    /// Every Web API request waits this long before it is answered (a
    /// network's round trip; default none).
    pub latency: Option<Duration>,
    /// Spotify's rolling-window rate limit (default off): beyond it a Web
    /// API request answers 429 with the whole seconds until a slot frees.
    pub rate_limit: Option<RateLimit>,
    /// Every request answered, in order.
    pub requests: Vec<RecordedRequest>,
    /// Starts of the requests served within the rate limit's window.
    pub(crate) recent: VecDeque<Instant>,
    /// Each search waits this long before it is answered (a slow service,
    /// so a test can stop a client while it searches).
    pub slow_searches: Duration,
    /// Adds to and removals from a playlist are applied at once but
    /// answered this much later, so a client killed meanwhile never learns
    /// that its write went in.
    pub slow_write_answers: Duration,
    pub(crate) codes: HashMap<String, PendingCode>,
    pub(crate) pending: HashMap<String, PendingAuthorize>,
    pub(crate) access_tokens: HashMap<String, AccessToken>,
    pub(crate) refresh_tokens: HashMap<String, RefreshToken>,
    next_id: u64,
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
            rotate_refresh_tokens: true,
            old_field_names: false,
            fail_with_429: 0,
            retry_after_s: 1,
            fail_with_5xx: 0,
            failure_status: 503,
            broken_playlists: HashSet::new(),
            latency: None,
            rate_limit: None,
            requests: Vec::new(),
            recent: VecDeque::new(),
            slow_searches: Duration::ZERO,
            slow_write_answers: Duration::ZERO,
            codes: HashMap::new(),
            pending: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            next_id: 0,
        }
    }
}

/// At most `requests` Web API requests in any `window` (Spotify counts
/// over a rolling 30 s and publishes no number; 429s beyond it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: usize,
    /// The rolling window.
    pub window: Duration,
}

impl FakeState {
    /// Counts a request against the rate limit: `Some(retry_after_s)` when
    /// it is over (the request is refused and not counted).
    pub(crate) fn over_rate_limit(&mut self, now: Instant) -> Option<u64> {
        let limit = self.rate_limit?;
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() < limit.requests {
            self.recent.push_back(now);
            return None;
        }
        let oldest = *self.recent.front()?;
        let wait = (oldest + limit.window).saturating_duration_since(now);
        Some(wait.as_secs_f64().ceil().max(1.0) as u64)
    }
}

/// A random opaque token.
pub(crate) fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

impl FakeState {
    /// Adds (or renames) a user.
    pub fn add_user(&mut self, id: &str, display_name: Option<&str>) {
        let user = self.users.entry(id.to_owned()).or_default();
        user.id = id.to_owned();
        user.display_name = display_name.map(str::to_owned);
    }

    /// Creates a playlist owned by `owner` (added to the owner's library,
    /// newest first like the real library) and returns its id.
    pub fn add_playlist(&mut self, owner: &str, name: &str, uris: &[String]) -> String {
        self.next_id += 1;
        let id = base62_id(&format!("playlist|{}|{name}|{owner}", self.next_id));
        self.playlists.insert(
            id.clone(),
            FakePlaylist {
                id: id.clone(),
                name: name.to_owned(),
                owner: owner.to_owned(),
                collaborative: false,
                public: false,
                description: String::new(),
                entries: uris.iter().cloned().map(Entry::Track).collect(),
                snapshot: 1,
            },
        );
        if let Some(user) = self.users.get_mut(owner) {
            user.playlists.insert(0, id.clone());
        }
        id
    }

    /// Puts someone else's playlist in `user`'s library.
    pub fn follow(&mut self, user: &str, playlist: &str) {
        if let Some(u) = self.users.get_mut(user)
            && !u.playlists.iter().any(|p| p == playlist)
        {
            u.playlists.insert(0, playlist.to_owned());
        }
    }

    /// Issues a ready session for `user` (as if they had signed in).
    pub fn issue_tokens(&mut self, user: &str, client_id: &str, scope: &str) -> (String, String) {
        let access = random_token(48);
        let refresh = random_token(48);
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                user: user.to_owned(),
                expires: Instant::now() + self.token_lifetime,
            },
        );
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                user: user.to_owned(),
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
            },
        );
        (access, refresh)
    }

    /// Makes every issued access token expired (the next API call gets 401).
    pub fn expire_access_tokens(&mut self) {
        let past = Instant::now() - Duration::from_secs(1);
        for t in self.access_tokens.values_mut() {
            t.expires = past;
        }
    }

    /// Revokes every refresh token (as when the user removes the app's
    /// access): the next refresh answers `invalid_grant`.
    pub fn revoke_refresh_tokens(&mut self) {
        self.refresh_tokens.clear();
    }

    /// The track URIs of a playlist, in order (other entries left out).
    pub fn playlist_items(&self, id: &str) -> Vec<String> {
        self.playlists
            .get(id)
            .map(|p| {
                p.entries
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Track(uri) => Some(uri.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A user's Liked Songs URIs, newest first.
    pub fn liked(&self, user: &str) -> Vec<String> {
        self.users
            .get(user)
            .map(|u| u.liked.clone())
            .unwrap_or_default()
    }

    /// Requests whose path is exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limit_refuses_beyond_its_window_and_says_when_a_slot_frees() {
        let mut st = FakeState::default();
        let t0 = Instant::now();
        assert_eq!(st.over_rate_limit(t0), None, "off by default");
        st.recent.clear();
        st.rate_limit = Some(RateLimit {
            requests: 2,
            window: Duration::from_secs(30),
        });
        assert_eq!(st.over_rate_limit(t0), None);
        assert_eq!(st.over_rate_limit(t0 + Duration::from_secs(1)), None);
        // Full: the first slot frees 30 s after t0, 27.5 s from now.
        assert_eq!(
            st.over_rate_limit(t0 + Duration::from_millis(2_500)),
            Some(28)
        );
        // A refused request does not count; once t0 leaves the window, one
        // more fits.
        assert_eq!(st.over_rate_limit(t0 + Duration::from_secs(30)), None);
        assert_eq!(
            st.over_rate_limit(t0 + Duration::from_millis(30_500)),
            Some(1)
        );
    }
}
