//! The review inbox of saved syncs: the questions unattended runs queued,
//! answered with the engine's one [`Answer`] model and stored exactly as
//! `musync review` stores them (`musync_engine::answer_question`), so the
//! pair's next run applies them and nobody is asked again.

use crate::error::PageError;
use crate::state::AppState;
use crate::views::inbox::{self as view, question_id};
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Redirect;
use musync_engine::{Answer, Question, answer_question, questions};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct InboxQuery {
    /// Only this pair's questions.
    pair: Option<String>,
    /// A status line after answering.
    notice: Option<String>,
}

/// The pair filter, checked: an unknown pair is a 404 that says so.
fn pair_filter(app: &AppState, pair: Option<&str>) -> Result<Option<String>, PageError> {
    let Some(name) = pair.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if app.store().pair(name)?.is_none() {
        return Err(unknown_pair(name));
    }
    Ok(Some(name.to_owned()))
}

fn unknown_pair(name: &str) -> PageError {
    PageError {
        hint: Some("see the Saved syncs page for the pairs that exist".into()),
        ..PageError::not_found(format!("there is no saved sync named '{name}'"))
    }
}

/// `GET /saved/inbox[?pair=NAME]`.
pub async fn page(
    State(app): State<AppState>,
    Query(q): Query<InboxQuery>,
) -> Result<maud::Markup, PageError> {
    let pair = pair_filter(&app, q.pair.as_deref())?;
    let waiting = questions(app.store(), pair.as_deref())?;
    let chrome = Chrome::new(&app, Step::Saved);
    Ok(view::render(
        &chrome,
        &view::View {
            pair: pair.as_deref(),
            questions: &waiting,
            notice: q.notice.as_deref(),
        },
    ))
}

/// `POST /saved/inbox`: `q<N>` names a question (see [`question_id`]) and
/// `a<N>` is its answer's token. Every answer is checked before any is
/// stored: one bad answer stores nothing.
pub async fn submit(
    State(app): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let field = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let pair = pair_filter(&app, field("pair"))?;
    let waiting = questions(app.store(), pair.as_deref())?;
    let mut answers: Vec<(&Question, Answer)> = Vec::new();
    for (key, id) in &fields {
        let Some(n) = key.strip_prefix('q') else {
            continue;
        };
        let q = waiting
            .iter()
            .find(|q| question_id(q) == *id)
            .ok_or_else(|| {
                PageError::bad_request(
                    "One of these questions was answered meanwhile (or its saved sync removed); \
                     nothing was saved. Reload the page and answer again.",
                )
            })?;
        let token = field(&format!("a{n}")).unwrap_or("skip");
        let answer = Answer::parse_token(token, q.candidates.len(), q.unlisted).ok_or_else(|| {
            PageError::bad_request(format!(
                "`{token}` is not an answer for {} ({} candidates{}); nothing was saved. Reload \
                 the page and choose again.",
                q.source.label(),
                q.candidates.len(),
                if q.unlisted {
                    ", or its exact name"
                } else {
                    ""
                }
            ))
        })?;
        answers.push((q, answer));
    }
    let mut answered = 0;
    for (q, answer) in answers {
        let taken = answer_question(app.store(), q, answer).map_err(|e| PageError {
            status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            message: e.to_string(),
            hint: None,
        })?;
        if taken {
            answered += 1;
            tracing::info!(target: "musync_web", pair = %q.pair, song = %q.source.label(),
                answer = %answer.token(), "inbox question answered");
        }
    }
    let notice = match answered {
        0 => "Nothing answered: skipped songs stay in the inbox.".to_owned(),
        1 => "1 answer saved; the next run of its saved sync applies it.".to_owned(),
        n => format!("{n} answers saved; the next run of each saved sync applies them."),
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(p) = &pair {
        query.append_pair("pair", p);
    }
    query.append_pair("notice", &notice);
    Ok(Redirect::to(&format!("/saved/inbox?{}", query.finish())))
}
