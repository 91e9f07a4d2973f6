//! The fake login and auth hosts: `GET {login}/authorize` (authorization
//! code with PKCE) and `POST {auth}/v1/oauth2/token` (code exchange and
//! refresh), checked as TIDAL's developer platform documents them:
//! registered client id, loopback redirect echoed exactly, S256 only,
//! `state` required, third-party scopes only (`r_usr`/`w_usr` are for
//! TIDAL's own apps), single-use codes, refresh answers without a new
//! refresh token, OAuth errors with TIDAL's `sub_status`.

use crate::Shared;
use crate::state::{
    AccessToken, AuthorizeMode, FakeState, PendingAuthorize, PendingCode, RefreshToken,
    random_token,
};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

type Params = HashMap<String, String>;

/// The scopes of spec 1.10.104, all of tier THIRD_PARTY.
pub const THIRD_PARTY_SCOPES: &[&str] = &[
    "playlists.read",
    "playlists.write",
    "collection.read",
    "collection.write",
    "user.read",
    "search.read",
    "search.write",
    "recommendations.read",
    "entitlements.read",
    "playback",
];

fn bad_page(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><title>TIDAL</title><p>{message}</p>"
        )),
    )
        .into_response()
}

fn with_params(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            u.query_pairs_mut().extend_pairs(params);
            u.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

/// `GET {login}/authorize`.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(p): Query<Params>,
) -> Response {
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let mut st = shared.lock();
    let client_id = get("client_id");
    if !st.clients.contains(&client_id) {
        return bad_page("invalid_client: unknown client id");
    }
    let redirect_uri = get("redirect_uri");
    let loopback = url::Url::parse(&redirect_uri).ok().is_some_and(|u| {
        u.scheme() == "http"
            && matches!(u.host_str(), Some("127.0.0.1" | "localhost"))
            && u.path() == "/callback"
    });
    if !loopback {
        return bad_page("invalid_request: redirect_uri is not registered for this client");
    }
    let state = get("state");
    let error = |e: &str| {
        let mut ps = vec![("error", e)];
        if !state.is_empty() {
            ps.push(("state", state.as_str()));
        }
        Redirect::to(&with_params(&redirect_uri, &ps)).into_response()
    };
    if get("response_type") != "code" {
        return error("unsupported_response_type");
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").len() != 43 {
        return error("invalid_request");
    }
    if state.is_empty() {
        return error("invalid_request");
    }
    let scopes: HashSet<String> = get("scope").split_whitespace().map(str::to_owned).collect();
    if scopes.is_empty()
        || scopes
            .iter()
            .any(|s| !THIRD_PARTY_SCOPES.contains(&s.as_str()))
    {
        return error("invalid_scope");
    }
    let request = PendingAuthorize {
        client_id,
        redirect_uri: redirect_uri.clone(),
        challenge: get("code_challenge"),
        state: state.clone(),
        scopes,
    };
    match st.authorize.clone() {
        AuthorizeMode::AutoApprove(user) => {
            Redirect::to(&approve(&mut st, request, &user)).into_response()
        }
        AuthorizeMode::Deny => error("access_denied"),
        AuthorizeMode::Page => {
            let id = random_token(16);
            let mut scopes: Vec<&String> = request.scopes.iter().collect();
            scopes.sort();
            let scopes = scopes
                .into_iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            st.pending.insert(id.clone(), request);
            Html(format!(
                "<!doctype html><title>Fake TIDAL</title>\
                 <h1>Allow this app to use your (fake) TIDAL account?</h1>\
                 <p>Scopes: {scopes}</p>\
                 <p><a href=\"authorize/decide?request={id}&approve=true\">Allow</a> \
                 <a href=\"authorize/decide?request={id}&approve=false\">Cancel</a></p>"
            ))
            .into_response()
        }
    }
}

/// `GET {login}/authorize/decide`: the page's buttons.
pub(crate) async fn decide(State(shared): State<Arc<Shared>>, Query(p): Query<Params>) -> Response {
    let mut st = shared.lock();
    let Some(request) = p.get("request").and_then(|id| st.pending.remove(id)) else {
        return bad_page("This authorization request is unknown or was already answered.");
    };
    if p.get("approve").map(String::as_str) != Some("true") {
        let target = with_params(
            &request.redirect_uri,
            &[("error", "access_denied"), ("state", &request.state)],
        );
        return Redirect::to(&target).into_response();
    }
    let Some(user) = st.users.keys().next().cloned() else {
        return bad_page("The fake has no user to sign in as.");
    };
    Redirect::to(&approve(&mut st, request, &user)).into_response()
}

fn approve(st: &mut FakeState, request: PendingAuthorize, user: &str) -> String {
    let code = random_token(64);
    let target = with_params(
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
    );
    st.codes.insert(
        code,
        PendingCode {
            client_id: request.client_id,
            redirect_uri: request.redirect_uri,
            challenge: request.challenge,
            user: user.to_owned(),
            scopes: request.scopes,
        },
    );
    target
}

/// TIDAL's OAuth error body.
fn token_error(status: StatusCode, error: &str, sub_status: u32, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({
            "status": status.as_u16(),
            "error": error,
            "sub_status": sub_status,
            "error_description": description,
        })),
    )
        .into_response()
}

/// BASE64URL(SHA256(verifier)), no padding.
pub(crate) fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn verifier_is_well_formed(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
}

/// `POST {auth}/v1/oauth2/token`.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, Form(p): Form<Params>) -> Response {
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let mut st = shared.lock();
    st.token_requests += 1;
    let client_id = get("client_id");
    if !st.clients.contains(&client_id) {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            1002,
            "Client not found",
        );
    }
    let (user, scopes, keep_refresh) = match get("grant_type").as_str() {
        "authorization_code" => {
            let Some(code) = st.codes.remove(&get("code")) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    11101,
                    "Authorization code is invalid or was already used",
                );
            };
            if code.client_id != client_id || code.redirect_uri != get("redirect_uri") {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    11101,
                    "redirect_uri or client_id does not match the authorization request",
                );
            }
            let verifier = get("code_verifier");
            if !verifier_is_well_formed(&verifier) || s256(&verifier) != code.challenge {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    11102,
                    "PKCE verification failed",
                );
            }
            (code.user, code.scopes, None)
        }
        "refresh_token" => {
            let presented = get("refresh_token");
            let Some(rt) = st.refresh_tokens.get(&presented) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    11003,
                    "Refresh token is invalid or has been revoked",
                );
            };
            if rt.client_id != client_id {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    11003,
                    "Refresh token was issued to another client",
                );
            }
            let (user, scopes) = (rt.user.clone(), rt.scopes.clone());
            if st.rotate_refresh_tokens {
                st.refresh_tokens.remove(&presented);
                (user, scopes, None)
            } else {
                (user, scopes, Some(presented))
            }
        }
        other => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                1002,
                &format!("grant_type {other:?} is not supported"),
            );
        }
    };
    let access = random_token(48);
    let lifetime = st.token_lifetime;
    st.access_tokens.insert(
        access.clone(),
        AccessToken {
            user: user.clone(),
            scopes: scopes.clone(),
            expires: Instant::now() + lifetime,
        },
    );
    let mut sorted: Vec<&str> = scopes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "scope": sorted.join(" "),
        "expires_in": lifetime.as_secs(),
        "user_id": user.parse::<u64>().map_or_else(|_| json!(user), |n| json!(n)),
    });
    if keep_refresh.is_none() {
        let refresh = random_token(48);
        st.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                user,
                client_id,
                scopes,
            },
        );
        body["refresh_token"] = json!(refresh);
    }
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(!verifier_is_well_formed("short"));
        assert!(verifier_is_well_formed(&"a".repeat(43)));
    }
}
