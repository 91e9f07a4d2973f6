//! Reading a 100,000-track playlist file in each format (file in the page
//! cache, so this measures decoding and parsing). The target: the
//! CSV well under 0.5 s in a release build.

use criterion::{Criterion, criterion_group, criterion_main};
use musync_core::Track;
use musync_files::{Format, read, write_new};
use std::hint::black_box;
use std::time::Duration;

const TRACKS: usize = 100_000;

/// Varied, realistic tracks: unicode names, multi-artist lists, ids.
fn tracks() -> Vec<Track> {
    let artists = [
        "Beyoncé",
        "Sigur Rós",
        "宇多田ヒカル",
        "Daft Punk, Pharrell Williams",
        "The Beatles",
        "Björk",
        "Queen",
    ];
    (0..TRACKS)
        .map(|i| {
            Track::new(
                format!("Song number {i} (Remastered {})", 1990 + i % 30),
                artists[i % artists.len()],
            )
            .with_album(format!("Album \"{}\" & more", i / 12))
            .with_duration_s(120 + (i % 300) as u32)
            .with_isrc(format!("GBAYE{:07}", i))
            .with_id(format!("spotify:track:{:022}", i))
        })
        .collect()
}

fn parse(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tracks = tracks();
    let mut group = c.benchmark_group("read_100k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for format in Format::ALL {
        let path = dir.path().join(format!("big.{}", format.extension()));
        write_new(&path, format, "Big", &tracks).expect("write bench file");
        group.bench_function(format.extension(), |b| {
            b.iter(|| {
                let (_, got) = read(black_box(&path)).expect("read bench file");
                assert_eq!(got.len(), TRACKS);
                got
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
