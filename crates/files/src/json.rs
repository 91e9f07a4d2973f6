//! musync's own JSON playlist: `{"name": "…", "tracks": [TRACK, …]}`, where
//! TRACK is the CLI contract's object (`title`, `artist`, `album`,
//! `duration_s`, `isrc`, `id`). A bare array of TRACKs reads too.
//!
//! Appending splices the new objects in after the last element of the
//! `tracks` array instead of re-serialising the document: members and track
//! fields musync does not model (notes another tool stored) and the file's
//! own layout stay exactly as they were. Removing rebuilds only the inside
//! of that array from the kept elements' own bytes, joined as the file
//! joins them, for the same reason.

use crate::error::Malformed;
use crate::model::{self as wire, JsonInsert};
use crate::text::Text;
use musync_core::Track;
use serde::Serialize;
use std::borrow::Borrow;

const JSON_HINT: &str = "fix the JSON there (a missing comma or quote, or a trailing comma, is typical); the layout is {\"name\": \"…\", \"tracks\": [{\"title\": \"…\", \"artist\": \"…\"}, …]}";

/// The JSON musync writes.
#[derive(Serialize)]
struct Out<'a> {
    name: &'a str,
    tracks: Vec<&'a Track>,
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
/// `starts` receives the offset of each element.
fn array_insert(b: &[u8], open: usize, starts: &mut Vec<usize>) -> Option<JsonInsert> {
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
        starts.push(i);
        i = skip_value(b, i)?;
        last_end = Some(i);
        i = skip_ws(b, i);
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

/// Where new tracks go in a document serde_json has already accepted;
/// `starts` receives the offset of each track.
fn find_insert(text: &str, starts: &mut Vec<usize>) -> Option<JsonInsert> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    if *b.get(start)? == b'[' {
        return array_insert(b, start, starts);
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
            return array_insert(b, i, starts);
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
    if let Some(index) = tracks.iter().position(|t| t.title.trim().is_empty()) {
        let mut starts = Vec::new();
        find_insert(text, &mut starts);
        let line = starts
            .get(index)
            .map_or(1, |&at| crate::error::line_of(text, at));
        return Err(Malformed::at(
            line,
            format!("track {} has no \"title\"", index + 1),
            "give every track a title: {\"title\": \"…\", \"artist\": \"…\"} (the artist may be left out)",
        ));
    }
    Ok(wire::Json { name, tracks })
}

/// Reads the tracks of JSON bytes.
pub(crate) fn read(text: &str) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let doc = parse(text)?;
    Ok((doc.name, doc.tracks))
}

/// A whole new JSON document.
pub(crate) fn render(name: &str, tracks: &[impl Borrow<Track>]) -> String {
    let tracks = tracks.iter().map(Borrow::borrow).collect();
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

/// True when the tracks array (`open..=close`) is written on one line and
/// the document as a whole has no line breaks in it: a compact file.
fn is_compact(text: &str, open: usize, close: usize, empty: bool) -> bool {
    if empty {
        !text.trim().contains('\n')
    } else {
        !text[open..close].contains('\n')
    }
}

/// The separator between compact elements: `, ` when the file puts a space
/// after its commas, else `,`.
fn compact_separator(text: &str) -> &'static str {
    if text.contains(", ") || text.contains(": ") {
        ", "
    } else {
        ","
    }
}

/// `track` on one line.
fn compact_json(track: &Track, sep: &str) -> String {
    let json = serde_json::to_string(track).expect("tracks always serialise to JSON");
    if sep == ", " {
        // serde_json writes no spaces; match a file that has them.
        spaced(&json)
    } else {
        json
    }
}

/// Compact JSON with a space after each `,` and `:` outside strings.
fn spaced(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        out.push(c);
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' || c == ':' {
            out.push(' ');
        }
    }
    out
}

/// The document's text with `tracks` spliced into its tracks array, in the
/// file's own style: pretty files get indented elements, compact files
/// (one line) get compact ones.
pub(crate) fn append(doc: &Text<'_>, tracks: &[impl Borrow<Track>]) -> Result<String, Malformed> {
    let text = doc.text();
    parse(text)?;
    // Only an append needs to know where the tracks array ends.
    let insert = find_insert(text, &mut Vec::new()).ok_or_else(|| {
        Malformed::whole("could not find the tracks array in the JSON", JSON_HINT)
    })?;
    let eol = doc.eol;
    let sep = compact_separator(text);
    let (start, end, insertion) = match insert {
        JsonInsert::IntoArray {
            open,
            close,
            last_end,
        } if is_compact(text, open, close, last_end.is_none()) => {
            let items: Vec<String> = tracks
                .iter()
                .map(|t| compact_json(t.borrow(), sep))
                .collect();
            match last_end {
                None => (open + 1, close, items.join(sep)),
                Some(after) => (after, after, format!("{sep}{}", items.join(sep))),
            }
        }
        JsonInsert::IntoArray {
            open,
            close,
            last_end,
        } => {
            let closing = indent_before(text, close);
            let item = format!("{closing}  ");
            let items: Vec<String> = tracks
                .iter()
                .map(|t| track_json(t.borrow(), &item, eol))
                .collect();
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
        JsonInsert::NewKey { close, last_end } if !text.trim().contains('\n') => {
            let items: Vec<String> = tracks
                .iter()
                .map(|t| compact_json(t.borrow(), sep))
                .collect();
            let colon = if sep == ", " { ": " } else { ":" };
            let array = format!("\"tracks\"{colon}[{}]", items.join(sep));
            match last_end {
                Some(after) => (after, after, format!("{sep}{array}")),
                None => (close, close, array),
            }
        }
        JsonInsert::NewKey { close, last_end } => {
            let closing = indent_before(text, close);
            let member = format!("{closing}  ");
            let item = format!("{member}  ");
            let items: Vec<String> = tracks
                .iter()
                .map(|t| track_json(t.borrow(), &item, eol))
                .collect();
            let body = items.join(&format!(",{eol}{item}"));
            let array = format!("\"tracks\": [{eol}{item}{body}{eol}{member}]");
            match last_end {
                Some(after) => (after, after, format!(",{eol}{member}{array}")),
                None => (close, close, format!("{eol}{member}{array}{eol}{closing}")),
            }
        }
    };
    let raw = doc.raw.as_ref();
    Ok([&raw[..start], &insertion, &raw[end..]].concat())
}

/// The document's text without the elements at `positions` (0-based,
/// distinct, in range) of its tracks array. The kept elements keep their
/// bytes and order and are joined by the file's own separator (the text
/// between its first two elements), so pretty files stay pretty and compact
/// ones compact; everything outside the array is untouched.
pub(crate) fn remove(doc: &Text<'_>, positions: &[usize]) -> Result<String, Malformed> {
    let text = doc.text();
    parse(text)?;
    let mut starts = Vec::new();
    let Some(JsonInsert::IntoArray { open, close, .. }) = find_insert(text, &mut starts) else {
        return Err(Malformed::whole(
            "could not find the tracks array in the JSON",
            JSON_HINT,
        ));
    };
    let b = text.as_bytes();
    let spans: Vec<(usize, usize)> = starts
        .iter()
        .map(|&at| skip_value(b, at).map(|end| (at, end)))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            Malformed::whole("could not find the end of a track in the JSON", JSON_HINT)
        })?;
    let raw = doc.raw.as_ref();
    let kept: Vec<&str> = spans
        .iter()
        .enumerate()
        .filter(|(i, _)| !positions.contains(i))
        .map(|(_, &(from, to))| &raw[from..to])
        .collect();
    let inside = match (spans.first(), spans.last()) {
        (Some(&(first, first_end)), Some(&(_, last_end))) if !kept.is_empty() => {
            let separator = spans
                .get(1)
                .map_or(",", |&(second, _)| &raw[first_end..second]);
            format!(
                "{}{}{}",
                &raw[open + 1..first],
                kept.join(separator),
                &raw[last_end..close]
            )
        }
        _ => String::new(),
    };
    Ok([&raw[..=open], &inside, &raw[close..]].concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decode;

    fn append_to(text: &str, tracks: &[Track]) -> String {
        append(&decode(text.as_bytes(), false).unwrap(), tracks).unwrap()
    }

    #[test]
    fn reads_name_and_tracks_or_a_bare_array() {
        let (name, tracks) = read(r#"{"name": "Mix", "tracks": [{"title": "Halo", "artist": "Beyonc\u00e9", "duration_s": 261}]}"#).unwrap();
        assert_eq!(name.as_deref(), Some("Mix"));
        assert_eq!(tracks[0].label(), "Beyoncé - Halo");
        assert_eq!(tracks[0].duration_s, Some(261));
        let (name, tracks) = read(r#"[{"title": "A", "artist": "B"}]"#).unwrap();
        assert_eq!((name, tracks.len()), (None, 1));
    }

    #[test]
    fn a_track_without_artist_reads_and_one_without_title_is_refused() {
        let (_, tracks) = read(r#"[{"title": "Intro"}]"#).unwrap();
        assert_eq!(
            (tracks[0].title.as_str(), tracks[0].artist.as_str()),
            ("Intro", "")
        );
        let e = parse(
            "{\"tracks\": [\n  {\"title\": \"A\", \"artist\": \"B\"},\n  {\"artist\": \"C\"}\n]}",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.message, "track 2 has no \"title\"");
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
        let out = append_to(original, &[Track::new("C", "D")]);
        let cut = original.find("\n  ],").unwrap();
        assert!(out.starts_with(&original[..cut]), "{out}");
        assert!(out.ends_with(&original[cut..]), "{out}");
        assert!(out.contains(",\n    {\n      \"title\": \"C\",\n"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tracks"][0]["rating"], 5);
        assert_eq!(v["tracks"][1]["title"], "C");
        assert_eq!(v["note"]["x"][1], "]");
    }

    #[test]
    fn compact_files_stay_compact() {
        let original = r#"{"name":"M","tracks":[{"title":"A","artist":"B"}]}"#;
        let out = append_to(original, &[Track::new("C, \"D\"", "E")]);
        assert!(!out.contains('\n'), "{out}");
        assert!(out.starts_with(r#"{"name":"M","tracks":[{"title":"A","artist":"B"},{"title":"C, \"D\"","artist":"E","#), "{out}");
        let spaced = r#"{"name": "M", "tracks": []}"#;
        let out = append_to(spaced, &[Track::new("A: x", "B"), Track::new("C", "D")]);
        assert!(
            out.starts_with(r#"{"name": "M", "tracks": [{"title": "A: x", "artist": "B", "#),
            "{out}"
        );
        assert!(out.contains(r#"}, {"title": "C""#), "{out}");
        let out = append_to(r#"{"name":"M"}"#, &[Track::new("A", "B")]);
        assert!(
            out.starts_with(r#"{"name":"M","tracks":[{"title":"A""#),
            "{out}"
        );
        for out in [&out, &append_to("[]", &[Track::new("A", "B")])] {
            assert!(!out.contains('\n'), "{out}");
            assert_eq!(read(out).unwrap().1[0].title, "A");
        }
    }

    #[test]
    fn append_into_empty_array_missing_key_and_bare_array() {
        for doc in [
            "{\"name\": \"M\", \"tracks\": []}",
            "{\"name\": \"M\"}",
            "{}",
            "[]",
            "[{\"title\": \"Old\", \"artist\": \"O\"}]",
            "{\n  \"name\": \"M\",\n  \"tracks\": []\n}",
            "{\n  \"name\": \"M\"\n}",
        ] {
            let out = append_to(doc, &[Track::new("A", "B"), Track::new("C", "D")]);
            let (_, tracks) = read(&out).unwrap();
            let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
            assert_eq!(titles[titles.len() - 2..], ["A", "C"], "{out}");
        }
    }

    fn remove_from(text: &str, positions: &[usize]) -> String {
        remove(&decode(text.as_bytes(), false).unwrap(), positions).unwrap()
    }

    const PRETTY: &str = "{\n  \"name\": \"Mix\",\n  \"note\": {\"by\": \"another tool\"},\n  \"tracks\": [\n    {\n      \"title\": \"A\",\n      \"artist\": \"X\",\n      \"mood\": \"calm\"\n    },\n    {\n      \"title\": \"B\",\n      \"artist\": \"Y\"\n    },\n    {\n      \"title\": \"A\",\n      \"artist\": \"X\"\n    }\n  ],\n  \"tail\": 1\n}\n";

    #[test]
    fn removal_from_a_pretty_file_keeps_its_layout_and_unknown_fields() {
        let out = remove_from(PRETTY, &[1]);
        assert_eq!(
            out,
            "{\n  \"name\": \"Mix\",\n  \"note\": {\"by\": \"another tool\"},\n  \"tracks\": [\n    {\n      \"title\": \"A\",\n      \"artist\": \"X\",\n      \"mood\": \"calm\"\n    },\n    {\n      \"title\": \"A\",\n      \"artist\": \"X\"\n    }\n  ],\n  \"tail\": 1\n}\n"
        );
        // One occurrence of a song listed twice: the other stays.
        let (_, tracks) = read(&remove_from(PRETTY, &[0])).unwrap();
        let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["B", "A"]);
        // The last one, and then all of them.
        let last = remove_from(PRETTY, &[2]);
        assert!(last.contains("\"artist\": \"Y\"\n    }\n  ],"), "{last}");
        assert_eq!(read(&last).unwrap().1.len(), 2);
        let none = remove_from(PRETTY, &[0, 1, 2]);
        assert!(none.contains("\"tracks\": [],\n  \"tail\": 1"), "{none}");
        assert!(read(&none).unwrap().1.is_empty());
    }

    #[test]
    fn removal_from_a_compact_file_or_bare_array_stays_compact() {
        let compact = r#"{"name":"M","tracks":[{"title":"A","artist":"X"},{"title":"B","artist":"Y"},{"title":"C","artist":"Z"}]}"#;
        assert_eq!(
            remove_from(compact, &[0, 2]),
            r#"{"name":"M","tracks":[{"title":"B","artist":"Y"}]}"#
        );
        let spaced = r#"[{"title": "A"}, {"title": "B"}, {"title": "C"}]"#;
        assert_eq!(
            remove_from(spaced, &[1]),
            r#"[{"title": "A"}, {"title": "C"}]"#
        );
    }
}
