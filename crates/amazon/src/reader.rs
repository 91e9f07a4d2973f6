//! One reader over both API surfaces, remembering per account which works.
//!
//! GraphQL goes first when the session has what it needs (an access token,
//! device ids, and the web client's API key, which is looked for in the
//! player page and its scripts once and then remembered). When a surface
//! answers 404, or 400/403 that renewing the session did not cure (so not
//! an expired session), the other surface is tried, and the one that worked
//! is stored in the account's secrets (`surface`) for the next run. An
//! expired session is never a reason to switch: it is reported as it is.

use crate::client::AmazonClient;
use crate::graphql::{self, GraphqlReader};
use crate::transport::{Call, Surface, Transport};
use musync_core::{ErrorKind, Playlist, PlaylistId, Progress, ServiceError, Track};
use std::sync::{Arc, Mutex};

/// Secret key of the remembered surface.
const SURFACE_KEY: &str = "surface";
/// Secret key of the remembered GraphQL API key (public, but per player
/// build; kept beside the session).
const API_KEY_KEY: &str = "graphqlApiKey";
/// Most scripts of the player page searched for the API key.
const MAX_SCRIPTS: usize = 12;

/// Whether `e` says "this surface does not serve this" rather than "the
/// session expired" or "try later": 404/405/410, or 400/403 after a renewal
/// that worked (a failed renewal carries no status).
pub(crate) fn surface_unavailable(e: &ServiceError) -> bool {
    matches!(e.kind, ErrorKind::Protocol | ErrorKind::AuthExpired)
        && matches!(e.status, Some(400 | 403 | 404 | 405 | 410))
}

enum Read<'a> {
    Playlists,
    Tracks(&'a PlaylistId),
    Library,
}

enum Output {
    Playlists(Vec<Playlist>),
    Tracks(Vec<Track>),
}

/// Reads an account through whichever surface works.
pub(crate) struct Reader {
    transport: Arc<dyn Transport>,
    legacy: AmazonClient,
    graphql: GraphqlReader,
    /// A surface pinned by the options; no fallback then.
    pinned: Option<Surface>,
    /// The surface to try first (remembered, then learnt in this run).
    first: Mutex<Surface>,
    /// Whether the GraphQL key lookup already ran in this run.
    key_looked_up: tokio::sync::Mutex<bool>,
}

impl Reader {
    pub fn new(transport: Arc<dyn Transport>, pinned: Option<Surface>) -> Self {
        let session = transport.session();
        let remembered = session
            .as_ref()
            .and_then(|s| s.recall(SURFACE_KEY))
            .and_then(|v| match v.as_str() {
                "graphql" => Some(Surface::Graphql),
                "legacy" => Some(Surface::Legacy),
                _ => None,
            });
        if let Some(s) = &session
            && let Some(key) = s
                .recall(API_KEY_KEY)
                .filter(|k| graphql::find_api_key(k).is_some())
        {
            *s.api_key.write().expect("api key lock") = Some(key);
        }
        Reader {
            legacy: AmazonClient::new(transport.clone()),
            graphql: GraphqlReader::new(transport.clone()),
            transport,
            pinned,
            first: Mutex::new(remembered.unwrap_or(Surface::Graphql)),
            key_looked_up: tokio::sync::Mutex::new(false),
        }
    }

    pub async fn owned_playlists(&self) -> Result<Vec<Playlist>, ServiceError> {
        match self.run(Read::Playlists, &musync_core::NoProgress).await? {
            Output::Playlists(p) => Ok(p),
            Output::Tracks(_) => unreachable!("a playlist read returns playlists"),
        }
    }

    pub async fn playlist_tracks(
        &self,
        id: &PlaylistId,
        progress: &dyn Progress,
    ) -> Result<Vec<Track>, ServiceError> {
        match self.run(Read::Tracks(id), progress).await? {
            Output::Tracks(t) => Ok(t),
            Output::Playlists(_) => unreachable!("a track read returns tracks"),
        }
    }

    pub async fn my_music(&self, progress: &dyn Progress) -> Result<Vec<Track>, ServiceError> {
        match self.run(Read::Library, progress).await? {
            Output::Tracks(t) => Ok(t),
            Output::Playlists(_) => unreachable!("a track read returns tracks"),
        }
    }

    async fn run(&self, read: Read<'_>, progress: &dyn Progress) -> Result<Output, ServiceError> {
        let first = self
            .pinned
            .unwrap_or_else(|| *self.first.lock().expect("surface lock"));
        let order: &[Surface] = match (self.pinned, first) {
            (Some(_), _) => &[first],
            (None, Surface::Graphql) => &[Surface::Graphql, Surface::Legacy],
            (None, Surface::Legacy) => &[Surface::Legacy, Surface::Graphql],
        };
        let mut last: Option<ServiceError> = None;
        for &surface in order {
            let mut result = self.attempt(&read, surface, progress).await?;
            // A key from an older player build is refused with 403: look it
            // up again once, then retry.
            if surface == Surface::Graphql
                && matches!(&result, Some(Err(e)) if e.status == Some(403))
                && self.forget_api_key().await
            {
                result = self.attempt(&read, surface, progress).await?;
            }
            match result {
                None => {
                    tracing::debug!(
                        "GraphQL is not usable for this session; using the legacy surface"
                    );
                }
                Some(Ok(out)) => {
                    self.learn(surface);
                    return Ok(out);
                }
                Some(Err(e)) if self.pinned.is_none() && surface_unavailable(&e) => {
                    tracing::info!(
                        surface = surface.as_str(),
                        error = %e,
                        "this Amazon Music API surface does not answer; trying the other one"
                    );
                    last = Some(e);
                }
                Some(Err(e)) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| {
            crate::error::protocol(
                "reading Amazon Music",
                "neither the GraphQL nor the legacy API could be used",
            )
        }))
    }

    /// One read on one surface; `None` when GraphQL cannot be used at all.
    async fn attempt(
        &self,
        read: &Read<'_>,
        surface: Surface,
        progress: &dyn Progress,
    ) -> Result<Option<Result<Output, ServiceError>>, ServiceError> {
        if surface == Surface::Graphql && !self.graphql_ready().await? {
            return Ok(None);
        }
        Ok(Some(match (read, surface) {
            (Read::Playlists, Surface::Graphql) => {
                self.graphql.owned_playlists().await.map(Output::Playlists)
            }
            (Read::Playlists, Surface::Legacy) => {
                self.legacy.owned_playlists().await.map(Output::Playlists)
            }
            (Read::Tracks(id), Surface::Graphql) => self
                .graphql
                .playlist_tracks(id, progress)
                .await
                .map(Output::Tracks),
            (Read::Tracks(id), Surface::Legacy) => self
                .legacy
                .playlist_tracks(id, progress)
                .await
                .map(Output::Tracks),
            (Read::Library, Surface::Graphql) => {
                self.graphql.library(progress).await.map(Output::Tracks)
            }
            (Read::Library, Surface::Legacy) => {
                self.legacy.my_music(progress).await.map(Output::Tracks)
            }
        }))
    }

    /// Drops a refused API key (here and in the account's memory) so the
    /// next [`Self::graphql_ready`] looks it up again; `false` when it was
    /// already looked up in this run (a fresh key refused: no retry).
    async fn forget_api_key(&self) -> bool {
        let Some(session) = self.transport.session() else {
            return false;
        };
        let looked = self.key_looked_up.lock().await;
        if *looked {
            return false;
        }
        tracing::info!("the remembered GraphQL API key was refused; looking for the current one");
        *session.api_key.write().expect("api key lock") = None;
        session.remember(API_KEY_KEY, "");
        true
    }

    /// Keeps `surface` as the first to try, in this run and the next.
    fn learn(&self, surface: Surface) {
        if self.pinned.is_some() {
            return;
        }
        let mut first = self.first.lock().expect("surface lock");
        let session = self.transport.session();
        let stored = session.as_ref().and_then(|s| s.recall(SURFACE_KEY));
        *first = surface;
        if let Some(s) = session
            && stored.as_deref() != Some(surface.as_str())
        {
            s.remember(SURFACE_KEY, surface.as_str());
        }
    }

    /// Whether GraphQL can be called: a known endpoint, a session with an
    /// access token and device ids, and the web client's API key (looked up
    /// once per run).
    async fn graphql_ready(&self) -> Result<bool, ServiceError> {
        let Some(session) = self.transport.session() else {
            return Ok(false);
        };
        let cfg = session.config();
        if session.graphql_url.is_none()
            || cfg.access_token.expose().is_empty()
            || cfg.device_id.text().is_none()
            || cfg.device_type.text().is_none()
        {
            return Ok(false);
        }
        if session.api_key.read().expect("api key lock").is_some() {
            return Ok(true);
        }
        let mut looked = self.key_looked_up.lock().await;
        if *looked {
            return Ok(session.api_key.read().expect("api key lock").is_some());
        }
        *looked = true;
        let key = self.look_up_api_key().await?;
        match &key {
            Some(k) => {
                tracing::info!("found the web player's GraphQL API key in its page");
                session.remember(API_KEY_KEY, k);
            }
            None => tracing::info!(
                "the web player's page names no GraphQL API key; using the legacy surface"
            ),
        }
        let found = key.is_some();
        *session.api_key.write().expect("api key lock") = key;
        Ok(found)
    }

    /// The API key from the player page or its same-origin scripts.
    async fn look_up_api_key(&self) -> Result<Option<String>, ServiceError> {
        let op = "looking for the web player's GraphQL key";
        let page = match self.transport.call(&Call::Page("/".into()), op).await {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            // The page is only a hint source; the legacy surface still works.
            Err(e) if e.kind == ErrorKind::Protocol => return Ok(None),
            Err(e) => return Err(e),
        };
        if let Some(k) = graphql::find_api_key(&page) {
            return Ok(Some(k));
        }
        for path in graphql::script_paths(&page, MAX_SCRIPTS) {
            match self.transport.call(&Call::Page(path), op).await {
                Ok(b) => {
                    if let Some(k) = graphql::find_api_key(&String::from_utf8_lossy(&b)) {
                        return Ok(Some(k));
                    }
                }
                Err(e) if e.kind == ErrorKind::Protocol => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_refusals_that_renewal_did_not_cure_switch_surfaces() {
        let e = |kind, status: Option<u16>| {
            let mut e = ServiceError::new(kind, "Amazon Music", "op", "m");
            e.status = status;
            e
        };
        assert!(surface_unavailable(&e(ErrorKind::Protocol, Some(404))));
        assert!(surface_unavailable(&e(ErrorKind::AuthExpired, Some(400))));
        assert!(
            !surface_unavailable(&e(ErrorKind::AuthExpired, None)),
            "renewal failed: expired"
        );
        assert!(
            !surface_unavailable(&e(ErrorKind::Protocol, Some(200))),
            "drift is not a surface change"
        );
        assert!(!surface_unavailable(&e(ErrorKind::RateLimited, Some(429))));
    }
}
