//! Browser cookies, and the Netscape `cookies.txt` format that export
//! extensions, curl and yt-dlp write.

use musync_core::Secret;
use serde::{Deserialize, Serialize};

/// One browser cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cookie {
    /// Domain, e.g. `.youtube.com` (leading dot: subdomains too).
    pub domain: String,
    /// Sent to subdomains of `domain` too.
    #[serde(default)]
    pub include_subdomains: bool,
    /// Path prefix.
    #[serde(default = "root")]
    pub path: String,
    /// Only over HTTPS.
    #[serde(default)]
    pub secure: bool,
    /// Hidden from page scripts (`#HttpOnly_` in cookies.txt).
    #[serde(default)]
    pub http_only: bool,
    /// Expiry (Unix seconds); `None` for a session cookie.
    #[serde(default)]
    pub expires: Option<i64>,
    /// Name.
    pub name: String,
    /// Value.
    pub value: Secret,
}

fn root() -> String {
    "/".to_owned()
}

impl Cookie {
    /// The domain without its leading dot, lower case.
    pub fn bare_domain(&self) -> String {
        self.domain.trim_start_matches('.').to_ascii_lowercase()
    }

    /// Whether the cookie belongs to `domain` or one of its subdomains
    /// (`youtube.com` matches `.youtube.com` and `music.youtube.com`).
    pub fn is_under(&self, domain: &str) -> bool {
        let d = self.bare_domain();
        d == domain || d.ends_with(&format!(".{domain}"))
    }
}

/// A cookies.txt that cannot be read; names the line. Never quotes the
/// line (it may hold a secret).
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", line.map(|n| format!("line {n}: ")).unwrap_or_default())]
pub struct CookieFileError {
    /// The 1-based line, when one line is at fault.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn bad(line: usize, message: impl Into<String>) -> CookieFileError {
    CookieFileError {
        line: Some(line),
        message: message.into(),
    }
}

/// Parses a Netscape cookies.txt: seven tab-separated fields per line
/// (domain, include-subdomains, path, secure, expiry, name, value).
/// `#HttpOnly_` lines are HttpOnly cookies; other `#` lines and blank
/// lines are skipped. A file without any cookie is an error.
pub fn parse_cookies_txt(text: &str) -> Result<Vec<Cookie>, CookieFileError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        let (line, http_only) = match line.strip_prefix("#HttpOnly_") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields: Vec<&str> = line.split('\t').collect();
        if fields.len() == 6 {
            fields.push(""); // an empty value whose trailing tab was dropped
        }
        if fields.len() != 7 {
            return Err(bad(
                n,
                format!(
                    "expected 7 tab-separated fields (domain, subdomains, path, secure, expiry, \
                     name, value), found {}; is this a Netscape cookies.txt?",
                    fields.len()
                ),
            ));
        }
        let flag = |v: &str, what: &str| match v.trim().to_ascii_uppercase().as_str() {
            "TRUE" => Ok(true),
            "FALSE" => Ok(false),
            _ => Err(bad(n, format!("the {what} field must be TRUE or FALSE"))),
        };
        let expires: i64 = fields[4]
            .trim()
            .parse::<f64>()
            .map(|f| f as i64)
            .map_err(|_| bad(n, "the expiry field must be a Unix time"))?;
        let (domain, name) = (fields[0].trim(), fields[5].trim());
        if domain.is_empty() || name.is_empty() {
            return Err(bad(n, "a cookie needs a domain and a name"));
        }
        out.push(Cookie {
            domain: domain.to_owned(),
            include_subdomains: flag(fields[1], "include-subdomains")?,
            path: fields[2].trim().to_owned(),
            secure: flag(fields[3], "secure")?,
            http_only,
            expires: (expires > 0).then_some(expires),
            name: name.to_owned(),
            value: Secret::new(fields[6].trim_end()),
        });
    }
    if out.is_empty() {
        return Err(CookieFileError {
            line: None,
            message: "the file holds no cookies; export them from a signed-in browser".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "# Netscape HTTP Cookie File\n\n\
        .youtube.com\tTRUE\t/\tTRUE\t2082758400\tSAPISID\tsap/123\n\
        #HttpOnly_.youtube.com\tTRUE\t/\tTRUE\t2082758400.5\t__Secure-3PSID\tsid-secret\r\n\
        music.youtube.com\tFALSE\t/\tFALSE\t0\tsession\tx\n\
        .google.com\tTRUE\t/\tTRUE\t0\tNID\tn\n\
        .youtube.com\tTRUE\t/\tFALSE\t0\tempty\n";

    #[test]
    fn reads_http_only_lines_session_cookies_and_empty_values() {
        let c = parse_cookies_txt(TXT).unwrap();
        assert_eq!(c.len(), 5);
        assert!(!c[0].http_only && c[0].secure && c[0].include_subdomains);
        assert_eq!(c[1].name, "__Secure-3PSID");
        assert!(c[1].http_only);
        assert_eq!(c[1].value.expose(), "sid-secret", "CRLF trimmed");
        assert_eq!(c[1].expires, Some(2_082_758_400));
        assert_eq!(c[2].expires, None);
        assert_eq!(c[4].value.expose(), "");
        assert!(c[2].is_under("youtube.com") && !c[3].is_under("youtube.com"));
        assert!(!format!("{c:?}").contains("sid-secret"));
    }

    #[test]
    fn bad_lines_are_named_without_quoting_them() {
        let e = parse_cookies_txt("# x\n.youtube.com\tTRUE\t/secret-ish\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("line 2: expected 7"), "{e}");
        assert!(!e.to_string().contains("secret-ish"));
        let e = parse_cookies_txt("a\tMAYBE\t/\tTRUE\t0\tn\tv\n").unwrap_err();
        assert!(e.to_string().contains("include-subdomains"), "{e}");
        let e = parse_cookies_txt("a\tTRUE\t/\tTRUE\tsoon\tn\tv\n").unwrap_err();
        assert!(e.to_string().contains("expiry"), "{e}");
        let e = parse_cookies_txt("# nothing\n").unwrap_err();
        assert!(e.to_string().contains("no cookies"), "{e}");
    }
}
