//! Reading the Subsonic envelope: `{"subsonic-response": {"status": "ok" |
//! "failed", "error": {code, message}}}`. Servers answer HTTP 200 for
//! their own errors, so the body decides; the HTTP layer keeps the status
//! rules (429, 5xx, timeouts) for what proxies and outages send.

use crate::model::ApiError;
use musync_core::{ErrorKind, ServiceError};
use musync_http::HttpResponse;
use serde_json::Value;

/// A failed envelope: the server's code and words.
#[derive(Debug)]
pub(crate) struct Failed {
    pub code: i64,
    pub message: String,
}

impl Failed {
    /// Codes that mean "not this way of signing in": 41 token auth not
    /// supported, 42 mechanism not supported (OpenSubsonic), and 10 "a
    /// required parameter is missing", which is what Supysonic answers to a
    /// token or an API key.
    pub fn refuses_method(&self) -> bool {
        matches!(self.code, 10 | 41 | 42)
    }
}

/// The payload of an `ok` envelope, or the server's error, or a protocol
/// error when the body is not a Subsonic answer at all.
pub(crate) fn envelope(
    service: &str,
    op: &str,
    resp: &HttpResponse,
) -> Result<Result<Value, Failed>, ServiceError> {
    let wrong = |why: &str| {
        ServiceError::new(
            ErrorKind::Protocol,
            service,
            op,
            format!(
                "the answer was not a Subsonic API response ({why}); check that --url is the \
                 server's base address (musync adds /rest/)"
            ),
        )
        .with_status(resp.status)
    };
    let value: Value = serde_json::from_slice(&resp.body).map_err(|_| wrong("not JSON"))?;
    let Some(Value::Object(mut inner)) = value.get("subsonic-response").cloned() else {
        return Err(wrong("no subsonic-response"));
    };
    match inner.get("status").and_then(Value::as_str) {
        Some("ok") => Ok(Ok(Value::Object(std::mem::take(&mut inner)))),
        Some("failed") => {
            let e: ApiError = inner
                .get("error")
                .cloned()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or(ApiError {
                    code: 0,
                    message: String::new(),
                });
            Ok(Err(Failed {
                code: e.code,
                message: e.message,
            }))
        }
        _ => Err(wrong("no status")),
    }
}

/// Non-2xx answers: Supysonic sends 404 with an envelope for an unknown
/// method; the rest follows the generic status rules.
pub(crate) fn classify(service: &str, op: &str, resp: &HttpResponse) -> Option<ServiceError> {
    if resp.status == 404
        && let Ok(Err(f)) = envelope(service, op, resp)
    {
        return Some(
            ServiceError::new(
                ErrorKind::NotFound,
                service,
                op,
                format!("the server does not know this call ({})", f.message),
            )
            .with_status(404),
        );
    }
    None
}

/// The server's error as musync's, with what to do.
pub(crate) fn to_error(service: &str, op: &str, f: &Failed, sign_in: &str) -> ServiceError {
    let said = if f.message.trim().is_empty() {
        format!("error {}", f.code)
    } else {
        format!("{} (error {})", f.message.trim(), f.code)
    };
    match f.code {
        40 => ServiceError::new(
            ErrorKind::AuthExpired,
            service,
            op,
            format!("the server refused the user name or password: {said}"),
        )
        .with_hint(format!("check the password, then sign in again: {sign_in}")),
        44 => ServiceError::new(
            ErrorKind::AuthExpired,
            service,
            op,
            format!("the server refused the API key (revoked or mistyped?): {said}"),
        )
        .with_hint(format!("make a new API key on the server, then sign in again: {}", sign_in.replace("--password-stdin", "--api-key-stdin"))),
        10 | 41 | 42 | 43 => ServiceError::new(
            ErrorKind::AuthExpired,
            service,
            op,
            format!("the server accepts none of the ways musync signs in (token, password, API key): {said}"),
        )
        .with_hint(format!("sign in again, with an API key if the server issues them: {sign_in}")),
        50 => ServiceError::new(
            ErrorKind::PermissionDenied,
            service,
            op,
            format!(
                "this user may not do that here — the playlist belongs to someone else or is \
                 read-only on the server: {said}"
            ),
        )
        .with_hint("pick one of your own playlists (`musync playlists ACCOUNT`) or create one"),
        70 => ServiceError::new(
            ErrorKind::NotFound,
            service,
            op,
            format!("not found on the server: {said}"),
        )
        .with_hint("check the id with `musync playlists ACCOUNT`"),
        20 | 30 => ServiceError::new(
            ErrorKind::Protocol,
            service,
            op,
            format!("the server and musync speak incompatible API versions: {said}"),
        ),
        60 => ServiceError::new(
            ErrorKind::PermissionDenied,
            service,
            op,
            format!("the server's licence refuses this: {said}"),
        ),
        _ => ServiceError::new(
            ErrorKind::Protocol,
            service,
            op,
            format!("the server refused the request: {said}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    #[test]
    fn ok_failed_and_garbage_are_told_apart() {
        let ok = envelope(
            "S",
            "x",
            &resp(
                200,
                r#"{"subsonic-response":{"status":"ok","version":"1.10.2","playlists":{}}}"#,
            ),
        )
        .unwrap()
        .unwrap();
        assert!(ok.get("playlists").is_some());
        let failed = envelope("S", "x", &resp(200, r#"{"subsonic-response":{"status":"failed","error":{"code":40,"message":"Wrong username or password"}}}"#)).unwrap().unwrap_err();
        assert_eq!(failed.code, 40);
        let err = envelope("S", "x", &resp(200, "<html>login</html>")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Protocol);
        assert!(err.message.contains("base address"), "{err}");
    }

    #[test]
    fn codes_say_what_to_do() {
        let f = |code| Failed {
            code,
            message: "m".into(),
        };
        let e = to_error(
            "S",
            "x",
            &f(40),
            "musync accounts add subsonic --url U --user alice",
        );
        assert_eq!(e.kind, ErrorKind::AuthExpired);
        assert!(e.hint.unwrap().contains("accounts add subsonic"));
        assert_eq!(
            to_error("S", "x", &f(50), "").kind,
            ErrorKind::PermissionDenied
        );
        assert_eq!(to_error("S", "x", &f(70), "").kind, ErrorKind::NotFound);
        assert!(f(10).refuses_method() && f(41).refuses_method() && !f(40).refuses_method());
    }

    #[test]
    fn an_unknown_method_is_not_found() {
        let e = classify("S", "x", &resp(404, r#"{"subsonic-response":{"status":"failed","error":{"code":0,"message":"Unknown method"}}}"#)).unwrap();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }
}
