//! Several musync runs meeting one target (issue 11): one writer per
//! target, across processes.

use crate::util::Env;
use std::collections::HashSet;
use std::process::{Command, Stdio};

fn csv_of(prefix: &str, n: usize) -> String {
    let mut text = String::from("Track Name,Artist Name(s),Duration (ms)\n");
    for i in 0..n {
        text.push_str(&format!(
            "{prefix} Song {i:03},{prefix} Band,{}\n",
            180_000 + i * 1000
        ));
    }
    text
}

fn titles(env: &Env, file: &str) -> Vec<String> {
    let out = env.run(&["tracks", env.path(file).to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tracks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    tracks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn four_concurrent_syncs_into_one_file_lose_nothing_and_add_nothing_twice() {
    let env = Env::new();
    let a = env.write("a.csv", &csv_of("Alpha", 150));
    let b = env.write("b.csv", &csv_of("Beta", 150));
    let bin = assert_cmd::cargo::cargo_bin("musync");
    for round in 0..3 {
        let target = env.path(&format!("target-{round}.m3u8"));
        let children: Vec<_> = [&a, &b, &a, &b]
            .iter()
            .map(|source| {
                Command::new(&bin)
                    .arg("--data-dir")
                    .arg(env.data_dir())
                    .args(["sync", source.to_str().unwrap(), target.to_str().unwrap()])
                    .args(["--direction", "to-right", "--yes"])
                    .env("MUSYNC_SECRET_BACKEND", "file")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("musync starts")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let got = titles(&env, &format!("target-{round}.m3u8"));
        let unique: HashSet<&String> = got.iter().collect();
        assert_eq!(got.len(), 300, "round {round}: nothing lost, nothing twice");
        assert_eq!(unique.len(), 300, "round {round}");
    }
}

#[test]
fn no_wait_fails_at_once_naming_the_other_run_and_writes_nothing() {
    let env = Env::new();
    let a = env.write("a.csv", &csv_of("Alpha", 3));
    let target = env.write("t.m3u8", "#EXTM3U\n");
    let store = musync_store::Store::open(&env.data_dir()).unwrap();
    let reference = musync_engine::file_reference(&target);
    let _held = store
        .lock_target(&reference, musync_store::Wait::NoWait, &|_| {})
        .unwrap();
    let out = env.run(&[
        "sync",
        a.to_str().unwrap(),
        target.to_str().unwrap(),
        "--direction",
        "to-right",
        "--yes",
        "--no-wait",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is being written by another musync run"),
        "{err}"
    );
    assert!(
        err.contains(&format!("process {}", std::process::id())),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "#EXTM3U\n");
}

/// The Spotify version: four runs, two sources, one playlist, three rounds.
/// Each run re-reads the playlist under the target's lock before adding, so
/// none adds what another already did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_concurrent_syncs_into_one_spotify_playlist_lose_nothing_and_add_nothing_twice() {
    use fake_spotify::{AuthorizeMode, Catalogue, FakeSpotify};
    const N: usize = 60;
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let cat = Catalogue::generated(2 * N);
    fake.set_catalogue(cat.clone());
    let mut env = Env::new();
    let id = crate::spotify::sign_in(&mut env, &fake).await;
    let csv = |tracks: &[fake_spotify::CatalogueTrack]| {
        let mut s = String::from("Track Name,Artist Name(s),Duration (ms),ISRC\n");
        for t in tracks {
            s.push_str(&format!(
                "{},{},{},{}\n",
                t.name,
                t.artists[0],
                t.duration_ms,
                t.isrc.as_deref().unwrap_or("")
            ));
        }
        s
    };
    let a = env.write("a.csv", &csv(&cat.tracks[..N]));
    let b = env.write("b.csv", &csv(&cat.tracks[N..]));
    let want: HashSet<String> = cat.tracks.iter().map(|t| t.uri()).collect();
    for round in 0..3 {
        let pid = fake.add_playlist("bob", &format!("round {round}"), &[]);
        let target = format!("{id}:{pid}");
        let runs = [&a, &b, &a, &b].map(|source| {
            let env = &env;
            let target = target.clone();
            async move {
                env.run_async(&["sync", source.to_str().unwrap(), &target, "--yes"])
                    .await
            }
        });
        let [r1, r2, r3, r4] = runs;
        let (o1, o2, o3, o4) = tokio::join!(r1, r2, r3, r4);
        for out in [o1, o2, o3, o4] {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let items = fake.playlist_items(&pid);
        let unique: HashSet<&String> = items.iter().collect();
        assert_eq!(items.len(), 2 * N, "round {round}: nothing twice");
        assert_eq!(unique.len(), 2 * N, "round {round}");
        assert_eq!(
            items.iter().cloned().collect::<HashSet<_>>(),
            want,
            "round {round}: nothing lost"
        );
    }
}
