//! The fake's memory: registered API accounts, users with their loved and
//! scrobbled tracks, request tokens, sessions, suspended keys, speed and the log of
//! every call. Handlers lock it briefly and never across an `.await`.

use crate::Catalogue;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How fast the fake answers, set with [`crate::FakeLastfm::set_mode`].
/// Failures are not here: they are the shared fault switches of
/// [`crate::FakeLastfm::faults`] (and real state, such as a revoked session
/// or a suspended key).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Answers at once.
    #[default]
    Normal,
    /// Every API call waits this long before answering.
    Slow(Duration),
}

/// One API call the fake received, for assertions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// `GET` or `POST`.
    pub http_method: String,
    /// The `method` parameter as sent (e.g. `track.love`).
    pub method: String,
    /// Every parameter, secrets included (this is a test double).
    pub params: BTreeMap<String, String>,
    /// The Last.fm error code it was answered with, `None` on success.
    pub error: Option<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Loved {
    pub artist: String,
    pub title: String,
    pub uts: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct Scrobble {
    pub artist: String,
    pub title: String,
    pub album: String,
    pub uts: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct User {
    /// The name as registered (Last.fm keeps the user's capitalisation).
    pub name: String,
    /// Oldest first; the API answers newest first.
    pub loved: Vec<Loved>,
    /// Oldest first; the API answers newest first.
    pub scrobbles: Vec<Scrobble>,
    pub now_playing: Option<Scrobble>,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub api_key: String,
    /// The user who approved it on the auth page, once approved.
    pub approved_by: Option<String>,
    pub expired: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Session {
    /// Lower-case user key.
    pub user: String,
    pub api_key: String,
}

/// Everything the fake remembers.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// API key → shared secret.
    pub apps: HashMap<String, String>,
    /// Lower-case name → user.
    pub users: BTreeMap<String, User>,
    /// The user "signed in" to the fake's web site, who approves tokens.
    pub browser_user: Option<String>,
    pub tokens: HashMap<String, Token>,
    /// Session key → session.
    pub sessions: HashMap<String, Session>,
    pub catalogue: Catalogue,
    pub mode: Mode,
    /// API keys Last.fm has suspended (error 26 on every call).
    pub suspended: HashSet<String>,
    pub auto_approve: bool,
    pub single_as_object: bool,
    pub calls: Vec<Call>,
    /// Last timestamp handed out, so loves and scrobbles are strictly ordered.
    pub clock: u64,
}

impl State {
    /// A strictly increasing Unix time: now, or one second after the last.
    pub fn tick(&mut self) -> u64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        self.clock = now.max(self.clock + 1);
        self.clock
    }

    pub fn user_mut(&mut self, name: &str) -> Option<&mut User> {
        self.users.get_mut(&name.to_lowercase())
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.get(&name.to_lowercase())
    }

    pub fn add_user(&mut self, name: &str) {
        let key = name.to_lowercase();
        self.users.entry(key.clone()).or_insert_with(|| User {
            name: name.to_owned(),
            loved: Vec::new(),
            scrobbles: Vec::new(),
            now_playing: None,
        });
        if self.browser_user.is_none() {
            self.browser_user = Some(key);
        }
    }

    /// Loves a track for `user`; loving a track already loved (same artist
    /// and title, ignoring case) changes nothing, as on Last.fm. Returns
    /// whether a new love was recorded.
    pub fn love(&mut self, user: &str, artist: &str, title: &str) -> bool {
        let uts = self.tick();
        let Some(u) = self.user_mut(user) else {
            return false;
        };
        let already = u.loved.iter().any(|l| {
            l.artist.to_lowercase() == artist.to_lowercase()
                && l.title.to_lowercase() == title.to_lowercase()
        });
        if !already {
            u.loved.push(Loved {
                artist: artist.to_owned(),
                title: title.to_owned(),
                uts,
            });
        }
        !already
    }
}
