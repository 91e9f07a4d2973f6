//! YouTube Music end to end through its fake: cookies.txt sign-in (and a
//! signed-out file refused with nothing stored), exact reads through
//! continuations, a sync that picks audio tracks over videos and never a
//! decoy, a second run that sends nothing, likes, a dead session reported,
//! rotated cookies persisted over a long read, no cookie in trace logs,
//! and `accounts remove` leaving no cookie in the data dir.

use crate::util::*;
use fake_ytmusic::{FakeYtMusic, Video};
use std::path::Path;

const EDIT: &str = "/youtubei/v1/browse/edit_playlist";
const LIKE: &str = "/youtubei/v1/like/like";

struct Catalogue {
    karma: String,
    halo: String,
    hoppipolla: String,
    decoys: Vec<String>,
}

/// Videos listed before their songs, so the fake's own order would pick
/// the video; covers and live takes as decoys.
fn catalogue(fake: &FakeYtMusic) -> Catalogue {
    let v = |video: Video| fake.add_video(video);
    let decoys = vec![
        v(Video::music_video("Karma Police", &["Radiohead"], 266)),
        v(Video::song(
            "Karma Police",
            &["Scala & Kolacny Brothers"],
            "Covers",
            250,
        )),
        v(Video::song(
            "Karma Police (Live)",
            &["Radiohead"],
            "Live",
            290,
        )),
        v(Video::music_video("Halo", &["Beyoncé"], 270)),
    ];
    Catalogue {
        karma: v(Video::song(
            "Karma Police",
            &["Radiohead"],
            "OK Computer",
            264,
        )),
        halo: v(Video::song(
            "Halo",
            &["Beyoncé"],
            "I Am... Sasha Fierce",
            261,
        )),
        hoppipolla: v(Video::song("Hoppípolla", &["Sigur Rós"], "Takk...", 268)),
        decoys,
    }
}

const SOURCE: &str = "Track Name,Artist Name(s),Duration (ms)\n\
Karma Police,Radiohead,264000\n\
Halo,Beyonce,261000\n\
Hoppipolla,Sigur Ros,268000\n\
Nonexistent Song,Nobody,100000\n";

async fn add_account(env: &mut Env, fake: &FakeYtMusic, cookies_txt: &str) -> std::process::Output {
    env.var("MUSYNC_YTMUSIC_URL", fake.base_url());
    let cookies = env.write("cookies.txt", cookies_txt);
    env.run_async(&[
        "accounts",
        "add",
        "ytmusic",
        "--cookies",
        cookies.to_str().unwrap(),
        "--json",
    ])
    .await
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_read_sync_like_and_forget_youtube_music() {
    let fake = FakeYtMusic::start().await;
    let c = catalogue(&fake);
    let target_pl = fake.add_playlist("Road trip", true, &[]);
    let saved = fake.add_playlist("Their mix", false, std::slice::from_ref(&c.halo));
    let mut env = Env::new();
    let id = json(&ok(add_account(&mut env, &fake, &fake.cookies_txt()).await))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(id, "ytmusic-testlistener");

    let accounts = json(&ok(env.run_async(&["accounts", "list", "--json"]).await));
    assert_eq!(accounts[0]["service"], "ytmusic");
    assert_eq!(accounts[0]["read_only"], false);

    let lists = json(&ok(env.run_async(&["playlists", &id, "--json"]).await));
    let lists = lists.as_array().unwrap();
    assert_eq!(lists[0]["id"], "liked");
    assert_eq!(lists.len(), 3, "liked, Road trip, Their mix: {lists:?}");
    let theirs = lists.iter().find(|p| p["id"] == saved.as_str()).unwrap();
    assert_eq!(theirs["writable"], false);

    // Sync a file into the playlist: audio tracks, not videos or decoys.
    let src = env.write("src.csv", SOURCE);
    let target = format!("{id}:{target_pl}");
    let sync = |to: String| {
        let src = src.to_str().unwrap().to_owned();
        let env = &env;
        async move {
            env.run_async(&[
                "sync",
                &src,
                &to,
                "--direction",
                "to-right",
                "--yes",
                "--json",
            ])
            .await
        }
    };
    let v = json(&sync(target.clone()).await);
    assert_eq!(v["added"], 3, "{v}");
    assert_eq!(v["not_found"], 1, "{v}");
    assert_eq!(
        fake.playlist_items(&target_pl),
        vec![c.karma.clone(), c.halo.clone(), c.hoppipolla.clone()]
    );
    for d in &c.decoys {
        assert!(!fake.playlist_items(&target_pl).contains(d));
    }
    let edits = fake.requests_to(EDIT);
    let v = json(&sync(target.clone()).await);
    assert_eq!(v["added"], 0, "{v}");
    assert_eq!(
        fake.requests_to(EDIT),
        edits,
        "a second run sends no edit_playlist"
    );

    // Liked Music takes likes, one per new song, never an edit.
    let v = json(&sync(format!("{id}:liked")).await);
    assert_eq!(v["added"], 3, "{v}");
    assert_eq!(fake.requests_to(LIKE), 3);
    assert_eq!(fake.liked().len(), 3);
    assert!(
        fake.forbidden_edits().is_empty(),
        "{:?}",
        fake.forbidden_edits()
    );
    assert!(
        fake.auth_failures().is_empty(),
        "{:?}",
        fake.auth_failures()
    );

    // Tracks carry the video id and no ISRC.
    let by_link = json(&ok(env
        .run_async(&["tracks", &format!("{id}:{target_pl}"), "--json"])
        .await));
    assert_eq!(by_link[0]["title"], "Karma Police");
    assert_eq!(by_link[0]["isrc"], serde_json::Value::Null);
    assert_eq!(by_link[0]["id"], c.karma.as_str());

    // Forgetting the account leaves no cookie anywhere in the data dir.
    let values = fake.cookie_values();
    assert!(
        files(&env.data_dir())
            .iter()
            .any(|(_, b)| values.iter().any(|v| holds(b, v))),
        "the cookies were stored"
    );
    ok(env.run_async(&["accounts", "remove", &id]).await);
    for (path, bytes) in files(&env.data_dir()) {
        for v in &values {
            assert!(!holds(&bytes, v), "{} still holds a cookie", path.display());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_out_cookies_file_stores_nothing_and_a_dead_session_says_sign_in_again() {
    let fake = FakeYtMusic::start().await;
    let mut env = Env::new();
    fake.set_signed_out(true);
    let out = add_account(&mut env, &fake, &fake.cookies_txt()).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("signed out"), "{}", stderr(&out));
    let listed = json(&ok(env.run_async(&["accounts", "list", "--json"]).await));
    assert_eq!(listed, serde_json::json!([]));
    if env.data_dir().exists() {
        for (path, bytes) in files(&env.data_dir()) {
            for v in fake.cookie_values() {
                assert!(!holds(&bytes, &v), "{} holds a cookie", path.display());
            }
        }
    }

    fake.set_signed_out(false);
    let id = json(&ok(add_account(&mut env, &fake, &fake.cookies_txt()).await))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fake.set_signed_out(true);
    let out = env.run_async(&["playlists", &id, "--json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("session has ended"), "{err}");
    assert!(
        err.contains("hint: sign in again: musync accounts add ytmusic"),
        "{err}"
    );
    assert!(stdout(&out).trim().is_empty(), "no empty list printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_cookies_persist_over_a_long_read_and_trace_logs_show_no_cookie() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..120)
        .map(|i| {
            fake.add_video(Video::song(
                &format!("Long Song {i:03}"),
                &["Band"],
                "LP",
                200,
            ))
        })
        .collect();
    let pl = fake.add_playlist("Long", true, &ids);
    let mut env = Env::new();
    let id = json(&ok(add_account(&mut env, &fake, &fake.cookies_txt()).await))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fake.faults().set_page_size(5);
    fake.rotate_cookies_every(3);
    env.var("RUST_LOG", "trace");
    let out = ok(env
        .run_async(&["tracks", &format!("{id}:{pl}"), "--json"])
        .await);
    assert_eq!(json(&out).as_array().unwrap().len(), 120);
    assert!(fake.rotations() >= 7, "{} rotations", fake.rotations());
    let logs = stderr(&out);
    assert!(logs.contains("TRACE"), "trace logging was on");
    for v in fake.cookie_values() {
        assert!(!logs.contains(&v), "a cookie value is in the trace log");
        assert!(!stdout(&out).contains(&v));
    }
    let secrets = read(&env.data_dir().join("secrets.json"));
    assert!(
        secrets.contains(&fake.cookie("SIDCC").unwrap()),
        "the latest rotated SIDCC is saved"
    );
    // The next run works with what was saved (older SIDCCs are dead now).
    let again = ok(env
        .run_async(&["tracks", &format!("{id}:{pl}"), "--json"])
        .await);
    assert_eq!(json(&again).as_array().unwrap().len(), 120);
    assert!(
        fake.auth_failures().is_empty(),
        "{:?}",
        fake.auth_failures()
    );
}
