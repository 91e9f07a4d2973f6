//! Saved syncs through the binary (issue 16): `pairs`, unattended `run`
//! with baselines (a removed song never comes back), propagation and its
//! mass-removal guard, dry runs, and the review inbox against the Spotify
//! fake.

use crate::util::*;
use std::path::Path;
use std::process::Stdio;

fn songs(n: usize) -> String {
    let mut s = String::from("#EXTM3U\n");
    for i in 1..=n {
        s.push_str(&format!("#EXTINF:{i},Band - Song {i}\n/m/{i}.mp3\n"));
    }
    s
}

fn titles(p: &Path) -> Vec<String> {
    read(p)
        .lines()
        .filter_map(|l| l.strip_prefix("#EXTINF:"))
        .map(|l| l.split_once(',').map(|x| x.1).unwrap_or(l).to_owned())
        .collect()
}

/// Removes the entry "Band - Song N" from an M3U written by `songs`.
fn delete_song(p: &Path, n: usize) {
    let text = read(p);
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.ends_with(&format!(",Band - Song {n}")) && *l != format!("/m/{n}.mp3"))
        .collect();
    std::fs::write(p, kept.join("\n") + "\n").unwrap();
}

/// `run` with stdin closed, as cron runs it; returns its JSON.
fn run_json(env: &Env, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let mut args = vec!["run", "--json"];
    args.extend_from_slice(extra);
    let out = closed_stdin(env, &args);
    let v = json(&out);
    (out, v)
}

/// The binary with stdin closed (`< /dev/null`), as cron runs it.
fn closed_stdin(env: &Env, args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("musync"));
    c.arg("--data-dir").arg(env.data_dir()).args(args);
    c.env_remove("RUST_LOG").stdin(Stdio::null());
    for (k, v) in &env.vars {
        c.env(k, v);
    }
    c.output().expect("musync ran")
}

fn pair_of(v: &serde_json::Value) -> &serde_json::Value {
    &v["pairs"][0]
}

fn statuses(v: &serde_json::Value, status: &str) -> Vec<String> {
    pair_of(v)["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == status)
        .map(|r| r["source"]["title"].as_str().unwrap().to_owned())
        .collect()
}

fn setup(removals: &str, left_n: usize) -> (Env, std::path::PathBuf, std::path::PathBuf) {
    let env = Env::new();
    let l = env.write("left.m3u8", &songs(left_n));
    let r = env.path("right.m3u8");
    ok(env.run(&[
        "pairs",
        "add",
        l.to_str().unwrap(),
        r.to_str().unwrap(),
        "--name",
        "nightly",
        "--removals",
        removals,
    ]));
    (env, l, r)
}

#[test]
fn pairs_list_add_remove_and_their_errors() {
    let env = Env::new();
    let list = ok(env.run(&["pairs", "list", "--json"]));
    assert_eq!(json(&list), serde_json::json!([]));
    let l = env.write("a.m3u8", &songs(1));
    let added = ok(env.run(&[
        "pairs",
        "add",
        l.to_str().unwrap(),
        env.path("b.m3u8").to_str().unwrap(),
        "--name",
        "mine",
        "--json",
    ]));
    assert_eq!(json(&added), serde_json::json!({"name": "mine"}));
    let dup = env.run(&[
        "pairs",
        "add",
        l.to_str().unwrap(),
        env.path("c.m3u8").to_str().unwrap(),
        "--name",
        "mine",
    ]);
    assert!(!dup.status.success());
    assert!(
        stderr(&dup).contains("'mine' already exists"),
        "{}",
        stderr(&dup)
    );
    let v = json(&ok(env.run(&["pairs", "list", "--json"])));
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "the duplicate wrote nothing"
    );
    let row = &v[0];
    assert_eq!(row["name"], "mine");
    assert_eq!(row["direction"], "both");
    assert_eq!(row["removals"], "keep");
    assert_eq!(row["last_run"], serde_json::Value::Null);
    assert_eq!(row["pending"], 0);
    assert!(row["left"].as_str().unwrap().ends_with("a.m3u8"));

    let unknown = env.run(&["pairs", "remove", "nope"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("no saved sync named 'nope'"));
    let unknown_run = env.run(&["run", "nope"]);
    assert!(!unknown_run.status.success());
    assert!(!env.run(&["review", "nope"]).status.success());
    let every = env.run(&["run", "--every", "5s"]);
    assert_eq!(every.status.code(), Some(2));
    assert!(
        stderr(&every).contains("between 1m and 7d"),
        "{}",
        stderr(&every)
    );
    let every = env.run(&["run", "--every", "6x"]);
    assert_eq!(every.status.code(), Some(2));
    ok(env.run(&["pairs", "remove", "mine"]));
    assert_eq!(
        json(&ok(env.run(&["pairs", "list", "--json"]))),
        serde_json::json!([])
    );
    assert!(!env.path("b.m3u8").exists(), "nothing ran");
}

#[test]
fn a_song_removed_on_either_side_never_comes_back_and_nothing_to_do_writes_nothing() {
    let (env, l, r) = setup("keep", 5);
    let (out, v) = run_json(&env, &[]);
    ok(out);
    assert_eq!(v["added"], 5);
    assert_eq!(titles(&r).len(), 5);

    // A second run has nothing to do and rewrites nothing.
    let before = std::fs::metadata(&r).unwrap().modified().unwrap();
    let bytes = read(&r);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (out, v) = run_json(&env, &[]);
    ok(out);
    assert_eq!(v["added"], 0);
    assert_eq!(pair_of(&v)["results"], serde_json::json!([]));
    assert_eq!(read(&r), bytes);
    assert_eq!(std::fs::metadata(&r).unwrap().modified().unwrap(), before);

    // Removed on the right, and on the left: kept out, run after run.
    delete_song(&r, 2);
    delete_song(&l, 4);
    for round in 0..3 {
        let (out, v) = run_json(&env, &[]);
        ok(out);
        assert_eq!(v["added"], 0, "round {round}");
        let mut kept_out = statuses(&v, "not_restored");
        kept_out.sort();
        assert_eq!(kept_out, ["Song 2", "Song 4"], "round {round}");
        assert_eq!(pair_of(&v)["not_restored"], 2);
        assert!(!titles(&r).contains(&"Band - Song 2".to_owned()));
        assert!(!titles(&l).contains(&"Band - Song 4".to_owned()));
        assert!(
            titles(&l).contains(&"Band - Song 2".to_owned()),
            "keep: left keeps it"
        );
    }
}

#[test]
fn propagation_removes_one_occurrence_and_dry_run_changes_nothing() {
    let (env, l, r) = setup("propagate", 10);
    ok(run_json(&env, &[]).0);
    delete_song(&r, 3);
    delete_song(&l, 7);
    let (lb, rb) = (read(&l), read(&r));

    let (out, v) = run_json(&env, &["--dry-run"]);
    ok(out);
    let mut would = statuses(&v, "would_remove");
    would.sort();
    assert_eq!(would, ["Song 3", "Song 7"]);
    assert_eq!(
        (read(&l), read(&r)),
        (lb.clone(), rb.clone()),
        "dry run wrote nothing"
    );
    // The baseline did not move: the same run again says the same.
    let (_, again) = run_json(&env, &["--dry-run"]);
    assert_eq!(statuses(&again, "would_remove").len(), 2);

    let (out, v) = run_json(&env, &[]);
    ok(out);
    assert_eq!(v["removed"], 2);
    assert_eq!(titles(&l).len(), 8, "song 3 went from the left too");
    assert_eq!(titles(&r).len(), 8, "song 7 went from the right too");
    assert!(!titles(&l).contains(&"Band - Song 3".to_owned()));
    assert!(!titles(&r).contains(&"Band - Song 7".to_owned()));
    assert_eq!(titles(&l), titles(&r), "order of the rest kept");
    for _ in 0..2 {
        let (out, v) = run_json(&env, &[]);
        ok(out);
        assert_eq!(
            (v["added"].clone(), v["removed"].clone()),
            (0.into(), 0.into())
        );
    }
}

#[test]
fn a_60_percent_deletion_removes_nothing_until_confirmed() {
    let (env, l, r) = setup("propagate", 10);
    ok(run_json(&env, &[]).0);
    for n in 1..=6 {
        delete_song(&r, n);
    }
    let left_before = read(&l);
    let (out, v) = run_json(&env, &[]);
    assert_eq!(out.status.code(), Some(1), "the pair failed");
    let err = pair_of(&v)["error"].as_str().unwrap().to_owned();
    assert!(
        err.contains("musync run nightly --allow-mass-removal"),
        "{err}"
    );
    assert!(err.contains("6 of the 10"), "{err}");
    assert_eq!(read(&l), left_before, "nothing removed");
    assert_eq!(titles(&r).len(), 4, "and nothing copied back");
    // Still refused on the next run, still not copied back.
    let (out, _) = run_json(&env, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(titles(&r).len(), 4);

    let (out, v) = run_json(&env, &["--allow-mass-removal"]);
    ok(out);
    assert_eq!(v["removed"], 6);
    assert_eq!(titles(&l), titles(&r));
    assert_eq!(titles(&l).len(), 4);
}

#[test]
fn a_pair_whose_playlist_vanished_fails_and_says_why() {
    let (env, l, r) = setup("keep", 2);
    ok(run_json(&env, &[]).0);
    std::fs::remove_file(&l).unwrap();
    let (out, v) = run_json(&env, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = pair_of(&v)["error"].as_str().unwrap().to_owned();
    assert!(
        err.contains("left.m3u8") && err.contains("does not exist"),
        "{err}"
    );
    assert!(!l.exists(), "not created again");
    assert_eq!(titles(&r).len(), 2, "the other side untouched");
    let list = json(&ok(env.run(&["pairs", "list", "--json"])));
    assert_eq!(list[0]["last_result"]["error"].as_str(), Some(err.as_str()));
}

#[test]
fn run_with_stdin_closed_never_waits() {
    let (env, _l, r) = setup("keep", 2);
    let out = closed_stdin(&env, &["run"]);
    ok(out);
    assert_eq!(titles(&r).len(), 2);
}

mod against_spotify {
    use super::*;
    use crate::spotify::bob_with_playlist;

    /// A song with candidates but no confident match is `pending`, answered
    /// in `review` (candidates numbered from 1), added by the next run and
    /// never asked again; `d` is "don't sync".
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn uncertain_songs_wait_in_the_inbox_and_answers_apply_on_the_next_run() {
        let (fake, env, id, pid) = bob_with_playlist("Saved").await;
        let src = env.write(
            "src.csv",
            "Track Name,Artist Name(s),Duration (ms),ISRC\n\
             Karma Police,Radiohead,264000,GBAYE9700106\n\
             Halo,Beyonce,330000,\n\
             Hoppipolla,Sigur Ros,150000,\n",
        );
        let target = format!("{id}:{pid}");
        ok(env
            .run_async(&[
                "pairs",
                "add",
                src.to_str().unwrap(),
                &target,
                "--name",
                "sp",
                "--direction",
                "to-right",
            ])
            .await);
        let run = env.run_async(&["run", "--json"]).await;
        let v = json(&ok(run));
        let pending = statuses(&v, "pending");
        assert!(!pending.is_empty(), "{v:#}");
        assert_eq!(statuses(&v, "added"), ["Karma Police"]);
        assert!(
            statuses(&v, "not_found")
                .iter()
                .all(|t| !pending.contains(t))
        );
        let list = json(&ok(env.run_async(&["pairs", "list", "--json"]).await));
        assert_eq!(list[0]["pending"], pending.len());

        let inbox = json(&ok(env.run_async(&["review", "--json"]).await));
        let qs = inbox.as_array().unwrap();
        assert_eq!(qs.len(), pending.len());
        assert_eq!(qs[0]["pair"], "sp");
        assert_eq!(qs[0]["from"], "left");
        assert!(!qs[0]["candidates"].as_array().unwrap().is_empty());
        assert!(qs[0]["candidates"][0]["score"].is_number());

        // Answer the first with candidate 1, the rest "don't sync".
        let chosen = qs[0]["candidates"][0]["track"]["title"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut answers = String::from("1\n");
        for _ in 1..qs.len() {
            answers.push_str("d\n");
        }
        let mut cmd = env.cmd(&["review"]);
        cmd.write_stdin(answers);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let out = ok(out);
        assert!(
            stderr(&out).contains("1)"),
            "candidates numbered: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("d) don't sync"));
        assert!(
            stderr(&out).contains("all "),
            "exits by itself: {}",
            stderr(&out)
        );
        let inbox = json(&ok(env.run_async(&["review", "--json"]).await));
        assert_eq!(inbox, serde_json::json!([]));

        let v = json(&ok(env.run_async(&["run", "--json"]).await));
        assert_eq!(
            statuses(&v, "added"),
            [qs[0]["source"]["title"].as_str().unwrap()]
        );
        assert!(statuses(&v, "pending").is_empty(), "never asked again");
        let items = fake.playlist_items(&pid);
        assert_eq!(items.len(), 2, "{items:?}");
        let _ = chosen;
        let v = json(&ok(env.run_async(&["run", "--json"]).await));
        assert_eq!(v["added"], 0);
        assert_eq!(v["pending"], 0);
    }

    /// Propagated removals reach Spotify: a song removed from the file
    /// leaves the playlist, one occurrence, the rest in order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_removal_in_the_file_is_propagated_to_a_spotify_playlist() {
        let (fake, env, id, pid) = bob_with_playlist("Mirror").await;
        let src = env.write(
            "src.csv",
            "Track Name,Artist Name(s),Duration (ms),ISRC\n\
             Karma Police,Radiohead,264000,GBAYE9700106\n\
             Halo,Beyoncé,261000,USSM10804548\n\
             Hoppípolla,Sigur Rós,268000,\n",
        );
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
        let _ = &src;
        ok(env.run_async(&["run", "mirror"]).await);
        assert_eq!(fake.playlist_items(&pid).len(), 3);
        std::fs::write(
            &src,
            "Track Name,Artist Name(s),Duration (ms),ISRC\n\
             Karma Police,Radiohead,264000,GBAYE9700106\n\
             Hoppípolla,Sigur Rós,268000,\n",
        )
        .unwrap();
        // 1 of 3 is more than 20%: confirmed.
        let v = json(&ok(env
            .run_async(&["run", "mirror", "--allow-mass-removal", "--json"])
            .await));
        assert_eq!(v["removed"], 1, "{v:#}");
        let items = fake.playlist_items(&pid);
        assert_eq!(items.len(), 2);
        for _ in 0..2 {
            let v = json(&ok(env.run_async(&["run", "--json"]).await));
            assert_eq!(
                (v["added"].clone(), v["removed"].clone()),
                (0.into(), 0.into())
            );
        }
        assert_eq!(fake.playlist_items(&pid), items);
    }
}
