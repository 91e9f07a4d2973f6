//! Reading YouTube Music's answers as errors: Google's JSON errors
//! (`{"error":{"code","message","status","errors":[{"reason"}]}}`) mapped
//! to the caller's next move, and the 200 answer of a dead session (signed
//! out: `logged_in` 0, a sign-in prompt) read as "sign in again", never as
//! an empty library.

use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;
use serde_json::Value;

/// The service's display name in errors.
pub(crate) const SERVICE: &str = "YouTube Music";

/// The remedy for a dead or refused session.
pub(crate) const SIGN_IN_HINT: &str = "sign in again: musync accounts add ytmusic (or --cookies cookies.txt from a signed-in browser)";

/// What "too many playlists" means for the person.
pub(crate) const TOO_MANY_PLAYLISTS: &str = "YouTube Music says you are creating too many \
playlists; wait a few hours before creating more (repeating it has led to account restrictions)";

/// The error of a signed-out session.
pub(crate) fn signed_out(op: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::AuthExpired,
        SERVICE,
        op,
        "the YouTube Music session has ended (the answer is signed out); sign in again",
    )
    .with_hint(SIGN_IN_HINT)
}

/// Whether a 200 body is the signed-out page: `logged_in` 0 in the
/// response context, or a sign-in button where content should be.
pub(crate) fn is_signed_out(body: &Value) -> bool {
    let flagged = body
        .pointer("/responseContext/serviceTrackingParams")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("params").and_then(Value::as_array))
        .flatten()
        .any(|p| p["key"] == "logged_in" && p["value"] == "0");
    flagged || contains_key(body, "signInEndpoint", 12)
}

fn contains_key(v: &Value, key: &str, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    match v {
        Value::Object(m) => {
            m.contains_key(key) || m.values().any(|x| contains_key(x, key, depth - 1))
        }
        Value::Array(a) => a.iter().any(|x| contains_key(x, key, depth - 1)),
        _ => false,
    }
}

/// The classifier given to the shared HTTP layer.
pub(crate) fn classify(service: &str, op: &str, resp: &HttpResponse) -> Option<ServiceError> {
    let status = resp.status;
    if (200..300).contains(&status) {
        // Only bodies that mention a sign-in are parsed twice.
        let text = &resp.body;
        let suspicious = find(text, b"logged_in") || find(text, b"signInEndpoint");
        if suspicious
            && let Ok(v) = serde_json::from_slice::<Value>(text)
            && is_signed_out(&v)
        {
            return Some(signed_out(op).with_status(status));
        }
        return None;
    }
    let body: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    let error = &body["error"];
    let message = error["message"].as_str().unwrap_or("").trim().to_owned();
    let google_status = error["status"].as_str().unwrap_or("");
    let said = if message.is_empty() {
        resp.snippet()
    } else {
        message.clone()
    };
    let err = if message.to_ascii_lowercase().contains("too many playlists") {
        // Never retried: more attempts only deepen the penalty.
        ServiceError::new(ErrorKind::RateLimited, service, op, TOO_MANY_PLAYLISTS)
            .with_temporary(false)
    } else {
        match (status, google_status) {
            (401, _) | (_, "UNAUTHENTICATED") => ServiceError::new(
                ErrorKind::AuthExpired,
                service,
                op,
                format!("YouTube Music refused the session ({said})"),
            )
            .with_hint(SIGN_IN_HINT),
            (403, _) | (_, "PERMISSION_DENIED") => ServiceError::new(
                ErrorKind::PermissionDenied,
                service,
                op,
                format!(
                    "YouTube Music refused this ({said}); only your own playlists can be changed"
                ),
            ),
            (404, _) | (_, "NOT_FOUND") => ServiceError::new(
                ErrorKind::NotFound,
                service,
                op,
                "no such playlist; `musync playlists ACCOUNT` lists them",
            ),
            (429, _) | (_, "RESOURCE_EXHAUSTED") => ServiceError::new(
                ErrorKind::RateLimited,
                service,
                op,
                "YouTube Music asked us to slow down (rate limit); try again later",
            )
            .with_temporary(true),
            (500..=599, _) => ServiceError::new(
                ErrorKind::Unavailable,
                service,
                op,
                format!("YouTube Music is unavailable right now ({said})"),
            )
            .with_temporary(true),
            (400, _) => ServiceError::new(
                ErrorKind::InvalidInput,
                service,
                op,
                format!("YouTube Music rejected the request: {said}"),
            ),
            _ => return None,
        }
    };
    Some(err.with_status(status))
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn google(code: u16, status: &str, message: &str) -> HttpResponse {
        HttpResponse::new(
            code,
            format!(r#"{{"error":{{"code":{code},"message":"{message}","status":"{status}"}}}}"#),
        )
    }

    #[test]
    fn google_errors_map_to_the_next_move() {
        let c = |r: &HttpResponse| classify(SERVICE, "x", r).expect("an error");
        let e = c(&google(
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials.",
        ));
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        assert!(e.hint.unwrap().contains("accounts add ytmusic"));
        assert_eq!(
            c(&google(403, "PERMISSION_DENIED", "no")).kind,
            ErrorKind::PermissionDenied
        );
        assert_eq!(c(&google(404, "NOT_FOUND", "no")).kind, ErrorKind::NotFound);
        let e = c(&google(
            429,
            "RESOURCE_EXHAUSTED",
            "Resource has been exhausted",
        ));
        assert!(e.kind == ErrorKind::RateLimited && e.temporary);
        let e = c(&google(503, "UNAVAILABLE", "down"));
        assert!(e.kind == ErrorKind::Unavailable && e.temporary);
        let e = c(&google(
            400,
            "INVALID_ARGUMENT",
            "Request contains an invalid argument.",
        ));
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("invalid argument"));
    }

    #[test]
    fn too_many_playlists_is_a_persistent_rate_limit_in_both_forms() {
        for (code, status) in [(400, "INVALID_ARGUMENT"), (429, "RESOURCE_EXHAUSTED")] {
            let e = classify(
                SERVICE,
                "creating a playlist",
                &google(
                    code,
                    status,
                    "You are creating too many playlists. Please wait.",
                ),
            )
            .unwrap();
            assert_eq!(e.kind, ErrorKind::RateLimited);
            assert!(!e.temporary && e.is_fatal_for_run());
            assert!(e.message.contains("too many playlists"));
        }
    }

    #[test]
    fn a_signed_out_200_is_an_expired_session() {
        let body = r#"{"responseContext":{"serviceTrackingParams":[{"service":"GFEEDBACK","params":[{"key":"logged_in","value":"0"}]}]},"contents":{}}"#;
        let e = classify(SERVICE, "listing playlists", &HttpResponse::new(200, body)).unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        let ok = r#"{"responseContext":{"serviceTrackingParams":[{"service":"GFEEDBACK","params":[{"key":"logged_in","value":"1"}]}]}}"#;
        assert!(classify(SERVICE, "x", &HttpResponse::new(200, ok)).is_none());
        let prompt =
            r#"{"contents":{"x":[{"button":{"navigationEndpoint":{"signInEndpoint":{}}}}]}}"#;
        assert!(classify(SERVICE, "x", &HttpResponse::new(200, prompt)).is_some());
    }
}
