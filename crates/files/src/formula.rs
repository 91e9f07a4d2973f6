//! CSV cells that a spreadsheet would run as a formula.
//!
//! Excel, LibreOffice and Google Sheets treat a cell starting with `=`,
//! `+`, `-` or `@` (and, after trimming, a tab or CR) as a formula, so a song
//! titled `=HYPERLINK(…)` in a file musync wrote could run in the user's
//! spreadsheet. musync writes such a cell with a `'` in front (which
//! spreadsheets show as text), and its reader removes exactly that one `'`
//! so its own files round-trip unchanged. A value that already starts with
//! `'`s before a trigger gets one more, so the reader's removal is exact.

use std::borrow::Cow;

/// Characters that start a formula.
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// True when `cell`, after any leading `'`s, starts with a trigger.
fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(is_trigger)
}

/// `cell` as written into a CSV: prefixed with `'` when a spreadsheet would
/// read it as a formula.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`spreadsheet_safe`]: removes one leading `'` in front of a
/// (possibly `'`-prefixed) trigger.
pub(crate) fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_get_a_quote_and_read_back_exactly() {
        for value in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-Insane-",
            "@SUM(A1)",
            "\tTab",
            "\rCR",
            "'=already quoted",
            "''+two",
            "'plain",
            "plain",
            "",
            "a=b",
        ] {
            let written = spreadsheet_safe(value);
            let first = written.trim_start_matches('\'').chars().next();
            if first.is_some_and(is_trigger) {
                assert!(written.starts_with('\''), "{value:?} → {written:?}");
            }
            assert_eq!(restore(&written), value, "{value:?} → {written:?}");
        }
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("Song"), "Song");
    }
}
