//! The accounts page: list, add (sign-ins run as background jobs the page
//! shows, with the address to open for Last.fm and Spotify), remove with a
//! confirmation page.
//!
//! Outside demo mode the sign-ins go through the registry
//! (`musync_services::signin`, endpoints from `MUSYNC_*`), exactly as
//! `musync accounts add` does. In demo mode the same service crates are
//! called with the fakes' addresses.

use crate::error::PageError;
use crate::jobs::{JobError, JobKind, JobState, JobStatus};
use crate::sources;
use crate::state::AppState;
use crate::views::accounts::{self as view, Notice, Prefill};
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use futures::future::BoxFuture;
use musync_core::{AccountId, NewAccount, Secret, ServiceError, ServiceKind};
use musync_services::signin::{self, OnUrl};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// How long a person has to finish a sign-in.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Deserialize)]
pub struct PageQuery {
    added: Option<String>,
}

#[derive(Deserialize)]
pub struct PathForm {
    #[serde(default)]
    path: String,
}

#[derive(Deserialize)]
pub struct LastfmForm {
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    api_secret: String,
}

#[derive(Deserialize)]
pub struct SpotifyForm {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    port: String,
}

#[derive(Deserialize)]
pub struct IdForm {
    #[serde(default)]
    id: String,
}

fn prefill(app: &AppState) -> Prefill {
    match app.demo() {
        Some(_) => Prefill {
            lastfm_key: fake_lastfm::DEMO_API_KEY.to_owned(),
            lastfm_secret: fake_lastfm::DEMO_API_SECRET.to_owned(),
            spotify_client: fake_spotify::TEST_CLIENT_ID.to_owned(),
            spotify_port: 0,
            file_path: String::new(),
        },
        None => Prefill {
            spotify_port: musync_spotify::DEFAULT_PORT,
            ..Prefill::default()
        },
    }
}

/// Sign-ins to show: those running, and the latest finished one (how it
/// ended: the account added, or why not).
fn signins(app: &AppState) -> Vec<JobStatus> {
    let all = app.jobs().of_kind(JobKind::SignIn);
    let mut shown: Vec<JobStatus> = all
        .iter()
        .filter(|j| j.state == JobState::Running)
        .cloned()
        .collect();
    if let Some(last) = all.iter().rev().find(|j| j.state != JobState::Running) {
        shown.push(last.clone());
    }
    shown
}

fn render(
    app: &AppState,
    notice: &Notice<'_>,
    prefill: &Prefill,
) -> Result<maud::Markup, PageError> {
    let chrome = Chrome::new(app, Step::Accounts);
    let list = sources::list(app)?;
    Ok(view::render(&chrome, &list, &signins(app), prefill, notice))
}

/// `GET /accounts`.
pub async fn page(
    State(app): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<maud::Markup, PageError> {
    let notice = Notice {
        error: None,
        added: q.added.as_deref(),
    };
    render(&app, &notice, &prefill(&app))
}

/// `POST /accounts/file`: checked at once; a bad path re-renders the page
/// with the reason at the form (400) and stores nothing.
pub async fn add_file(State(app): State<AppState>, Form(f): Form<PathForm>) -> Response {
    match sources::add_file(&app, &f.path).await {
        Ok(account) => added(&account.name),
        Err(e) => {
            let message = e.to_string();
            let notice = Notice {
                error: Some((ServiceKind::File, &message)),
                added: None,
            };
            let prefill = Prefill {
                file_path: f.path.clone(),
                ..prefill(&app)
            };
            match render(&app, &notice, &prefill) {
                Ok(page) => (StatusCode::BAD_REQUEST, page).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

fn added(name: &str) -> Response {
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("added", name)
        .finish();
    Redirect::to(&format!("/accounts?{q}")).into_response()
}

/// Runs a sign-in in the background and stores the account it yields.
fn start_signin(
    app: &AppState,
    kind: ServiceKind,
    signin: impl FnOnce(OnUrl) -> BoxFuture<'static, Result<NewAccount, ServiceError>>,
) -> Response {
    let app2 = app.clone();
    app.jobs().spawn(
        JobKind::SignIn,
        format!("Signing in to {}", kind.display_name()),
        move |h| {
            let shown = h.clone();
            let fut = signin(Box::new(move |url: &str| shown.url(url)));
            async move {
                h.message("Waiting for you to finish signing in…");
                tracing::info!(target: "musync_web", service = kind.as_str(), "sign-in started");
                let new = fut.await?;
                let account = musync_services::remember(app2.store(), app2.secrets().as_ref(), new)
                    .map_err(|e| JobError::msg(e.to_string()))?;
                app2.forget_service(account.id.as_str());
                app2.forget_playlists();
                h.message(format!("Added {} ({}).", account.name, account.id));
                Ok(())
            }
        },
    );
    Redirect::to("/accounts").into_response()
}

/// `POST /accounts/amazon`: a browser window opens on this machine.
pub async fn add_amazon(State(app): State<AppState>) -> Response {
    let demo_host = app.demo().map(|d| d.amazon.base_url().to_owned());
    start_signin(&app, ServiceKind::Amazon, move |_| {
        Box::pin(async move {
            match demo_host {
                Some(host) => {
                    musync_amazon::sign_in_with_browser(musync_amazon::BrowserSignIn {
                        timeout: SIGN_IN_TIMEOUT,
                        ..musync_amazon::BrowserSignIn::for_host(&host)
                    })
                    .await
                }
                None => signin::amazon_browser(SIGN_IN_TIMEOUT).await,
            }
        })
    })
}

/// `POST /accounts/amazon-cookies`.
pub async fn add_amazon_cookies(State(app): State<AppState>, Form(f): Form<PathForm>) -> Response {
    let path = PathBuf::from(f.path.trim());
    if f.path.trim().is_empty() {
        return PageError::bad_request("Type the path of the cookies.txt file.").into_response();
    }
    let demo_host = app.demo().map(|d| d.amazon.base_url().to_owned());
    start_signin(&app, ServiceKind::Amazon, move |_| {
        Box::pin(async move {
            match demo_host {
                Some(host) => musync_amazon::sign_in_with_cookies(&path, Some(host)).await,
                None => signin::amazon_cookies(&path).await,
            }
        })
    })
}

/// `POST /accounts/lastfm`: shows the approval address and waits.
pub async fn add_lastfm(State(app): State<AppState>, Form(f): Form<LastfmForm>) -> Response {
    let demo = app
        .demo()
        .map(|d| (d.lastfm.api_url(), d.lastfm.auth_url()));
    let (key, secret) = (
        f.api_key.trim().to_owned(),
        Secret::new(f.api_secret.trim()),
    );
    start_signin(&app, ServiceKind::Lastfm, move |on_url| {
        Box::pin(async move {
            match demo {
                Some((api_url, auth_url)) => {
                    musync_lastfm::sign_in(musync_lastfm::LastfmSignIn {
                        api_url,
                        auth_url,
                        open_browser: false,
                        on_url,
                        poll_interval: Duration::from_millis(500),
                        timeout: SIGN_IN_TIMEOUT,
                        ..musync_lastfm::LastfmSignIn::new(key, secret)
                    })
                    .await
                }
                None => signin::lastfm(key, secret, false, on_url).await,
            }
        })
    })
}

/// `POST /accounts/spotify`: shows the authorisation address and waits
/// for Spotify's redirect on the loopback port.
pub async fn add_spotify(State(app): State<AppState>, Form(f): Form<SpotifyForm>) -> Response {
    let port = match f.port.trim() {
        "" => None,
        p => match p.parse::<u16>() {
            Ok(p) => Some(p),
            Err(_) => {
                return PageError::bad_request(format!("`{p}` is not a port number (0 to 65535)"))
                    .into_response();
            }
        },
    };
    let demo = app
        .demo()
        .map(|d| (d.spotify.api_url(), d.spotify.accounts_url()));
    let client_id = f.client_id.trim().to_owned();
    start_signin(&app, ServiceKind::Spotify, move |on_url| {
        Box::pin(async move {
            match demo {
                Some((api_url, accounts_url)) => {
                    musync_spotify::sign_in(musync_spotify::SpotifySignIn {
                        port: port.unwrap_or(0),
                        open_browser: false,
                        api_url,
                        accounts_url,
                        timeout: SIGN_IN_TIMEOUT,
                        on_url,
                        ..musync_spotify::SpotifySignIn::new(client_id)
                    })
                    .await
                }
                None => signin::spotify(client_id, port, false, on_url).await,
            }
        })
    })
}

/// `GET /accounts/remove?id=…`: the confirmation page.
pub async fn confirm_remove(
    State(app): State<AppState>,
    Query(q): Query<IdForm>,
) -> Result<maud::Markup, PageError> {
    let source = sources::get(&app, &q.id)?;
    let chrome = Chrome::new(&app, Step::Accounts);
    Ok(view::confirm_remove(&chrome, &source))
}

/// `POST /accounts/remove`: forgets the account and its secrets.
pub async fn remove(
    State(app): State<AppState>,
    Form(f): Form<IdForm>,
) -> Result<Redirect, PageError> {
    let id = AccountId::new(f.id.trim());
    let removed =
        musync_services::forget(app.store(), app.secrets().as_ref(), &id).map_err(|e| {
            PageError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: e.to_string(),
                hint: None,
            }
        })?;
    if !removed {
        return Err(PageError::not_found(format!(
            "there is no account `{id}` (already removed?)"
        )));
    }
    app.forget_service(id.as_str());
    app.forget_playlists();
    {
        let mut w = app.wizard();
        if w.left.as_ref().is_some_and(|p| p.source == id.as_str()) {
            w.left = None;
        }
        if w.right.as_ref().is_some_and(|p| p.source == id.as_str()) {
            w.right = None;
        }
    }
    tracing::info!(target: "musync_web", account = %id, "account removed");
    Ok(Redirect::to("/accounts"))
}
