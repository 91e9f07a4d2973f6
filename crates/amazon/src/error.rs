//! Reading Amazon's answers as errors (the shared HTTP layer's `Classify`),
//! and the few errors every part of this crate raises.
//!
//! Amazon answers an expired session with 401 and sometimes 400 (seen in
//! 2020) or 403 (csrf), so all three mean "renew the session once, then ask
//! the user to sign in again". An HTTP 200 can still be a failure: a
//! non-empty `errors` list, or the sign-in page instead of JSON. 429 and 5xx
//! are left to the shared layer's generic rules (temporary, retried).

use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;

/// The service name in every error.
pub(crate) const SERVICE: &str = "Amazon Music";

/// What the user runs to sign in again.
pub(crate) const SIGN_IN_HINT: &str = "musync accounts add amazon";

/// Appended to every "unexpected answer" error.
pub(crate) const API_CHANGED: &str =
    "Amazon may have changed its private API; check for a musync update";

/// The session is no longer accepted and could not be renewed.
pub(crate) fn expired(op: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::AuthExpired,
        SERVICE,
        op,
        "Amazon Music session expired: run `musync accounts add amazon` to sign in again",
    )
    .with_hint(SIGN_IN_HINT)
}

/// The answer did not have the shape this client knows.
pub(crate) fn protocol(op: &str, what: impl std::fmt::Display) -> ServiceError {
    ServiceError::new(
        ErrorKind::Protocol,
        SERVICE,
        op,
        format!("{what}. {API_CHANGED}"),
    )
}

/// The shared layer's classifier for Amazon Music answers.
pub(crate) fn classify(_service: &str, op: &str, r: &HttpResponse) -> Option<ServiceError> {
    match r.status {
        400 | 401 | 403 => Some(expired(op).with_status(r.status)),
        404 => Some(
            protocol(
                op,
                "Amazon Music no longer knows this API address (HTTP 404)",
            )
            .with_status(404),
        ),
        200..=299 => classify_ok(op, r),
        _ => None,
    }
}

/// The classifier for GETs of the player page and its scripts: HTML is the
/// expected answer here, the sign-in form is not.
pub(crate) fn classify_page(_service: &str, op: &str, r: &HttpResponse) -> Option<ServiceError> {
    match r.status {
        200..=299 => {
            let text = String::from_utf8_lossy(&r.body);
            (text.contains("ap_email") || text.contains("auth-mfa-otpcode"))
                .then(|| expired(op).with_status(r.status))
        }
        401 | 403 => Some(expired(op).with_status(r.status)),
        400..=499 => Some(
            protocol(op, format!("the player page answered HTTP {}", r.status))
                .with_status(r.status),
        ),
        _ => None,
    }
}

/// Failures hidden in a successful status.
fn classify_ok(op: &str, r: &HttpResponse) -> Option<ServiceError> {
    let text = String::from_utf8_lossy(&r.body);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        // Amazon serves its sign-in page (200) to a session it does not know.
        if trimmed.contains("/ap/signin") || trimmed.contains("ap_email") {
            return Some(expired(op).with_status(r.status));
        }
        return Some(protocol(
            op,
            "Amazon Music answered with a web page instead of data",
        ));
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    let errors = value.get("errors")?.as_array()?;
    if errors.is_empty() {
        return None;
    }
    let described = describe_errors(errors);
    let not_found = errors.iter().any(|e| {
        e.get("code")
            .and_then(|c| c.as_str())
            .is_some_and(|c| c.contains("NotFound"))
    });
    Some(if not_found {
        ServiceError::new(
            ErrorKind::NotFound,
            SERVICE,
            op,
            format!(
                "Amazon Music does not know this playlist ({described}); `musync playlists` lists them"
            ),
        )
    } else {
        protocol(
            op,
            format!("Amazon Music answered with errors: {described}"),
        )
    })
}

/// `code: message; …` of an `errors` list, shortened, for messages.
fn describe_errors(errors: &[serde_json::Value]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .take(3)
        .map(|e| {
            let field = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
            match (field("code"), field("message")) {
                (c, m) if c.is_empty() && m.is_empty() => e.to_string().chars().take(120).collect(),
                (c, m) if m.is_empty() => c,
                (c, m) if c.is_empty() => m,
                (c, m) => format!("{c}: {m}"),
            }
        })
        .collect();
    let mut out = parts.join("; ");
    if errors.len() > 3 {
        out.push_str(&format!(" (and {} more)", errors.len() - 3));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    #[test]
    fn refusals_mean_an_expired_session_with_a_hint() {
        for status in [400, 401, 403] {
            let e = classify(SERVICE, "listing playlists", &resp(status, "{}")).unwrap();
            assert_eq!(e.kind, ErrorKind::AuthExpired);
            assert_eq!(e.hint.as_deref(), Some(SIGN_IN_HINT));
            assert!(e.message.contains("Amazon Music session expired"));
        }
    }

    #[test]
    fn errors_in_a_200_are_protocol_errors_naming_the_change() {
        let e = classify(
            SERVICE,
            "reading a playlist (getPlaylistsByIdV2)",
            &resp(
                200,
                r#"{"errors":[{"code":"InternalFailure","message":"nope"}]}"#,
            ),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert!(e.message.contains("InternalFailure: nope"), "{}", e.message);
        assert!(e.message.contains(API_CHANGED));
        assert!(e.to_string().contains("getPlaylistsByIdV2"));
    }

    #[test]
    fn not_found_errors_and_clean_answers() {
        let e = classify(
            SERVICE,
            "op",
            &resp(200, r#"{"errors":[{"code":"PlaylistNotFound"}]}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(classify(SERVICE, "op", &resp(200, r#"{"errors":[],"playlists":[]}"#)).is_none());
        assert!(
            classify(SERVICE, "op", &resp(503, "")).is_none(),
            "left to the shared rules"
        );
    }

    #[test]
    fn a_sign_in_page_is_an_expired_session() {
        let e = classify(
            SERVICE,
            "op",
            &resp(200, "<html><form action=\"/ap/signin\">"),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        let e = classify(SERVICE, "op", &resp(200, "<html>Libreria musicale</html>")).unwrap();
        assert_eq!(e.kind, ErrorKind::Protocol);
    }
}
