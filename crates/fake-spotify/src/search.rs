//! The fake's search: parses Spotify's query syntax (`track:` `artist:`
//! `album:` `isrc:` filters, quoted values, free words) and matches it
//! against the catalogue the way the real search behaves for our purposes:
//! case- and accent-insensitive, every word must appear, exact titles first.

use crate::catalogue::{Catalogue, CatalogueTrack};

/// A parsed `q` parameter.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub track: Vec<String>,
    pub artist: Vec<String>,
    pub album: Vec<String>,
    pub isrc: Option<String>,
    pub free: Vec<String>,
}

/// Splits `q` into filters and free words. Unknown filters (`year:`,
/// `genre:`) are ignored, as they never narrow our catalogue.
pub(crate) fn parse(q: &str) -> Query {
    let mut out = Query::default();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        // A token: optional `field:` prefix, then a quoted or bare value.
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphabetic()) {
            i += 1;
        }
        let mut field = None;
        if i < chars.len() && chars[i] == ':' && i > start {
            field = Some(chars[start..i].iter().collect::<String>().to_lowercase());
            i += 1;
        } else {
            i = start;
        }
        let value: String = if i < chars.len() && chars[i] == '"' {
            i += 1;
            let v_start = i;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            let v = chars[v_start..i].iter().collect();
            i += 1; // closing quote (or end)
            v
        } else {
            let v_start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            chars[v_start..i].iter().collect()
        };
        let words = words(&value);
        match field.as_deref() {
            Some("track") => out.track.extend(words),
            Some("artist") => out.artist.extend(words),
            Some("album") => out.album.extend(words),
            Some("isrc") => out.isrc = Some(value.trim().to_ascii_uppercase()),
            Some(_) => {}
            None => out.free.extend(words),
        }
    }
    out
}

/// Lower-case ASCII words (accents folded, punctuation dropped).
pub(crate) fn words(s: &str) -> Vec<String> {
    deunicode::deunicode(s)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn contains_all(haystack: &[String], needles: &[String]) -> bool {
    needles.iter().all(|n| haystack.contains(n))
}

/// Catalogue tracks matching `q`, best first.
pub(crate) fn run<'a>(catalogue: &'a Catalogue, q: &Query) -> Vec<&'a CatalogueTrack> {
    let empty =
        q.track.is_empty() && q.artist.is_empty() && q.album.is_empty() && q.free.is_empty();
    if empty && q.isrc.is_none() {
        return Vec::new();
    }
    let mut hits: Vec<(bool, &CatalogueTrack)> = catalogue
        .tracks
        .iter()
        .filter_map(|t| {
            let name = words(&t.name);
            let artists = words(&t.artists.join(" "));
            let album = words(&t.album);
            if let Some(isrc) = &q.isrc
                && t.isrc.as_deref() != Some(isrc.as_str())
            {
                return None;
            }
            if !contains_all(&name, &q.track)
                || !contains_all(&artists, &q.artist)
                || !contains_all(&album, &q.album)
            {
                return None;
            }
            let all: Vec<String> = name
                .iter()
                .chain(artists.iter())
                .chain(album.iter())
                .cloned()
                .collect();
            if !contains_all(&all, &q.free) {
                return None;
            }
            // An exact title (the track filter, or the free words starting
            // with the whole title) ranks first, as on the real service.
            let exact = (!q.track.is_empty() && name == q.track)
                || (!q.free.is_empty() && q.free.starts_with(&name));
            Some((exact, t))
        })
        .collect();
    hits.sort_by_key(|(exact, _)| !*exact);
    hits.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_quotes_and_free_words() {
        let q = parse(r#"track:"Mr. Brightside" artist:Killers isrc:usir20400274 live year:2004"#);
        assert_eq!(q.track, vec!["mr", "brightside"]);
        assert_eq!(q.artist, vec!["killers"]);
        assert_eq!(q.isrc.as_deref(), Some("USIR20400274"));
        assert_eq!(q.free, vec!["live"]);
    }

    #[test]
    fn field_search_is_accent_insensitive_and_exact_titles_rank_first() {
        let c = Catalogue::sample();
        let hits = run(&c, &parse(r#"track:"deja vu" artist:"beyonce""#));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].artists[0], "Beyoncé");
        let hits = run(&c, &parse("track:hurt"));
        assert_eq!(hits.len(), 2);
        let hits = run(&c, &parse(r#"track:"Mr. Brightside" artist:"The Killers""#));
        assert_eq!(hits[0].name, "Mr. Brightside");
        assert_eq!(hits.len(), 3, "live and remix versions also match");
    }

    #[test]
    fn isrc_search_is_exact() {
        let c = Catalogue::sample();
        let hits = run(&c, &parse("isrc:GBUM71029604"));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Bohemian Rhapsody");
        assert!(run(&c, &parse("isrc:XX0000000000")).is_empty());
        assert!(run(&c, &parse("")).is_empty());
    }
}
