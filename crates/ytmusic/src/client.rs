//! Sending InnerTube requests: `POST {url}/youtubei/v1/<endpoint>` with the
//! WEB_REMIX client context, the session's cookies, `SAPISIDHASH`,
//! `Origin`/`X-Origin` and `X-Goog-AuthUser`, through the shared HTTP layer
//! (retries, pacing, redacted logs). Cookies the answer sets are absorbed
//! into the session before the body is read.

use crate::error::{SERVICE, classify};
use crate::session::Session;
use musync_core::{ErrorKind, ServiceError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// The public key the web app sends with every call.
const WEB_KEY: &str = "AIzaSyC9XL3ZjWddXya6X74dJoCTL-WEYFDNX30";

/// A browser's User-Agent: the site serves other shapes to unknown clients.
const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// Timeouts, retries and pacing of a client.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Attempts for a temporary failure, the first included.
    pub max_attempts: u32,
    /// First backoff delay (doubled per retry) when no `Retry-After` is
    /// given, as YouTube never gives one.
    pub base_backoff: Duration,
    /// Minimum gap between two requests.
    pub min_interval: Duration,
    /// Minimum gap between two playlist creations (the throttle behind
    /// "too many playlists").
    pub create_gap: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_attempts: 5,
            base_backoff: Duration::from_secs(1),
            min_interval: Duration::from_millis(100),
            create_gap: Duration::from_secs(10),
        }
    }
}

/// The client version of the WEB_REMIX context: `1.YYYYMMDD.01.00` for
/// today (UTC), as the web app sends.
pub(crate) fn client_version() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("1.{y:04}{m:02}{d:02}.01.00")
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// How a request may be repeated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Reads, searches and likes: retried on temporary failures.
    Safe,
    /// Edits and creations: retried only when surely not applied.
    Once,
}

/// The InnerTube client of one session.
pub(crate) struct YtClient {
    http: musync_http::Client,
    api: String,
    pub(crate) session: Arc<Session>,
}

impl YtClient {
    pub(crate) fn new(
        base: &str,
        session: Arc<Session>,
        options: &ClientOptions,
    ) -> Result<YtClient, ServiceError> {
        let http = musync_http::Client::builder(SERVICE)
            .classify(classify)
            .user_agent(USER_AGENT)
            .max_attempts(options.max_attempts)
            .base_backoff(options.base_backoff)
            .min_interval(options.min_interval)
            .max_in_flight(2)
            .build()?;
        Ok(YtClient {
            http,
            api: format!("{}/youtubei/v1", base.trim_end_matches('/')),
            session,
        })
    }

    /// Calls `endpoint` with `body` (the context is added) and `query`.
    pub(crate) async fn call(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
        mut body: Value,
        op: &str,
        repeat: Repeat,
    ) -> Result<Value, ServiceError> {
        body["context"] = json!({
            "client": {"clientName": "WEB_REMIX", "clientVersion": client_version(), "hl": "en", "gl": "US"},
            "user": {}
        });
        let url = format!("{}/{endpoint}", self.api);
        let session = &self.session;
        let build = |c: &reqwest::Client| {
            // Read at each attempt: cookies may have rotated meanwhile.
            c.post(&url)
                .query(&[("alt", "json"), ("prettyPrint", "false"), ("key", WEB_KEY)])
                .query(query)
                .header("Content-Type", "application/json")
                .header("Accept", "*/*")
                .header("Origin", session.origin())
                .header("X-Origin", session.origin())
                .header("X-Goog-AuthUser", session.auth_user())
                .header("Authorization", session.authorization().expose())
                .header("Cookie", session.cookie_header().expose())
                .json(&body)
        };
        let resp = match repeat {
            Repeat::Safe => self.http.send(op, build).await?,
            Repeat::Once => self.http.send_once(op, build).await?,
        };
        let set: Vec<String> = resp
            .headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        self.session.absorb(&set);
        serde_json::from_slice(&resp.body).map_err(|_| {
            ServiceError::new(
                ErrorKind::Protocol,
                SERVICE,
                op,
                format!("the answer was not JSON: {}", resp.snippet()),
            )
            .with_status(resp.status)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_789), (2026, 12, 2));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        let v = client_version();
        assert!(
            v.starts_with("1.20") && v.ends_with(".01.00") && v.len() == 16,
            "{v}"
        );
    }
}
