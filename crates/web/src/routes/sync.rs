//! Step 3: live progress of the sync, the results, the report downloads.

use crate::error::PageError;
use crate::report;
use crate::state::AppState;
use crate::views::sync::{self as view, View};
use crate::views::{Chrome, Step};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `GET /sync`.
pub async fn page(State(app): State<AppState>) -> maud::Markup {
    let chrome = Chrome::new(&app, Step::Sync);
    let (job_id, finished) = {
        let w = app.wizard();
        (w.sync_job, w.finished.clone())
    };
    let job = job_id.and_then(|id| app.jobs().status(id));
    let rows = job_id
        .map(|id| app.jobs().rows_after(id, 0))
        .unwrap_or_default();
    view::render(
        &chrome,
        &View {
            job: job.as_ref(),
            rows: &rows,
            save: finished
                .is_some()
                .then(|| crate::routes::save_sync::references(&app))
                .flatten(),
            finished: finished.as_deref(),
        },
    )
}

fn finished(app: &AppState) -> Result<std::sync::Arc<crate::wizard::Finished>, PageError> {
    app.wizard()
        .finished
        .clone()
        .ok_or_else(|| PageError::not_found("No sync has finished yet: there is no report."))
}

/// `GET /sync/report.json`: the shape of `musync sync --json`.
pub async fn report_json(State(app): State<AppState>) -> Result<Response, PageError> {
    let f = finished(&app)?;
    let body = serde_json::to_string_pretty(&f.report)
        .map_err(|e| PageError::internal(format!("the report could not be written: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"musync-report.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /sync/report.csv`.
pub async fn report_csv(State(app): State<AppState>) -> Result<Response, PageError> {
    let f = finished(&app)?;
    let body = report::csv(&f.report, &f.left, &f.right)
        .map_err(|e| PageError::internal(format!("the report could not be written: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"musync-report.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
