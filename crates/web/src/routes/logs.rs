//! The Logs page (the drawer on every page polls the same API).

use crate::state::AppState;
use crate::views::{Chrome, Step};
use axum::extract::State;

/// Entries the page starts with; newer ones arrive by polling.
const SHOWN: usize = 500;

/// `GET /logs`.
pub async fn page(State(app): State<AppState>) -> maud::Markup {
    let chrome = Chrome::new(&app, Step::Logs);
    let entries = app.logs().since(0, SHOWN);
    crate::views::logs::render(&chrome, &entries)
}
