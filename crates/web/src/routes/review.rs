//! Step 2: search the missing songs in the background, show the review
//! table, take the person's choices, remember their answers and start the
//! sync.

use crate::error::PageError;
use crate::jobs::{JobKind, JobState};
use crate::report::ResultRow;
use crate::state::AppState;
use crate::views::review::{self as view, View};
use crate::views::{Chrome, Step};
use crate::wizard::{Choice, Finished, Review};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use musync_engine::{Mode, PlanOptions};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct PageQuery {
    notice: Option<String>,
}

/// `GET /review`.
pub async fn page(State(app): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    // Coming back from step 3 stops a running sync.
    let sync = app.wizard().sync_job;
    if let Some(id) = sync {
        app.jobs().cancel(id);
    }
    let chrome = Chrome::new(&app, Step::Review);
    let (compared, review, job_id) = {
        let w = app.wizard();
        (w.compared.clone(), w.review.clone(), w.search_job)
    };
    let Some(compared) = compared else {
        return Redirect::to("/compare").into_response();
    };
    let job = job_id
        .and_then(|id| app.jobs().status(id))
        .filter(|j| j.state != JobState::Done);
    view::render(
        &chrome,
        &View {
            compared: &compared,
            review: review.as_ref(),
            job: job.as_ref(),
            notice: q.notice,
        },
    )
    .into_response()
}

/// `POST /review/start`: searches the missing songs (once per comparison;
/// coming back to step 2 keeps the choices made).
pub async fn start(State(app): State<AppState>) -> Result<Redirect, PageError> {
    let mut w = app.wizard();
    let compared = w
        .compared
        .clone()
        .ok_or_else(|| PageError::bad_request("Compare two playlists first."))?;
    let running = w
        .search_job
        .and_then(|id| app.jobs().status(id))
        .is_some_and(|j| j.state == JobState::Running);
    if w.review.is_some() || running {
        return Ok(Redirect::to("/review"));
    }
    let id = spawn_search(&app, w.generation, compared, None);
    w.search_job = Some(id);
    Ok(Redirect::to("/review"))
}

/// Searches the missing songs of `compared` in the background; the review
/// it makes replaces step 2's if the wizard is still at `generation`. With
/// `carry`, the choices a person made in that earlier review are kept.
pub(crate) fn spawn_search(
    app: &AppState,
    generation: u64,
    compared: Arc<musync_engine::Session>,
    carry: Option<Review>,
) -> u64 {
    let app2 = app.clone();
    let to_search = (compared.comparison().diff.only_left.len()
        + compared.comparison().diff.only_right.len()) as u64;
    app.jobs().spawn(
        JobKind::Search,
        "Searching the missing songs",
        move |h| async move {
            let bar = h.add_bar("Songs searched", Some(to_search));
            let progress = h.progress(bar);
            tracing::info!(target: "musync_web", songs = to_search, "searching the missing songs");
            let store = app2.store_arc();
            let plan = compared
                .plan(&store, PlanOptions::default(), &|| progress.tick())
                .await?;
            tracing::info!(
                target: "musync_web",
                songs = plan.items.len(),
                to_check = plan.needs_review().count(),
                "search finished"
            );
            let mut review = Review::new(plan);
            if let Some(old) = &carry {
                review.keep_choices_of(old);
            }
            let mut w = app2.wizard();
            if w.generation == generation {
                w.review = Some(review);
            }
            Ok(())
        },
    )
}

/// `POST /review`: the choices, then `go` = `sync` (remember the answers
/// and start step 3), `back` (keep them, return to step 1) or `confident`
/// (pick the best match wherever musync is sure).
pub async fn submit(
    State(app): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let go = fields
        .iter()
        .find(|(k, _)| k == "go")
        .map(|(_, v)| v.as_str())
        .unwrap_or("sync");
    let mut w = app.wizard();
    let (Some(compared), Some(review)) = (w.compared.clone(), w.review.as_mut()) else {
        return Ok(Redirect::to("/compare").into_response());
    };

    // Read every choice before changing anything: a bad one changes nothing.
    let mut chosen: Vec<(usize, Choice)> = Vec::new();
    for (key, value) in &fields {
        let Some(idx) = key.strip_prefix("row-") else {
            continue;
        };
        let item = idx
            .parse::<usize>()
            .ok()
            .and_then(|i| review.plan.items.get(i).map(|item| (i, item)));
        let Some((i, item)) = item else {
            return Err(PageError::bad_request(format!(
                "The form names a song that is not in this review ({key}); reload the page."
            )));
        };
        if review.choices[i].is_none() {
            continue; // remembered earlier: not a question any more
        }
        let unlisted = compared
            .target(item.from)
            .service
            .capabilities()
            .add_unlisted;
        let choice =
            Choice::parse_token(value, item.candidates.len(), unlisted).ok_or_else(|| {
                PageError::bad_request(format!(
                    "`{value}` is not a choice for {}; reload the page.",
                    item.source.label()
                ))
            })?;
        chosen.push((i, choice));
    }
    for (i, c) in chosen {
        review.choose(i, c);
    }

    match go {
        "back" => Ok(Redirect::to("/compare").into_response()),
        "confident" => {
            let (set, kept) = review.accept_confident();
            let mut notice = format!(
                "Accepted the best match for {} musync is sure about.",
                crate::views::count(set, "song", "songs")
            );
            if kept > 0 {
                notice.push_str(&format!(
                    " Kept your own choice for {}.",
                    crate::views::count(kept, "song", "songs")
                ));
            }
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("notice", &notice)
                .finish();
            Ok(Redirect::to(&format!("/review?{q}")).into_response())
        }
        "sync" => {
            // The session runs once: taking it out means a second click,
            // a reload or "back, then sync" finds nothing to run and goes
            // back to step 1, which reads both sides again.
            let session = (*compared).clone();
            let plan = review
                .resolve(|item| {
                    compared
                        .target(item.from)
                        .service
                        .capabilities()
                        .add_unlisted
                })
                .map_err(|e| PageError::bad_request(format!("{e}; reload the page.")))?;
            w.compared = None;
            w.review = None;
            if let Some(id) = w.sync_job.take() {
                app.jobs().cancel(id);
            }
            w.finished = None;
            let generation = w.generation;
            let app2 = app.clone();
            let id = app
                .jobs()
                .spawn(JobKind::Sync, "Adding the songs", move |h| async move {
                    let bar = h.add_bar("Songs", Some(plan.items.len() as u64));
                    let progress = h.progress(bar);
                    let left = session.left().label.clone();
                    let right = session.right().label.clone();
                    tracing::info!(target: "musync_web", songs = plan.items.len(), "sync started");
                    let report = session
                        .run(app2.store(), plan, Mode::Apply, &|r| {
                            h.push_row(ResultRow::new(r, &left, &right));
                            progress.tick();
                        })
                        .await?;
                    app2.forget_playlists();
                    tracing::info!(
                        target: "musync_web",
                        added = report.added, skipped = report.skipped,
                        not_found = report.not_found, failed = report.failed,
                        "sync finished"
                    );
                    let mut w = app2.wizard();
                    if w.generation == generation {
                        w.finished = Some(Arc::new(Finished {
                            report,
                            left,
                            right,
                        }));
                    }
                    Ok(())
                });
            w.sync_job = Some(id);
            Ok(Redirect::to("/sync").into_response())
        }
        other => Err(PageError::bad_request(format!(
            "`{other}` is not an action of this form"
        ))),
    }
}
