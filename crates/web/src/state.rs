//! What every handler shares: the state database, the secret store, the
//! per-run secrets, the log buffer, the jobs, the wizard, the engine's opener
//! and (in demo mode) the fake services.

use crate::demo::Demo;
use crate::jobs::Jobs;
use crate::logs::Logs;
use crate::security::Guard;
use crate::wizard::Wizard;
use musync_core::{AccountId, Playlist, SecretStore};
use musync_engine::Opener;
use musync_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a listed set of playlists is reused for the menus.
const PLAYLISTS_FRESH: Duration = Duration::from_secs(300);

/// Events kept for the Logs page.
const LOG_CAPACITY: usize = 2000;

/// The shared state of one wizard server. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub(crate) struct Inner {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    guard: Arc<Guard>,
    logs: Arc<Logs>,
    dispatch: tracing::Dispatch,
    jobs: Jobs,
    wizard: Mutex<Wizard>,
    opener: Opener,
    playlists: Mutex<HashMap<String, (Instant, Vec<Playlist>)>>,
    demo: Option<Arc<Demo>>,
}

impl AppState {
    /// State for a server on `port` over `store` and `secrets`, with fresh
    /// per-run secrets. Use it with [`crate::router`] in tests; `start`
    /// builds its own.
    pub fn new(store: Store, secrets: Arc<dyn SecretStore>, port: u16) -> AppState {
        Self::build(store, secrets, port, None, Logs::new(LOG_CAPACITY))
    }

    pub(crate) fn build(
        store: Store,
        secrets: Arc<dyn SecretStore>,
        port: u16,
        demo: Option<Arc<Demo>>,
        logs: Arc<Logs>,
    ) -> AppState {
        let dispatch = logs.dispatch();
        AppState(Arc::new(Inner {
            store: Arc::new(store),
            secrets: secrets.clone(),
            guard: Arc::new(Guard::new(port)),
            jobs: Jobs::new(dispatch.clone()),
            dispatch,
            logs,
            wizard: Mutex::new(Wizard::default()),
            opener: {
                let secrets = secrets.clone();
                Opener::new(move || secrets.clone())
            },
            playlists: Mutex::new(HashMap::new()),
            demo,
        }))
    }

    /// The token of the printed URL.
    pub fn token(&self) -> &str {
        self.0.guard.token()
    }

    /// The CSRF token forms must send back as `_csrf`.
    pub fn csrf_token(&self) -> &str {
        self.0.guard.csrf()
    }

    /// `name=value` of a valid session cookie.
    pub fn session_cookie(&self) -> String {
        self.0.guard.cookie_pair()
    }

    /// The port the server answers on (part of the accepted Host).
    pub fn port(&self) -> u16 {
        self.0.guard.port()
    }

    /// The state database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The live log.
    pub fn logs(&self) -> &Arc<Logs> {
        &self.0.logs
    }

    /// The fake services, in demo mode.
    pub fn demo(&self) -> Option<&Arc<Demo>> {
        self.0.demo.as_ref()
    }

    pub(crate) fn store_arc(&self) -> Arc<Store> {
        self.0.store.clone()
    }

    /// The secret store (in demo mode, the in-memory one of the fakes).
    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.0.secrets
    }

    pub(crate) fn guard(&self) -> &Arc<Guard> {
        &self.0.guard
    }

    pub(crate) fn dispatch(&self) -> &tracing::Dispatch {
        &self.0.dispatch
    }

    pub(crate) fn jobs(&self) -> &Jobs {
        &self.0.jobs
    }

    pub(crate) fn wizard(&self) -> MutexGuard<'_, Wizard> {
        self.0.wizard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens accounts and sides, as the CLI does; keeps each account's
    /// service for the server's life.
    pub(crate) fn opener(&self) -> &Opener {
        &self.0.opener
    }

    /// Drops the opened service of `id` (signed in again, or removed).
    pub(crate) fn forget_service(&self, id: &str) {
        self.0.opener.forget(&AccountId::new(id));
    }

    /// The playlists of `id` listed in the last few minutes, if any.
    pub(crate) fn cached_playlists(&self, id: &str) -> Option<Vec<Playlist>> {
        let map = self.0.playlists.lock().unwrap_or_else(|p| p.into_inner());
        map.get(id)
            .filter(|(at, _)| at.elapsed() < PLAYLISTS_FRESH)
            .map(|(_, list)| list.clone())
    }

    pub(crate) fn cache_playlists(&self, id: &str, list: &[Playlist]) {
        let mut map = self.0.playlists.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(id.to_owned(), (Instant::now(), list.to_vec()));
    }

    /// Forgets listed playlists (a sync changed their counts, an account
    /// came or went).
    pub(crate) fn forget_playlists(&self) {
        self.0
            .playlists
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
