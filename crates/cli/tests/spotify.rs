//! Spotify end to end through its fake: PKCE sign-in over the loopback
//! redirect, creating a playlist, syncing a file into it (ISRC first,
//! decoys never added, in order, a second run adds nothing), Liked Songs,
//! and a token expiry in the middle.

use crate::util::*;
use fake_spotify::{AuthorizeMode, Catalogue, CatalogueTrack, FakeSpotify, TEST_CLIENT_ID};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn catalogue() -> Catalogue {
    let mut c = Catalogue::default();
    for t in [
        CatalogueTrack::new(
            "Karma Police",
            &["Radiohead"],
            "OK Computer",
            264,
            Some("GBAYE9700106"),
        ),
        CatalogueTrack::new("Karma Police - Live", &["Radiohead"], "Live", 280, None),
        CatalogueTrack::new(
            "Karma Police",
            &["Scala & Kolacny Brothers"],
            "Covers",
            250,
            None,
        ),
        CatalogueTrack::new(
            "Halo",
            &["Beyoncé"],
            "I Am... Sasha Fierce",
            261,
            Some("USSM10804548"),
        ),
        CatalogueTrack::new("Halo - Remix", &["Beyoncé"], "Remixes", 300, None),
        CatalogueTrack::new("Hoppípolla", &["Sigur Rós"], "Takk...", 268, None),
    ] {
        c.push(t);
    }
    c
}

const SOURCE: &str = "Track Name,Artist Name(s),Duration (ms),ISRC\n\
Karma Police,Radiohead,264000,GBAYE9700106\n\
Halo,Beyonce,261000,\n\
Hoppipolla,Sigur Ros,268000,\n\
Nonexistent Song,Nobody,100000,\n";

/// Runs `accounts add spotify` and plays the browser: opens the printed URL,
/// whose approval redirects to musync's loopback listener.
pub(crate) async fn sign_in(env: &mut Env, fake: &FakeSpotify) -> String {
    env.var("MUSYNC_SPOTIFY_API_URL", fake.api_url())
        .var("MUSYNC_SPOTIFY_ACCOUNTS_URL", fake.accounts_url());
    let port = free_port().to_string();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("musync"));
    cmd.arg("--data-dir")
        .arg(env.data_dir())
        .args([
            "accounts",
            "add",
            "spotify",
            "--client-id",
            TEST_CLIENT_ID,
            "--no-browser",
            "--port",
            &port,
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &env.vars {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if let Some(i) = line.find("http")
                && line.contains("/authorize")
            {
                return line[i..].trim().to_owned();
            }
        }
        panic!("no sign-in URL printed");
    })
    .await
    .unwrap();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(
        url.contains(&format!("127.0.0.1%3A{port}%2Fcallback"))
            || url.contains(&format!("127.0.0.1:{port}/callback")),
        "{url}"
    );
    let page = reqwest::get(&url).await.unwrap();
    assert!(
        page.status().is_success(),
        "the loopback page answers: {}",
        page.status()
    );
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["id"].as_str().unwrap().to_owned()
}

/// A fake Spotify with Bob signed in through `accounts add` and an empty
/// playlist `name` created through `playlists create`: the account id and
/// the playlist id.
pub(crate) async fn bob_with_playlist(name: &str) -> (FakeSpotify, Env, String, String) {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    fake.set_catalogue(catalogue());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    let created = json(&ok(env
        .run_async(&["playlists", "create", &id, name, "--json"])
        .await));
    assert_eq!(created["name"], name);
    let pid = created["id"].as_str().unwrap().to_owned();
    (fake, env, id, pid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_create_a_playlist_and_sync_a_file_into_it_and_liked_songs() {
    let (fake, env, id, pid) = bob_with_playlist("Road trip").await;
    assert_eq!(id, "spotify-bob");

    let src = env.write("src.csv", SOURCE);
    let target = format!("{id}:{pid}");
    let v = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    let c = catalogue();
    let uri = |name: &str, artist: &str| c.find(name, artist).unwrap().uri();
    assert_eq!(
        fake.playlist_items(&pid),
        vec![
            uri("Karma Police", "Radiohead"),
            uri("Halo", "Beyoncé"),
            uri("Hoppípolla", "Sigur Rós")
        ],
        "{v:#}"
    );
    assert_eq!(v["added"], 3);
    assert_eq!(v["not_found"], 1);
    // The ISRC was searched first.
    let searches: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/search"))
        .filter_map(|r| r.param("q"))
        .collect();
    assert!(
        searches.iter().any(|q| q.contains("isrc:GBAYE9700106")),
        "{searches:?}"
    );

    // The access token expires: musync refreshes it and goes on.
    fake.state().expire_access_tokens();
    let again = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "a second run adds nothing: {again:#}");
    assert_eq!(fake.playlist_items(&pid).len(), 3);

    let liked = json(&ok(env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &format!("{id}:liked"),
            "--direction",
            "to-right",
            "--yes",
            "--json",
        ])
        .await));
    assert_eq!(liked["added"], 3, "{liked:#}");
    assert_eq!(fake.liked("bob").len(), 3);
}

/// issue 11: two runs start with a dead access token and single-use
/// refresh tokens. They take turns renewing: one spends the refresh token,
/// the other uses what it stored. Both work; one refresh is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_with_an_expired_token_renew_it_once_and_both_work() {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    fake.set_catalogue(catalogue());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    assert!(
        fake.state().rotate_refresh_tokens,
        "single-use refresh tokens"
    );
    fake.state().expire_access_tokens();
    let liked = format!("{id}:liked");
    let args = ["tracks", liked.as_str(), "--json"];
    let (a, b) = tokio::join!(env.run_async(&args), env.run_async(&args));
    ok(a);
    ok(b);
    let refreshes = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/api/token") && r.status == 200)
        .count();
    // One exchange of the sign-in code, one renewal.
    assert_eq!(
        refreshes,
        2,
        "{:?}",
        fake.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

/// Every file under `dir` with its bytes: a whole data dir, to compare.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// issue 10: under --dry-run nothing is written anywhere, both ways, after
/// a real sync filled the store: the whole data dir is byte for byte the
/// same, the file is unchanged, and Spotify saw only reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_writes_nothing_to_the_data_dir_the_file_or_the_service() {
    let (fake, env, id, pid) = bob_with_playlist("Road trip").await;
    let target = format!("{id}:{pid}");
    let src = env.write("src.csv", SOURCE);
    // One song in the playlist that the file lacks, so both ways have work.
    let one = env.write(
        "one.csv",
        "Track Name,Artist Name(s),Duration (ms)\nHalo,Beyoncé,261000\n",
    );
    ok(env
        .run_async(&["sync", one.to_str().unwrap(), &target, "--yes", "--json"])
        .await);
    assert_eq!(fake.playlist_items(&pid).len(), 1);

    let data_before = snapshot(&env.data_dir());
    let file_before = std::fs::read(&src).unwrap();
    let requests_before = fake.requests().len();
    let v = json(&ok(env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &target,
            "--dry-run",
            "--json",
        ])
        .await));
    assert!(v["would_add"].as_u64().unwrap() >= 2, "{v:#}");
    assert_eq!(v["added"], 0);

    assert_eq!(
        snapshot(&env.data_dir()),
        data_before,
        "the data dir changed"
    );
    assert_eq!(
        std::fs::read(&src).unwrap(),
        file_before,
        "the file changed"
    );
    assert_eq!(fake.playlist_items(&pid).len(), 1, "the playlist changed");
    let writes: Vec<String> = fake.requests()[requests_before..]
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(writes.is_empty(), "a dry run sent {writes:?}");
}
