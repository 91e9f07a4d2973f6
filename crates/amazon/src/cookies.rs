//! Amazon session cookies: reading Netscape `cookies.txt` (what browser
//! export extensions and yt-dlp write), storing them, choosing the ones a
//! request to the music host carries, and telling the account's market from
//! their domains.
//!
//! Cookies are the whole sign-in: every value is a [`Secret`], so `Debug`
//! output and logs never show one.

use crate::error::SERVICE;
use musync_core::{ErrorKind, Secret, ServiceError};
use serde::{Deserialize, Serialize};

/// One browser cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cookie {
    /// Domain, e.g. `.amazon.co.uk` (leading dot: also for subdomains).
    pub domain: String,
    /// Sent to subdomains of `domain` too.
    #[serde(default)]
    pub include_subdomains: bool,
    /// Path prefix.
    #[serde(default = "root_path")]
    pub path: String,
    /// Only over HTTPS.
    #[serde(default)]
    pub secure: bool,
    /// Hidden from page scripts (`#HttpOnly_` in cookies.txt).
    #[serde(default, alias = "httpOnly")]
    pub http_only: bool,
    /// Expiry as a Unix time in seconds; `None` for a session cookie.
    #[serde(default, alias = "expirationDate")]
    pub expires: Option<i64>,
    /// Name.
    pub name: String,
    /// Value.
    pub value: Secret,
}

fn root_path() -> String {
    "/".to_owned()
}

const OP: &str = "reading cookies.txt";

fn bad_file(message: String) -> ServiceError {
    ServiceError::new(ErrorKind::InvalidInput, SERVICE, OP, message)
}

/// Parses a Netscape cookies.txt: one cookie per line, seven tab-separated
/// fields (domain, include-subdomains, path, secure, expiry, name, value).
/// Lines starting with `#HttpOnly_` are HttpOnly cookies; other `#` lines
/// and blank lines are skipped. A malformed line is an error naming its
/// line number; a file without cookies is an error too.
pub fn parse_cookies_txt(text: &str) -> Result<Vec<Cookie>, ServiceError> {
    let mut cookies = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        let (line, http_only) = match line.strip_prefix("#HttpOnly_") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        // Some exporters drop the trailing tab of an empty value.
        let fields = match fields.len() {
            7 => fields,
            6 => [fields, vec![""]].concat(),
            n => {
                return Err(bad_file(format!(
                    "line {number}: expected 7 tab-separated fields (domain, subdomains, path, \
                     secure, expiry, name, value), found {n}; is this a Netscape cookies.txt?"
                )));
            }
        };
        let flag = |value: &str, what: &str| match value.to_ascii_uppercase().as_str() {
            "TRUE" => Ok(true),
            "FALSE" => Ok(false),
            _ => Err(bad_file(format!(
                "line {number}: the {what} field must be TRUE or FALSE, not {value:?}"
            ))),
        };
        let expires: i64 = fields[4].trim().parse().map_err(|_| {
            bad_file(format!(
                "line {number}: the expiry field must be a Unix time, not {:?}",
                fields[4]
            ))
        })?;
        let (domain, name) = (fields[0].trim(), fields[5].trim());
        if domain.is_empty() || name.is_empty() {
            return Err(bad_file(format!(
                "line {number}: a cookie needs a domain and a name"
            )));
        }
        cookies.push(Cookie {
            domain: domain.to_owned(),
            include_subdomains: flag(fields[1].trim(), "include-subdomains")?,
            path: fields[2].trim().to_owned(),
            secure: flag(fields[3].trim(), "secure")?,
            http_only,
            expires: (expires != 0).then_some(expires),
            name: name.to_owned(),
            value: Secret::new(fields[6].trim_end()),
        });
    }
    if cookies.is_empty() {
        return Err(bad_file(
            "the file holds no cookies; export them from the Amazon Music page while signed in"
                .to_owned(),
        ));
    }
    Ok(cookies)
}

/// Reads stored cookies: musync's own JSON list, or a cookies.txt.
pub(crate) fn parse_stored(text: &str) -> Result<Vec<Cookie>, ServiceError> {
    if text.trim_start().starts_with('[') {
        serde_json::from_str(text)
            .map_err(|e| bad_file(format!("the stored cookies are not a cookie list ({e})")))
    } else {
        parse_cookies_txt(text)
    }
}

/// The cookies as stored: a JSON list.
pub(crate) fn to_stored(cookies: &[Cookie]) -> Secret {
    Secret::new(serde_json::to_string(cookies).expect("cookies always serialise"))
}

/// Whether `cookie` belongs to `host` by the browser's domain rule.
fn matches_host(cookie: &Cookie, host: &str) -> bool {
    let domain = cookie.domain.trim_start_matches('.').to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    host == domain
        || ((cookie.include_subdomains || cookie.domain.starts_with('.'))
            && host.ends_with(&format!(".{domain}")))
}

/// The `Cookie` header for a request to `host` (a host name, no port): the
/// cookies of that host. When none match (a proxy or test host given by
/// `MUSYNC_AMAZON_URL`), every cookie, one per name.
pub(crate) fn header_for(cookies: &[Cookie], host: &str) -> Secret {
    Secret::new(
        for_host(cookies, host)
            .iter()
            .map(|c| format!("{}={}", c.name, c.value.expose()))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The cookies a request to `host` carries (see [`header_for`]).
pub(crate) fn for_host<'a>(cookies: &'a [Cookie], host: &str) -> Vec<&'a Cookie> {
    let matching: Vec<&Cookie> = cookies.iter().filter(|c| matches_host(c, host)).collect();
    if matching.is_empty() {
        let mut by_name: Vec<&Cookie> = Vec::new();
        for c in cookies {
            match by_name.iter_mut().find(|k| k.name == c.name) {
                Some(slot) => *slot = c,
                None => by_name.push(c),
            }
        }
        by_name
    } else {
        matching
    }
}

/// Sets or adds the cookies of `Set-Cookie` headers (`name=value; …`) an
/// answer from `host` carried, as a browser would.
pub(crate) fn apply_set_cookies(cookies: &mut Vec<Cookie>, host: &str, set: &[String]) -> bool {
    let mut changed = false;
    for line in set {
        let Some((name, value)) = line.split(';').next().and_then(|p| p.split_once('=')) else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        match cookies
            .iter_mut()
            .find(|c| c.name == name && matches_host(c, host))
        {
            Some(c) if c.value.expose() == value => {}
            Some(c) => {
                c.value = Secret::new(value);
                changed = true;
            }
            None => {
                cookies.push(Cookie {
                    domain: host.to_owned(),
                    include_subdomains: false,
                    path: "/".into(),
                    secure: false,
                    http_only: line.to_ascii_lowercase().contains("httponly"),
                    expires: None,
                    name: name.to_owned(),
                    value: Secret::new(value),
                });
                changed = true;
            }
        }
    }
    changed
}

/// The music host of the market the cookies belong to, e.g.
/// `https://music.amazon.co.uk` for `at-acbuk` or `.amazon.co.uk` cookies.
/// The sign-in cookies' name suffix decides (research §3.3); without one,
/// the domain of the sign-in cookies (`at-*`, `sess-at-*`, `ubid-*`) wins;
/// `None` when no cookie is Amazon's.
pub fn market_host(cookies: &[Cookie]) -> Option<String> {
    let mut by_suffix: Vec<(&str, usize)> = Vec::new();
    for c in cookies {
        if let Some(d) = crate::market::domain_for_cookie_name(&c.name) {
            match by_suffix.iter_mut().find(|(k, _)| *k == d) {
                Some((_, n)) => *n += 1,
                None => by_suffix.push((d, 1)),
            }
        }
    }
    // `-main` cookies also exist beside another market's (the .com SSO), so
    // a country suffix outweighs them.
    if let Some((d, _)) = by_suffix.iter().max_by_key(|(d, n)| (*d != "com", *n)) {
        return Some(format!("https://music.amazon.{d}"));
    }
    let mut scores: Vec<(String, usize)> = Vec::new();
    for c in cookies {
        let domain = c.domain.trim_start_matches('.').to_ascii_lowercase();
        let Some(pos) = domain.find("amazon.") else {
            continue;
        };
        if pos > 0 && !domain[..pos].ends_with('.') {
            continue; // e.g. "notamazon.com"
        }
        let base = domain[pos..].to_owned();
        let weight = if c.name.starts_with("at-")
            || c.name.starts_with("sess-at-")
            || c.name.starts_with("ubid-")
        {
            10
        } else {
            1
        };
        match scores.iter_mut().find(|(b, _)| *b == base) {
            Some((_, s)) => *s += weight,
            None => scores.push((base, weight)),
        }
    }
    let best = scores.into_iter().max_by_key(|(_, s)| *s)?;
    Some(format!("https://music.{}", best.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "# Netscape HTTP Cookie File\n\
        # This is a generated file! Do not edit.\n\
        \n\
        .amazon.co.uk\tTRUE\t/\tTRUE\t1893456000\tsession-id\t262-1234567-1234567\n\
        #HttpOnly_.amazon.co.uk\tTRUE\t/\tTRUE\t1893456000\tat-acbuk\tAtza|secret-value\n\
        music.amazon.co.uk\tFALSE\t/\tFALSE\t0\tsid\tabc\r\n\
        .amazon.co.uk\tTRUE\t/\tFALSE\t0\tempty\t\n";

    #[test]
    fn reads_http_only_lines_comments_and_session_cookies() {
        let c = parse_cookies_txt(TXT).unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].name, "session-id");
        assert!(!c[0].http_only && c[0].secure && c[0].include_subdomains);
        assert_eq!(c[1].name, "at-acbuk");
        assert!(c[1].http_only);
        assert_eq!(c[1].value.expose(), "Atza|secret-value");
        assert_eq!(c[1].expires, Some(1_893_456_000));
        assert_eq!(
            (c[2].domain.as_str(), c[2].expires),
            ("music.amazon.co.uk", None)
        );
        assert_eq!(c[2].value.expose(), "abc", "CRLF endings are trimmed");
        assert_eq!(c[3].value.expose(), "");
        assert!(!format!("{c:?}").contains("secret-value"));
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = parse_cookies_txt("# header\n.amazon.com\tTRUE\t/\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.starts_with("line 2: expected 7"), "{}", e.message);
        let e = parse_cookies_txt(".amazon.com\tYES\t/\tTRUE\t0\ta\tb\n").unwrap_err();
        assert!(
            e.message.contains("line 1: the include-subdomains field"),
            "{}",
            e.message
        );
        let e = parse_cookies_txt("\n\n.amazon.com\tTRUE\t/\tTRUE\tsoon\ta\tb\n").unwrap_err();
        assert!(e.message.contains("line 3: the expiry"), "{}", e.message);
        let e = parse_cookies_txt("# only comments\n\n").unwrap_err();
        assert!(e.message.contains("no cookies"));
    }

    #[test]
    fn the_market_comes_from_sign_in_cookie_domains() {
        let c = parse_cookies_txt(TXT).unwrap();
        assert_eq!(
            market_host(&c).as_deref(),
            Some("https://music.amazon.co.uk")
        );
        let mut mixed = c.clone();
        mixed.extend(
            parse_cookies_txt(
                ".amazon.com\tTRUE\t/\tTRUE\t0\ti18n-prefs\tUSD\n\
                 .amazon.com\tTRUE\t/\tTRUE\t0\tlc-main\ten_US\n\
                 .notamazon.com\tTRUE\t/\tTRUE\t0\tat-main\tx\n",
            )
            .unwrap(),
        );
        assert_eq!(
            market_host(&mixed).as_deref(),
            Some("https://music.amazon.co.uk")
        );
        assert_eq!(
            market_host(&parse_cookies_txt("example.org\tFALSE\t/\tFALSE\t0\ta\tb").unwrap()),
            None
        );
    }

    #[test]
    fn the_market_comes_from_cookie_name_suffixes_even_on_a_proxy_domain() {
        for (name, host) in [
            ("at-main", "https://music.amazon.com"),
            ("ubid-acbde", "https://music.amazon.de"),
            ("sess-at-acbjp", "https://music.amazon.co.jp"),
        ] {
            let c = parse_cookies_txt(&format!(
                "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession-id\t1\n127.0.0.1\tFALSE\t/\tFALSE\t0\t{name}\tx\n"
            ))
            .unwrap();
            assert_eq!(market_host(&c).as_deref(), Some(host), "{name}");
        }
    }

    #[test]
    fn headers_carry_the_host_cookies_or_all_for_a_proxy() {
        let c = parse_cookies_txt(TXT).unwrap();
        let h = header_for(&c, "music.amazon.co.uk");
        assert_eq!(
            h.expose(),
            "session-id=262-1234567-1234567; at-acbuk=Atza|secret-value; sid=abc; empty="
        );
        let h = header_for(&c, "www.amazon.co.uk");
        assert!(
            !h.expose().contains("sid=abc"),
            "host-only cookie stays on its host"
        );
        let h = header_for(&c, "127.0.0.1");
        assert!(h.expose().contains("sid=abc") && h.expose().contains("session-id="));
    }

    #[test]
    fn stored_json_round_trips_and_set_cookie_updates() {
        let mut c = parse_cookies_txt(TXT).unwrap();
        assert_eq!(parse_stored(to_stored(&c).expose()).unwrap(), c);
        assert_eq!(parse_stored(TXT).unwrap(), c);
        let changed = apply_set_cookies(
            &mut c,
            "music.amazon.co.uk",
            &["sid=new; Path=/; HttpOnly".into(), "fresh=1; Path=/".into()],
        );
        assert!(changed);
        assert_eq!(c[2].value.expose(), "new");
        assert_eq!(c.last().unwrap().name, "fresh");
        assert!(!apply_set_cookies(
            &mut c,
            "music.amazon.co.uk",
            &["sid=new".into()]
        ));
    }
}
