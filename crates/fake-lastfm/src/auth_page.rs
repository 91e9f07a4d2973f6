//! The approval page at `/api/auth/?api_key=…&token=…`: where a desktop
//! application sends the user's browser so they can allow it to use their
//! account. It shows a form whose button POSTs the approval; `&approve=1`
//! approves straight away so tests need no browser.

use crate::api::Shared;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><h1>{t}</h1>{body}</body></html>",
        t = esc(title)
    );
    (status, Html(html)).into_response()
}

/// Checks the key and token; `Err` is the (title, text) of the error page.
fn check(
    shared: &Shared,
    q: &HashMap<String, String>,
) -> Result<(String, String), (&'static str, &'static str)> {
    let st = shared.lock().expect("fake state lock");
    let key = q.get("api_key").cloned().unwrap_or_default();
    let token = q.get("token").cloned().unwrap_or_default();
    if !st.apps.contains_key(&key) {
        return Err((
            "Invalid API key",
            "<p>This application's API key is not known.</p>",
        ));
    }
    match st.tokens.get(&token) {
        Some(t) if t.api_key == key && !t.expired => Ok((key, token)),
        _ => Err((
            "Invalid token",
            "<p>This request token is unknown or has expired. Start again in the application.</p>",
        )),
    }
}

fn approve(shared: &Shared, token: &str, user: Option<&String>) -> Response {
    let mut st = shared.lock().expect("fake state lock");
    let user = user
        .map(|u| u.to_lowercase())
        .or_else(|| st.browser_user.clone());
    let Some(user) = user.filter(|u| st.users.contains_key(u)) else {
        return page(
            StatusCode::BAD_REQUEST,
            "Not signed in",
            "<p>No such user is signed in to this fake Last.fm.</p>",
        );
    };
    if let Some(t) = st.tokens.get_mut(token) {
        t.approved_by = Some(user);
    }
    page(
        StatusCode::OK,
        "Application authorised",
        "<p>You have granted permission to use your account. You can close this window and return to the application.</p>",
    )
}

pub(crate) async fn show(
    State(shared): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (key, token) = match check(&shared, &q) {
        Ok(ok) => ok,
        Err((title, text)) => return page(StatusCode::BAD_REQUEST, title, text),
    };
    if q.get("approve").map(String::as_str) == Some("1") {
        return approve(&shared, &token, q.get("user"));
    }
    let user = shared
        .lock()
        .expect("fake state lock")
        .browser_user
        .clone()
        .unwrap_or_default();
    let body = format!(
        "<p>An application would like to connect to your account.</p>\
         <form method=\"post\" action=\"\">\
         <input type=\"hidden\" name=\"api_key\" value=\"{key}\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <label>Signed in as <input name=\"user\" value=\"{user}\"></label>\
         <button type=\"submit\">Yes, allow access</button></form>",
        key = esc(&key),
        token = esc(&token),
        user = esc(&user),
    );
    page(StatusCode::OK, "Connect application", &body)
}

pub(crate) async fn submit(
    State(shared): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let token = match check(&shared, &f) {
        Ok((_, token)) => token,
        Err((title, text)) => return page(StatusCode::BAD_REQUEST, title, text),
    };
    approve(&shared, &token, f.get("user").filter(|u| !u.is_empty()))
}
