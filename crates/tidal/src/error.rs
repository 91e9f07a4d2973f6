//! Reading TIDAL's failures: JSON:API error documents
//! (`{"errors":[{"status","code","detail"}]}`) from the API and OAuth's
//! `{"error","error_description"}` from the auth host, mapped to the
//! caller's next move with a hint. Retry decisions stay with the shared
//! HTTP layer (429 and 5xx are temporary; 401 renews the token once).

use crate::model as wire;
use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;

/// The hint shown whenever the person has to sign in again.
pub(crate) const SIGN_IN_HINT: &str =
    "sign in again: musync accounts add tidal --client-id <your client id>";

/// The hint naming the client id, when known.
pub(crate) fn sign_in_hint(client_id: &str) -> String {
    format!("sign in again: musync accounts add tidal --client-id {client_id}")
}

/// The 409 code of a write whose first attempt is still running.
const IN_PROGRESS: &str = "IDEMPOTENT_REQUEST_IN_PROGRESS";

/// `code` and `detail` of the first error, when the body is an error document.
pub(crate) fn first_error(resp: &HttpResponse) -> (Option<String>, Option<String>) {
    serde_json::from_slice::<wire::ErrorDocument>(&resp.body)
        .ok()
        .and_then(|d| d.errors.into_iter().next())
        .map(|e| (e.code, e.detail.filter(|d| !d.trim().is_empty())))
        .unwrap_or((None, None))
}

/// Classifier of the API client.
pub(crate) fn classify_api(service: &str, op: &str, resp: &HttpResponse) -> Option<ServiceError> {
    let status = resp.status;
    if (200..300).contains(&status) {
        return None;
    }
    let (code, detail) = first_error(resp);
    let said = detail.clone().unwrap_or_else(|| resp.snippet());
    let new = |kind, message: String| ServiceError::new(kind, service, op, message);
    let err = match status {
        401 => new(
            ErrorKind::AuthExpired,
            format!("TIDAL refused the sign-in ({said})"),
        )
        .with_hint(SIGN_IN_HINT),
        403 => new(
            ErrorKind::PermissionDenied,
            format!(
                "TIDAL refused access ({said}): the sign-in may lack a permission (scope) \
                 musync needs, or your developer app is not approved for this account"
            ),
        )
        .with_hint(SIGN_IN_HINT),
        404 => new(
            ErrorKind::NotFound,
            format!("not found ({said}); check the playlist id with `musync playlists`"),
        ),
        409 if code.as_deref() == Some(IN_PROGRESS) => new(
            ErrorKind::Unavailable,
            "TIDAL is still applying the first attempt of this change".to_owned(),
        )
        .with_temporary(true),
        409 => new(
            ErrorKind::InvalidInput,
            format!("TIDAL refused the change: {said}"),
        )
        .with_temporary(false),
        406 | 415 | 422 => new(
            ErrorKind::Protocol,
            format!("TIDAL did not accept musync's request ({said}); please report this"),
        ),
        400 => new(
            ErrorKind::InvalidInput,
            format!("TIDAL rejected the request: {said}"),
        ),
        429 => new(
            ErrorKind::RateLimited,
            "TIDAL asked us to slow down (rate limit)".to_owned(),
        ),
        500..=599 => new(
            ErrorKind::Unavailable,
            format!("TIDAL is unavailable right now ({said})"),
        ),
        _ => return None,
    };
    Some(err.with_status(status))
}

/// Classifier of the token endpoint. A refused grant is an expired or
/// revoked sign-in; a refused client id is a setup mistake.
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
            format!("TIDAL sign-in expired or was revoked ({detail})"),
        )
        .with_hint(SIGN_IN_HINT),
        "invalid_client" | "unauthorized_client" => ServiceError::new(
            ErrorKind::InvalidInput,
            service,
            op,
            format!(
                "TIDAL does not accept this client id ({detail}); copy the Client ID of your app \
                 from developer.tidal.com"
            ),
        ),
        "invalid_scope" => ServiceError::new(
            ErrorKind::PermissionDenied,
            service,
            op,
            format!(
                "TIDAL refused the permissions musync asks for ({detail}); enable them for your \
                 app at developer.tidal.com"
            ),
        ),
        other => ServiceError::new(
            ErrorKind::Protocol,
            service,
            op,
            format!("the TIDAL auth service refused the request: {other} {detail}"),
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
    fn json_api_errors_are_read_and_mapped() {
        let e = classify_api(
            "TIDAL",
            "searching",
            &resp(400, r#"{"errors":[{"status":"400","code":"INVALID_FILTER","detail":"filter[x] is not valid"}]}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("filter[x] is not valid"));
        let e = classify_api(
            "TIDAL",
            "x",
            &resp(401, r#"{"errors":[{"detail":"expired"}]}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        assert!(e.hint.unwrap().contains("musync accounts add tidal"));
        let e = classify_api(
            "TIDAL",
            "x",
            &resp(
                409,
                r#"{"errors":[{"code":"IDEMPOTENT_REQUEST_IN_PROGRESS"}]}"#,
            ),
        )
        .unwrap();
        assert!(e.temporary, "a write still running is waited for");
        let e = classify_api("TIDAL", "x", &resp(409, r#"{"errors":[{"code":"X"}]}"#)).unwrap();
        assert!(!e.temporary);
        assert_eq!(e.status, Some(409));
        let e = classify_api("TIDAL", "x", &resp(503, "")).unwrap();
        assert!(e.temporary);
        assert!(classify_api("TIDAL", "x", &resp(201, "{}")).is_none());
    }

    #[test]
    fn a_refused_grant_says_sign_in_again() {
        let e = classify_token(
            "TIDAL",
            "renewing",
            &resp(400, r#"{"status":400,"error":"invalid_grant","sub_status":11003,"error_description":"revoked"}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        assert!(e.hint.unwrap().starts_with("sign in again"));
    }
}
