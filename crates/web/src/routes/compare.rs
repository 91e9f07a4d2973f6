//! Step 1: choose both playlists, read them in the background with
//! progress, show the colour-coded lists, unlink false pairs.

use crate::error::PageError;
use crate::jobs::{JobKind, JobState};
use crate::sources;
use crate::state::AppState;
use crate::views::compare::{self as view, View};
use crate::views::{Chrome, Step};
use crate::wizard::Pick;
use axum::Form;
use axum::extract::State;
use axum::response::Redirect;
use musync_engine::Session;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct CompareForm {
    #[serde(default)]
    left_source: String,
    #[serde(default)]
    left_playlist: String,
    #[serde(default)]
    right_source: String,
    #[serde(default)]
    right_playlist: String,
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    i: usize,
    j: usize,
}

/// Stops the work of steps 2 and 3: the person went back.
fn leave_later_steps(app: &AppState) {
    let (search, sync) = {
        let w = app.wizard();
        (w.search_job, w.sync_job)
    };
    for id in [search, sync].into_iter().flatten() {
        app.jobs().cancel(id);
    }
}

/// `GET /compare`.
pub async fn page(State(app): State<AppState>) -> Result<maud::Markup, PageError> {
    leave_later_steps(&app);
    let list = sources::list(&app)?;
    let chrome = Chrome::new(&app, Step::Compare);
    let (left, right, job_id, compared) = {
        let w = app.wizard();
        (
            w.left.clone(),
            w.right.clone(),
            w.compare_job,
            w.compared.clone(),
        )
    };
    let job = job_id
        .and_then(|id| app.jobs().status(id))
        .filter(|j| j.state != JobState::Done);
    Ok(view::render(
        &chrome,
        &View {
            sources: &list,
            left: left.as_ref(),
            right: right.as_ref(),
            job: job.as_ref(),
            compared: compared.as_deref(),
        },
    ))
}

/// `POST /compare`: starts reading both playlists.
pub async fn start(
    State(app): State<AppState>,
    Form(f): Form<CompareForm>,
) -> Result<Redirect, PageError> {
    let left = Pick {
        source: f.left_source.trim().to_owned(),
        playlist: f.left_playlist.trim().to_owned(),
    };
    let right = Pick {
        source: f.right_source.trim().to_owned(),
        playlist: f.right_playlist.trim().to_owned(),
    };
    if left.source.is_empty() || right.source.is_empty() {
        return Err(PageError::bad_request(
            "Choose an account on both sides first.",
        ));
    }
    if left.playlist.is_empty() || right.playlist.is_empty() {
        return Err(PageError::bad_request(
            "Choose a playlist on both sides first.",
        ));
    }
    if left == right {
        return Err(PageError::bad_request(
            "Both sides are the same playlist; choose two different ones.",
        ));
    }
    // Fail now, not in the job, for an account that no longer exists.
    sources::get(&app, &left.source)?;
    sources::get(&app, &right.source)?;

    let mut w = app.wizard();
    for id in [w.compare_job, w.search_job, w.sync_job]
        .into_iter()
        .flatten()
    {
        app.jobs().cancel(id);
    }
    w.generation += 1;
    let generation = w.generation;
    w.left = Some(left.clone());
    w.right = Some(right.clone());
    w.compared = None;
    w.review = None;
    w.finished = None;
    w.search_job = None;
    w.sync_job = None;
    let app2 = app.clone();
    let id = app.jobs().spawn(
        JobKind::Compare,
        "Reading both playlists",
        move |h| async move {
            h.message("Opening both playlists…");
            let (l, r) = futures::join!(
                sources::side(&app2, &left.source, &left.playlist),
                sources::side(&app2, &right.source, &right.playlist)
            );
            let (l, r) = (l?, r?);
            let lb = h.add_bar(l.label.clone(), None);
            let rb = h.add_bar(r.label.clone(), None);
            h.message("Downloading both playlists…");
            tracing::info!(target: "musync_web", left = %l.label, right = %r.label, "comparing");
            let session =
                Session::compare(app2.store(), l, r, &h.progress(lb), &h.progress(rb)).await?;
            let cmp = session.comparison();
            tracing::info!(
                target: "musync_web",
                matched = cmp.diff.matched.len(),
                only_left = cmp.diff.only_left.len(),
                only_right = cmp.diff.only_right.len(),
                "compared"
            );
            let mut w = app2.wizard();
            if w.generation == generation {
                w.sides = [session.left(), session.right()]
                    .iter()
                    .map(|s| (s.label.clone(), s.reference.clone()))
                    .collect();
                let cmp = session.comparison();
                w.song_names = cmp
                    .left
                    .iter()
                    .chain(&cmp.right)
                    .map(|t| (musync_engine::source_key(t), t.label()))
                    .collect();
                w.compared = Some(Arc::new(session));
            }
            Ok(())
        },
    );
    w.compare_job = Some(id);
    Ok(Redirect::to("/compare"))
}

/// `POST /compare/relink`: takes back an unlink (made now or remembered
/// from an earlier sync); the pair is matched again.
pub async fn relink(
    State(app): State<AppState>,
    Form(f): Form<UnlinkForm>,
) -> Result<Redirect, PageError> {
    let mut w = app.wizard();
    let compared = w
        .compared
        .clone()
        .ok_or_else(|| PageError::bad_request("Compare two playlists first."))?;
    let mut c = (*compared).clone();
    if !c.relink_and_forget(app.store(), f.i, f.j)? {
        return Err(PageError::bad_request(
            "Those two songs are not unlinked (any more); reload the page.",
        ));
    }
    tracing::info!(
        target: "musync_web",
        left = %c.comparison().left[f.i].label(),
        right = %c.comparison().right[f.j].label(),
        "relinked a pair"
    );
    w.compared = Some(Arc::new(c));
    if let Some(id) = w.search_job.take() {
        app.jobs().cancel(id);
    }
    w.review = None;
    w.finished = None;
    Ok(Redirect::to(&format!("/compare#l-{}", f.i)))
}

/// `POST /compare/unlink`: the pair is not the same recording; split it
/// and remember that.
pub async fn unlink(
    State(app): State<AppState>,
    Form(f): Form<UnlinkForm>,
) -> Result<Redirect, PageError> {
    let mut w = app.wizard();
    let compared = w
        .compared
        .clone()
        .ok_or_else(|| PageError::bad_request("Compare two playlists first."))?;
    if !compared.comparison().diff.matched.contains(&(f.i, f.j)) {
        return Err(PageError::bad_request(
            "Those two songs are not paired (any more); reload the page.",
        ));
    }
    let mut c = (*compared).clone();
    let (a, b) = (
        c.comparison().left[f.i].label(),
        c.comparison().right[f.j].label(),
    );
    c.unlink_and_remember(app.store(), f.i, f.j)?;
    tracing::info!(target: "musync_web", left = %a, right = %b, "unlinked a false match");
    w.compared = Some(Arc::new(c));
    // The missing songs changed: search again.
    if let Some(id) = w.search_job.take() {
        app.jobs().cancel(id);
    }
    w.review = None;
    w.finished = None;
    Ok(Redirect::to(&format!("/compare#l-{}", f.i)))
}
