//! The router: one module per page (accounts, the three steps, logs) plus
//! the small JSON API the scripts poll. Every route sits behind the
//! security guard and runs under the wizard's log dispatcher.
//!
//! Leaving a step stops the work of the steps after it: opening step 1
//! cancels a running search or sync, opening step 2 a running sync.

mod accounts;
mod api;
mod compare;
mod decisions;
mod inbox;
mod logs;
mod move_all;
mod review;
mod save_sync;
mod saved;
mod sync;

use crate::assets;
use crate::security;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tracing::instrument::WithSubscriber;

/// The wizard's routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/app.js", get(assets::js))
        .route("/accounts", get(accounts::page))
        .route("/accounts/file", post(accounts::add_file))
        .route("/accounts/add/{service}", post(accounts::add))
        .route(
            "/accounts/remove",
            get(accounts::confirm_remove).post(accounts::remove),
        )
        .route("/compare", get(compare::page).post(compare::start))
        .route("/compare/unlink", post(compare::unlink))
        .route("/compare/relink", post(compare::relink))
        .route("/decisions", get(decisions::page))
        .route("/decisions/forget", post(decisions::forget))
        .route("/review", get(review::page).post(review::submit))
        .route("/review/start", post(review::start))
        .route("/sync", get(sync::page))
        .route("/sync/report.json", get(sync::report_json))
        .route("/sync/report.csv", get(sync::report_csv))
        .route("/logs", get(logs::page))
        .route("/saved", get(saved::page))
        .route("/saved/run", post(saved::run_now))
        .route("/saved/remove", post(saved::remove))
        .route("/saved/add", post(save_sync::add))
        .route("/saved/inbox", get(inbox::page).post(inbox::submit))
        .route("/move", get(move_all::page).post(move_all::pairs))
        .route("/move/plan", post(move_all::plan))
        .route("/move/review", get(move_all::review).post(move_all::submit))
        .route("/move/run", get(move_all::run_page))
        .route("/jobs/{id}/cancel", post(api::cancel))
        .route("/api/jobs/{id}", get(api::job))
        .route("/api/logs", get(api::logs))
        .route("/api/playlists", get(api::playlists))
        .layer(middleware::from_fn_with_state(
            state.guard().clone(),
            security::guard,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), with_logs))
        .with_state(state)
}

/// Runs the request under the wizard's log dispatcher, so what services
/// log while serving it shows on the Logs page.
async fn with_logs(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let dispatch = app.dispatch().clone();
    next.run(req).with_subscriber(dispatch).await
}

/// `/`: step 1 when there is something to compare, else the accounts.
async fn home(State(app): State<AppState>) -> Response {
    let has_sources = app
        .store()
        .accounts()
        .map(|a| !a.is_empty())
        .unwrap_or(false);
    Redirect::to(if has_sources { "/compare" } else { "/accounts" }).into_response()
}

/// A same-site path to return to after a form, or `fallback`.
pub(crate) fn local_path<'a>(next: Option<&'a str>, fallback: &'a str) -> &'a str {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p,
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_after_a_form() {
        assert_eq!(local_path(Some("/review"), "/compare"), "/review");
        for bad in [
            "//evil.example/x",
            "https://evil.example",
            "review",
            "/\\evil",
            "",
        ] {
            assert_eq!(local_path(Some(bad), "/compare"), "/compare", "{bad}");
        }
        assert_eq!(local_path(None, "/accounts"), "/accounts");
    }
}
