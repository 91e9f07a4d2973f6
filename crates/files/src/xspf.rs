//! XSPF ("spiff") playlists: `<playlist version="1" xmlns="http://xspf.org/ns/0/">`
//! with a `<title>` and `<trackList>` of `<track>` elements (`location`,
//! `identifier`, `title`, `creator`, `album`, `duration` in milliseconds).
//!
//! ISRCs travel as `<identifier>isrc:…</identifier>`. Appending splices new
//! `<track>` elements in front of `</trackList>` and leaves every other byte
//! alone, so extensions, `<meta>`, comments and other tools' elements survive
//! (re-rendering would silently drop whatever musync does not model).
//! Removing cuts exactly the removed `<track>` elements (with their lines
//! when they stand alone) for the same reason.

use crate::convert;
use crate::error::{Malformed, line_of};
use crate::model::{self as wire, XspfInsert};
use crate::text::Text;
use musync_core::Track;
use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::borrow::Borrow;

const NAMESPACE: &str = "http://xspf.org/ns/0/";

const XML_HINT: &str =
    "fix the XML there (a missing closing tag or an unescaped '&' (write &amp;) is typical)";

/// A track field being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    PlaylistTitle,
    Location,
    Identifier,
    Title,
    Creator,
    Album,
    Duration,
}

/// What an open element is, as far as the parser cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Playlist,
    TrackList,
    Track,
    Other,
}

/// The element name at `offset` (which is `<`), for messages.
fn name_at(text: &str, offset: usize) -> &str {
    let rest = text.get(offset + 1..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    &rest[..end]
}

fn not_xspf(text: &str, at: usize) -> Malformed {
    Malformed::at(
        line_of(text, at),
        format!(
            "the top element is <{}>, not <playlist>: this is not an XSPF playlist",
            name_at(text, at)
        ),
        "an XSPF file starts with <playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">",
    )
}

/// Parses XSPF text (BOM already removed).
pub(crate) fn parse(text: &str) -> Result<wire::Xspf, Malformed> {
    let mut reader = Reader::from_str(text);
    // Open elements and the byte where each starts; no allocation per element.
    let mut stack: Vec<(Tag, usize)> = Vec::new();
    let mut title = None;
    let mut tracks = Vec::new();
    let mut current: Option<wire::XspfTrack> = None;
    let mut capture: Option<(Field, usize)> = None;
    let mut buf = String::new();
    let mut insert = None;
    let mut spans = Vec::new();
    let mut seen_root = false;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            Malformed::at(line_of(text, at), format!("broken XML: {e}"), XML_HINT)
        })?;
        match event {
            Event::Start(_) | Event::Empty(_) if stack.is_empty() && seen_root => {
                return Err(Malformed::at(
                    line_of(text, start),
                    "a second top-level element after </playlist>",
                    XML_HINT,
                ));
            }
            Event::Start(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                let depth = stack.len();
                let parent = stack.last().map(|&(t, _)| t);
                let tag = match (parent, name) {
                    (None, "playlist") => {
                        seen_root = true;
                        Tag::Playlist
                    }
                    (None, _) => return Err(not_xspf(text, start)),
                    (Some(Tag::Playlist), "title") => {
                        capture = Some((Field::PlaylistTitle, depth + 1));
                        Tag::Other
                    }
                    (Some(Tag::Playlist), "trackList") => Tag::TrackList,
                    (Some(Tag::TrackList), "track") => {
                        current = Some(wire::XspfTrack::default());
                        Tag::Track
                    }
                    (Some(Tag::Track), field) => {
                        capture = match field {
                            "location" => Some(Field::Location),
                            "identifier" => Some(Field::Identifier),
                            "title" => Some(Field::Title),
                            "creator" => Some(Field::Creator),
                            "album" => Some(Field::Album),
                            "duration" => Some(Field::Duration),
                            _ => None,
                        }
                        .map(|f| (f, depth + 1));
                        Tag::Other
                    }
                    _ => Tag::Other,
                };
                buf.clear();
                stack.push((tag, start));
            }
            Event::Empty(e) => {
                let local = e.local_name();
                let parent = stack.last().map(|&(t, _)| t);
                let end = reader.buffer_position() as usize;
                match (parent, local.as_ref()) {
                    (None, "playlist") => {
                        seen_root = true;
                        insert = Some(XspfInsert::EmptyPlaylist { start, end });
                    }
                    (None, _) => return Err(not_xspf(text, start)),
                    (Some(Tag::Playlist), "trackList") => {
                        insert = Some(XspfInsert::ReplaceEmptyTrackList { start, end });
                    }
                    (Some(Tag::TrackList), "track") => {
                        tracks.push(wire::XspfTrack::default());
                        spans.push((start, end));
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                let depth = stack.len();
                let (tag, opened) = stack.pop().unwrap_or((Tag::Other, 0));
                if let Some((field, at)) = capture
                    && at == depth
                {
                    capture = None;
                    let value = buf.trim();
                    if !value.is_empty() {
                        store(field, value, &mut title, current.as_mut(), || {
                            line_of(text, start)
                        })?;
                    }
                }
                match tag {
                    Tag::Track => {
                        tracks.extend(current.take());
                        spans.push((opened, reader.buffer_position() as usize));
                    }
                    Tag::TrackList => {
                        let before = &text[..start];
                        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                        let indent = &before[line_start..];
                        let indent = if indent.trim().is_empty() { indent } else { "" };
                        insert = Some(XspfInsert::BeforeTrackListEnd {
                            offset: start,
                            indent: indent.to_owned(),
                        });
                    }
                    Tag::Playlist if insert.is_none() => {
                        insert = Some(XspfInsert::BeforePlaylistEnd { offset: start });
                    }
                    _ => {}
                }
            }
            Event::Text(t) if capture.is_some() => buf.push_str(&t.xml10_content()),
            Event::CData(t) if capture.is_some() => buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = r.resolve_char_ref().ok().flatten();
                let predefined = resolve_predefined_entity(&r);
                match (resolved, predefined) {
                    (Some(c), _) if capture.is_some() => buf.push(c),
                    (None, Some(s)) if capture.is_some() => buf.push_str(s),
                    (Some(_), _) | (None, Some(_)) => {}
                    (None, None) => {
                        return Err(Malformed::at(
                            line_of(text, start),
                            format!("unknown XML entity &{};", &*r),
                            "write a literal '&' as &amp;; XSPF files define no other named entities",
                        ));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(&(_, at)) = stack.last() {
        return Err(Malformed::at(
            line_of(text, text.trim_end().len()),
            format!(
                "the file ends before <{}> (opened on line {}) is closed",
                name_at(text, at),
                line_of(text, at)
            ),
            XML_HINT,
        ));
    }
    let insert = insert.ok_or_else(|| {
        Malformed::at(
            1,
            "no <playlist> element: this is not an XSPF playlist",
            "an XSPF file starts with <playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">",
        )
    })?;
    Ok(wire::Xspf {
        title,
        tracks,
        spans,
        insert,
    })
}

/// Stores a finished field's text.
fn store(
    field: Field,
    value: &str,
    title: &mut Option<String>,
    track: Option<&mut wire::XspfTrack>,
    line: impl Fn() -> usize,
) -> Result<(), Malformed> {
    if field == Field::PlaylistTitle {
        *title = Some(value.to_owned());
        return Ok(());
    }
    let Some(track) = track else {
        return Ok(());
    };
    let value = value.to_owned();
    match field {
        Field::Location => {
            track.location.get_or_insert(value);
        }
        Field::Identifier => track.identifiers.push(value),
        Field::Title => track.title = Some(value),
        Field::Creator => track.creator = Some(value),
        Field::Album => track.album = Some(value),
        Field::Duration => match value.parse::<f64>() {
            Ok(ms) if ms.is_finite() && ms >= 0.0 => track.duration_ms = Some(ms.round() as u64),
            _ => {
                return Err(Malformed::at(
                    line(),
                    format!("<duration> '{value}' is not a number of milliseconds"),
                    "write the track length in whole milliseconds, e.g. <duration>215000</duration>",
                ));
            }
        },
        Field::PlaylistTitle => {}
    }
    Ok(())
}

/// Reads the tracks of XSPF bytes.
pub(crate) fn read(text: &str) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let doc = parse(text)?;
    let tracks = doc.tracks.into_iter().map(convert::xspf_to_track).collect();
    Ok((doc.title, tracks))
}

/// The document's text without the `<track>` elements at `positions`
/// (0-based, distinct, in range); every other byte is kept.
pub(crate) fn remove(doc: &Text<'_>, positions: &[usize]) -> Result<String, Malformed> {
    let parsed = parse(doc.text())?;
    let spans: Vec<(usize, usize)> = parsed
        .spans
        .iter()
        .enumerate()
        .filter(|(i, _)| positions.contains(i))
        .map(|(_, &span)| span)
        .collect();
    Ok(crate::text::cut(&doc.raw, &spans))
}

/// Text XML 1.0 can hold: control characters other than tab and line
/// breaks are not allowed anywhere in a document.
fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let clean: String = s
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        std::borrow::Cow::Owned(escape(clean).into_owned())
    } else {
        escape(s)
    }
}

/// `<track>` elements for `tracks`, each line prefixed by `indent`.
fn push_tracks(out: &mut String, tracks: &[impl Borrow<Track>], indent: &str, eol: &str) {
    let inner = format!("{indent}  ");
    for t in tracks.iter().map(Borrow::borrow) {
        out.push_str(&format!("{indent}<track>{eol}"));
        let mut element = |name: &str, value: &str| {
            out.push_str(&format!("{inner}<{name}>{}</{name}>{eol}", xml_text(value)));
        };
        match t.id.as_ref().map(|i| i.0.as_str()) {
            Some(id) if convert::is_path_or_url(id) => element("location", id),
            Some(id) if !id.is_empty() => element("identifier", id),
            _ => {}
        }
        if let Some(isrc) = &t.isrc {
            element("identifier", &format!("isrc:{isrc}"));
        }
        element("title", &t.title);
        if !t.artist.is_empty() {
            element("creator", &t.artist);
        }
        if let Some(album) = &t.album {
            element("album", album);
        }
        if let Some(s) = t.duration_s {
            element("duration", &(u64::from(s) * 1000).to_string());
        }
        out.push_str(&format!("{indent}</track>{eol}"));
    }
}

/// A whole new XSPF document.
pub(crate) fn render(name: &str, tracks: &[impl Borrow<Track>]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<playlist version=\"1\" xmlns=\"",
    );
    out.push_str(NAMESPACE);
    out.push_str("\">\n");
    if !name.trim().is_empty() {
        out.push_str(&format!("  <title>{}</title>\n", xml_text(name.trim())));
    }
    out.push_str("  <trackList>\n");
    push_tracks(&mut out, tracks, "    ", "\n");
    out.push_str("  </trackList>\n</playlist>\n");
    out
}

/// The document's text with `tracks` spliced in, every other byte kept.
pub(crate) fn append(
    doc_text: &Text<'_>,
    tracks: &[impl Borrow<Track>],
) -> Result<String, Malformed> {
    let text = doc_text.text();
    let doc = parse(text)?;
    let eol = doc_text.eol;
    let (start, end, insertion) = match doc.insert {
        XspfInsert::BeforeTrackListEnd { offset, indent } => {
            let mut s = String::new();
            // The closing tag may share its line with the last track.
            let at_line_start = text[..offset].ends_with('\n') || !indent.is_empty();
            if !at_line_start {
                s.push_str(eol);
            }
            push_tracks(&mut s, tracks, &format!("{indent}  "), eol);
            // Re-indent the closing tag, whose own indent now precedes our first track.
            s.push_str(&indent);
            let offset_line_start = offset - indent.len();
            (offset_line_start, offset, s)
        }
        XspfInsert::ReplaceEmptyTrackList { start, end } => {
            let mut s = format!("<trackList>{eol}");
            push_tracks(&mut s, tracks, "    ", eol);
            s.push_str("  </trackList>");
            (start, end, s)
        }
        XspfInsert::EmptyPlaylist { start, end } => {
            // `<playlist/>` holds nothing else to keep.
            let mut s =
                format!("<playlist version=\"1\" xmlns=\"{NAMESPACE}\">{eol}  <trackList>{eol}");
            push_tracks(&mut s, tracks, "    ", eol);
            s.push_str(&format!("  </trackList>{eol}</playlist>"));
            (start, end, s)
        }
        XspfInsert::BeforePlaylistEnd { offset } => {
            let mut s = format!("  <trackList>{eol}");
            push_tracks(&mut s, tracks, "    ", eol);
            s.push_str(&format!("  </trackList>{eol}"));
            if !text[..offset].ends_with('\n') {
                s.insert_str(0, eol);
            }
            (offset, offset, s)
        }
    };
    // Offsets found in the parser's text fit the stored text (same length).
    let raw = doc_text.raw.as_ref();
    Ok([&raw[..start], &insertion, &raw[end..]].concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decode;
    use musync_core::TrackId;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <title>Chill &amp; Calm</title>
  <trackList>
    <track>
      <location>file:///music/hoppipolla.flac</location>
      <identifier>isrc:GBAAA0700001</identifier>
      <title>Hoppípolla</title>
      <creator>Sigur Rós</creator>
      <album>Takk...</album>
      <duration>268000</duration>
      <extension application="http://example.test/app"><x:rating xmlns:x="urn:x">5</x:rating></extension>
    </track>
    <track>
      <identifier>spotify:track:abc</identifier>
      <title><![CDATA[Rock & Roll]]></title>
      <creator>Led Zeppelin</creator>
    </track>
  </trackList>
</playlist>
"#;

    #[test]
    fn reads_title_fields_isrc_and_ids() {
        let (name, tracks) = read(SAMPLE).unwrap();
        assert_eq!(name.as_deref(), Some("Chill & Calm"));
        assert_eq!(tracks.len(), 2);
        let t = &tracks[0];
        assert_eq!(t.label(), "Sigur Rós - Hoppípolla");
        assert_eq!(t.album.as_deref(), Some("Takk..."));
        assert_eq!(t.duration_s, Some(268));
        assert_eq!(t.isrc.as_deref(), Some("GBAAA0700001"));
        assert_eq!(t.id, Some(TrackId("file:///music/hoppipolla.flac".into())));
        assert_eq!(tracks[1].title, "Rock & Roll");
        assert_eq!(tracks[1].id, Some(TrackId("spotify:track:abc".into())));
    }

    #[test]
    fn broken_xml_names_the_line() {
        let broken = SAMPLE.replace("</creator>\n      <album>", "\n      <album>");
        let e = parse(&broken).unwrap_err();
        assert!(e.message.starts_with("broken XML"), "{}", e.message);
        // Found where the parser meets `</track>` while <creator> is still open.
        assert_eq!(e.line, Some(13), "{}", e.message);
        assert!(e.message.contains("expected `</creator>`"), "{}", e.message);
        let e = parse(&SAMPLE.replace("Chill &amp; Calm", "Chill & Calm")).unwrap_err();
        assert_eq!(e.line, Some(3), "{}", e.message);
        let e = parse("<playlist>\n<trackList>\n").unwrap_err();
        assert!(e.message.contains("ends before"), "{}", e.message);
        let e = parse("<html></html>").unwrap_err();
        assert!(e.message.contains("not an XSPF"), "{}", e.message);
        let e = parse(&SAMPLE.replace("268000", "4:28")).unwrap_err();
        assert_eq!(e.line, Some(11));
    }

    #[test]
    fn append_splices_before_the_closing_tag_and_keeps_the_rest() {
        let out = append(
            &decode(SAMPLE.as_bytes(), false).unwrap(),
            &[Track::new("Joga", "Björk").with_isrc("GBAAA9700001")],
        )
        .unwrap();
        let (before, after) = SAMPLE.split_at(SAMPLE.find("  </trackList>").unwrap());
        assert!(out.starts_with(before));
        assert!(out.ends_with(after));
        assert!(out.contains("    <track>\n      <identifier>isrc:GBAAA9700001</identifier>\n      <title>Joga</title>\n      <creator>Björk</creator>\n    </track>\n  </trackList>"), "{out}");
        let (_, tracks) = read(&out).unwrap();
        assert_eq!(tracks.len(), 3);
        assert_eq!(tracks[2].isrc.as_deref(), Some("GBAAA9700001"));
    }

    #[test]
    fn append_into_empty_or_missing_track_lists() {
        for doc in [
            "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><title>T</title><trackList/></playlist>",
            "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n  <title>T</title>\n</playlist>\n",
            "<playlist/>",
            "<playlist><trackList><track><title>old</title></track></trackList></playlist>",
            "<playlist>\r\n <trackList>\r\n  <track><title>old</title></track></trackList>\r\n</playlist>",
        ] {
            let out = append(
                &decode(doc.as_bytes(), false).unwrap(),
                &[Track::new("a <&> b", "c")],
            )
            .unwrap();
            let (_, tracks) = read(&out).unwrap();
            let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
            let want: &[&str] = if doc.contains("old") {
                &["old", "a <&> b"]
            } else {
                &["a <&> b"]
            };
            assert_eq!(titles, want, "{out}");
            assert!(out.starts_with(&doc[..doc.find("<trackList").unwrap_or(0)]));
        }
    }

    #[test]
    fn location_only_tracks_are_named_after_their_decoded_file() {
        let (_, tracks) = read("<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList>\n<track><location>file:///m/Sigur%20R%C3%B3s%20-%20Hopp%C3%ADpolla.flac</location></track>\n<track><location>http://x.test/Intro.ogg</location><creator>Me</creator></track>\n</trackList></playlist>").unwrap();
        assert_eq!(
            (tracks[0].artist.as_str(), tracks[0].title.as_str()),
            ("Sigur Rós", "Hoppípolla")
        );
        assert_eq!(
            tracks[0].id,
            Some(TrackId(
                "file:///m/Sigur%20R%C3%B3s%20-%20Hopp%C3%ADpolla.flac".into()
            ))
        );
        // A creator of its own: the file name does not replace it.
        assert_eq!(
            (tracks[1].artist.as_str(), tracks[1].title.as_str()),
            ("Me", "")
        );
    }

    #[test]
    fn render_escapes_and_reads_back() {
        let t = Track::new("Déjà <Vu> & \"Co\"", "Beyoncé")
            .with_album("B'Day")
            .with_duration_s(240)
            .with_isrc("USSM10601234")
            .with_id("/m/a.mp3");
        let doc = render("Mix & Match", std::slice::from_ref(&t));
        let (name, tracks) = read(&doc).unwrap();
        assert_eq!(name.as_deref(), Some("Mix & Match"));
        assert_eq!(tracks, vec![t]);
    }

    fn remove_from(text: &str, positions: &[usize]) -> String {
        remove(&decode(text.as_bytes(), false).unwrap(), positions).unwrap()
    }

    #[test]
    fn removal_cuts_track_elements_and_keeps_everything_else() {
        let doc = "<?xml version=\"1.0\"?>\r\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\r\n  <title>Mix</title>\r\n  <meta rel=\"x\">kept</meta>\r\n  <!-- a comment -->\r\n  <trackList>\r\n    <track><title>A</title><extension application=\"x\"><y/></extension></track>\r\n    <track>\r\n      <title>B</title>\r\n    </track>\r\n    <track/>\r\n    <track><title>A</title></track>\r\n  </trackList>\r\n</playlist>\r\n";
        assert_eq!(
            remove_from(doc, &[1, 2]),
            "<?xml version=\"1.0\"?>\r\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\r\n  <title>Mix</title>\r\n  <meta rel=\"x\">kept</meta>\r\n  <!-- a comment -->\r\n  <trackList>\r\n    <track><title>A</title><extension application=\"x\"><y/></extension></track>\r\n    <track><title>A</title></track>\r\n  </trackList>\r\n</playlist>\r\n"
        );
        let (_, tracks) = read(&remove_from(doc, &[0])).unwrap();
        let titles: Vec<&str> = tracks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["B", "", "A"]);
        // Several tracks on one line: only the elements go.
        let one_line = "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList><track><title>A</title></track><track><title>B</title></track></trackList></playlist>";
        assert_eq!(
            remove_from(one_line, &[0]),
            "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList><track><title>B</title></track></trackList></playlist>"
        );
    }
}
