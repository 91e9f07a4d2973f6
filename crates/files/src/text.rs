//! Bytes to text for every format: strips a UTF-8 BOM, refuses UTF-16 and
//! binary data with a clear message, and reads legacy Latin-1 `.m3u` files
//! (the format predates UTF-8; `.m3u8` exists to say "this one is UTF-8").

use crate::error::Malformed;
use std::borrow::Cow;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's text.
#[derive(Debug)]
pub(crate) struct Text<'a> {
    /// The content without BOM.
    pub text: Cow<'a, str>,
    /// Length of the BOM that preceded it (0 or 3 bytes).
    pub bom: usize,
    /// The file was not UTF-8 and was read as Latin-1.
    pub latin1: bool,
}

/// Decodes a playlist file. `allow_latin1` lets invalid UTF-8 fall back to
/// Latin-1 (for M3U); otherwise it is an error naming the line.
pub(crate) fn decode(bytes: &[u8], allow_latin1: bool) -> Result<Text<'_>, Malformed> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Malformed::whole(
            "the file is UTF-16 text; musync reads UTF-8",
            "save the file as UTF-8 (most editors offer this under \"Save as\" / encoding)",
        ));
    }
    let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &bytes[bom..];
    if let Some(nul) = body.iter().position(|&b| b == 0) {
        return Err(Malformed::at(
            line_at(body, nul),
            "contains a NUL byte: this is binary data, not a text playlist",
            "check that the path names a playlist file, not an audio file or archive",
        ));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Text {
            text: Cow::Borrowed(text),
            bom,
            latin1: false,
        }),
        Err(_) if allow_latin1 => Ok(Text {
            text: Cow::Owned(body.iter().map(|&b| char::from(b)).collect()),
            bom,
            latin1: true,
        }),
        Err(e) => Err(Malformed::at(
            line_at(body, e.valid_up_to()),
            "is not valid UTF-8 text",
            "save the file as UTF-8",
        )),
    }
}

/// 1-based line of byte `offset`.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// True when a file holds nothing but whitespace: an empty playlist.
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The line ending a file uses (`\r\n` if its first line ends so).
pub(crate) fn eol_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_counted() {
        let t = decode(b"\xEF\xBB\xBF#EXTM3U\n", false).unwrap();
        assert_eq!((t.text.as_ref(), t.bom, t.latin1), ("#EXTM3U\n", 3, false));
    }

    #[test]
    fn invalid_utf8_names_the_line_unless_latin1_is_allowed() {
        let bytes = b"a\nb\nCaf\xE9\n";
        let e = decode(bytes, false).unwrap_err();
        assert_eq!(e.line, Some(3));
        let t = decode(bytes, true).unwrap();
        assert!(t.latin1);
        assert_eq!(t.text, "a\nb\nCafé\n");
    }

    #[test]
    fn utf16_and_binary_are_refused() {
        assert!(
            decode(b"\xFF\xFEa\x00", true)
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        let e = decode(b"ID3\n\x00\x01", true).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("NUL"));
    }

    #[test]
    fn line_endings_follow_the_first_line() {
        assert_eq!(eol_of("a\r\nb\n"), "\r\n");
        assert_eq!(eol_of("a\nb\r\n"), "\n");
        assert_eq!(eol_of("a"), "\n");
    }
}
