//! musync's own JSON playlist: `{"name": "…", "tracks": [TRACK, …]}`, where
//! TRACK is the CLI contract's object (`title`, `artist`, `album`,
//! `duration_s`, `isrc`, `id`). A bare array of TRACKs reads too.
//!
//! Appending splices the new objects in after the last element of the
//! `tracks` array instead of re-serialising the document: members and track
//! fields musync does not model (notes another tool stored) and the file's
//! own layout stay exactly as they were.

use crate::error::Malformed;
use crate::model::{self as wire, JsonInsert};
use crate::text;
use musync_core::Track;
use serde::Serialize;

const JSON_HINT: &str = "fix the JSON there (a missing comma or quote, or a trailing comma, is typical); the layout is {\"name\": \"…\", \"tracks\": [{\"title\": \"…\", \"artist\": \"…\"}, …]}";

/// The JSON musync writes.
#[derive(Serialize)]
struct Out<'a> {
    name: &'a str,
    tracks: &'a [Track],
}

/// A serde_json error as a problem at its line and column.
fn json_error(err: &serde_json::Error) -> Malformed {
    let full = err.to_string();
    // serde_json appends " at line L column C"; the position goes in front instead.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    Malformed::at(err.line().max(1), message, JSON_HINT).with_column(err.column().max(1))
}

/// Index of the first non-whitespace byte at or after `i`.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Index just after the string starting at `i` (which is `"`).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// Index just after the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The bounds of the array opening at `open`.
fn array_insert(b: &[u8], open: usize) -> Option<JsonInsert> {
    let mut i = open + 1;
    let mut last_end = None;
    loop {
        i = skip_ws(b, i);
        if *b.get(i)? == b']' {
            return Some(JsonInsert::IntoArray {
                open,
                close: i,
                last_end,
            });
        }
        i = skip_value(b, i)?;
        last_end = Some(i);
        i = skip_ws(b, i);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

/// Where new tracks go in a document serde_json has already accepted.
fn find_insert(text: &str) -> Option<JsonInsert> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    if *b.get(start)? == b'[' {
        return array_insert(b, start);
    }
    let mut i = start + 1;
    let mut last_end = None;
    loop {
        i = skip_ws(b, i);
        if *b.get(i)? == b'}' {
            return Some(JsonInsert::NewKey { close: i, last_end });
        }
        let key_end = skip_string(b, i)?;
        let key: String = serde_json::from_str(&text[i..key_end]).ok()?;
        i = skip_ws(b, key_end) + 1; // past ':'
        i = skip_ws(b, i);
        if key == "tracks" && b.get(i) == Some(&b'[') {
            return array_insert(b, i);
        }
        i = skip_value(b, i)?;
        last_end = Some(i);
        i = skip_ws(b, i);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

/// Parses JSON text (BOM already removed).
pub(crate) fn parse(text: &str) -> Result<wire::Json, Malformed> {
    let first = text.trim_start().as_bytes().first().copied();
    let (name, tracks) = match first {
        Some(b'[') => (
            None,
            serde_json::from_str::<Vec<Track>>(text).map_err(|e| json_error(&e))?,
        ),
        Some(b'{') => {
            let doc: wire::JsonPlaylist = serde_json::from_str(text).map_err(|e| json_error(&e))?;
            (doc.name, doc.tracks)
        }
        _ => {
            let offset = text.len() - text.trim_start().len();
            let line = crate::error::line_of(text, offset);
            return Err(Malformed::at(
                line,
                "expected a JSON object {\"name\": …, \"tracks\": […]}",
                JSON_HINT,
            ));
        }
    };
    Ok(wire::Json { name, tracks })
}

/// Reads the tracks of JSON bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let decoded = text::decode(bytes, false)?;
    if text::is_blank(&decoded.text) {
        return Ok((None, Vec::new()));
    }
    let doc = parse(&decoded.text)?;
    Ok((doc.name, doc.tracks))
}

/// A whole new JSON document.
pub(crate) fn render(name: &str, tracks: &[Track]) -> String {
    let mut out = serde_json::to_string_pretty(&Out { name, tracks })
        .expect("tracks always serialise to JSON");
    out.push('\n');
    out
}

/// The whitespace before byte `at` on its line, if only whitespace precedes it.
fn indent_before(text: &str, at: usize) -> &str {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = &before[line_start..];
    if indent.trim().is_empty() { indent } else { "" }
}

/// `track` as pretty JSON whose continuation lines are indented by `indent`.
fn track_json(track: &Track, indent: &str, eol: &str) -> String {
    let pretty = serde_json::to_string_pretty(track).expect("tracks always serialise to JSON");
    pretty.replace('\n', &format!("{eol}{indent}"))
}

/// `original` with `tracks` spliced into its tracks array.
pub(crate) fn append(original: &[u8], name: &str, tracks: &[Track]) -> Result<Vec<u8>, Malformed> {
    let decoded = text::decode(original, false)?;
    let text = decoded.text.as_ref();
    if text::is_blank(text) {
        return Ok(render(name, tracks).into_bytes());
    }
    parse(text)?;
    // Only an append needs to know where the tracks array ends.
    let insert = find_insert(text).ok_or_else(|| {
        Malformed::whole("could not find the tracks array in the JSON", JSON_HINT)
    })?;
    let eol = text::eol_of(text);
    let (start, end, insertion) = match insert {
        JsonInsert::IntoArray {
            open,
            close,
            last_end,
        } => {
            let closing = indent_before(text, close);
            let item = format!("{closing}  ");
            let items: Vec<String> = tracks.iter().map(|t| track_json(t, &item, eol)).collect();
            match last_end {
                None => {
                    let body = items.join(&format!(",{eol}{item}"));
                    (open + 1, close, format!("{eol}{item}{body}{eol}{closing}"))
                }
                Some(after) => {
                    let mut s = String::new();
                    for it in &items {
                        s.push_str(&format!(",{eol}{item}{it}"));
                    }
                    (after, after, s)
                }
            }
        }
        JsonInsert::NewKey { close, last_end } => {
            let closing = indent_before(text, close);
            let member = format!("{closing}  ");
            let item = format!("{member}  ");
            let items: Vec<String> = tracks.iter().map(|t| track_json(t, &item, eol)).collect();
            let body = items.join(&format!(",{eol}{item}"));
            let array = format!("\"tracks\": [{eol}{item}{body}{eol}{member}]");
            match last_end {
                Some(after) => (after, after, format!(",{eol}{member}{array}")),
                None => (close, close, format!("{eol}{member}{array}{eol}{closing}")),
            }
        }
    };
    let mut out = Vec::with_capacity(original.len() + insertion.len());
    out.extend_from_slice(&original[..decoded.bom]);
    out.extend_from_slice(&text.as_bytes()[..start]);
    out.extend_from_slice(insertion.as_bytes());
    out.extend_from_slice(&text.as_bytes()[end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_and_tracks_or_a_bare_array() {
        let (name, tracks) = read(br#"{"name": "Mix", "tracks": [{"title": "Halo", "artist": "Beyonc\u00e9", "duration_s": 261}]}"#).unwrap();
        assert_eq!(name.as_deref(), Some("Mix"));
        assert_eq!(tracks[0].label(), "Beyoncé - Halo");
        assert_eq!(tracks[0].duration_s, Some(261));
        let (name, tracks) = read(br#"[{"title": "A", "artist": "B"}]"#).unwrap();
        assert_eq!((name, tracks.len()), (None, 1));
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e = parse(
            "{\"name\": \"x\",\n  \"tracks\": [\n    {\"title\": \"a\" \"artist\": \"b\"}\n  ]\n}",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(19)), "{e:?}");
        assert!(e.message.starts_with("expected"), "{}", e.message);
        let e = parse("\n\n  \"just a string\"").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse("{\"tracks\": [{\"title\": 5}]}").unwrap_err();
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }

    #[test]
    fn append_keeps_unknown_members_and_layout() {
        let original = "{\n  \"name\": \"Mix\",\n  \"note\": {\"by\": \"me\", \"x\": [1, \"]\"]},\n  \"tracks\": [\n    {\"title\": \"A\", \"artist\": \"B\", \"rating\": 5}\n  ],\n  \"z\": true\n}\n";
        let out = append(original.as_bytes(), "Mix", &[Track::new("C", "D")]).unwrap();
        let out = String::from_utf8(out).unwrap();
        let cut = original.find("\n  ],").unwrap();
        assert!(out.starts_with(&original[..cut]), "{out}");
        assert!(out.ends_with(&original[cut..]), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tracks"][0]["rating"], 5);
        assert_eq!(v["tracks"][1]["title"], "C");
        assert_eq!(v["note"]["x"][1], "]");
    }

    #[test]
    fn append_into_empty_array_missing_key_and_bare_array() {
        for doc in [
            "{\"name\": \"M\", \"tracks\": []}",
            "{\"name\": \"M\"}",
            "{}",
            "[]",
            "[{\"title\": \"Old\", \"artist\": \"O\"}]",
        ] {
            let out = append(
                doc.as_bytes(),
                "M",
                &[Track::new("A", "B"), Track::new("C", "D")],
            )
            .unwrap();
            let (_, tracks) = read(&out).unwrap();
            let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
            assert_eq!(
                titles[titles.len() - 2..],
                ["A", "C"],
                "{}",
                String::from_utf8_lossy(&out)
            );
        }
    }
}
