//! Measurement, not a check (ignored; prints figures): reading a My Music
//! of 10,000 tracks from the fake with 50 ms latency per answer, with the
//! product's default pacing, over each transport and surface.
//!
//! ```text
//! cargo test -p musync-amazon --test main bench -- --ignored --nocapture
//! ```

use crate::util::Env;
use fake_amazon::Library;
use musync_amazon::{ClientOptions, Surface, TransportMode};
use musync_core::{NoProgress, PlaylistId, Service};
use std::time::{Duration, Instant};

async fn run(env: &Env, transport: TransportMode, surface: Surface, page: usize) {
    env.fake.set_graphql_page_size(page);
    env.fake.clear_requests();
    let svc = env.service_with(ClientOptions {
        transport: Some(transport),
        surface: Some(surface),
        graphql_url: Some(env.fake.graphql_url().to_owned()),
        ..ClientOptions::default()
    });
    let start = Instant::now();
    let tracks = svc
        .tracks(&PlaylistId::new("my-music"), &NoProgress)
        .await
        .unwrap();
    let wall = start.elapsed();
    drop(svc);
    let reqs = env.fake.requests();
    let api = reqs
        .iter()
        .filter(|r| r.operation().is_some() || r.target().is_some())
        .count();
    let isrcs = tracks.iter().filter(|t| t.isrc.is_some()).count();
    println!(
        "{transport:?}\t{surface:?}\tpage {page:>3}\t{} tracks ({isrcs} ISRCs)\t{} requests ({api} API) = {:.4}/track\t{:.1} s",
        tracks.len(),
        reqs.len(),
        reqs.len() as f64 / tracks.len() as f64,
        wall.as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn bench_my_music_of_10000_tracks_direct_vs_browser() {
    let mut lib = Library::generated(10_000);
    for t in &mut lib.my_music {
        t.status = "AVAILABLE".into();
    }
    let env = Env::start(lib).await;
    env.fake.set_latency(Some(Duration::from_millis(50)));
    println!("transport\tsurface\tpage\tresult\trequests\twall");
    for transport in [TransportMode::Direct, TransportMode::Browser] {
        run(&env, transport, Surface::Graphql, 100).await;
        run(&env, transport, Surface::Graphql, 37).await;
        run(&env, transport, Surface::Legacy, 100).await;
    }
}
