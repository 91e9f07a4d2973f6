//! The Saved syncs page: the pairs `musync run` keeps in sync, their last
//! run, their pending questions, Run now and Remove.

use crate::error::PageError;
use crate::state::AppState;
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::State;
use axum::response::Redirect;
use musync_engine::{RunOptions, run_pair};

/// A form naming a pair.
#[derive(serde::Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

/// `GET /saved`.
pub async fn page(State(app): State<AppState>) -> Result<maud::Markup, PageError> {
    let chrome = Chrome::new(&app, Step::Saved);
    let pairs = app.store().pairs()?;
    let mut rows = Vec::new();
    for p in pairs {
        let pending = app.store().pending_count(&p.name)?;
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
        .pair(f.name.trim())?
        .ok_or_else(|| PageError::not_found(format!("there is no saved sync `{}`", f.name)))?;
    let report = run_pair(app.store(), app.opener(), &pair, RunOptions::default()).await?;
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
    if !app.store().remove_pair(f.name.trim())? {
        return Err(PageError::not_found(format!(
            "there is no saved sync `{}` (already removed?)",
            f.name
        )));
    }
    Ok(Redirect::to("/saved"))
}
