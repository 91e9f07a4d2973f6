//! The small JSON API the page scripts poll: job status (with new result
//! rows), the log since a sequence number, an account's playlists; and
//! cancelling a job.

use super::local_path;
use crate::error::PageError;
use crate::sources;
use crate::state::AppState;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

/// Log entries per answer.
const LOG_PAGE: usize = 200;

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: u64,
}

#[derive(Deserialize)]
pub struct SourceQuery {
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
pub struct NextForm {
    next: Option<String>,
}

/// `GET /api/jobs/{id}?after=N`: the status and the result rows after N.
pub async fn job(
    State(app): State<AppState>,
    Path(id): Path<u64>,
    Query(q): Query<After>,
) -> Response {
    match app.jobs().status(id) {
        Some(status) => {
            let rows = app.jobs().rows_after(id, q.after as usize);
            Json(json!({ "job": status, "new_rows": rows })).into_response()
        }
        None => PageError::not_found(format!("no job {id}")).into_json(),
    }
}

/// `POST /jobs/{id}/cancel`: stops the job, back to `next`.
pub async fn cancel(
    State(app): State<AppState>,
    Path(id): Path<u64>,
    Form(f): Form<NextForm>,
) -> Result<Redirect, PageError> {
    if app.jobs().status(id).is_none() {
        return Err(PageError::not_found(format!("there is no job {id}")));
    }
    app.jobs().cancel(id);
    Ok(Redirect::to(local_path(f.next.as_deref(), "/compare")))
}

/// `GET /api/logs?after=N`.
pub async fn logs(State(app): State<AppState>, Query(q): Query<After>) -> Json<serde_json::Value> {
    Json(json!({ "entries": app.logs().since(q.after, LOG_PAGE) }))
}

/// `GET /api/playlists?source=ID`: `{"playlists": [...]}`, or
/// `{"error", "hint"}` with a matching status.
pub async fn playlists(State(app): State<AppState>, Query(q): Query<SourceQuery>) -> Response {
    match sources::playlists(&app, q.source.trim()).await {
        Ok(list) => Json(json!({ "playlists": list })).into_response(),
        Err(e) => PageError::from(e).into_json(),
    }
}
