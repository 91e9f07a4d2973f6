//! Times [`musync_match::diff`] on two playlists written by
//! `scripts/gen-playlists.py` and prints the peak memory of the process:
//! `cargo run -p musync-match --release --example diff_csv -- left.csv right.csv`.
//!
//! The whole-binary benchmark (`scripts/bench-diff.sh`) also parses the CSV
//! through the service crates; this one isolates the matcher, so a change in
//! the rules can be measured with a build of this crate alone.

use std::process::ExitCode;
use std::time::Instant;

use musync_core::Track;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [left, right] = args.as_slice() else {
        eprintln!("usage: diff_csv <left.csv> <right.csv>");
        return ExitCode::from(2);
    };
    let (left, right) = match (read(left), read(right)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let d = musync_match::diff(&left, &right);
    let elapsed = started.elapsed();
    println!(
        "{} x {} tracks: diff {:.3} s, matched {}, only left {}, only right {}, peak RSS {} MB",
        left.len(),
        right.len(),
        elapsed.as_secs_f64(),
        d.matched.len(),
        d.only_left.len(),
        d.only_right.len(),
        peak_rss_kb() / 1024
    );
    ExitCode::SUCCESS
}

/// Exportify columns: URI, name, artists, album, duration (ms), ISRC.
fn read(path: &str) -> Result<Vec<Track>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut tracks = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields = split_csv(line);
        let [_, title, artist, album, duration, ..] = fields.as_slice() else {
            return Err(format!("{path}:{}: expected 6 columns", n + 1));
        };
        let mut track = Track::new(title, artist).with_album(album);
        if let Ok(ms) = duration.parse::<u32>() {
            track = track.with_duration_s(ms / 1000);
        }
        tracks.push(track);
    }
    Ok(tracks)
}

/// One CSV line: commas outside double quotes separate, `""` is a quote.
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("one field").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

/// `VmHWM` from `/proc/self/status` (Linux), 0 elsewhere.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
