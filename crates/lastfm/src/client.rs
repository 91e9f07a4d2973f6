//! The Last.fm endpoints musync calls: build the request, sign it when
//! Last.fm wants a signature, send it through the shared HTTP layer and
//! decode the answer into wire types.
//!
//! Reads (`user.getLovedTracks`, `user.getRecentTracks`, `track.search`) are
//! plain GETs with the API key: they need no session. The auth calls are
//! signed GETs. `track.love` is a signed POST with the session key, sent with
//! `send` too: loving is idempotent on Last.fm, so a retry cannot love twice.

use crate::error::classify;
use crate::model as wire;
use crate::sign::api_sig;
use musync_core::{ErrorKind, Secret, ServiceError};
use musync_http::{Client, HttpResponse};
use std::time::Duration;

/// Service name in errors and logs.
pub(crate) const SERVICE: &str = "Last.fm";

/// Settings of the HTTP client: pacing and retries.
///
/// The defaults follow Last.fm's terms (no more than about five requests a
/// second, averaged): one request starts every 250 ms at most, and
/// temporary failures (rate limit, outage) are retried up to six attempts
/// with exponential backoff from one second. Tests shrink the delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastfmTuning {
    /// Minimum gap between the starts of two requests.
    pub min_interval: Duration,
    /// First backoff delay after a temporary failure, doubled each retry.
    pub base_backoff: Duration,
    /// Longest backoff delay.
    pub max_backoff: Duration,
    /// Attempts per request for temporary failures, the first included.
    pub max_attempts: u32,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for LastfmTuning {
    fn default() -> Self {
        LastfmTuning {
            min_interval: Duration::from_millis(250),
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_attempts: 6,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Talks to one Last.fm API root with one application's credentials.
pub(crate) struct LastfmClient {
    http: Client,
    api_url: String,
    api_key: Secret,
    api_secret: Secret,
}

/// Request parameters, in the order they were added.
type Params = Vec<(&'static str, String)>;

#[derive(Clone, Copy)]
enum Verb {
    Get,
    Post,
}

impl LastfmClient {
    pub(crate) fn new(
        api_url: String,
        api_key: Secret,
        api_secret: Secret,
        tuning: LastfmTuning,
    ) -> Result<Self, ServiceError> {
        let http = Client::builder(SERVICE)
            .classify(classify)
            .min_interval(tuning.min_interval)
            .base_backoff(tuning.base_backoff)
            .max_backoff(tuning.max_backoff)
            .max_attempts(tuning.max_attempts)
            .timeout(tuning.timeout)
            .build()?;
        Ok(LastfmClient {
            http,
            api_url,
            api_key,
            api_secret,
        })
    }

    /// `method`, `api_key` and `format=json` followed by `extra`.
    fn params(&self, method: &str, extra: Params) -> Params {
        let mut p: Params = vec![
            ("method", method.to_owned()),
            ("api_key", self.api_key.expose().to_owned()),
        ];
        p.extend(extra);
        p.push(("format", "json".to_owned()));
        p
    }

    fn signed(&self, method: &str, extra: Params) -> Params {
        let mut p = self.params(method, extra);
        let sig = api_sig(&p, &self.api_secret);
        p.push(("api_sig", sig));
        p
    }

    async fn get(&self, op: &str, params: Params) -> Result<HttpResponse, ServiceError> {
        self.call(op, Verb::Get, params).await
    }

    /// Sends through the shared layer, which retries temporary failures.
    /// POSTs may be retried too: the only write, `track.love`, is
    /// idempotent on Last.fm (loving a loved track changes nothing), so a
    /// love that met an outage is safe to send again.
    async fn call(
        &self,
        op: &str,
        verb: Verb,
        params: Params,
    ) -> Result<HttpResponse, ServiceError> {
        let url = &self.api_url;
        self.http
            .send(op, |c| match verb {
                Verb::Get => c.get(url).query(&params),
                Verb::Post => c.post(url).form(&params),
            })
            .await
    }

    /// `auth.getToken`: a request token for the user to approve.
    pub(crate) async fn get_token(&self) -> Result<Secret, ServiceError> {
        let op = "asking Last.fm for a sign-in token";
        let resp = self.get(op, self.signed("auth.getToken", vec![])).await?;
        let t: wire::TokenResponse = resp.json(SERVICE, op)?;
        Ok(t.token)
    }

    /// `auth.getSession`: the user's name and session key once `token` has
    /// been approved (error 14 until then).
    pub(crate) async fn get_session(
        &self,
        token: &Secret,
    ) -> Result<(String, Secret), ServiceError> {
        let op = "waiting for approval on Last.fm";
        let params = self.signed(
            "auth.getSession",
            vec![("token", token.expose().to_owned())],
        );
        let resp = self.get(op, params).await?;
        let s: wire::SessionResponse = resp.json(SERVICE, op)?;
        if s.session.name.trim().is_empty() || s.session.key.expose().is_empty() {
            return Err(ServiceError::new(
                ErrorKind::Protocol,
                SERVICE,
                op,
                "Last.fm returned a session without a user name or key",
            ));
        }
        Ok((s.session.name, s.session.key))
    }

    /// One page of `user.getLovedTracks`.
    pub(crate) async fn loved_page(
        &self,
        user: &str,
        page: u64,
        limit: u64,
    ) -> Result<wire::LovedTracks, ServiceError> {
        let op = "reading loved tracks";
        let params = self.params(
            "user.getLovedTracks",
            vec![
                ("user", user.to_owned()),
                ("page", page.to_string()),
                ("limit", limit.to_string()),
            ],
        );
        let r: wire::LovedTracksResponse = self.get(op, params).await?.json(SERVICE, op)?;
        Ok(r.lovedtracks)
    }

    /// One page of `user.getRecentTracks`.
    pub(crate) async fn recent_page(
        &self,
        user: &str,
        page: u64,
        limit: u64,
    ) -> Result<wire::RecentTracks, ServiceError> {
        let op = "reading recent tracks";
        let params = self.params(
            "user.getRecentTracks",
            vec![
                ("user", user.to_owned()),
                ("page", page.to_string()),
                ("limit", limit.to_string()),
            ],
        );
        let r: wire::RecentTracksResponse = self.get(op, params).await?.json(SERVICE, op)?;
        Ok(r.recenttracks)
    }

    /// `track.search` for `title`, narrowed to `artist` when given.
    pub(crate) async fn search(
        &self,
        title: &str,
        artist: Option<&str>,
        limit: u64,
    ) -> Result<Vec<wire::SearchTrack>, ServiceError> {
        let op = "searching";
        let mut extra: Params = vec![("track", title.to_owned())];
        if let Some(a) = artist {
            extra.push(("artist", a.to_owned()));
        }
        extra.push(("limit", limit.to_string()));
        let r: wire::SearchResponse = self
            .get(op, self.params("track.search", extra))
            .await?
            .json(SERVICE, op)?;
        Ok(match r.results.trackmatches {
            Some(wire::TrackMatches::List { track }) => track.into_vec(),
            Some(wire::TrackMatches::Other(v)) => {
                tracing::debug!(trackmatches = %v, "Last.fm sent no match list");
                Vec::new()
            }
            None => Vec::new(),
        })
    }

    /// `track.love` for the user of `session_key`.
    pub(crate) async fn love(
        &self,
        session_key: &Secret,
        artist: &str,
        title: &str,
    ) -> Result<(), ServiceError> {
        let op = "loving a track";
        let params = self.signed(
            "track.love",
            vec![
                ("artist", artist.to_owned()),
                ("track", title.to_owned()),
                ("sk", session_key.expose().to_owned()),
            ],
        );
        self.call(op, Verb::Post, params).await?;
        Ok(())
    }

    /// `track.unlove` for the user of `session_key`; idempotent like
    /// `track.love`.
    pub(crate) async fn unlove(
        &self,
        session_key: &Secret,
        artist: &str,
        title: &str,
    ) -> Result<(), ServiceError> {
        let op = "unloving a track";
        let params = self.signed(
            "track.unlove",
            vec![
                ("artist", artist.to_owned()),
                ("track", title.to_owned()),
                ("sk", session_key.expose().to_owned()),
            ],
        );
        self.call(op, Verb::Post, params).await?;
        Ok(())
    }
}
