//! Reading Spotify's failures: status and body → [`ServiceError`] with a
//! message that says what to do. The Web API answers
//! `{"error": {"status", "message"}}`; the accounts service answers OAuth's
//! `{"error", "error_description"}`. Retry decisions stay with the shared
//! HTTP layer (429 and 5xx are temporary, 401 triggers one token refresh).

use crate::model as wire;
use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;

/// The hint shown whenever the user has to sign in again.
pub(crate) const SIGN_IN_HINT: &str =
    "sign in again: musync accounts add spotify --client-id <your client id>";

/// Spotify's 403 for a user the app owner has not added (development mode).
pub(crate) const NOT_REGISTERED: &str = "this Spotify user is not added to your \
development-mode app: add them under User Management in the Spotify developer dashboard \
(at most 5 users)";

/// Hint naming the client id, when it is known.
pub(crate) fn sign_in_hint(client_id: &str) -> String {
    format!("sign in again: musync accounts add spotify --client-id {client_id}")
}

fn api_message(resp: &HttpResponse) -> Option<String> {
    serde_json::from_slice::<wire::ApiError>(&resp.body)
        .ok()
        .and_then(|e| e.message().map(str::to_owned))
        .filter(|m| !m.trim().is_empty())
}

/// Classifier of the Web API client.
pub(crate) fn classify_api(service: &str, op: &str, resp: &HttpResponse) -> Option<ServiceError> {
    let status = resp.status;
    if (200..300).contains(&status) {
        return None;
    }
    let said = api_message(resp);
    let said_str = said.as_deref().unwrap_or("");
    let err = match status {
        401 => ServiceError::new(
            ErrorKind::AuthExpired,
            service,
            op,
            format!(
                "Spotify refused the access token ({})",
                said.as_deref().unwrap_or("no reason given")
            ),
        )
        .with_hint(SIGN_IN_HINT),
        403 if said_str.to_ascii_lowercase().contains("not registered") => {
            ServiceError::new(ErrorKind::PermissionDenied, service, op, NOT_REGISTERED)
        }
        403 => ServiceError::new(
            ErrorKind::PermissionDenied,
            service,
            op,
            format!(
                "Spotify refused access ({}): the playlist may belong to someone else, a \
                 permission may be missing, or this Spotify user is not added to your \
                 development-mode app (User Management in the developer dashboard)",
                said.as_deref().unwrap_or("Forbidden")
            ),
        ),
        404 => ServiceError::new(
            ErrorKind::NotFound,
            service,
            op,
            format!(
                "not found ({}); check the playlist id with `musync playlists`",
                said.as_deref().unwrap_or("no such resource")
            ),
        ),
        429 => ServiceError::new(
            ErrorKind::RateLimited,
            service,
            op,
            "Spotify asked us to slow down (rate limit)",
        ),
        500..=599 => ServiceError::new(
            ErrorKind::Unavailable,
            service,
            op,
            format!(
                "Spotify is unavailable right now ({})",
                said.as_deref().unwrap_or("server error")
            ),
        ),
        400 => ServiceError::new(
            ErrorKind::InvalidInput,
            service,
            op,
            format!(
                "Spotify rejected the request: {}",
                said.unwrap_or_else(|| resp.snippet())
            ),
        ),
        _ => return None, // the generic rules decide
    };
    Some(err.with_status(status))
}

/// Classifier of the accounts-service client (`/api/token`). A refused
/// grant is an expired sign-in; a refused client id is a setup mistake.
pub(crate) fn classify_token(service: &str, op: &str, resp: &HttpResponse) -> Option<ServiceError> {
    let status = resp.status;
    if (200..300).contains(&status) {
        return None;
    }
    let oauth = serde_json::from_slice::<wire::OAuthError>(&resp.body).ok()?;
    let detail = oauth.error_description.unwrap_or_default();
    let err = match oauth.error.as_str() {
        "invalid_grant" => ServiceError::new(
            ErrorKind::AuthExpired,
            service,
            op,
            format!("Spotify sign-in expired ({detail})"),
        )
        .with_hint(SIGN_IN_HINT),
        "invalid_client" => ServiceError::new(
            ErrorKind::InvalidInput,
            service,
            op,
            format!(
                "Spotify does not accept this client id ({detail}); copy the Client ID of your \
                 app from the Spotify developer dashboard"
            ),
        ),
        other => ServiceError::new(
            ErrorKind::Protocol,
            service,
            op,
            format!("the Spotify accounts service refused the request: {other} {detail}"),
        ),
    };
    Some(err.with_status(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    #[test]
    fn development_mode_user_missing_is_explained() {
        let e = classify_api(
            "Spotify",
            "listing playlists",
            &resp(403, r#"{"error":{"status":403,"message":"User not registered in the Developer Dashboard"}}"#),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::PermissionDenied);
        assert!(e.message.contains("User Management"), "{}", e.message);
    }

    #[test]
    fn bad_limit_is_invalid_input_with_spotifys_words() {
        let e = classify_api(
            "Spotify",
            "searching",
            &resp(400, r#"{"error":{"status":400,"message":"Invalid limit"}}"#),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("Invalid limit"));
        assert!(!e.temporary);
    }

    #[test]
    fn expired_token_and_refused_grant() {
        let e = classify_api(
            "Spotify",
            "x",
            &resp(
                401,
                r#"{"error":{"status":401,"message":"The access token expired"}}"#,
            ),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        let e = classify_token(
            "Spotify",
            "x",
            &resp(
                400,
                r#"{"error":"invalid_grant","error_description":"Refresh token revoked"}"#,
            ),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        assert!(e.message.starts_with("Spotify sign-in expired"));
        assert!(
            e.hint
                .as_deref()
                .is_some_and(|h| h.contains("musync accounts add spotify"))
        );
        assert!(classify_api("Spotify", "x", &resp(201, "{}")).is_none());
    }
}
