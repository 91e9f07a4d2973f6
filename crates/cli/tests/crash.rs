//! kill -9 at the worst moments (issues 11 and 16): while searching, with
//! an add in flight, during a file write, and during a saved run's
//! propagated removals. The run after the crash must leave 0 duplicates,
//! 0 songs lost, no removal made twice, no temporary file of musync's
//! after its write, and exit 0; the killed run dies by the signal.

use crate::spotify::sign_in;
use crate::util::*;
use fake_spotify::{AuthorizeMode, Catalogue, FakeSpotify};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts musync without waiting for it (stdin closed, output dropped).
pub(crate) fn spawn(env: &Env, args: &[&str]) -> Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("musync"));
    c.arg("--data-dir").arg(env.data_dir()).args(args);
    c.env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in &env.vars {
        c.env(k, v);
    }
    c.spawn().expect("musync starts")
}

/// Sends SIGKILL and checks that the run died by it (had it finished
/// first, the trial would prove nothing).
#[track_caller]
pub(crate) fn kill_9(mut child: Child, what: &str) {
    use std::os::unix::process::ExitStatusExt;
    let finished = child.try_wait().expect("wait");
    assert!(
        finished.is_none(),
        "{what}: the run ended ({finished:?}) before the kill"
    );
    child.kill().expect("kill -9");
    let status = child.wait().expect("wait");
    assert_eq!(status.signal(), Some(9), "{what}: {status:?}");
}

/// Polls `done` every millisecond (off the fake's threads) until it holds,
/// or panics after `limit`.
pub(crate) async fn wait_for(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// A CSV of the catalogue's first `n` songs, ISRCs included (confident
/// matches: every song has exactly one target track).
fn source_csv(cat: &Catalogue, n: usize) -> String {
    let mut s = String::from("Track Name,Artist Name(s),Duration (ms),ISRC\n");
    for t in cat.tracks.iter().take(n) {
        s.push_str(&format!(
            "{},{},{},{}\n",
            t.name,
            t.artists[0],
            t.duration_ms,
            t.isrc.as_deref().unwrap_or("")
        ));
    }
    s
}

/// Asserts `items` holds each of the first `n` catalogue songs exactly once.
#[track_caller]
fn exactly_once(items: &[String], cat: &Catalogue, n: usize, what: &str) {
    let unique: HashSet<&String> = items.iter().collect();
    assert_eq!(unique.len(), items.len(), "{what}: duplicates in {items:?}");
    let want: HashSet<String> = cat.tracks.iter().take(n).map(|t| t.uri()).collect();
    let got: HashSet<String> = items.iter().cloned().collect();
    assert_eq!(got, want, "{what}: songs lost or extra");
}

async fn signed_in(n: usize) -> (FakeSpotify, Env, String, Catalogue) {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let cat = Catalogue::generated(n);
    fake.set_catalogue(cat.clone());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    (fake, env, id, cat)
}

fn searches(fake: &FakeSpotify) -> usize {
    fake.state()
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/search"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_searching_or_with_an_add_in_flight_the_next_run_adds_each_song_once() {
    const N: usize = 230;
    let (fake, env, id, cat) = signed_in(N).await;
    let src = env.write("src.csv", &source_csv(&cat, N));
    let src = src.to_str().unwrap();

    // Killed while searching, at three depths.
    for (trial, after) in [3usize, 40, 120].into_iter().enumerate() {
        let pid = fake.add_playlist("bob", &format!("search {trial}"), &[]);
        let target = format!("{id}:{pid}");
        fake.state().slow_searches = Duration::from_millis(15);
        let before = searches(&fake);
        let child = spawn(&env, &["sync", src, &target, "--yes"]);
        wait_for("searches", Duration::from_secs(60), || {
            searches(&fake) >= before + after
        })
        .await;
        kill_9(child, "searching");
        assert!(fake.playlist_items(&pid).is_empty(), "nothing added yet");
        fake.state().slow_searches = Duration::ZERO;
        let v = json(&ok(env
            .run_async(&["sync", src, &target, "--yes", "--json"])
            .await));
        assert_eq!(v["added"], N, "trial {trial}: {v:#}");
        exactly_once(
            &fake.playlist_items(&pid),
            &cat,
            N,
            "after a kill while searching",
        );
    }

    // Killed with an add in flight: Spotify applied the batch (100 songs)
    // but the answer never reached musync, whose journal says "pending".
    for (trial, applied) in [100usize, 200].into_iter().enumerate() {
        let pid = fake.add_playlist("bob", &format!("adds {trial}"), &[]);
        let target = format!("{id}:{pid}");
        fake.state().slow_write_answers = Duration::from_secs(3);
        let child = spawn(&env, &["sync", src, &target, "--yes"]);
        wait_for("an applied add", Duration::from_secs(60), || {
            fake.playlist_items(&pid).len() >= applied
        })
        .await;
        kill_9(child, "add in flight");
        fake.state().slow_write_answers = Duration::ZERO;
        let v = json(&ok(env
            .run_async(&["sync", src, &target, "--yes", "--json"])
            .await));
        assert_eq!(v["added"], N - applied, "trial {trial}: {v:#}");
        assert_eq!(v["failed"], 0);
        exactly_once(&fake.playlist_items(&pid), &cat, N, "after a kill mid-add");
        // And a third run has nothing left to do.
        let v = json(&ok(env
            .run_async(&["sync", src, &target, "--yes", "--json"])
            .await));
        assert_eq!(v["added"], 0);
    }
}

/// A saved run that propagates removals is killed after Spotify removed
/// the songs but before it answered. The next run removes nothing twice:
/// not the other copy of a song the playlist holds twice, where one copy
/// was removed from the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_during_propagated_removals_the_next_run_removes_nothing_twice() {
    const N: usize = 40;
    let (fake, env, id, cat) = signed_in(N).await;
    let uris: Vec<String> = cat.tracks.iter().map(|t| t.uri()).collect();
    // Song 1 is in both playlists twice.
    let mut both = vec![uris[0].clone()];
    both.extend(uris.iter().cloned());
    let pid = fake.add_playlist("bob", "Mirror", &both);
    let csv = |skip: &[usize]| {
        let mut s = String::from("Track Name,Artist Name(s),Duration (ms),ISRC\n");
        let mut rows: Vec<usize> = vec![0];
        rows.extend(0..N);
        for (k, &i) in rows.iter().enumerate() {
            if skip.contains(&k) {
                continue;
            }
            let t = &cat.tracks[i];
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
    let src = env.write("src.csv", &csv(&[]));
    let target = format!("{id}:{pid}");
    ok(env
        .run_async(&[
            "pairs",
            "add",
            src.to_str().unwrap(),
            &target,
            "--name",
            "mirror",
            "--removals",
            "propagate",
        ])
        .await);
    let first = json(&ok(env.run_async(&["run", "--json"]).await));
    assert_eq!(
        (first["added"].clone(), first["removed"].clone()),
        (0.into(), 0.into()),
        "{first:#}"
    );

    // Rows 0 (one copy of song 1) and songs 10, 20, 30 leave the file.
    std::fs::write(&src, csv(&[0, 10, 20, 30])).unwrap();
    fake.state().slow_write_answers = Duration::from_secs(3);
    let child = spawn(&env, &["run", "mirror"]);
    let size = both.len();
    wait_for("the removal applied", Duration::from_secs(60), || {
        fake.playlist_items(&pid).len() < size
    })
    .await;
    kill_9(child, "removal in flight");
    fake.state().slow_write_answers = Duration::ZERO;
    let mut expected = both.clone();
    for i in [30usize, 20, 10, 0] {
        expected.remove(i);
    }
    assert_eq!(fake.playlist_items(&pid), expected, "removed once each");

    for round in 0..2 {
        let out = env.run_async(&["run", "--json"]).await;
        let v = json(&ok(out));
        assert_eq!(v["added"], 0, "round {round}: {v:#}");
        assert_eq!(fake.playlist_items(&pid), expected, "round {round}: {v:#}");
    }
    assert_eq!(
        fake.playlist_items(&pid)
            .iter()
            .filter(|u| **u == uris[0])
            .count(),
        1,
        "the other copy of song 1 stays"
    );
}

pub(crate) fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".musync-") && n.ends_with(".tmp"))
        })
        .collect()
}

/// Makes a file look `age` old (musync removes only stale temporary files,
/// so a write in progress in another process is never touched).
pub(crate) fn age_file(path: &Path, age: Duration) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - age).unwrap();
}

/// kill -9 while the target file is written: it is the old file or the new
/// one, never half; the next write into the folder removes the stale
/// temporary file, and the next run adds each song once.
#[test]
fn killed_during_a_file_write_the_file_is_old_or_new_and_the_temp_file_goes() {
    const BIG: usize = 5_000;
    let env = Env::new();
    let dir = env.path("music");
    std::fs::create_dir(&dir).unwrap();
    let mut old = String::from("#EXTM3U\n");
    for i in 0..BIG {
        old.push_str(&format!(
            "#EXTINF:200,Band {i} - Old Song {i}\n/m/{i}.mp3\n"
        ));
    }
    let target = dir.join("big.m3u8");
    let src = env.write(
        "new.csv",
        "Track Name,Artist Name(s),Duration (ms)\nNew One,Fresh,200000\nNew Two,Fresh,210000\n",
    );
    let args = |json: bool| {
        let mut a = vec![
            "sync".to_owned(),
            src.to_str().unwrap().to_owned(),
            target.to_str().unwrap().to_owned(),
            "--direction".to_owned(),
            "to-right".to_owned(),
            "--yes".to_owned(),
        ];
        if json {
            a.push("--json".to_owned());
        }
        a
    };
    let mut hits = 0;
    for trial in 0..3 {
        std::fs::write(&target, &old).unwrap();
        let a = args(false);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let mut child = spawn(&env, &a);
        // Kill as soon as the temporary file appears (or the run ends).
        let started = Instant::now();
        let killed = loop {
            if !temp_files(&dir).is_empty() {
                child.kill().unwrap();
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no write");
            std::thread::sleep(Duration::from_micros(200));
        };
        let status = child.wait().unwrap();
        let text = read(&target);
        let new = text.contains("New One");
        if new {
            assert_eq!(
                text.matches("#EXTINF").count(),
                BIG + 2,
                "trial {trial}: whole"
            );
        } else {
            assert_eq!(text, old, "trial {trial}: the old file, whole");
        }
        if killed && !temp_files(&dir).is_empty() {
            hits += 1;
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9));
            for t in temp_files(&dir) {
                age_file(&t, Duration::from_secs(120));
            }
        }
        let a = args(true);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let v = json(&ok(env.run(&a)));
        let added = v["added"].as_u64().unwrap();
        assert_eq!(added, if new { 0 } else { 2 }, "trial {trial}: {v:#}");
        let text = read(&target);
        assert_eq!(
            text.matches(",Fresh - New One\n").count(),
            1,
            "trial {trial}"
        );
        assert_eq!(
            text.matches(",Fresh - New Two\n").count(),
            1,
            "trial {trial}"
        );
        assert_eq!(text.matches("#EXTINF").count(), BIG + 2, "trial {trial}");
        if new && added == 0 {
            // Nothing was written; a write is what cleans up. Write once.
            std::fs::write(&target, &old).unwrap();
            ok(env.run(&a));
        }
        assert_eq!(
            temp_files(&dir),
            Vec::<PathBuf>::new(),
            "trial {trial}: the next write removed the stale temporary file"
        );
    }
    eprintln!("{hits} of 3 kills landed during the write");
    assert!(hits > 0, "no kill landed during a write in 3 trials");
}
