//! Reading Last.fm's errors: `{"error": N, "message": "…"}` → [`ServiceError`].
//!
//! Last.fm reports errors in the body, with HTTP 200 or with a 4xx/5xx
//! status depending on the method and the era, so the body decides first and
//! the status rules of the shared layer only apply when the body says
//! nothing. The kind is chosen by what the user can do next; the Last.fm
//! code and message travel along as the error's source ([`LastfmApiError`])
//! so callers such as the sign-in poll can tell error 14 apart.

use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;
use serde::Deserialize;
use std::fmt;

/// The remedy for anything that needs a new session.
pub(crate) const SIGN_IN_HINT: &str =
    "sign in again: musync accounts add lastfm --api-key KEY --api-secret SECRET";

/// A Last.fm API error as the service reported it; the `source` of the
/// [`ServiceError`] built from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastfmApiError {
    /// Last.fm's error code (9 invalid session, 29 rate limit …).
    pub code: u32,
    /// Last.fm's message.
    pub message: String,
}

impl fmt::Display for LastfmApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Last.fm error {}: {}", self.code, self.message)
    }
}

impl std::error::Error for LastfmApiError {}

/// The Last.fm error code behind `err`, if it came from an error body.
pub fn lastfm_code(err: &ServiceError) -> Option<u32> {
    err.source
        .as_deref()
        .and_then(|s| s.downcast_ref::<LastfmApiError>())
        .map(|e| e.code)
}

#[derive(Deserialize)]
struct ErrorBody {
    error: serde_json::Value,
    #[serde(default)]
    message: String,
}

/// The shared layer's [`musync_http::Classify`] for Last.fm.
pub(crate) fn classify(service: &str, op: &str, response: &HttpResponse) -> Option<ServiceError> {
    let body: ErrorBody = serde_json::from_slice(&response.body).ok()?;
    let code = match &body.error {
        serde_json::Value::Number(n) => n.as_u64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    } as u32;
    Some(from_code(service, op, code, body.message.trim()).with_status(response.status))
}

/// The error for Last.fm error `code` with Last.fm's `message`.
pub(crate) fn from_code(service: &str, op: &str, code: u32, message: &str) -> ServiceError {
    use ErrorKind::*;
    let theirs = if message.is_empty() {
        format!("error {code}")
    } else {
        format!("{message} (error {code})")
    };
    let (kind, text, hint): (ErrorKind, String, Option<&str>) = match code {
        9 => (
            AuthExpired,
            "the Last.fm session is no longer valid".to_owned(),
            Some(SIGN_IN_HINT),
        ),
        4 => (
            AuthExpired,
            format!("Last.fm refused the authentication: {theirs}"),
            Some(SIGN_IN_HINT),
        ),
        10 => (
            AuthExpired,
            "Last.fm does not know this API key".to_owned(),
            Some(
                "check the key at https://www.last.fm/api/accounts, then sign in again: \
                 musync accounts add lastfm --api-key KEY --api-secret SECRET",
            ),
        ),
        26 => (
            PermissionDenied,
            "Last.fm has suspended this API key".to_owned(),
            Some(
                "contact Last.fm or create a new API account at https://www.last.fm/api/account/create, \
                 then: musync accounts add lastfm --api-key KEY --api-secret SECRET",
            ),
        ),
        14 => (
            PermissionDenied,
            "musync has not been approved on the Last.fm page yet".to_owned(),
            None,
        ),
        15 => (
            AuthExpired,
            "the Last.fm approval request expired before it was approved".to_owned(),
            Some("start again: musync accounts add lastfm --api-key KEY --api-secret SECRET"),
        ),
        17 => (
            PermissionDenied,
            format!("Last.fm requires a login for this profile: {theirs}"),
            None,
        ),
        13 => (
            Protocol,
            "invalid signature: check the API secret; if it is right, this is a musync bug, please report it".to_owned(),
            None,
        ),
        29 => (
            RateLimited,
            "Last.fm asks to slow down (rate limit exceeded)".to_owned(),
            None,
        ),
        8 | 11 | 16 => (
            Unavailable,
            format!("Last.fm is temporarily unavailable: {theirs}"),
            None,
        ),
        6 => (NotFound, theirs, None),
        _ => (InvalidInput, theirs, None),
    };
    let mut err = ServiceError::new(kind, service, op, text).with_source(LastfmApiError {
        code,
        message: message.to_owned(),
    });
    if let Some(hint) = hint {
        err = err.with_hint(hint);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    fn classify_body(status: u16, code: u32) -> ServiceError {
        let body = format!(r#"{{"error": {code}, "message": "their words"}}"#);
        classify("Last.fm", "reading loved tracks", &resp(status, &body))
            .expect("an error body is an error")
    }

    #[test]
    fn body_decides_whatever_the_status() {
        for status in [200, 400, 403, 429, 503] {
            let e = classify_body(status, 9);
            assert_eq!(e.kind, ErrorKind::AuthExpired, "status {status}");
            assert!(e.message.contains("Last.fm session is no longer valid"));
            assert!(
                e.hint
                    .as_deref()
                    .unwrap()
                    .contains("musync accounts add lastfm")
            );
            assert!(!e.temporary);
            assert_eq!(e.status, Some(status));
            assert_eq!(lastfm_code(&e), Some(9));
        }
    }

    #[test]
    fn each_code_gets_the_kind_the_user_can_act_on() {
        let cases = [
            (29, ErrorKind::RateLimited, true),
            (11, ErrorKind::Unavailable, true),
            (16, ErrorKind::Unavailable, true),
            (8, ErrorKind::Unavailable, true),
            (13, ErrorKind::Protocol, false),
            (4, ErrorKind::AuthExpired, false),
            (10, ErrorKind::AuthExpired, false),
            (26, ErrorKind::PermissionDenied, false),
            (6, ErrorKind::NotFound, false),
            (7, ErrorKind::InvalidInput, false),
        ];
        for (code, kind, temporary) in cases {
            let e = classify_body(200, code);
            assert_eq!((e.kind, e.temporary), (kind, temporary), "error {code}");
        }
        assert_eq!(
            classify_body(200, 13).message,
            "invalid signature: check the API secret; if it is right, this is a musync bug, please report it"
        );
        assert!(
            classify_body(200, 26)
                .hint
                .unwrap()
                .contains("api/account/create")
        );
        assert!(classify_body(403, 10).hint.unwrap().contains("--api-key"));
        let other = classify_body(200, 7);
        assert_eq!(other.message, "their words (error 7)");
        assert!(!other.is_fatal_for_run());
    }

    #[test]
    fn other_codes_carry_last_fms_own_words_and_fail_the_song_only() {
        let body = r#"{"error": 7, "message": "Invalid resource specified"}"#;
        let e = classify("Last.fm", "loving a track", &resp(400, body)).unwrap();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            "Last.fm: Invalid resource specified (error 7) (HTTP 400 while loving a track)"
        );
        assert!(!e.is_fatal_for_run());
        let refused = classify_body(200, 4);
        assert!(
            refused
                .message
                .starts_with("Last.fm refused the authentication: their words"),
            "{}",
            refused.message
        );
        assert!(refused.is_fatal_for_run());
    }

    #[test]
    fn code_as_string_is_read_and_success_bodies_are_left_alone() {
        let e = classify(
            "Last.fm",
            "x",
            &resp(200, r#"{"error":"29","message":"m"}"#),
        )
        .unwrap();
        assert_eq!(e.kind, ErrorKind::RateLimited);
        assert!(classify("Last.fm", "x", &resp(200, r#"{"lovedtracks":{}}"#)).is_none());
        assert!(classify("Last.fm", "x", &resp(200, "{}")).is_none());
        assert!(classify("Last.fm", "x", &resp(502, "<html>Bad gateway</html>")).is_none());
    }
}
