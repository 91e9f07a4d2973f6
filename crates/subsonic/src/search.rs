//! Turning a track from elsewhere into `search3` queries, and the
//! whole-library fallback.
//!
//! Servers search differently: Navidrome ranks words over title, album and
//! artists; Gonic and Supysonic match the title only, Supysonic as a
//! substring that ignores case for ASCII letters only. So the query is the
//! title alone, in its original case, without version suffixes
//! (" - Remastered 2011", "(Live)", "[feat. X]") that another service may
//! spell differently; the matcher then judges the candidates. When that
//! finds nothing (accents or case spelled differently), the library is
//! read once (`search3` with an empty query, which every server answers
//! with everything) and compared with accents and case folded.

use deunicode::deunicode;

/// The title to search for: version and featuring suffixes removed.
pub(crate) fn query_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let cut = [" - ", " – ", " — "]
        .iter()
        .filter_map(|sep| out.find(sep))
        .min()
        .unwrap_or(out.len());
    let q = out[..cut].split_whitespace().collect::<Vec<_>>().join(" ");
    if q.is_empty() {
        title.trim().to_owned()
    } else {
        q
    }
}

/// Lower-case ASCII letters and digits only, accents folded.
pub(crate) fn fold(text: &str) -> String {
    deunicode(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a library title may be the searched one (either contains the
/// other once folded), for the fallback.
pub(crate) fn title_may_match(wanted_folded: &str, candidate_title: &str) -> bool {
    if wanted_folded.is_empty() {
        return false;
    }
    let c = fold(&query_title(candidate_title));
    !c.is_empty() && (c.contains(wanted_folded) || wanted_folded.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_suffixes_are_dropped_and_case_kept() {
        assert_eq!(
            query_title("Karma Police - Remastered 2011"),
            "Karma Police"
        );
        assert_eq!(
            query_title("Get Lucky (feat. Pharrell Williams)"),
            "Get Lucky"
        );
        assert_eq!(query_title("Jóga [Live]"), "Jóga");
        assert_eq!(query_title("JÓGA"), "JÓGA");
        assert_eq!(query_title("(Intro)"), "(Intro)");
        assert_eq!(
            query_title("戦場のメリークリスマス"),
            "戦場のメリークリスマス"
        );
    }

    #[test]
    fn the_fallback_folds_accents_and_case() {
        assert!(title_may_match(&fold("Hoppipolla"), "Hoppípolla"));
        assert!(title_may_match(&fold("JÓGA"), "Jóga - Live"));
        assert!(!title_may_match(&fold("Halo"), "Karma Police"));
        assert!(!title_may_match("", "Anything"));
    }
}
