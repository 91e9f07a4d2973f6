//! Which Amazon market an account belongs to, and the hosts that follow
//! from it (research §3.3, §6).
//!
//! The market shows in the sign-in cookies' names (`at-main` for .com,
//! `at-acbuk`, `ubid-acbde`, `sess-at-acbjp` …) and in their domains. The
//! region (`NA`/`EU`/`FE`) picks the legacy `/<REGION>/api` prefix when the
//! config does not say; the GraphQL host is `gql.music.amazon.dev` except for
//! Japan, whose player uses its country domain (research §6, JP notes).

/// Cookie-name suffix → the market's domain (after `amazon.`).
const SUFFIXES: &[(&str, &str)] = &[
    ("main", "com"),
    ("acbuk", "co.uk"),
    ("acbde", "de"),
    ("acbfr", "fr"),
    ("acbit", "it"),
    ("acbes", "es"),
    ("acbin", "in"),
    ("acbjp", "co.jp"),
    ("acbau", "com.au"),
    ("acbca", "ca"),
    ("acbmx", "com.mx"),
    ("acbbr", "com.br"),
];

/// The default GraphQL endpoint for most markets.
pub(crate) const GRAPHQL_DEFAULT: &str = "https://gql.music.amazon.dev/";
/// Japan's GraphQL endpoint.
const GRAPHQL_JP: &str = "https://gql.music.amazon.co.jp/";

/// The market domain (`co.uk`, `de` …) a sign-in cookie name reveals.
pub(crate) fn domain_for_cookie_name(name: &str) -> Option<&'static str> {
    let suffix = ["at-", "sess-at-", "ubid-", "x-", "sst-", "sso-state-"]
        .iter()
        .find_map(|p| name.strip_prefix(p))?;
    SUFFIXES.iter().find(|(s, _)| *s == suffix).map(|(_, d)| *d)
}

/// `NA`, `EU` or `FE` for a music host, when the config does not say.
pub(crate) fn region_for_host(host: &str) -> &'static str {
    const EU: &[&str] = &[".co.uk", ".de", ".fr", ".it", ".es", ".in", ".sa", ".ae"];
    const FE: &[&str] = &[".co.jp", ".com.au"];
    let host = host_name(host);
    if EU.iter().any(|s| host.ends_with(s)) {
        "EU"
    } else if FE.iter().any(|s| host.ends_with(s)) {
        "FE"
    } else {
        "NA"
    }
}

/// The GraphQL endpoint the market of `music_host` uses.
pub(crate) fn graphql_for_host(music_host: &str) -> &'static str {
    if host_name(music_host).ends_with("amazon.co.jp") {
        GRAPHQL_JP
    } else {
        GRAPHQL_DEFAULT
    }
}

/// The host name of a URL or bare host, without port or trailing slash.
fn host_name(host: &str) -> String {
    url::Url::parse(host)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| host.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_suffixes_name_the_market_in_every_region_family() {
        assert_eq!(domain_for_cookie_name("at-main"), Some("com"));
        assert_eq!(domain_for_cookie_name("ubid-acbde"), Some("de"));
        assert_eq!(domain_for_cookie_name("sess-at-acbjp"), Some("co.jp"));
        assert_eq!(domain_for_cookie_name("at-main-music"), None);
        assert_eq!(domain_for_cookie_name("session-id"), None);
    }

    #[test]
    fn regions_and_graphql_hosts_by_market_host() {
        assert_eq!(region_for_host("https://music.amazon.co.uk"), "EU");
        assert_eq!(region_for_host("https://music.amazon.co.jp/"), "FE");
        assert_eq!(region_for_host("https://music.amazon.com"), "NA");
        assert_eq!(
            graphql_for_host("https://music.amazon.co.jp"),
            "https://gql.music.amazon.co.jp/"
        );
        assert_eq!(graphql_for_host("https://music.amazon.de"), GRAPHQL_DEFAULT);
        assert_eq!(
            graphql_for_host("https://music.amazon.com"),
            GRAPHQL_DEFAULT
        );
    }
}
