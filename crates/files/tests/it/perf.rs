//! Timing of 100,000-track reads, for the closing figures (the criterion
//! bench in `benches/parse.rs` is the real measurement). Ignored by default:
//! `cargo test -p musync-files --release -- --ignored --nocapture perf`.
//! Reports thread CPU time too, which a busy shared machine does not inflate.

use musync_core::Track;
use musync_files::{Format, read, write_new};
use std::time::Instant;

/// CPU time of the calling thread in seconds (Linux), if available.
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

#[test]
#[ignore = "timing; run in release with --ignored"]
fn perf_read_100k_tracks() {
    let tracks: Vec<Track> = (0..100_000)
        .map(|i| {
            Track::new(
                format!("Song number {i} (Remastered)"),
                ["Beyoncé", "Sigur Rós", "Daft Punk, Pharrell Williams"][i % 3],
            )
            .with_album(format!("Album {}", i / 12))
            .with_duration_s(120 + (i % 300) as u32)
            .with_isrc(format!("GBAYE{i:07}"))
            .with_id(format!("spotify:track:{i:022}"))
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let path = dir.path().join(format!("big.{}", format.extension()));
        write_new(&path, format, "Big", &tracks).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let mut best = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            let (wall, cpu) = (Instant::now(), thread_cpu_s());
            let (_, got) = read(&path).unwrap();
            let cpu = thread_cpu_s().zip(cpu).map_or(f64::NAN, |(b, a)| b - a);
            best = (best.0.min(wall.elapsed().as_secs_f64()), best.1.min(cpu));
            assert_eq!(got.len(), tracks.len());
        }
        println!(
            "read 100k {format:>4} ({:.1} MB): best wall {:.0} ms, cpu {:.0} ms",
            size as f64 / 1e6,
            best.0 * 1e3,
            best.1 * 1e3
        );
        if format == Format::Csv && !cfg!(debug_assertions) {
            assert!(best.1 < 0.5, "CSV read took {:.3} s of CPU", best.1);
        }
    }
}
