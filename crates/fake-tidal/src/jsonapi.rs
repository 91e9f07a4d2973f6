//! JSON:API plumbing of the fake: documents with TIDAL's media type, error
//! documents, query parameters (filters checked against each endpoint's
//! list, at most 100 values; `include` paths checked for depth and name;
//! `countryCode`), and cursor paging whose `links.next` is relative to the
//! API base with percent-encoded brackets, plus `links.meta.nextCursor`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// TIDAL's media type, for documents both ways.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// Most values all `filter[…]` parameters of one request may carry.
pub const MAX_FILTER_VALUES: usize = 100;

/// Deepest `include` path.
pub const MAX_INCLUDE_DEPTH: usize = 3;

/// A document with TIDAL's media type.
pub(crate) fn doc(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
    resp
}

/// A JSON:API error document with one error.
pub(crate) fn error(
    status: StatusCode,
    code: &str,
    detail: &str,
    source: Option<(&str, &str)>,
) -> Response {
    let mut e = json!({
        "id": crate::state::uuid(),
        "status": status.as_u16().to_string(),
        "code": code,
        "detail": detail,
    });
    if let Some((kind, value)) = source {
        e["source"] = json!({ kind: value });
    }
    doc(status, &json!({ "errors": [e] }))
}

/// The decoded query string, repeated keys kept in order.
pub(crate) struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first value of `name`.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.all(name).into_iter().next()
    }

    /// Refuses filters this endpoint does not document (400 naming the
    /// valid ones) and more than [`MAX_FILTER_VALUES`] values in all.
    pub fn check_filters(&self, valid: &[&str]) -> Result<(), Response> {
        let mut values = 0;
        for (k, v) in &self.0 {
            let Some(name) = k.strip_prefix("filter[").and_then(|r| r.strip_suffix(']')) else {
                continue;
            };
            if !valid.contains(&name) {
                let list = valid
                    .iter()
                    .map(|f| format!("filter[{f}]"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let detail = if list.is_empty() {
                    format!("{k} is not a valid filter; this endpoint takes no filters")
                } else {
                    format!("{k} is not a valid filter; valid filters: {list}")
                };
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_FILTER",
                    &detail,
                    Some(("parameter", k)),
                ));
            }
            values += v.split(',').count();
        }
        if values > MAX_FILTER_VALUES {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "VALUE_LIMIT_EXCEEDED",
                &format!("filters take at most {MAX_FILTER_VALUES} values, got {values}"),
                Some(("parameter", "filter")),
            ));
        }
        Ok(())
    }

    /// `countryCode` when given and well formed, else the user's country.
    pub fn country(&self, user_country: &str) -> Result<String, Response> {
        match self.one("countryCode") {
            None => Ok(user_country.to_owned()),
            Some(c) if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) => {
                Ok(c.to_owned())
            }
            Some(c) => Err(error(
                StatusCode::BAD_REQUEST,
                "INVALID_QUERY_PARAMETER",
                &format!("countryCode {c:?} is not an ISO 3166-1 alpha-2 code"),
                Some(("parameter", "countryCode")),
            )),
        }
    }

    /// The `include` paths, each with its prefixes, checked against the
    /// endpoint's valid paths and [`MAX_INCLUDE_DEPTH`].
    pub fn include(&self, valid: &[&str]) -> Result<BTreeSet<String>, Response> {
        let mut out = BTreeSet::new();
        for value in self.all("include") {
            for path in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if path.split('.').count() > MAX_INCLUDE_DEPTH {
                    return Err(error(
                        StatusCode::BAD_REQUEST,
                        "INVALID_INCLUDE",
                        &format!("include path {path:?} is deeper than {MAX_INCLUDE_DEPTH} levels"),
                        Some(("parameter", "include")),
                    ));
                }
                if !valid.contains(&path) {
                    return Err(error(
                        StatusCode::BAD_REQUEST,
                        "INVALID_INCLUDE",
                        &format!(
                            "{path:?} cannot be included here; valid: {}",
                            valid.join(", ")
                        ),
                        Some(("parameter", "include")),
                    ));
                }
                let parts: Vec<&str> = path.split('.').collect();
                for n in 1..=parts.len() {
                    out.insert(parts[..n].join("."));
                }
            }
        }
        if out.len() > 10 {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "INVALID_INCLUDE",
                "at most 10 distinct resources may be included",
                Some(("parameter", "include")),
            ));
        }
        Ok(out)
    }

    /// The offset a `page[cursor]` stands for (0 without one).
    pub fn offset(&self) -> Result<usize, Response> {
        let Some(c) = self.one("page[cursor]") else {
            return Ok(0);
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
            .ok_or_else(|| {
                error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_CURSOR",
                    "page[cursor] is not a cursor this server issued",
                    Some(("parameter", "page[cursor]")),
                )
            })
    }
}

fn cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

/// `links` for one page of a listing at `path` (relative to the API base)
/// starting at `offset` with `len` items out of `total`.
pub(crate) fn links(params: &Params, path: &str, offset: usize, len: usize, total: usize) -> Value {
    let render = |cur: Option<String>| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &params.0 {
            if k != "page[cursor]" {
                q.append_pair(k, v);
            }
        }
        if let Some(c) = cur {
            q.append_pair("page[cursor]", &c);
        }
        let q = q.finish();
        if q.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{q}")
        }
    };
    let mut links = json!({ "self": render(params.one("page[cursor]").map(str::to_owned)) });
    if offset + len < total {
        let next = cursor(offset + len);
        links["next"] = json!(render(Some(next.clone())));
        links["meta"] = json!({ "nextCursor": next });
    }
    links
}

/// ISO 8601 duration, as TIDAL serves them (`PT4M24S`, `PT1H2M`, `PT45S`).
pub(crate) fn iso_duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut out = "PT".to_owned();
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// A timestamp for sequence number `seq`.
pub(crate) fn timestamp(seq: u64) -> String {
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}Z",
        1 + (seq / 86_400) % 28,
        (seq / 3600) % 24,
        (seq / 60) % 60,
        seq % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(264), "PT4M24S");
        assert_eq!(iso_duration(3720), "PT1H2M");
        assert_eq!(iso_duration(45), "PT45S");
        assert_eq!(iso_duration(0), "PT0S");
    }

    #[test]
    fn next_links_are_relative_with_encoded_brackets() {
        let p = Params::parse(Some("countryCode=GB&include=items"));
        let l = links(&p, "/playlists/x/relationships/items", 0, 20, 45);
        let next = l["next"].as_str().unwrap();
        assert!(
            next.starts_with("/playlists/x/relationships/items?"),
            "{next}"
        );
        assert!(next.contains("page%5Bcursor%5D="), "{next}");
        let cur = l["meta"]["nextCursor"].as_str().unwrap();
        let p2 = Params::parse(Some(&format!("page[cursor]={cur}")));
        assert_eq!(p2.offset().ok(), Some(20));
        assert!(links(&p, "/x", 40, 5, 45).get("next").is_none());
    }

    #[test]
    fn filters_and_includes_are_checked() {
        let p = Params::parse(Some("filter[isrc]=A&filter[bogus]=B"));
        assert!(p.check_filters(&["isrc"]).is_err());
        let many: String = (0..101).map(|i| format!("filter[isrc]=I{i}&")).collect();
        assert!(Params::parse(Some(&many)).check_filters(&["isrc"]).is_err());
        let p = Params::parse(Some("include=items.artists"));
        let inc = p.include(&["items", "items.artists"]).ok().unwrap();
        assert!(inc.contains("items") && inc.contains("items.artists"));
        let deep = Params::parse(Some("include=items.albums.artists.x"));
        assert!(deep.include(&["items.albums.artists.x"]).is_err());
    }
}
