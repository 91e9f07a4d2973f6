//! Bytes to text and back for every format.
//!
//! Decoding strips a UTF-8 BOM, decodes UTF-16 (LE or BE, with its BOM, as
//! VLC and Windows players write it), refuses binary data with a clear
//! message, and reads legacy Latin-1 `.m3u` files (the format predates
//! UTF-8). Old Mac files end lines with a lone CR: parsers see a copy where
//! each lone CR is a LF (same length, so byte offsets still fit the
//! original), and appends write the file's own line ending.
//! [`Encoding::encode`] turns a changed text back into the file's encoding.
//! [`cut`] removes byte ranges (entries) from a text, taking their lines
//! with them when they stand alone, for removals that keep every other byte.

use crate::error::Malformed;
use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest line a line-based format (M3U, CSV) may have. Longer lines
/// are not playlists (a binary or minified file with the wrong extension),
/// and refusing them bounds the work per line.
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// How a file's text was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, with (`bom: true`) or without a BOM.
    Utf8 { bom: bool },
    /// UTF-16 little-endian with a BOM.
    Utf16Le,
    /// UTF-16 big-endian with a BOM.
    Utf16Be,
    /// Not UTF-8, read as Latin-1 (`.m3u` only).
    Latin1,
}

impl Encoding {
    /// `text` in this encoding, BOM included. Latin-1 is never written
    /// (appends refuse it), so it falls back to UTF-8.
    pub(crate) fn encode(self, text: String) -> Vec<u8> {
        match self {
            Encoding::Utf8 { bom: true } => [UTF8_BOM, text.as_bytes()].concat(),
            // Taken, not copied: a million-row file is written from this buffer.
            Encoding::Utf8 { bom: false } | Encoding::Latin1 => text.into_bytes(),
            Encoding::Utf16Le => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_le_bytes)
                .collect(),
            Encoding::Utf16Be => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_be_bytes)
                .collect(),
        }
    }

    /// `text` in this encoding without a BOM: what follows a file's own
    /// bytes, which already start with one.
    pub(crate) fn encode_tail(self, text: String) -> Vec<u8> {
        match self {
            Encoding::Utf8 { .. } | Encoding::Latin1 => text.into_bytes(),
            Encoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Encoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        }
    }
}

/// `raw` without the byte ranges `spans` (sorted, not overlapping). A range
/// that is alone on its lines (only blanks before it on its first line and
/// after it on its last) takes those whole lines with it, line break
/// included, so no blank line is left where an entry was; any other byte of
/// `raw` is kept.
pub(crate) fn cut(raw: &str, spans: &[(usize, usize)]) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut kept_from = 0;
    for &(start, end) in spans {
        let line_start = raw[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line_end = raw[end..].find(['\n', '\r']).map_or(raw.len(), |i| end + i);
        let alone =
            raw[line_start..start].trim().is_empty() && raw[end..line_end].trim().is_empty();
        let (from, to) = if alone {
            let mut to = line_end;
            if b.get(to) == Some(&b'\r') {
                to += 1;
            }
            if b.get(to) == Some(&b'\n') {
                to += 1;
            }
            (line_start, to)
        } else {
            (start, end)
        };
        let from = from.max(kept_from);
        out.push_str(&raw[kept_from..from]);
        kept_from = to.max(kept_from);
    }
    out.push_str(&raw[kept_from..]);
    out
}

/// A file's text.
#[derive(Debug)]
pub(crate) struct Text<'a> {
    /// The content as stored (without BOM), for appends to copy.
    pub raw: Cow<'a, str>,
    /// `raw` with each lone CR turned into LF, when it has any.
    normalised: Option<String>,
    /// How it was stored.
    pub encoding: Encoding,
    /// The line ending new lines get: the file's first one.
    pub eol: &'static str,
}

/// Decodes a playlist file. `allow_latin1` lets invalid UTF-8 fall back to
/// Latin-1 (for M3U); otherwise it is an error naming the line.
pub(crate) fn decode(bytes: &[u8], allow_latin1: bool) -> Result<Text<'_>, Malformed> {
    let (raw, encoding): (Cow<'_, str>, Encoding) =
        if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
            (
                Cow::Owned(utf16(body, u16::from_le_bytes)?),
                Encoding::Utf16Le,
            )
        } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
            (
                Cow::Owned(utf16(body, u16::from_be_bytes)?),
                Encoding::Utf16Be,
            )
        } else {
            let bom = bytes.starts_with(UTF8_BOM);
            let body = if bom { &bytes[UTF8_BOM.len()..] } else { bytes };
            if let Some(nul) = body.iter().position(|&b| b == 0) {
                return Err(binary(body, nul));
            }
            match std::str::from_utf8(body) {
                Ok(text) => (Cow::Borrowed(text), Encoding::Utf8 { bom }),
                Err(_) if allow_latin1 => (
                    Cow::Owned(body.iter().map(|&b| char::from(b)).collect()),
                    Encoding::Latin1,
                ),
                Err(e) => {
                    return Err(Malformed::at(
                        line_at(body, e.valid_up_to()),
                        "is not valid UTF-8 text",
                        "save the file as UTF-8",
                    ));
                }
            }
        };
    if matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be)
        && let Some(nul) = raw.find('\0')
    {
        return Err(binary(raw.as_bytes(), nul));
    }
    let eol = eol_of(&raw);
    let normalised = lone_cr_to_lf(&raw);
    Ok(Text {
        raw,
        normalised,
        encoding,
        eol,
    })
}

impl Text<'_> {
    /// The content parsers read: line breaks are LF or CRLF only, and byte
    /// offsets are those of [`Text::raw`].
    pub(crate) fn text(&self) -> &str {
        self.normalised.as_deref().unwrap_or(&self.raw)
    }
}

fn binary(bytes: &[u8], nul: usize) -> Malformed {
    Malformed::at(
        line_at(bytes, nul),
        "contains a NUL byte: this is binary data, not a text playlist",
        "check that the path names a playlist file, not an audio file or archive",
    )
}

/// UTF-16 code units (after the BOM) as text; unpaired surrogates or an odd
/// byte count are an error naming the line.
fn utf16(body: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Malformed> {
    let units = body.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let mut out = String::with_capacity(body.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(Malformed::at(
                    line_at(out.as_bytes(), out.len()),
                    "is not valid UTF-16 text (an unpaired surrogate)",
                    "save the file as UTF-8",
                ));
            }
        }
    }
    if !body.len().is_multiple_of(2) {
        return Err(Malformed::at(
            line_at(out.as_bytes(), out.len()),
            "UTF-16 text ends in the middle of a character (odd number of bytes)",
            "the file is cut short; save it again, as UTF-8 if you can",
        ));
    }
    Ok(out)
}

/// `text` with every CR that is not followed by LF replaced by LF, or
/// `None` when it has no such CR.
fn lone_cr_to_lf(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return None;
    }
    let mut out = b.to_vec();
    for (i, c) in out.iter_mut().enumerate() {
        if *c == b'\r' && b.get(i + 1) != Some(&b'\n') {
            *c = b'\n';
        }
    }
    Some(String::from_utf8(out).expect("replacing ASCII CR by LF keeps UTF-8"))
}

/// 1-based line of byte `offset`.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// True when a file holds nothing but whitespace: an empty playlist.
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The line ending a file uses: its first one (`\r\n`, a lone `\r`, or `\n`).
pub(crate) fn eol_of(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text.as_bytes()[i] == b'\r' => {
            if text.as_bytes().get(i + 1) == Some(&b'\n') {
                "\r\n"
            } else {
                "\r"
            }
        }
        _ => "\n",
    }
}

/// Refuses a line longer than [`MAX_LINE_BYTES`] (for line-based formats;
/// `text` has LF line breaks only).
pub(crate) fn check_line_lengths(text: &str) -> Result<(), Malformed> {
    if text.len() <= MAX_LINE_BYTES {
        return Ok(());
    }
    for (number, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(Malformed::at(
                number + 1,
                format!(
                    "this line is {} bytes long; musync reads lines of up to 1 MiB in M3U and CSV files",
                    line.len()
                ),
                "check that the file is a playlist (not an audio file, archive or another format with the wrong extension)",
            ));
        }
    }
    Ok(())
}

/// What to write after `raw` so that `added` starts on a line of its own.
/// Neither is copied: the file's own bytes are written as they are, and
/// `added` (a million rows can be tens of MB) gets at most a line break
/// put in front.
pub(crate) fn tail_after(raw: &str, eol: &str, mut added: String) -> String {
    if !raw.ends_with(['\n', '\r']) {
        added.insert_str(0, eol);
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_remembered() {
        let t = decode(b"\xEF\xBB\xBF#EXTM3U\n", false).unwrap();
        assert_eq!(t.text(), "#EXTM3U\n");
        assert_eq!(t.encoding, Encoding::Utf8 { bom: true });
        assert_eq!(t.encoding.encode("x".to_owned()), b"\xEF\xBB\xBFx");
    }

    #[test]
    fn invalid_utf8_names_the_line_unless_latin1_is_allowed() {
        let bytes = b"a\nb\nCaf\xE9\n";
        let e = decode(bytes, false).unwrap_err();
        assert_eq!(e.line, Some(3));
        let t = decode(bytes, true).unwrap();
        assert_eq!(t.encoding, Encoding::Latin1);
        assert_eq!(t.text(), "a\nb\nCafé\n");
    }

    #[test]
    fn utf16_with_a_bom_decodes_and_encodes_back_byte_for_byte() {
        for (bom, unit) in [
            (&b"\xFF\xFE"[..], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            (&b"\xFE\xFF"[..], u16::to_be_bytes),
        ] {
            let text = "#EXTM3U\r\n#EXTINF:1,Sigur Rós - Hoppípolla 🎵\r\nx.flac\r\n";
            let mut bytes = bom.to_vec();
            bytes.extend(text.encode_utf16().flat_map(unit));
            let t = decode(&bytes, false).unwrap();
            assert_eq!(t.text(), text);
            assert_eq!(t.eol, "\r\n");
            assert_eq!(t.encoding.encode(t.raw.to_string()), bytes);
        }
        // A lone surrogate, and a cut-off last byte.
        let e = decode(b"\xFF\xFEa\x00\n\x00\x00\xD8", false).unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        assert!(e.message.contains("UTF-16"), "{}", e.message);
        let e = decode(b"\xFF\xFEa\x00b", false).unwrap_err();
        assert!(e.message.contains("odd number of bytes"), "{}", e.message);
    }

    #[test]
    fn binary_is_refused_naming_the_line() {
        let e = decode(b"ID3\n\x00\x01", true).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("NUL"));
        let e = decode(b"\xFF\xFEa\x00\n\x00\x00\x00", true).unwrap_err();
        assert!(e.message.contains("NUL"));
    }

    #[test]
    fn lone_cr_becomes_lf_for_parsers_and_stays_in_raw() {
        let t = decode(b"a\rb\r\nc\r", false).unwrap();
        assert_eq!(t.text(), "a\nb\r\nc\n");
        assert_eq!(t.raw, "a\rb\r\nc\r");
        assert_eq!(t.eol, "\r");
        assert_eq!(t.text().len(), t.raw.len());
    }

    #[test]
    fn line_endings_follow_the_first_line() {
        assert_eq!(eol_of("a\r\nb\n"), "\r\n");
        assert_eq!(eol_of("a\nb\r\n"), "\n");
        assert_eq!(eol_of("a\rb"), "\r");
        assert_eq!(eol_of("a"), "\n");
    }

    #[test]
    fn overlong_lines_are_refused_naming_the_line() {
        let text = format!("ok\n{}\n", "x".repeat(MAX_LINE_BYTES + 1));
        let e = check_line_lengths(&text).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("1 MiB"), "{}", e.message);
        let fine = format!("{}\n{}", "x".repeat(MAX_LINE_BYTES), "y".repeat(10));
        check_line_lengths(&fine).unwrap();
    }

    #[test]
    fn cut_takes_lone_entries_with_their_lines_and_others_exactly() {
        let raw = "a\n  <t/>\nb <t/> c\r\n  <t/>";
        let at = |needle: &str, from: usize| raw[from..].find(needle).unwrap() + from;
        let first = at("<t/>", 0);
        let second = at("<t/>", first + 1);
        let third = at("<t/>", second + 1);
        let spans = [(first, first + 4), (second, second + 4), (third, third + 4)];
        assert_eq!(cut(raw, &spans), "a\nb  c\r\n");
        assert_eq!(cut(raw, &[]), raw);
    }
}
