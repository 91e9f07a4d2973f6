//! The accounts page: list, add (sign-ins run as background jobs the page
//! shows, with the address to open for Last.fm and Spotify), remove with a
//! confirmation page.
//!
//! Every sign-in goes through the registry, exactly as `musync accounts
//! add` does: the forms are built from each entry's options. In demo mode
//! the request also names the fakes' addresses.

use crate::error::PageError;
use crate::jobs::{JobError, JobKind, JobState, JobStatus};
use crate::sources;
use crate::state::AppState;
use crate::views::accounts::{self as view, Notice, Prefill};
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use musync_core::{AccountId, Secret};
use musync_services::{OptionInput, ServiceInfo, SignInRequest};
use serde::Deserialize;
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
pub struct IdForm {
    #[serde(default)]
    id: String,
}

/// What the add forms start with: in demo mode, the fakes' keys.
fn prefill(app: &AppState) -> Prefill {
    let mut p = Prefill::default();
    if let Some(demo) = app.demo() {
        for (service, option, value) in crate::demo::FORM_VALUES {
            p.values
                .insert((service.to_string(), option.to_string()), value.to_string());
        }
        // Addresses a person would type (a Subsonic server's); never a port.
        for info in musync_services::SERVICES {
            for (name, value) in demo.endpoints(info.kind) {
                let asked = info
                    .asked_options()
                    .any(|o| o.name == name && o.input == OptionInput::Text);
                if asked {
                    p.values
                        .insert((info.kind.as_str().to_owned(), name.to_owned()), value);
                }
            }
        }
    }
    p
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
                error: Some((musync_files::KIND.as_str(), &message)),
                added: None,
            };
            let mut prefill = prefill(&app);
            prefill.file_path = f.path.clone();
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

/// `POST /accounts/add/{service}`: the service's sign-in, with the form's
/// fields named after the registry entry's options. It runs in the
/// background; the page shows the address to open, if any, and how it
/// ended.
pub async fn add(
    State(app): State<AppState>,
    Path(service): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(info) = musync_services::find(&service).filter(|i| i.sign_in.is_some()) else {
        return PageError::not_found(format!("musync has no sign-in for `{service}`"))
            .into_response();
    };
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut request = SignInRequest::new(info.kind, Box::new(|_| {}));
    request.timeout = SIGN_IN_TIMEOUT;
    // The wizard shows addresses on the page; it never opens a browser
    // itself (a browser-window sign-in opens its own).
    request = request.with_flag("no-browser").with_flag("no-paste");
    for option in info.asked_options() {
        let Some(v) = value(option.name) else {
            if option.required {
                return PageError::bad_request(format!(
                    "Fill in “{}” to sign in to {}.",
                    option.help,
                    info.kind.display_name()
                ))
                .into_response();
            }
            continue;
        };
        request = match option.input {
            OptionInput::Flag => request.with_flag(option.name),
            _ if option.secret => request.with_secret(option.name, Secret::new(v)),
            _ => request.with_value(option.name, v),
        };
    }
    if let Err(e) = request.port("port") {
        return PageError::bad_request(e.message).into_response();
    }
    if let Some(demo) = app.demo() {
        for (name, v) in demo.endpoints(info.kind) {
            request = request.with_value(name, v);
        }
    }
    start_signin(&app, info, request)
}

/// Runs a sign-in in the background and stores the account it yields.
fn start_signin(app: &AppState, info: &'static ServiceInfo, request: SignInRequest) -> Response {
    let app2 = app.clone();
    let kind = info.kind;
    app.jobs().spawn(
        JobKind::SignIn,
        format!("Signing in to {}", kind.display_name()),
        move |h| {
            let shown = h.clone();
            let mut request = request;
            request.on_url = Box::new(move |url: &str| shown.url(url));
            async move {
                h.message("Waiting for you to finish signing in…");
                tracing::info!(target: "musync_web", service = kind.as_str(), "sign-in started");
                let new = musync_services::sign_in(info, request).await?;
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
    let removed = musync_services::forget(app.store(), app.secrets().as_ref(), &id)?;
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
