//! The fake accounts service: `GET /authorize` (authorization code with
//! PKCE) and `POST /api/token` (code exchange and refresh), checked the way
//! Spotify checks them: registered client id, loopback redirect URI echoed
//! exactly, S256 challenge against the code verifier, single-use codes,
//! `invalid_grant` for anything stale.

use crate::Shared;
use crate::state::{AuthorizeMode, PendingAuthorize, PendingCode, random_token};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type Params = HashMap<String, String>;

fn bad_page(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><title>Error</title><p>{message}</p>"
        )),
    )
        .into_response()
}

/// Appends query parameters to a redirect URI that may already carry some.
fn with_params(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            u.query_pairs_mut().extend_pairs(params);
            u.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

/// `GET /authorize`.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(p): Query<Params>,
) -> Response {
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let mut st = shared.lock();
    let client_id = get("client_id");
    if !st.clients.contains(&client_id) {
        return bad_page("INVALID_CLIENT: Invalid client");
    }
    let redirect_uri = get("redirect_uri");
    let loopback = url::Url::parse(&redirect_uri)
        .ok()
        .is_some_and(|u| u.scheme() == "http" && u.host_str() == Some("127.0.0.1"));
    if !loopback {
        return bad_page("INVALID_CLIENT: Invalid redirect URI");
    }
    if get("response_type") != "code" {
        return bad_page("unsupported_response_type");
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").is_empty() {
        return bad_page("code_challenge and code_challenge_method=S256 are required");
    }
    let request = PendingAuthorize {
        client_id,
        redirect_uri,
        challenge: get("code_challenge"),
        state: p.get("state").cloned(),
        scope: get("scope"),
    };
    match st.authorize.clone() {
        AuthorizeMode::AutoApprove(user) => {
            Redirect::to(&approve(&mut st, request, &user)).into_response()
        }
        AuthorizeMode::Deny => Redirect::to(&deny(&request)).into_response(),
        AuthorizeMode::Page => {
            let id = random_token(16);
            let scope = request.scope.clone();
            st.pending.insert(id.clone(), request);
            Html(format!(
                "<!doctype html><title>Fake Spotify</title>\
                 <h1>Allow this app to use your (fake) Spotify account?</h1>\
                 <p>Scopes: {scope}</p>\
                 <p><a href=\"/authorize/decide?request={id}&approve=true\">Agree</a> \
                 <a href=\"/authorize/decide?request={id}&approve=false\">Cancel</a></p>"
            ))
            .into_response()
        }
    }
}

/// `GET /authorize/decide`: the approve page's buttons.
pub(crate) async fn decide(State(shared): State<Arc<Shared>>, Query(p): Query<Params>) -> Response {
    let mut st = shared.lock();
    let Some(request) = p.get("request").and_then(|id| st.pending.remove(id)) else {
        return bad_page("This authorization request is unknown or was already answered.");
    };
    if p.get("approve").map(String::as_str) != Some("true") {
        return Redirect::to(&deny(&request)).into_response();
    }
    let Some(user) = st.users.keys().next().cloned() else {
        return bad_page("The fake has no user to sign in as.");
    };
    Redirect::to(&approve(&mut st, request, &user)).into_response()
}

fn approve(st: &mut crate::state::FakeState, request: PendingAuthorize, user: &str) -> String {
    let code = random_token(64);
    let mut params = vec![("code", code.clone())];
    if let Some(s) = &request.state {
        params.push(("state", s.clone()));
    }
    let target = with_params(
        &request.redirect_uri,
        &params
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    );
    st.codes.insert(
        code,
        PendingCode {
            client_id: request.client_id,
            redirect_uri: request.redirect_uri,
            challenge: request.challenge,
            user: user.to_owned(),
            scope: request.scope,
        },
    );
    target
}

fn deny(request: &PendingAuthorize) -> String {
    let mut params = vec![("error", "access_denied")];
    if let Some(s) = &request.state {
        params.push(("state", s.as_str()));
    }
    with_params(&request.redirect_uri, &params)
}

fn token_error(error: &str, description: &str) -> Response {
    let status = if error == "invalid_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The S256 challenge of a verifier: BASE64URL(SHA256(verifier)), no padding.
pub(crate) fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn verifier_is_well_formed(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
}

/// `POST /api/token`.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, Form(p): Form<Params>) -> Response {
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let mut st = shared.lock();
    let client_id = get("client_id");
    if !st.clients.contains(&client_id) {
        return token_error("invalid_client", "Invalid client");
    }
    let (user, scope, reuse_refresh) = match get("grant_type").as_str() {
        "authorization_code" => {
            let Some(code) = st.codes.remove(&get("code")) else {
                return token_error("invalid_grant", "Invalid authorization code");
            };
            if code.client_id != client_id {
                return token_error("invalid_grant", "Invalid authorization code");
            }
            if code.redirect_uri != get("redirect_uri") {
                return token_error("invalid_grant", "Invalid redirect URI");
            }
            let verifier = get("code_verifier");
            if !verifier_is_well_formed(&verifier) || s256(&verifier) != code.challenge {
                return token_error("invalid_grant", "code_verifier was incorrect");
            }
            (code.user, code.scope, None)
        }
        "refresh_token" => {
            let presented = get("refresh_token");
            let Some(rt) = st.refresh_tokens.get(&presented) else {
                return token_error("invalid_grant", "Refresh token revoked");
            };
            if rt.client_id != client_id {
                return token_error("invalid_grant", "Invalid refresh token");
            }
            let (user, scope) = (rt.user.clone(), rt.scope.clone());
            if st.rotate_refresh_tokens {
                st.refresh_tokens.remove(&presented);
                (user, scope, None)
            } else {
                (user, scope, Some(presented))
            }
        }
        other => {
            return token_error(
                "unsupported_grant_type",
                &format!("grant_type {other:?} is not supported"),
            );
        }
    };
    let access = random_token(48);
    let lifetime = st.token_lifetime;
    st.access_tokens.insert(
        access.clone(),
        crate::state::AccessToken {
            user: user.clone(),
            expires: Instant::now() + lifetime,
        },
    );
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": lifetime.as_secs(),
    });
    if reuse_refresh.is_none() {
        let refresh = random_token(48);
        st.refresh_tokens.insert(
            refresh.clone(),
            crate::state::RefreshToken {
                user,
                client_id,
                scope,
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
    fn s256_matches_the_rfc_7636_example() {
        // Appendix B of RFC 7636.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_rules() {
        assert!(!verifier_is_well_formed("short"));
        assert!(verifier_is_well_formed(&"a".repeat(43)));
        assert!(!verifier_is_well_formed(&"a".repeat(129)));
        assert!(!verifier_is_well_formed(&format!("{}+", "a".repeat(50))));
    }
}
