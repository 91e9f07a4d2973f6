//! The checks every InnerTube call passes before it is served: only
//! youtube.com cookies, `Authorization: SAPISIDHASH <ts>_<sha1("ts SAPISID
//! origin")>` built from `SAPISID` (else `__Secure-3PAPISID`) and the same
//! origin as `Origin`/`X-Origin`, an `X-Goog-AuthUser`, and a WEB_REMIX
//! client context dated `1.YYYYMMDD.NN.NN`. Then whether the session is
//! still alive (its `SID` cookies, and a `SIDCC` that is current).

use crate::render;
use crate::state::FakeState;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::collections::HashMap;

/// Cookie names the fake's cookies.txt puts on other Google domains.
const FOREIGN: &[&str] = &["NID", "__Host-GAPS"];

/// What a request's `Cookie` header holds.
pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for value in headers.get_all("cookie") {
        let Ok(text) = value.to_str() else { continue };
        for pair in text.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=') {
                out.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
    }
    out
}

/// The hex SHA-1 of `ts SAPISID origin`.
pub fn sapisid_hash(ts: &str, sapisid: &str, origin: &str) -> String {
    let digest = Sha1::digest(format!("{ts} {sapisid} {origin}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn unauthenticated(st: &mut FakeState, why: String) -> Response {
    st.auth_failures.push(why);
    (
        StatusCode::UNAUTHORIZED,
        Json(render::google_error(
            401,
            "UNAUTHENTICATED",
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        )),
    )
        .into_response()
}

fn bad_argument(st: &mut FakeState, why: String) -> Response {
    st.auth_failures.push(why);
    (
        StatusCode::BAD_REQUEST,
        Json(render::google_error(
            400,
            "INVALID_ARGUMENT",
            "badRequest",
            "Request contains an invalid argument.",
        )),
    )
        .into_response()
}

fn version_ok(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 4
        && parts[0] == "1"
        && digits(parts[1], 8)
        && parts[1].starts_with("20")
        && digits(parts[2], 2)
        && digits(parts[3], 2)
}

/// `Err(answer)` when the request must not be served as signed in: a
/// refusal for broken credentials, or the 200 signed-out page for a dead
/// session.
pub fn check(st: &mut FakeState, headers: &HeaderMap, body: &Value) -> Result<(), Response> {
    let jar = cookies(headers);
    if let Some(name) = FOREIGN.iter().find(|n| jar.contains_key(**n)) {
        return Err(bad_argument(
            st,
            format!("a cookie of another domain was sent: {name}"),
        ));
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let Some(sapisid) = jar
        .get("SAPISID")
        .or_else(|| jar.get("__Secure-3PAPISID"))
        .cloned()
    else {
        return Err(unauthenticated(
            st,
            "no SAPISID or __Secure-3PAPISID cookie".into(),
        ));
    };
    let (Some(origin), Some(x_origin)) = (header("origin"), header("x-origin")) else {
        return Err(unauthenticated(st, "Origin or X-Origin missing".into()));
    };
    if origin != x_origin {
        return Err(unauthenticated(
            st,
            format!("Origin {origin} differs from X-Origin {x_origin}"),
        ));
    }
    let Some(auth) = header("authorization") else {
        return Err(unauthenticated(st, "no Authorization header".into()));
    };
    let Some((ts, hash)) = auth
        .strip_prefix("SAPISIDHASH ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|h| h.split_once('_'))
    else {
        return Err(unauthenticated(
            st,
            "Authorization is not SAPISIDHASH <ts>_<hash>".into(),
        ));
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    match ts.parse::<i64>() {
        Ok(t) if (now - t).abs() <= 3600 => {}
        _ => return Err(unauthenticated(st, format!("stale or bad timestamp {ts}"))),
    }
    if hash != sapisid_hash(ts, &sapisid, &origin) {
        return Err(unauthenticated(
            st,
            "SAPISIDHASH does not match the cookie and origin".into(),
        ));
    }
    if !header("x-goog-authuser")
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unauthenticated(st, "X-Goog-AuthUser missing".into()));
    }
    let client = &body["context"]["client"];
    if client["clientName"] != "WEB_REMIX" {
        return Err(bad_argument(st, "clientName is not WEB_REMIX".into()));
    }
    let version = client["clientVersion"].as_str().unwrap_or("");
    if !version_ok(version) {
        return Err(bad_argument(
            st,
            format!("clientVersion {version:?} is not 1.YYYYMMDD.NN.NN"),
        ));
    }
    // The session itself: a signed-in SID, the current SAPISID, and a
    // SIDCC that is current (or the one just replaced).
    let alive = !st.signed_out
        && st.sapisid() == Some(sapisid.as_str())
        && jar.get("__Secure-3PSID") == st.cookies.get("__Secure-3PSID")
        && jar.contains_key("LOGIN_INFO")
        && (st.rotations == 0
            || jar.get("SIDCC") == st.cookies.get("SIDCC")
            || jar.get("SIDCC") == st.previous_sidcc.as_ref());
    if !alive {
        return Err((StatusCode::OK, Json(render::signed_out())).into_response());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_dated_pattern() {
        assert!(version_ok("1.20261202.01.00"));
        assert!(!version_ok("1.2026122.01.00"));
        assert!(!version_ok("2.20261202.01.00"));
        assert!(!version_ok("1.20261202.1.00"));
    }

    #[test]
    fn the_hash_is_sha1_hex_of_ts_sapisid_origin() {
        assert_eq!(
            sapisid_hash("1", "a", "b"),
            "7b87503d0db4c9574dcb3bce7400991583e493b7"
        );
    }
}
