//! Output: one JSON document on stdout for `--json`, human text otherwise.
//! Progress, prompts and notes go to stderr.

use anyhow::Result;
use musync_core::Track;
use serde::Serialize;
use std::io::Write;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    // Buffered: stdout alone flushes at every line break, and a report of
    // 600,000 songs has about 12 million lines (a system call each).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// `Artist - Title (Album, 3:45)` for human lists.
pub fn track_line(t: &Track) -> String {
    let mut s = t.label();
    let mut extra = Vec::new();
    if let Some(album) = &t.album {
        extra.push(album.to_string());
    }
    if let Some(d) = t.duration_s {
        extra.push(format!("{}:{:02}", d / 60, d % 60));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    s
}
