//! "Save this sync" at the end of the three steps: saves the two playlists
//! just synced as a pair for `musync run`, through the engine's
//! `save_pair` exactly like `musync pairs add` (name checked, a duplicate
//! refused, both sides opened, stored under their references).

use crate::error::PageError;
use crate::sources;
use crate::state::AppState;
use crate::views::save_sync::SaveOffer;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use musync_engine::{Direction, NewPair, Opener, Removals, SaveError, parse_direction, save_pair};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    left: String,
    #[serde(default)]
    right: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    removals: String,
}

/// The references of the wizard's two picks (`ACCOUNT:PLAYLIST-ID`, or a
/// playlist file's path) and the direction to offer first (one way when a
/// side is read-only), for the form; `None` before both are chosen.
pub fn references(app: &AppState) -> Option<SaveOffer> {
    let (left, right) = {
        let w = app.wizard();
        (w.left.clone()?, w.right.clone()?)
    };
    let side = |pick: &crate::wizard::Pick| {
        let source = sources::get(app, &pick.source).ok()?;
        let reference = match source.path() {
            Some(path) => path.display().to_string(),
            None => format!("{}:{}", pick.source, pick.playlist),
        };
        Some((reference, source.read_only))
    };
    let ((left, left_ro), (right, right_ro)) = (side(&left)?, side(&right)?);
    let direction = match (left_ro, right_ro) {
        (true, false) => Direction::ToRight,
        (false, true) => Direction::ToLeft,
        _ => Direction::Both,
    };
    Some(SaveOffer {
        left,
        right,
        direction,
    })
}

/// `POST /saved/add`.
pub async fn add(
    State(app): State<AppState>,
    Form(f): Form<SaveForm>,
) -> Result<Redirect, PageError> {
    let direction = parse_direction(&f.direction).ok_or_else(|| {
        PageError::bad_request(format!(
            "`{}` is not a direction: choose both, to-right or to-left",
            f.direction
        ))
    })?;
    let removals = Removals::parse(&f.removals).ok_or_else(|| {
        PageError::bad_request(format!(
            "`{}` is not a removal policy: choose keep or propagate",
            f.removals
        ))
    })?;
    let secrets = app.secrets().clone();
    let opener = Opener::new(move || secrets.clone());
    let new = NewPair {
        name: &f.name,
        left: &f.left,
        right: &f.right,
        direction,
        removals,
    };
    match save_pair(app.store(), &opener, &new).await {
        Ok((pair, _, _)) => {
            tracing::info!(target: "musync_web", pair = %pair.name, left = %pair.left,
                right = %pair.right, "sync saved");
            Ok(Redirect::to("/saved"))
        }
        Err(e @ SaveError::Exists(_)) => Err(PageError {
            status: StatusCode::CONFLICT,
            message: format!("{e}; nothing was saved."),
            hint: Some(
                "go back and choose another name (see Saved syncs for the names in use)".into(),
            ),
        }),
        Err(e @ (SaveError::BadName { .. } | SaveError::SameSides(_))) => Err(PageError {
            hint: Some("go back and change it".into()),
            ..PageError::bad_request(format!("{e}; nothing was saved."))
        }),
        Err(SaveError::Side(e)) => Err(e.into()),
        Err(SaveError::Store(e)) => Err(e.into()),
    }
}
