//! CSV playlists with the column names of Exportify, the popular Spotify
//! exporter: `Track URI`, `Track Name`, `Artist Name(s)`, `Album Name`,
//! `Duration (ms)` (older exports: `Track Duration (ms)`), `ISRC`, plus any
//! other columns, which are kept.
//!
//! Reading is one pass of the `csv` crate over the file in memory with one
//! reused record, after a byte-level quoting check: the `csv` crate accepts
//! an unterminated quote (swallowing the rest of the file into one cell),
//! and that must be an error naming the line instead. Appending writes new
//! rows after the last byte in the file's own delimiter, line ending and
//! quoting, with empty cells for columns musync does not know.

use crate::convert;
use crate::error::{Malformed, line_of};
use crate::model::{self as wire, CSV_HEADER, CsvColumns, CsvDialect};
use crate::text;
use musync_core::Track;

const QUOTE_HINT: &str = "a quoted cell must end with a quote followed by the delimiter or the end of the line; write a quote inside a quoted cell as two quotes (\"\")";

/// Guesses the delimiter and style from the header line.
fn dialect(text: &str) -> CsvDialect {
    let header = text.lines().next().unwrap_or("");
    let count = |d: char| header.matches(d).count();
    let delimiter = [(',', count(',')), (';', count(';')), ('\t', count('\t'))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == ','))
        .map_or(b',', |(d, _)| d as u8);
    CsvDialect {
        delimiter,
        crlf: text::eol_of(text) == "\r\n",
        quote_all: header.starts_with('"'),
    }
}

/// Checks RFC 4180 quoting: every quoted cell is closed, and only a
/// delimiter or a line break follows its closing quote. A quote inside an
/// unquoted cell is a literal character, as for the `csv` crate.
///
/// It jumps from one interesting byte to the next and counts lines only
/// when it has an error to report, so it costs little next to parsing.
fn check_quoting(text: &str, delimiter: u8) -> Result<(), Malformed> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // `i` is at the start of a cell.
        if bytes[i] == b'"' {
            let opened = i;
            i += 1;
            loop {
                let Some(q) = bytes[i..].iter().position(|&b| b == b'"') else {
                    return Err(Malformed::at(
                        line_of(text, opened),
                        "a quoted cell starts here and is never closed",
                        QUOTE_HINT,
                    ));
                };
                i += q + 1;
                if bytes.get(i) == Some(&b'"') {
                    i += 1; // an escaped quote inside the cell
                } else {
                    break;
                }
            }
            match bytes.get(i) {
                None | Some(b'\r' | b'\n') => {}
                Some(&d) if d == delimiter => {}
                Some(_) => {
                    return Err(Malformed::at(
                        line_of(text, i),
                        "text follows the closing quote of a quoted cell",
                        QUOTE_HINT,
                    ));
                }
            }
        }
        // Skip the rest of the cell to the byte after the next delimiter or line break.
        match bytes[i..]
            .iter()
            .position(|&b| b == delimiter || b == b'\n')
        {
            Some(p) => i += p + 1,
            None => break,
        }
    }
    Ok(())
}

/// Finds musync's columns in the header, case-insensitively.
fn columns(header: &::csv::StringRecord) -> Result<CsvColumns, Malformed> {
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let name = find(&["Track Name"]);
    let artists = find(&["Artist Name(s)"]);
    let (Some(name), Some(artists)) = (name, artists) else {
        let missing: Vec<&str> = [("Track Name", name), ("Artist Name(s)", artists)]
            .into_iter()
            .filter(|(_, found)| found.is_none())
            .map(|(n, _)| n)
            .collect();
        let found: Vec<String> = header.iter().map(|h| format!("'{}'", h.trim())).collect();
        return Err(Malformed::at(
            1,
            format!(
                "missing column{} {} (columns found: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing
                    .iter()
                    .map(|m| format!("'{m}'"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                if found.is_empty() {
                    "none".to_owned()
                } else {
                    found.join(", ")
                }
            ),
            "the first row must name the columns, with at least 'Track Name' and 'Artist Name(s)' (Exportify's names); rename the matching columns",
        ));
    };
    Ok(CsvColumns {
        uri: find(&["Track URI"]),
        name,
        artists,
        album: find(&["Album Name"]),
        duration_ms: find(&["Duration (ms)", "Track Duration (ms)"]),
        isrc: find(&["ISRC"]),
        width: header.len(),
    })
}

/// Turns a `csv` crate error into one naming the line.
fn csv_error(err: ::csv::Error) -> Malformed {
    let line = err
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Malformed::at(
            line,
            format!("this row has {len} cells but the header has {expected_len}"),
            "give every row as many cells as the header has columns (check for a missing or extra delimiter, or a stray quote)",
        ),
        _ => Malformed::at(line, format!("unreadable CSV: {err}"), QUOTE_HINT),
    }
}

/// Parses CSV text (BOM already removed).
pub(crate) fn parse(text: &str) -> Result<wire::Csv, Malformed> {
    let dialect = dialect(text);
    check_quoting(text, dialect.delimiter)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns = columns(reader.headers().map_err(csv_error)?)?;
    let mut tracks = Vec::new();
    let mut record = ::csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        tracks.push(convert::csv_row_to_track(&record, &columns, line)?);
    }
    Ok(wire::Csv {
        columns,
        dialect,
        tracks,
    })
}

/// Reads the tracks of CSV bytes (CSV has no playlist title).
pub(crate) fn read(bytes: &[u8]) -> Result<(Option<String>, Vec<Track>), Malformed> {
    let decoded = text::decode(bytes, false)?;
    if text::is_blank(&decoded.text) {
        return Ok((None, Vec::new()));
    }
    Ok((None, parse(&decoded.text)?.tracks))
}

/// Rows for `tracks` in `dialect`, under `columns`.
fn rows(tracks: &[Track], columns: &CsvColumns, dialect: CsvDialect, header: bool) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .terminator(if dialect.crlf {
            ::csv::Terminator::CRLF
        } else {
            ::csv::Terminator::Any(b'\n')
        })
        .quote_style(if dialect.quote_all {
            ::csv::QuoteStyle::Always
        } else {
            ::csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail, and every row has the header's width.
    if header {
        writer
            .write_record(CSV_HEADER)
            .expect("CSV into memory cannot fail");
    }
    for t in tracks {
        writer
            .write_record(convert::csv_row_from_track(t, columns))
            .expect("CSV into memory cannot fail");
    }
    writer.into_inner().expect("CSV into memory cannot fail")
}

/// The columns of a CSV musync writes from scratch.
fn standard_columns() -> CsvColumns {
    CsvColumns {
        uri: Some(0),
        name: 1,
        artists: 2,
        album: Some(3),
        duration_ms: Some(4),
        isrc: Some(5),
        width: CSV_HEADER.len(),
    }
}

/// A whole new CSV file with Exportify's column names.
pub(crate) fn render(tracks: &[Track]) -> String {
    let dialect = CsvDialect {
        delimiter: b',',
        crlf: false,
        quote_all: false,
    };
    let bytes = rows(tracks, &standard_columns(), dialect, true);
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// `original` with rows for `tracks` appended, every existing byte kept.
pub(crate) fn append(original: &[u8], tracks: &[Track]) -> Result<Vec<u8>, Malformed> {
    let decoded = text::decode(original, false)?;
    if text::is_blank(&decoded.text) {
        return Ok(render(tracks).into_bytes());
    }
    let doc = parse(&decoded.text)?;
    let mut out = original.to_vec();
    if !out.ends_with(b"\n") {
        out.extend_from_slice(if doc.dialect.crlf { b"\r\n" } else { b"\n" });
    }
    out.extend(rows(tracks, &doc.columns, doc.dialect, false));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::TrackId;

    const EXPORTIFY: &str = "\"Track URI\",\"Track Name\",\"Artist Name(s)\",\"Album Name\",\"Track Duration (ms)\",\"Popularity\",\"ISRC\"\r\n\"spotify:track:1\",\"Get Lucky (feat. Pharrell Williams and Nile Rodgers)\",\"Daft Punk,Pharrell Williams,Nile Rodgers\",\"Random Access Memories\",\"369626\",\"80\",\"USQX91300108\"\r\n\"spotify:track:2\",\"Say \"\"Hi\"\"\",\"Someone\",\"\",\"\",\"1\",\"\"\r\n";

    #[test]
    fn reads_exportify_columns_and_multi_artist_lists() {
        let doc = parse(EXPORTIFY).unwrap();
        assert_eq!(
            doc.dialect,
            CsvDialect {
                delimiter: b',',
                crlf: true,
                quote_all: true
            }
        );
        let t = &doc.tracks[0];
        assert_eq!(
            t.artists,
            vec!["Daft Punk", "Pharrell Williams", "Nile Rodgers"]
        );
        assert_eq!(t.artist, "Daft Punk, Pharrell Williams, Nile Rodgers");
        assert_eq!(t.duration_s, Some(370));
        assert_eq!(t.isrc.as_deref(), Some("USQX91300108"));
        assert_eq!(t.id, Some(TrackId("spotify:track:1".into())));
        assert_eq!(doc.tracks[1].title, "Say \"Hi\"");
        assert_eq!(doc.tracks[1].album, None);
    }

    #[test]
    fn semicolon_files_are_detected() {
        let doc = parse("Track Name;Artist Name(s);Extra\nA;B,C;x\n").unwrap();
        assert_eq!(doc.dialect.delimiter, b';');
        assert_eq!(doc.tracks[0].artists, vec!["B", "C"]);
    }

    #[test]
    fn missing_columns_are_named_with_those_found() {
        let e = parse("Name,Artist Name(s)\nA,B\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert_eq!(
            e.message,
            "missing column 'Track Name' (columns found: 'Name', 'Artist Name(s)')"
        );
    }

    #[test]
    fn bad_quoting_and_field_counts_name_the_line() {
        let e = parse("Track Name,Artist Name(s)\nA,B\n\"C,D\nE,F\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("never closed"));
        let e = parse("Track Name,Artist Name(s)\nA,B\n\"C\"x,D\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse("Track Name,Artist Name(s)\nA,B\nC,D,E\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.message, "this row has 3 cells but the header has 2");
        let e = parse("Track Name,Artist Name(s),Duration (ms)\nA,B,3:20\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn multi_line_cells_keep_line_numbers_right() {
        let e = parse("Track Name,Artist Name(s)\n\"A\nB\",C\nD,E,F\n").unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn append_keeps_rows_columns_and_style() {
        let out = append(
            EXPORTIFY.as_bytes(),
            &[Track::new("New", "X & Y").with_duration_s(61)],
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            format!("{EXPORTIFY}\"\",\"New\",\"X,Y\",\"\",\"61000\",\"\",\"\"\r\n")
        );
        let doc = parse(&out).unwrap();
        assert_eq!(doc.tracks.len(), 3);
        assert_eq!(doc.tracks[2].artist, "X, Y");
    }
}
