//! The local web wizard, `musync ui`: the original muSync's three steps in
//! the browser (compare two playlists, review the songs one side lacks,
//! sync), plus accounts and a live log, served on 127.0.0.1 only.
//!
//! ```text
//! accounts ─► 1 compare (read both, colour-coded) ─► 2 review (search, choose) ─► 3 sync (live results)
//!             ◄──────────── Back at every step; leaving a step cancels the later steps' work ───┘
//! ```
//!
//! Pages are server-rendered (maud) with a small embedded script; long work
//! runs as background jobs the pages poll (`jobs`). The wizard drives the
//! same engine, store and service registry as the CLI, so remembered
//! answers and the journal are shared. Security (`security`): loopback
//! only, a per-run token exchanged for an HttpOnly SameSite=Strict cookie,
//! Host checks against DNS rebinding, CSRF tokens on every POST.
//!
//! [`serve`] is what `musync ui` calls; [`start`] and [`router`] are for
//! tests.

mod assets;
pub mod demo;
mod error;
mod jobs;
pub mod logs;
mod moving;
mod report;
mod routes;
mod security;
mod sources;
mod state;
mod views;
mod wizard;

pub use demo::Demo;
pub use error::WebError;
pub use routes::router;
pub use state::AppState;

use musync_core::{MemorySecretStore, SecretStore};
use musync_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How `musync ui` was asked to run.
#[derive(Clone, Debug)]
pub struct UiOptions {
    /// musync's data dir (ignored in demo mode, which uses a temporary one).
    pub data_dir: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Open the default browser at the URL.
    pub open_browser: bool,
    /// Run against in-process fake services with sample libraries.
    pub demo: bool,
}

/// A running wizard. Dropping it stops the server and every job.
pub struct Running {
    /// The address to open, with the per-run token.
    pub url_with_token: String,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The per-run token.
    pub token: String,
    state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), std::io::Error>>>,
}

impl Running {
    /// The server's state (store, CSRF token, logs, demo fakes).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The fake services, in demo mode.
    pub fn demo(&self) -> Option<&Arc<Demo>> {
        self.state.demo()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn shutdown(mut self) -> Result<(), WebError> {
        self.state.jobs().cancel_all();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => result.map_err(WebError::Serve),
                Err(e) => Err(WebError::Serve(std::io::Error::other(e))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.state.jobs().cancel_all();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts the wizard on 127.0.0.1 and returns at once; the server runs in
/// the background until the [`Running`] is dropped or shut down.
pub async fn start(opts: UiOptions) -> Result<Running, WebError> {
    let logs = logs::Logs::new(2000);
    let (store, secrets, demo): (Store, Arc<dyn SecretStore>, Option<Arc<Demo>>) = if opts.demo {
        let memory = Arc::new(MemorySecretStore::new());
        let (demo, store) = demo::start(&memory).await?;
        (store, memory, Some(Arc::new(demo)))
    } else {
        let store = Store::open(&opts.data_dir)?;
        let secrets = musync_store::open_secret_store(&opts.data_dir);
        (store, secrets, None)
    };
    let listener = TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|reason| WebError::Bind {
            port: opts.port,
            reason,
        })?;
    let port = listener
        .local_addr()
        .map_err(|reason| WebError::Bind {
            port: opts.port,
            reason,
        })?
        .port();
    let playlist_file = demo.as_ref().map(|d| d.playlist_file.clone());
    let state = AppState::build(store, secrets, port, demo, logs);
    if let Some(path) = playlist_file {
        // The demo's playlist file goes through the same path as a typed one.
        sources::add_file(&state, &path.display().to_string())
            .await
            .map_err(|e| WebError::Demo(e.to_string()))?;
    }

    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    let base_url = format!("http://127.0.0.1:{port}");
    let token = state.token().to_owned();
    tracing::info!(target: "musync_web", %base_url, demo = opts.demo, "web wizard listening");
    Ok(Running {
        url_with_token: format!("{base_url}/?token={token}"),
        base_url,
        token,
        state,
        shutdown: Some(tx),
        task: Some(task),
    })
}

/// `musync ui`: starts the wizard, prints its address (with the token) on
/// stdout, opens the browser unless disabled, and serves until Ctrl-C.
pub async fn serve(opts: UiOptions) -> Result<(), WebError> {
    let open = opts.open_browser;
    let demo = opts.demo;
    let running = start(opts).await?;
    if demo {
        eprintln!("Demo mode: fake services with sample libraries; nothing real is changed.");
    }
    println!("{}", running.url_with_token);
    eprintln!("musync ui is running; open the address above. Press Ctrl-C to stop.");
    if open && let Err(e) = musync_http::open_in_browser(&running.url_with_token) {
        eprintln!("could not open a browser ({e}); open the address above by hand");
    }
    let stopped = tokio::signal::ctrl_c().await;
    if let Err(e) = stopped {
        tracing::warn!(error = %e, "cannot listen for Ctrl-C; stopping");
    }
    eprintln!("stopping…");
    running.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_errors_can_travel_in_anyhow_and_say_what_to_do() {
        fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
        let e = WebError::Bind {
            port: 80,
            reason: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        is_error(&e);
        assert!(
            e.to_string().contains("choose another port with --port"),
            "{e}"
        );
    }

    /// issue 12: the port-in-use error said its cause twice when printed
    /// with its cause chain (`{:#}`), as the CLI does.
    #[tokio::test]
    async fn a_port_in_use_is_said_once() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let err = start(UiOptions {
            data_dir: dir.path().to_path_buf(),
            port,
            open_browser: false,
            demo: false,
        })
        .await
        .err()
        .expect("the port is taken");
        let mut chain = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            chain.push_str(&format!(": {c}"));
            cause = c.source();
        }
        assert_eq!(
            chain,
            format!(
                "could not listen on 127.0.0.1:{port}: another program uses that port; \
                 choose another port with --port"
            )
        );
    }
}
