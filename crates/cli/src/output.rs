//! Output: one JSON document on stdout for `--json`, human text otherwise.
//! Progress, prompts and notes go to stderr.

use anyhow::Result;
use musync_core::Track;
use serde::Serialize;
use std::io::Write;

/// Standard output behind a 64 KiB buffer, for anything printed a song a
/// line: stdout alone flushes at every line break, a system call per line
/// (about 12 million for a pretty JSON report of 600,000 songs). Callers
/// flush it when done, so a write error is reported, not lost on drop.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = stdout();
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
