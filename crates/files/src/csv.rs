//! CSV playlists: Exportify's columns (`Track URI`, `Track Name`, `Artist
//! Name(s)`, `Album Name`, `Duration (ms)`, `ISRC`) and the other header
//! sets `csv_header.rs` knows, plus any other columns, which are kept.
//! Artists in a cell are separated by `;` (Exportify today) or `,` (older
//! exports), decided per file from its rows.
//!
//! Reading is one pass of the `csv` crate over the file in memory with one
//! reused record, after a byte-level quoting check: the `csv` crate accepts
//! an unterminated quote (swallowing the rest of the file into one cell),
//! and that must be an error naming the line instead. Appending writes new
//! rows after the last byte in the file's own delimiter, line ending and
//! quoting, with empty cells for columns musync does not know. Removing
//! cuts exactly the removed rows, every other byte kept.

use crate::error::{Malformed, line_of};
use crate::model::{self as wire, ArtistSeparator, CSV_HEADER, CsvColumns, CsvDialect};
use crate::text::Text;
use crate::{convert, csv_header};
use musync_core::Track;
use std::borrow::Borrow;

const QUOTE_HINT: &str = "a quoted cell must end with a quote followed by the delimiter or the end of the line; write a quote inside a quoted cell as two quotes (\"\")";

/// Guesses the delimiter and style from the header line; `eol` is the
/// file's line ending.
fn dialect(text: &str, eol: &'static str) -> CsvDialect {
    let header = text.lines().next().unwrap_or("");
    let count = |d: char| header.matches(d).count();
    let delimiter = [(',', count(',')), (';', count(';')), ('\t', count('\t'))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == ','))
        .map_or(b',', |(d, _)| d as u8);
    CsvDialect {
        delimiter,
        eol,
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

/// Parses CSV text (BOM removed, LF or CRLF line breaks); `eol` is the
/// line ending the stored file uses.
pub(crate) fn parse(text: &str, eol: &'static str) -> Result<wire::Csv, Malformed> {
    let mut rows = Vec::new();
    let mut row_starts = Vec::new();
    let layout = scan(text, eol, |track, raw, start| {
        row_starts.push(start);
        rows.push((track, raw));
    })?;
    let tracks = rows
        .into_iter()
        .map(|(t, raw)| t.with_artists(convert::split_artist_cell(&raw, layout.separator)))
        .collect();
    Ok(wire::Csv {
        columns: layout.columns,
        dialect: layout.dialect,
        separator: layout.separator,
        tracks,
        row_starts,
    })
}

/// How a CSV file is written: what appending needs to match it.
struct Layout {
    columns: CsvColumns,
    dialect: CsvDialect,
    separator: ArtistSeparator,
}

/// Checks every row as reading does and hands each to `on_row` (its track
/// before the artist cell is split, the raw cell, the row's first byte),
/// then returns the file's layout. Appending passes a closure that keeps
/// nothing, so a million-row file is checked without a million tracks.
fn scan(
    text: &str,
    eol: &'static str,
    mut on_row: impl FnMut(Track, convert::RawArtists, usize),
) -> Result<Layout, Malformed> {
    let dialect = dialect(text, eol);
    check_quoting(text, dialect.delimiter)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns = csv_header::columns(reader.headers().map_err(csv_error)?)?;
    // Only the whole file shows how its artist cells are separated.
    let mut vote = convert::SeparatorVote::default();
    let mut record = ::csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        // The reader may place a row at the LF of the CRLF before it.
        let mut start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let (track, raw) = convert::csv_row_to_track(&record, &columns, line)?;
        vote.see(&raw);
        on_row(track, raw, start);
    }
    Ok(Layout {
        columns,
        dialect,
        separator: vote.decide(),
    })
}

/// Reads the tracks of CSV text (CSV has no playlist title).
pub(crate) fn read(text: &str) -> Result<(Option<String>, Vec<Track>), Malformed> {
    Ok((None, parse(text, "\n")?.tracks))
}

/// Rows for `tracks` in `dialect`, under `columns`.
fn rows(
    tracks: &[impl Borrow<Track>],
    columns: &CsvColumns,
    dialect: CsvDialect,
    separator: ArtistSeparator,
    header: bool,
) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .terminator(match dialect.eol {
            "\r\n" => ::csv::Terminator::CRLF,
            "\r" => ::csv::Terminator::Any(b'\r'),
            _ => ::csv::Terminator::Any(b'\n'),
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
    for t in tracks.iter().map(Borrow::borrow) {
        writer
            .write_record(convert::csv_row_from_track(t, columns, separator))
            .expect("CSV into memory cannot fail");
    }
    writer.into_inner().expect("CSV into memory cannot fail")
}

/// The columns of a CSV musync writes from scratch.
fn standard_columns() -> CsvColumns {
    CsvColumns {
        uri: Some(0),
        spotify_id: None,
        name: 1,
        artists: 2,
        artist_ids: None,
        album: Some(3),
        duration_ms: Some(4),
        isrc: Some(5),
        width: CSV_HEADER.len(),
    }
}

/// A whole new CSV file with Exportify's column names and its `;`
/// between artists.
pub(crate) fn render(tracks: &[impl Borrow<Track>]) -> String {
    let dialect = CsvDialect {
        delimiter: b',',
        eol: "\n",
        quote_all: false,
    };
    let bytes = rows(
        tracks,
        &standard_columns(),
        dialect,
        ArtistSeparator::Semicolon,
        true,
    );
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// What follows the file's last byte to add rows for `tracks`, in its own
/// delimiter, quoting, line ending and artist separator.
pub(crate) fn append(doc: &Text<'_>, tracks: &[impl Borrow<Track>]) -> Result<String, Malformed> {
    let parsed = scan(doc.text(), doc.eol, |_, _, _| {})?;
    let added = rows(
        tracks,
        &parsed.columns,
        parsed.dialect,
        parsed.separator,
        false,
    );
    let added = String::from_utf8(added).expect("CSV of UTF-8 strings is UTF-8");
    Ok(crate::text::tail_after(&doc.raw, doc.eol, added))
}

/// The file's text without the rows at `positions` (0-based, distinct, in
/// range): each row's bytes up to the next row go, every other byte stays.
pub(crate) fn remove(doc: &Text<'_>, positions: &[usize]) -> Result<String, Malformed> {
    let text = doc.text();
    let parsed = parse(text, doc.eol)?;
    let starts = &parsed.row_starts;
    let spans: Vec<(usize, usize)> = positions
        .iter()
        .map(|&i| (starts[i], starts.get(i + 1).copied().unwrap_or(text.len())))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut out = crate::text::cut(&doc.raw, &spans);
    // The last row went and the file had no final line break: neither has
    // the rewritten one.
    if !doc.raw.ends_with(['\n', '\r']) {
        while out.ends_with(['\n', '\r']) {
            out.pop();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decode;
    use musync_core::TrackId;

    const EXPORTIFY: &str = "\"Track URI\",\"Track Name\",\"Artist Name(s)\",\"Album Name\",\"Track Duration (ms)\",\"Popularity\",\"ISRC\"\r\n\"spotify:track:1\",\"Get Lucky (feat. Pharrell Williams and Nile Rodgers)\",\"Daft Punk,Pharrell Williams,Nile Rodgers\",\"Random Access Memories\",\"369626\",\"80\",\"USQX91300108\"\r\n\"spotify:track:2\",\"Say \"\"Hi\"\"\",\"Someone\",\"\",\"\",\"1\",\"\"\r\n";

    fn parse_lf(text: &str) -> Result<wire::Csv, Malformed> {
        parse(text, "\n")
    }

    fn append_to(text: &str, tracks: &[Track]) -> String {
        let tail = append(&decode(text.as_bytes(), false).unwrap(), tracks).unwrap();
        format!("{text}{tail}")
    }

    #[test]
    fn reads_exportify_columns_and_multi_artist_lists() {
        let doc = parse(EXPORTIFY, "\r\n").unwrap();
        assert_eq!(
            doc.dialect,
            CsvDialect {
                delimiter: b',',
                eol: "\r\n",
                quote_all: true
            }
        );
        assert_eq!(doc.separator, ArtistSeparator::Comma);
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
    fn semicolon_artists_keep_names_with_commas() {
        let doc = parse_lf("Track Name,Artist Name(s)\nA,\"Tyler, The Creator;Lola Young\"\nB,\"Blood, Sweat & Tears\"\nC,Bluey;Joff Bush\n").unwrap();
        assert_eq!(doc.separator, ArtistSeparator::Semicolon);
        let artists: Vec<&Vec<musync_core::Text>> = doc.tracks.iter().map(|t| &t.artists).collect();
        assert_eq!(
            artists,
            [
                &vec!["Tyler, The Creator".to_owned(), "Lola Young".to_owned()],
                &vec!["Blood, Sweat & Tears".to_owned()],
                &vec!["Bluey".to_owned(), "Joff Bush".to_owned()],
            ]
        );
    }

    #[test]
    fn artist_ids_and_escaped_commas_settle_comma_files() {
        let doc = parse_lf("Track Name,Artist URI(s),Artist Name(s)\nA,\"spotify:artist:1\",\"Crosby, Stills, Nash & Young\"\nB,\"spotify:artist:2, spotify:artist:3\",\"Daft Punk, Pharrell Williams\"\nC,,\"Tyler\\, The Creator, Kali Uchis\"\n").unwrap();
        assert_eq!(doc.separator, ArtistSeparator::Comma);
        assert_eq!(doc.tracks[0].artists, vec!["Crosby, Stills, Nash & Young"]);
        assert_eq!(
            doc.tracks[1].artists,
            vec!["Daft Punk", "Pharrell Williams"]
        );
        assert_eq!(
            doc.tracks[2].artists,
            vec!["Tyler, The Creator", "Kali Uchis"]
        );
    }

    #[test]
    fn semicolon_delimited_files_are_detected() {
        let doc = parse_lf("Track Name;Artist Name(s);Extra\nA;B,C;x\n").unwrap();
        assert_eq!(doc.dialect.delimiter, b';');
        assert_eq!(doc.tracks[0].artists, vec!["B", "C"]);
    }

    #[test]
    fn missing_columns_are_named_with_those_found() {
        // A generic `Name` column is a title.
        assert_eq!(
            parse_lf("Name,Artist Name(s)\nA,B\n").unwrap().tracks[0].title,
            "A"
        );
        let e = parse_lf("Nom,Interprète\nA,B\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert_eq!(
            e.message,
            "missing columns 'Track Name' and 'Artist Name(s)' (columns found: 'Nom', 'Interprète')"
        );
    }

    #[test]
    fn bad_quoting_and_field_counts_name_the_line() {
        let e = parse_lf("Track Name,Artist Name(s)\nA,B\n\"C,D\nE,F\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("never closed"));
        let e = parse_lf("Track Name,Artist Name(s)\nA,B\n\"C\"x,D\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse_lf("Track Name,Artist Name(s)\nA,B\nC,D,E\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.message, "this row has 3 cells but the header has 2");
        let e = parse_lf("Track Name,Artist Name(s),Duration (ms)\nA,B,3:20\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn multi_line_cells_keep_line_numbers_right() {
        let e = parse_lf("Track Name,Artist Name(s)\n\"A\nB\",C\nD,E,F\n").unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn append_keeps_rows_columns_style_and_the_files_separator() {
        let out = append_to(
            EXPORTIFY,
            &[Track::new("New", "")
                .with_artists(vec!["X, Jr.", "Y"])
                .with_duration_s(61)],
        );
        assert_eq!(
            out,
            format!("{EXPORTIFY}\"\",\"New\",\"X\\, Jr.,Y\",\"\",\"61000\",\"\",\"\"\r\n")
        );
        let doc = parse(&out, "\r\n").unwrap();
        assert_eq!(doc.tracks.len(), 3);
        assert_eq!(doc.tracks[2].artists, vec!["X, Jr.", "Y"]);
    }

    #[test]
    fn display_strings_are_never_cut_into_artists() {
        let out = render(&[
            Track::new("Gotterdammerung", "Zeal & Ardor"),
            Track::new("Bad", "Tyler, The Creator").with_artists(vec!["Tyler, The Creator"]),
        ]);
        assert!(out.contains(",Zeal & Ardor,"), "{out}");
        let doc = parse_lf(&out).unwrap();
        assert_eq!(doc.tracks[0].artists, vec!["Zeal & Ardor"]);
        assert_eq!(doc.tracks[1].artists, vec!["Tyler, The Creator"]);
    }

    #[test]
    fn formulas_are_neutralised_and_read_back_exactly() {
        let t = Track::new("=HYPERLINK(\"x\")", "@Someone").with_album("-Minus-");
        let out = render(std::slice::from_ref(&t));
        assert!(out.contains("'=HYPERLINK"), "{out}");
        assert!(out.contains("'@Someone"), "{out}");
        assert!(out.contains("'-Minus-"), "{out}");
        let back = &parse_lf(&out).unwrap().tracks[0];
        assert_eq!(
            (back.title.as_str(), back.artist.as_str()),
            (t.title.as_str(), t.artist.as_str())
        );
        assert_eq!(back.album, t.album);
    }

    #[test]
    fn cr_only_files_read_and_append_with_cr() {
        let original = "Track Name,Artist Name(s)\rA,B\rC,D\r";
        let doc = decode(original.as_bytes(), false).unwrap();
        assert_eq!(read(doc.text()).unwrap().1.len(), 2);
        let tail = append(&doc, &[Track::new("E", "F")]).unwrap();
        assert_eq!(tail, "E,F\r");
    }

    #[test]
    fn tunemymusic_spotify_ids_become_uris_and_go_back_bare() {
        let text = "Track name,Artist name,Album,Playlist name,Type,ISRC,Spotify - id\nHalo,Beyoncé,I AM...SASHA FIERCE,Mix,Playlist,USSM10804556,4JehYebiI9JE8sR8MisGVb\n";
        let doc = parse_lf(text).unwrap();
        let t = &doc.tracks[0];
        assert_eq!(
            t.id,
            Some(TrackId("spotify:track:4JehYebiI9JE8sR8MisGVb".into()))
        );
        assert_eq!(t.isrc.as_deref(), Some("USSM10804556"));
        let out = append_to(text, std::slice::from_ref(t));
        assert!(
            out.ends_with(
                "Halo,Beyoncé,I AM...SASHA FIERCE,,,USSM10804556,4JehYebiI9JE8sR8MisGVb\n"
            ),
            "{out}"
        );
    }

    fn remove_from(text: &str, positions: &[usize]) -> String {
        remove(&decode(text.as_bytes(), false).unwrap(), positions).unwrap()
    }

    #[test]
    fn removal_cuts_rows_and_keeps_quoting_columns_and_line_ends() {
        // Exportify: every cell quoted, CRLF, an extra Popularity column.
        let out = remove_from(EXPORTIFY, &[0]);
        assert_eq!(
            out,
            "\"Track URI\",\"Track Name\",\"Artist Name(s)\",\"Album Name\",\"Track Duration (ms)\",\"Popularity\",\"ISRC\"\r\n\"spotify:track:2\",\"Say \"\"Hi\"\"\",\"Someone\",\"\",\"\",\"1\",\"\"\r\n"
        );
        let semis = "Name;Artist;Mood\nA;X;calm\n\"B\nwith a line break\";Y;\nA;X;loud";
        assert_eq!(
            remove_from(semis, &[1]),
            "Name;Artist;Mood\nA;X;calm\nA;X;loud"
        );
        // The last row of a file without a final line break.
        assert_eq!(
            remove_from(semis, &[2]),
            "Name;Artist;Mood\nA;X;calm\n\"B\nwith a line break\";Y;"
        );
        assert_eq!(remove_from(semis, &[0, 1, 2]), "Name;Artist;Mood");
        let doc = parse_lf(&remove_from(semis, &[0])).unwrap();
        let titles: Vec<&str> = doc.tracks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["B\nwith a line break", "A"]);
    }
}
