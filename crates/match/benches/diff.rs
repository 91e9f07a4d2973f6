//! Diff speed at 1k, 10k and 100k tracks per side.
//!
//! The lists are generated to look like two services' copies of one library:
//! artists with accents and other scripts, featured artists written in the
//! title on one side and in the artist field on the other, remaster notes and
//! case changes on one side, about 70% of songs on both sides, and the rest
//! only on one. Generation is deterministic (a fixed-seed xorshift) so runs
//! compare.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use musync_core::Track;
use musync_match::diff;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ve", "son", "dé", "ström", "ñu", "bel", "tor", "an", "gi", "ø", "lux",
    "ri", "ma", "zé", "qu", "ost",
];
const WORDS: &[&str] = &[
    "love",
    "night",
    "fire",
    "heart",
    "river",
    "gold",
    "blue",
    "dream",
    "city",
    "road",
    "summer",
    "light",
    "shadow",
    "dance",
    "rain",
    "ocean",
    "wild",
    "forever",
    "déjà",
    "vu",
    "señorita",
    "über",
    "café",
    "sky",
    "paradise",
    "echo",
    "neon",
    "velvet",
    "midnight",
    "stars",
];
const OTHER_SCRIPT: &[&str] = &["こころ", "사랑", "ночь", "夜空", "ありがとう"];
const NEUTRAL: &[&str] = &[
    " - 2011 Remaster",
    " (Remastered)",
    " [Explicit]",
    " - Remastered 2009",
];

fn name(rng: &mut Rng, parts: usize) -> String {
    let mut s = String::new();
    for i in 0..parts {
        if i > 0 && rng.chance(40) {
            s.push(' ');
        }
        s.push_str(rng.pick(SYLLABLES));
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

struct Song {
    artist: String,
    feat: Option<String>,
    title: String,
    duration: u32,
}

fn song(rng: &mut Rng, artists: &[String]) -> Song {
    let words = 1 + rng.below(4);
    let mut title: Vec<String> = (0..words).map(|_| rng.pick(WORDS).to_owned()).collect();
    if rng.chance(5) {
        title.push(rng.pick(OTHER_SCRIPT).to_owned());
    }
    let title = title.join(" ");
    Song {
        artist: artists[rng.below(artists.len())].clone(),
        feat: rng
            .chance(15)
            .then(|| artists[rng.below(artists.len())].clone()),
        title,
        duration: 120 + rng.below(300) as u32,
    }
}

/// Left as one service shows it: featured artists in the title.
fn left_track(s: &Song) -> Track {
    let title = match &s.feat {
        Some(f) => format!("{} (feat. {f})", s.title),
        None => s.title.clone(),
    };
    Track::new(title, s.artist.clone()).with_duration_s(s.duration)
}

/// Right as another service shows it: featured artists in the artist field,
/// sometimes a remaster note, sometimes upper case, a second off.
fn right_track(s: &Song, rng: &mut Rng) -> Track {
    let mut title = s.title.clone();
    if rng.chance(10) {
        title = title.to_uppercase();
    }
    if rng.chance(20) {
        title.push_str(rng.pick(NEUTRAL));
    }
    let artist = match &s.feat {
        Some(f) => format!("{}, {f}", s.artist),
        None => s.artist.clone(),
    };
    Track::new(title, artist).with_duration_s(s.duration + u32::from(rng.chance(30)))
}

fn playlists(n: usize) -> (Vec<Track>, Vec<Track>) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let artists: Vec<String> = (0..(n / 8).max(20))
        .map(|_| {
            let parts = 2 + rng.below(3);
            name(&mut rng, parts)
        })
        .collect();
    let shared: Vec<Song> = (0..n * 7 / 10).map(|_| song(&mut rng, &artists)).collect();
    let mut left: Vec<Track> = shared.iter().map(left_track).collect();
    let mut right: Vec<Track> = shared.iter().map(|s| right_track(s, &mut rng)).collect();
    while left.len() < n {
        left.push(left_track(&song(&mut rng, &artists)));
    }
    while right.len() < n {
        let s = song(&mut rng, &artists);
        right.push(right_track(&s, &mut rng));
    }
    // Shuffle the right side so order carries no information.
    for i in (1..right.len()).rev() {
        let j = rng.below(i + 1);
        right.swap(i, j);
    }
    (left, right)
}

fn bench_diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    for n in [1_000usize, 10_000, 100_000] {
        let (left, right) = playlists(n);
        if n >= 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| black_box(diff(black_box(&left), black_box(&right))));
        });
        let d = diff(&left, &right);
        eprintln!(
            "{n} per side: {} matched, {} only left, {} only right",
            d.matched.len(),
            d.only_left.len(),
            d.only_right.len()
        );
    }
    group.finish();
}

criterion_group!(benches, bench_diff);
criterion_main!(benches);
