//! `bench-fakes`: the two fakes of the whole-library benchmark in one
//! process, filled with one generated library: Amazon Music holds My Music
//! (SONGS songs) and PLAYLISTS playlists drawn from it; Spotify's catalogue
//! holds the same recordings (with the same ISRCs) and one user, `bench`,
//! whose sign-in is approved at once. Spotify answers after LATENCY and
//! refuses requests beyond RATE per WINDOW with 429 and `Retry-After`.
//!
//! It prints `export NAME=VALUE` lines (the MUSYNC_* endpoints, the
//! Amazon cookies file, the Spotify client id), then reads commands on
//! stdin: `stats` prints one JSON line of what both fakes received since
//! the last `mark`; `mark` starts counting anew; end of input stops.
//!
//! ```text
//! bench-fakes --dir DIR [--songs 5000] [--playlists 20] [--playlist-size 50]
//!             [--latency-ms 50] [--rate 1500] [--window-s 30] [--no-isrc]
//! ```

use fake_amazon::{FakeAmazon, Library, LibraryPlaylist, LibraryTrack};
use fake_spotify::{AuthorizeMode, Catalogue, CatalogueTrack, FakeSpotify, RateLimit};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

struct Options {
    dir: PathBuf,
    songs: usize,
    playlists: usize,
    playlist_size: usize,
    latency_ms: u64,
    rate: usize,
    window_s: u64,
    isrc: bool,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        dir: PathBuf::new(),
        songs: 5000,
        playlists: 20,
        playlist_size: 50,
        latency_ms: 50,
        rate: 1500,
        window_s: 30,
        isrc: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--no-isrc" {
            o.isrc = false;
            continue;
        }
        let v = args.next().ok_or(format!("{a} needs a value"))?;
        let n = || {
            v.parse::<u64>()
                .map_err(|_| format!("{a}: not a number: {v}"))
        };
        match a.as_str() {
            "--dir" => o.dir = PathBuf::from(&v),
            "--songs" => o.songs = n()? as usize,
            "--playlists" => o.playlists = n()? as usize,
            "--playlist-size" => o.playlist_size = n()? as usize,
            "--latency-ms" => o.latency_ms = n()?,
            "--rate" => o.rate = n()? as usize,
            "--window-s" => o.window_s = n()?,
            _ => return Err(format!("unknown option {a}")),
        }
    }
    if o.dir.as_os_str().is_empty() {
        return Err("--dir DIR is required (the cookies file goes there)".into());
    }
    Ok(o)
}

/// My Music of `n` songs with distinct ISRCs (or none: uploads without an
/// ASIN), and the same recordings as Spotify's catalogue.
fn library(o: &Options) -> (Library, Catalogue) {
    let mut lib = Library::empty("A2BENCHMARKCUSTOMER");
    let mut catalogue = Catalogue::default();
    let mut seen = HashSet::new();
    let mut salt = 0usize;
    for i in 0..o.songs {
        // The fake derives ISRCs from ASINs; skip the rare ASIN whose ISRC
        // another song already has, so every song has its own.
        let track = loop {
            salt += 1;
            let t = LibraryTrack {
                asin: Some(format!("B0{salt:08}")),
                object_id: format!("obj-{i}"),
                title: format!("Song {i:05}"),
                artist: format!("Artist {}", i % 211),
                album: format!("Album {}", i / 11),
                album_artist: format!("Artist {}", i % 211),
                genre: "Pop".into(),
                duration_s: 120 + (i % 180) as u32,
                track_num: (i % 11 + 1) as u32,
                disc_num: 1,
                purchased: false,
                status: "AVAILABLE".into(),
            };
            if seen.insert(t.isrc()) {
                break t;
            }
        };
        let isrc = track.isrc();
        catalogue.push(CatalogueTrack::new(
            &track.title,
            &[track.artist.as_str()],
            &track.album,
            track.duration_s as u64,
            isrc.as_deref(),
        ));
        lib.my_music.push(LibraryTrack {
            asin: if o.isrc { track.asin.clone() } else { None },
            ..track
        });
    }
    for p in 0..o.playlists {
        let start = (p * 997) % o.songs.max(1);
        lib.playlists.push(LibraryPlaylist {
            id: format!("00000000-0000-4000-8000-{p:012}"),
            title: format!("Playlist {:02}", p + 1),
            tracks: lib
                .my_music
                .iter()
                .cycle()
                .skip(start)
                .take(o.playlist_size.min(o.songs))
                .cloned()
                .collect(),
        });
    }
    (lib, catalogue)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let (lib, catalogue) = library(&o);
    let amazon = FakeAmazon::start(lib).await;
    let spotify = FakeSpotify::start().await;
    spotify.set_catalogue(catalogue);
    spotify.add_user("bench", Some("Bench"));
    {
        let mut st = spotify.state();
        st.authorize = AuthorizeMode::AutoApprove("bench".into());
        st.latency = Some(Duration::from_millis(o.latency_ms));
        st.rate_limit = (o.rate > 0).then(|| RateLimit {
            requests: o.rate,
            window: Duration::from_secs(o.window_s),
        });
    }
    let cookies = o.dir.join("amazon-cookies.txt");
    if let Err(e) = std::fs::write(&cookies, amazon.cookies_txt("127.0.0.1")) {
        eprintln!("error: cannot write {}: {e}", cookies.display());
        return std::process::ExitCode::from(1);
    }
    println!("export MUSYNC_AMAZON_URL={}", amazon.base_url());
    // Without it musync would try the real GraphQL host, fail, and fall back
    // to the legacy API, which carries no ISRCs (twice the searches).
    println!("export MUSYNC_AMAZON_GRAPHQL_URL={}", amazon.graphql_url());
    println!("export MUSYNC_SPOTIFY_API_URL={}", spotify.api_url());
    println!(
        "export MUSYNC_SPOTIFY_ACCOUNTS_URL={}",
        spotify.accounts_url()
    );
    println!("export BENCH_AMAZON_COOKIES={}", cookies.display());
    println!(
        "export BENCH_SPOTIFY_CLIENT_ID={}",
        fake_spotify::TEST_CLIENT_ID
    );
    println!("ready");

    // Commands on stdin, read off the runtime so the fakes keep serving.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut spotify_from, mut amazon_from) = (0usize, 0usize);
    while let Some(line) = rx.recv().await {
        match line.trim() {
            "mark" => {
                spotify_from = spotify.requests().len();
                amazon_from = amazon.requests().len();
                println!("marked");
            }
            "stats" => {
                let all = spotify.requests();
                let since = &all[spotify_from.min(all.len())..];
                let api: Vec<_> = since
                    .iter()
                    .filter(|r| r.path.starts_with("/v1/"))
                    .collect();
                let count = |f: &dyn Fn(&fake_spotify::RecordedRequest) -> bool| {
                    api.iter().filter(|r| f(r)).count()
                };
                let st = spotify.state();
                let user = &st.users["bench"];
                let playlist_songs: usize = user
                    .playlists
                    .iter()
                    .map(|id| st.playlist_items(id).len())
                    .sum();
                let stats = serde_json::json!({
                    "spotify_requests": api.len(),
                    "spotify_searches": count(&|r| r.path.ends_with("/search")),
                    "spotify_429": count(&|r| r.status == 429),
                    "spotify_writes": count(&|r| r.method != "GET"),
                    "spotify_playlists": user.playlists.len(),
                    "spotify_playlist_songs": playlist_songs,
                    "spotify_liked": st.liked("bench").len(),
                    "amazon_requests": amazon.requests().len().saturating_sub(amazon_from),
                });
                println!("{stats}");
            }
            "" => {}
            other => println!("{{\"error\": \"unknown command {other}\"}}"),
        }
    }
    std::process::ExitCode::SUCCESS
}
