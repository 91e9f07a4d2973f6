//! Step 3's results as the page shows them and as downloads: JSON in the
//! shape of `musync sync --json` (the engine's [`Report`] itself) and CSV
//! with one row per song.

use musync_engine::{Report, SideName, Status, SyncResult};
use serde::Serialize;

/// One song's outcome, ready to show.
#[derive(Clone, Debug, Serialize)]
pub struct ResultRow {
    /// ✔, ❒ or ✖.
    pub symbol: &'static str,
    /// `added`, `skipped`, `not_found`, `failed`, `would_add`.
    pub status: &'static str,
    /// The song, `Artist - Title`.
    pub source: String,
    /// Where it went, e.g. `Last.fm: Loved tracks`.
    pub to: String,
    /// The track added, when it differs from the source's label.
    pub target: Option<String>,
    /// Why, for everything but a plain add.
    pub reason: Option<String>,
}

impl ResultRow {
    /// The row for `r`, going to `left` or `right` depending on its side.
    pub fn new(r: &SyncResult, left: &str, right: &str) -> ResultRow {
        let source = r.source.label();
        ResultRow {
            symbol: r.status.symbol(),
            status: status_name(r.status),
            to: target_label(r.from, left, right).to_owned(),
            target: r
                .target
                .as_ref()
                .map(|t| t.label())
                .filter(|t| *t != source),
            source,
            reason: r.reason.clone(),
        }
    }

    /// A plain added row, for tests of the job machinery.
    #[cfg(test)]
    pub fn test_row(source: &str) -> ResultRow {
        ResultRow {
            symbol: "✔",
            status: "added",
            source: source.to_owned(),
            to: "right".to_owned(),
            target: None,
            reason: None,
        }
    }
}

/// The label of the side a song from `from` goes to.
pub fn target_label<'a>(from: SideName, left: &'a str, right: &'a str) -> &'a str {
    match from {
        SideName::Left => right,
        SideName::Right => left,
    }
}

/// The JSON name of a status (as `musync sync --json` writes it).
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Added => "added",
        Status::WouldAdd => "would_add",
        Status::Skipped => "skipped",
        Status::NotFound => "not_found",
        Status::Failed => "failed",
        Status::Pending => "pending",
        Status::NotRestored => "not_restored",
        Status::Removed => "removed",
        Status::WouldRemove => "would_remove",
    }
}

/// The report as CSV: one row per song, the source and target tracks in
/// their own columns so a spreadsheet can sort by them.
pub fn csv(report: &Report, left: &str, right: &str) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "Status",
        "From",
        "To",
        "Title",
        "Artist",
        "Album",
        "Target Title",
        "Target Artist",
        "Target Id",
        "Reason",
    ])?;
    for r in &report.results {
        let (from, to) = match r.from {
            SideName::Left => (left, right),
            SideName::Right => (right, left),
        };
        let target = r.target.as_ref();
        let cells = [
            status_name(r.status),
            from,
            to,
            &r.source.title,
            &r.source.artist,
            r.source.album.as_deref().unwrap_or(""),
            target.map(|t| t.title.as_str()).unwrap_or(""),
            target.map(|t| t.artist.as_str()).unwrap_or(""),
            target
                .and_then(|t| t.id.as_ref())
                .map(|i| i.as_str())
                .unwrap_or(""),
            r.reason.as_deref().unwrap_or(""),
        ];
        // Song names come from other people's playlists: a leading `=`
        // must not become a spreadsheet formula.
        w.write_record(
            cells
                .map(musync_files::spreadsheet_safe)
                .iter()
                .map(|c| c.as_ref()),
        )?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_core::Track;

    fn report() -> Report {
        let mut r = Report::default();
        r.push(SyncResult {
            from: SideName::Left,
            source: Track::new("Hurt", "Johnny Cash")
                .with_album("American IV")
                .into(),
            target: Some(
                Track::new("Hurt", "Johnny Cash")
                    .with_id("spotify:track:1")
                    .into(),
            ),
            status: Status::Added,
            reason: None,
        });
        r.push(SyncResult {
            from: SideName::Right,
            source: Track::new("Say \"Hi\", again", "A, B").into(),
            target: None,
            status: Status::Failed,
            reason: Some("Spotify: rate limited".into()),
        });
        r
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_are_defused() {
        let mut r = Report::default();
        r.push(SyncResult {
            from: SideName::Left,
            source: Track::new("=HYPERLINK(\"http://x\")", "@artist").into(),
            target: None,
            status: Status::NotFound,
            reason: Some("-1 results".into()),
        });
        let text = csv(&r, "A", "B").unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{row}");
        assert!(row.contains(",'@artist,"), "{row}");
        assert!(row.ends_with(",'-1 results"), "{row}");
    }

    #[test]
    fn csv_has_a_header_and_quotes_commas_and_quotes() {
        let text = csv(&report(), "Amazon Music: Road trip", "Spotify: Mix").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Status,From,To,Title,Artist,Album,Target Title,Target Artist,Target Id,Reason"
        );
        assert_eq!(
            lines[1],
            "added,Amazon Music: Road trip,Spotify: Mix,Hurt,Johnny Cash,American IV,Hurt,Johnny Cash,spotify:track:1,"
        );
        assert_eq!(
            lines[2],
            "failed,Spotify: Mix,Amazon Music: Road trip,\"Say \"\"Hi\"\", again\",\"A, B\",,,,,Spotify: rate limited"
        );
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn rows_name_the_target_side_and_hide_an_identical_target_label() {
        let r = report();
        let row = ResultRow::new(&r.results[0], "L", "R");
        assert_eq!(
            (row.symbol, row.status, row.to.as_str()),
            ("✔", "added", "R")
        );
        assert_eq!(row.target, None, "same label as the source");
        let row = ResultRow::new(&r.results[1], "L", "R");
        assert_eq!((row.symbol, row.to.as_str()), ("✖", "L"));
        assert_eq!(row.reason.as_deref(), Some("Spotify: rate limited"));
    }
}
