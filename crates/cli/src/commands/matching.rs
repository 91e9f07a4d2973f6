//! `musync match`: JSON lines `{"id", "source", "candidates"}` on stdin,
//! JSON lines `{"id", "choice", "score"}` on stdout: the candidate musync
//! would pick automatically, or null when none is the same recording.

use anyhow::{Context, Result};
use musync_core::Track;
use serde::Deserialize;
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    id: serde_json::Value,
    source: Track,
    #[serde(default)]
    candidates: Vec<Track>,
}

pub fn run() -> Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(&line).with_context(|| {
            format!(
                "stdin line {}: not a match case {{\"id\", \"source\", \"candidates\"}}",
                n + 1
            )
        })?;
        let ranked = musync_match::rank(&case.source, &case.candidates);
        let best = musync_match::best(&case.source, &case.candidates);
        let score = match &best {
            Some(b) => b.score,
            // No pick: report how close the best candidate came.
            None => ranked.first().map(|r| r.score).unwrap_or(0.0),
        };
        let row = serde_json::json!({
            "id": case.id,
            "choice": best.as_ref().map(|b| b.index),
            "score": (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
        });
        serde_json::to_writer(&mut out, &row)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
