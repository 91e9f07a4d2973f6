//! Remembered answers ("don't sync", "not available", a chosen match) for
//! the playlists last compared, and taking one or all of them back: the
//! wizard's `musync decisions TARGET --forget SONG | --forget-all`.
//!
//! Forgetting an answer about the songs step 2 is reviewing searches them
//! again (keeping the choices made on the page), so the song is asked
//! about at once.

use super::local_path;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::decisions::{self as view, Target};
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Redirect;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PageQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ForgetForm {
    /// The target playlist's reference.
    #[serde(default)]
    target: String,
    /// The song's key; empty with `all`.
    #[serde(default)]
    key: String,
    /// Forget every answer for the target.
    #[serde(default)]
    all: Option<String>,
    next: Option<String>,
}

/// `GET /decisions`.
pub async fn page(
    State(app): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<maud::Markup, PageError> {
    let (sides, names) = {
        let w = app.wizard();
        (w.sides.clone(), w.song_names.clone())
    };
    let mut targets = Vec::new();
    for (label, reference) in sides {
        let mut answers: Vec<_> = app.store().decisions_for(&reference)?.into_iter().collect();
        answers.sort_by(|a, b| a.0.cmp(&b.0));
        targets.push(Target {
            label,
            reference,
            answers,
        });
    }
    let chrome = Chrome::new(&app, Step::Decisions);
    Ok(view::render(&chrome, &targets, &names, q.notice.as_deref()))
}

/// `POST /decisions/forget`: forgets one answer (`key`) or all (`all`) for
/// `target`, then returns to `next`.
pub async fn forget(
    State(app): State<AppState>,
    Form(f): Form<ForgetForm>,
) -> Result<Redirect, PageError> {
    let target = f.target.trim();
    let known = app.store().decisions_for(target)?;
    let keys: Vec<String> = if f.all.is_some() {
        known.keys().cloned().collect()
    } else if known.contains_key(f.key.as_str()) {
        vec![f.key.clone()]
    } else {
        return Err(PageError::not_found(format!(
            "there is no remembered answer about `{}` for {target} (forgotten already?)",
            f.key
        )));
    };
    for key in &keys {
        app.store().clear_decision(key, target)?;
    }
    tracing::info!(target: "musync_web", target, forgotten = keys.len(), "forgot remembered answers");
    search_again_if_reviewing(&app, target);
    let notice = format!(
        "Forgot {}; musync asks again next time.",
        crate::views::count(keys.len(), "remembered answer", "remembered answers")
    );
    let next = local_path(f.next.as_deref(), "/decisions");
    let sep = if next.contains('?') { '&' } else { '?' };
    let q = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("notice", &notice)
        .finish();
    Ok(Redirect::to(&format!("{next}{sep}{q}")))
}

/// When step 2 reviews songs going into `target`, searches them again so a
/// forgotten answer becomes a question now; the person's choices stay.
fn search_again_if_reviewing(app: &AppState, target: &str) {
    let mut w = app.wizard();
    let Some(compared) = w.compared.clone() else {
        return;
    };
    if compared.left().reference != target && compared.right().reference != target {
        return;
    }
    let searching = w
        .search_job
        .take()
        .map(|id| app.jobs().cancel(id))
        .is_some();
    let old = w.review.take();
    if old.is_none() && !searching {
        return; // step 2 has not started: its search will read the store
    }
    let id = super::review::spawn_search(app, w.generation, compared, old);
    w.search_job = Some(id);
}
