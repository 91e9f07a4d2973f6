//! Redaction of secrets in what gets logged: token-bearing query parameters
//! and credential headers.

/// Query parameter names whose values are secrets.
const SECRET_PARAMS: &[&str] = &[
    "api_key",
    "api_sig",
    "sk",
    "token",
    "access_token",
    "refresh_token",
    "code",
    "code_verifier",
    "client_secret",
    "password",
    "key",
    "session",
    "sig",
    // Subsonic: the token and its salt, the (hex) password, the API key.
    "t",
    "s",
    "p",
    "apikey",
];

/// Header names whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "csrf-token",
    "csrf-rnd",
    "csrf-ts",
    "x-amz-access-token",
    "proxy-authorization",
    "x-api-key",
];

/// The URL with the values of secret query parameters replaced by `***`.
pub fn redact_url(url: &url::Url) -> String {
    if url.query().is_none() {
        return url.to_string();
    }
    let mut out = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
            (
                k.into_owned(),
                if secret { "***".into() } else { v.into_owned() },
            )
        })
        .collect();
    out.query_pairs_mut().clear().extend_pairs(pairs);
    out.to_string()
}

/// The header value, or `***` when the header carries a credential.
pub fn redact_header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
        "***"
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_params_are_masked_and_others_kept() {
        let url = url::Url::parse(
            "https://ws.example/2.0/?method=track.love&api_key=K123&sk=S456&artist=A%20B",
        )
        .unwrap();
        let shown = redact_url(&url);
        assert!(
            !shown.contains("K123") && !shown.contains("S456"),
            "{shown}"
        );
        assert!(shown.contains("method=track.love"));
        assert!(shown.contains("artist=A"));
    }

    #[test]
    fn subsonic_credentials_are_masked() {
        let url = url::Url::parse(
            "http://h/rest/ping?u=alice&t=26719a1196d2a940705a59634eb18eab&s=c19b2d&p=enc:736573616d65&apiKey=KEY9&c=musync",
        )
        .unwrap();
        let shown = redact_url(&url);
        for secret in ["26719a", "c19b2d", "736573", "KEY9"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("u=alice") && shown.contains("c=musync"),
            "{shown}"
        );
    }

    #[test]
    fn credential_headers_are_masked() {
        assert_eq!(redact_header_value("Cookie", "session-id=1"), "***");
        assert_eq!(redact_header_value("Authorization", "Bearer x"), "***");
        assert_eq!(
            redact_header_value("Accept", "application/json"),
            "application/json"
        );
    }
}
