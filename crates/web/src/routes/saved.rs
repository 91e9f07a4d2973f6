//! The Saved syncs page: the pairs `musync run` keeps in sync, their last
//! run, their pending questions, Run now and Remove.

use crate::error::PageError;
use crate::state::AppState;
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use musync_engine::{Opener, RunOptions, run_pair};

/// A form naming a pair.
#[derive(serde::Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

fn internal(e: impl std::fmt::Display) -> PageError {
    PageError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: e.to_string(),
        hint: None,
    }
}

/// `GET /saved`.
pub async fn page(State(app): State<AppState>) -> Result<maud::Markup, PageError> {
    let chrome = Chrome::new(&app, Step::Saved);
    let pairs = app.store().pairs().map_err(internal)?;
    let mut rows = Vec::new();
    for p in pairs {
        let pending = app.store().pending_count(&p.name).map_err(internal)?;
        rows.push((p, pending));
    }
    Ok(crate::views::saved::render(&chrome, &rows))
}

/// `POST /saved/run`: runs the pair now (unattended, as `musync run`).
pub async fn run_now(
    State(app): State<AppState>,
    Form(f): Form<NameForm>,
) -> Result<Redirect, PageError> {
    let pair = app
        .store()
        .pair(f.name.trim())
        .map_err(internal)?
        .ok_or_else(|| PageError::not_found(format!("there is no saved sync `{}`", f.name)))?;
    let secrets = app.secrets().clone();
    let opener = Opener::new(move || secrets.clone());
    let report = run_pair(app.store(), &opener, &pair, RunOptions::default())
        .await
        .map_err(internal)?;
    tracing::info!(target: "musync_web", pair = %pair.name, added = report.added,
        removed = report.removed, pending = report.pending, failed = report.failed,
        "saved sync ran");
    Ok(Redirect::to("/saved"))
}

/// `POST /saved/remove`: forgets the pair (its playlists are untouched).
pub async fn remove(
    State(app): State<AppState>,
    Form(f): Form<NameForm>,
) -> Result<Redirect, PageError> {
    if !app.store().remove_pair(f.name.trim()).map_err(internal)? {
        return Err(PageError::not_found(format!(
            "there is no saved sync `{}` (already removed?)",
            f.name
        )));
    }
    Ok(Redirect::to("/saved"))
}
