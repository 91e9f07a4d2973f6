//! The signed-in browser session: its cookies, the `Cookie` and
//! `Authorization: SAPISIDHASH` headers built from them for each request,
//! and cookies the server sets, which replace the stored ones at once and
//! are saved to the secret store (Google rotates `SIDCC` and friends; a
//! client that drops them is signed out within the hour).

use crate::error::SERVICE;
use musync_browser::Cookie;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use sha1::{Digest, Sha1};
use std::sync::{Arc, Mutex, MutexGuard};

/// The secret store key of the cookies.
pub(crate) const COOKIES_KEY: &str = "cookies";

/// Where rotated cookies are saved.
pub(crate) type Persist = (Arc<dyn SecretStore>, AccountId);

/// One session, shared by every request of a service.
pub(crate) struct Session {
    origin: String,
    auth_user: String,
    cookies: Mutex<Vec<Cookie>>,
    persist: Option<Persist>,
}

/// The cookies of a session: every youtube.com cookie, and those set on
/// the configured host (a proxy or a test server); other domains' are
/// dropped.
pub(crate) fn session_cookies(all: Vec<Cookie>, host: &str) -> Vec<Cookie> {
    all.into_iter()
        .filter(|c| c.is_under("youtube.com") || c.bare_domain() == host.to_ascii_lowercase())
        .collect()
}

/// The cookie `SAPISIDHASH` is built from: `SAPISID`, else
/// `__Secure-3PAPISID`.
pub(crate) fn sapisid(cookies: &[Cookie]) -> Option<&Secret> {
    let find = |name: &str| cookies.iter().find(|c| c.name == name).map(|c| &c.value);
    find("SAPISID")
        .or_else(|| find("__Secure-3PAPISID"))
        .filter(|v| !v.expose().is_empty())
}

/// `SAPISIDHASH <ts>_<sha1hex("ts SAPISID origin")>`.
pub(crate) fn sapisid_hash(ts: u64, sapisid: &str, origin: &str) -> String {
    let digest = Sha1::digest(format!("{ts} {sapisid} {origin}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("SAPISIDHASH {ts}_{hex}")
}

impl Session {
    /// A session talking to `origin` (scheme://host[:port]).
    pub(crate) fn new(
        origin: String,
        auth_user: String,
        cookies: Vec<Cookie>,
        persist: Option<Persist>,
    ) -> Result<Session, ServiceError> {
        if sapisid(&cookies).is_none() {
            return Err(ServiceError::new(
                ErrorKind::AuthExpired,
                SERVICE,
                "opening the session",
                "the cookies hold no SAPISID or __Secure-3PAPISID: they are not a signed-in \
                 YouTube session",
            )
            .with_hint(crate::error::SIGN_IN_HINT));
        }
        Ok(Session {
            origin,
            auth_user,
            cookies: Mutex::new(cookies),
            persist,
        })
    }

    fn jar(&self) -> MutexGuard<'_, Vec<Cookie>> {
        self.cookies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The origin every request names.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// `X-Goog-AuthUser`.
    pub(crate) fn auth_user(&self) -> &str {
        &self.auth_user
    }

    /// The current cookies.
    pub(crate) fn cookies(&self) -> Vec<Cookie> {
        self.jar().clone()
    }

    /// The `Cookie` header: every cookie once by name (the most specific
    /// domain wins), plus the consent cookie the site expects.
    pub(crate) fn cookie_header(&self) -> Secret {
        let jar = self.jar();
        let mut chosen: Vec<&Cookie> = Vec::new();
        for c in jar.iter() {
            match chosen.iter_mut().find(|k| k.name == c.name) {
                Some(slot) if c.bare_domain().len() >= slot.bare_domain().len() => *slot = c,
                Some(_) => {}
                None => chosen.push(c),
            }
        }
        let mut parts: Vec<String> = chosen
            .iter()
            .map(|c| format!("{}={}", c.name, c.value.expose()))
            .collect();
        if !chosen.iter().any(|c| c.name == "SOCS") {
            parts.push("SOCS=CAI".to_owned());
        }
        Secret::new(parts.join("; "))
    }

    /// `Authorization` for a request sent now.
    pub(crate) fn authorization(&self) -> Secret {
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let jar = self.jar();
        let value = sapisid(&jar)
            .map(|s| s.expose().to_owned())
            .unwrap_or_default();
        Secret::new(sapisid_hash(ts, &value, &self.origin))
    }

    /// Takes the `Set-Cookie` lines of an answer: each replaces the stored
    /// cookie of its name at once (or is added; an expired one removes it),
    /// and the new set is saved.
    pub(crate) fn absorb(&self, set_cookie: &[String]) {
        if set_cookie.is_empty() {
            return;
        }
        let host = url::Url::parse(&self.origin)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let snapshot = {
            let mut jar = self.jar();
            let mut changed = false;
            for line in set_cookie {
                changed |= apply(&mut jar, line, &host);
            }
            if !changed {
                return;
            }
            jar.clone()
        };
        tracing::debug!("YouTube Music set new cookies; saving them");
        if let Some((store, account)) = &self.persist
            && let Err(e) = store.set(account, COOKIES_KEY, &to_stored(&snapshot))
        {
            tracing::warn!(account = %account, error = %e, "could not save the renewed YouTube Music cookies");
        }
    }
}

/// Applies one `Set-Cookie` line; true when the jar changed.
fn apply(jar: &mut Vec<Cookie>, line: &str, host: &str) -> bool {
    let mut parts = line.split(';');
    let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
        return false;
    };
    let (name, value) = (name.trim(), value.trim());
    let mut domain = None;
    let mut http_only = false;
    let mut secure = false;
    let mut removed = false;
    for attr in parts {
        let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
        match k.trim().to_ascii_lowercase().as_str() {
            "domain" => domain = Some(v.trim().to_owned()),
            "httponly" => http_only = true,
            "secure" => secure = true,
            "max-age" => removed |= v.trim().parse::<i64>().is_ok_and(|s| s <= 0),
            _ => {}
        }
    }
    if removed {
        let before = jar.len();
        jar.retain(|c| c.name != name);
        return jar.len() != before;
    }
    let mut changed = false;
    let mut found = false;
    for c in jar.iter_mut().filter(|c| c.name == name) {
        found = true;
        if c.value.expose() != value {
            c.value = Secret::new(value);
            changed = true;
        }
    }
    if !found {
        let domain = domain.unwrap_or_else(|| host.to_owned());
        jar.push(Cookie {
            include_subdomains: domain.starts_with('.'),
            domain,
            path: "/".into(),
            secure,
            http_only,
            expires: None,
            name: name.to_owned(),
            value: Secret::new(value),
        });
        changed = true;
    }
    changed
}

/// The cookies as stored: a JSON list.
pub(crate) fn to_stored(cookies: &[Cookie]) -> Secret {
    Secret::new(serde_json::to_string(cookies).expect("cookies always serialise"))
}

/// Stored cookies back.
pub(crate) fn from_stored(text: &Secret) -> Result<Vec<Cookie>, ServiceError> {
    serde_json::from_str(text.expose()).map_err(|_| {
        ServiceError::new(
            ErrorKind::AuthExpired,
            SERVICE,
            "opening the account",
            "the stored YouTube Music cookies are unreadable; sign in again",
        )
        .with_hint(crate::error::SIGN_IN_HINT)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::MemorySecretStore;

    fn jar() -> Vec<Cookie> {
        musync_browser::parse_cookies_txt(
            ".youtube.com\tTRUE\t/\tTRUE\t0\tSIDCC\told\n\
             music.youtube.com\tFALSE\t/\tTRUE\t0\tSIDCC\tmusic-old\n\
             .youtube.com\tTRUE\t/\tTRUE\t0\t__Secure-3PAPISID\tthird\n\
             .google.com\tTRUE\t/\tTRUE\t0\tNID\tg\n",
        )
        .unwrap()
    }

    #[test]
    fn other_domains_are_dropped_and_sapisid_falls_back() {
        let kept = session_cookies(jar(), "music.youtube.com");
        assert_eq!(kept.len(), 3);
        assert_eq!(sapisid(&kept).unwrap().expose(), "third");
    }

    #[test]
    fn the_hash_is_sha1_of_ts_sapisid_origin() {
        assert_eq!(
            sapisid_hash(
                1_700_000_000,
                "fakeSAPISID/Asapisid0001",
                "https://music.youtube.com"
            ),
            "SAPISIDHASH 1700000000_e5abb9eae7e37fe3eb64a9065e76b0b4e3cf82ba"
        );
    }

    #[test]
    fn set_cookies_replace_at_once_and_are_saved() {
        let store = Arc::new(MemorySecretStore::new());
        let account = AccountId::new("ytmusic-x");
        let s = Session::new(
            "https://music.youtube.com".into(),
            "0".into(),
            session_cookies(jar(), "music.youtube.com"),
            Some((store.clone(), account.clone())),
        )
        .unwrap();
        assert_eq!(
            s.cookie_header().expose(),
            "SIDCC=music-old; __Secure-3PAPISID=third; SOCS=CAI"
        );
        s.absorb(&[
            "SIDCC=new; expires=Thu, 01-Jan-2037 00:00:00 GMT; path=/; domain=.youtube.com".into(),
        ]);
        assert!(s.cookie_header().expose().starts_with("SIDCC=new;"));
        let saved = from_stored(&store.get(&account, COOKIES_KEY).unwrap().unwrap()).unwrap();
        assert!(
            saved
                .iter()
                .filter(|c| c.name == "SIDCC")
                .all(|c| c.value.expose() == "new")
        );
        s.absorb(&["SIDCC=x; Max-Age=0".into()]);
        assert!(!s.cookie_header().expose().contains("SIDCC"));
    }

    #[test]
    fn a_session_without_sapisid_is_refused() {
        let cookies =
            musync_browser::parse_cookies_txt(".youtube.com\tTRUE\t/\tTRUE\t0\tSID\tx\n").unwrap();
        let e = Session::new(
            "https://music.youtube.com".into(),
            "0".into(),
            cookies,
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
    }
}
