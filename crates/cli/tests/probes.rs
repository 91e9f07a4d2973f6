//! The probe table of issue 11, re-measured: each probe repeats one row's
//! experiment as the issue ran it and prints `PROBE|row|result`. They are
//! `#[ignore]`d (minutes of repetitions, release builds): run them with
//! `scripts/probe-table.sh`, which builds in release mode and prints the
//! table. The properties themselves are asserted by the fast tests
//! (concurrency, crash, fatal, hostile, orphans).

use crate::crash::{age_file, spawn, wait_for};
use crate::spotify::sign_in;
use crate::util::*;
use fake_spotify::{AuthorizeMode, Catalogue, FakeSpotify};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn probe(row: &str, result: String) {
    println!("PROBE|{row}|{result}");
}

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

fn catalogue_csv(cat: &Catalogue, range: std::ops::Range<usize>) -> String {
    let mut s = String::from("Track Name,Artist Name(s),Duration (ms),ISRC\n");
    for t in &cat.tracks[range] {
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

fn m3u_titles(env: &Env, file: &Path) -> Vec<String> {
    let out = ok(env.run(&["tracks", file.to_str().unwrap(), "--json"]));
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

fn start(env: &Env, args: &[&str]) -> std::process::Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("musync"));
    c.arg("--data-dir").arg(env.data_dir()).args(args);
    c.env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &env.vars {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

#[test]
#[ignore = "a measurement: scripts/probe-table.sh"]
fn probe_two_syncs_into_one_m3u8() {
    for (row, same, runs) in [
        (
            "two sync runs into one M3U8 at once, different sources (150 songs each)",
            false,
            11,
        ),
        ("the same, same source", true, 6),
    ] {
        let env = Env::new();
        let a = env.write("a.csv", &csv_of("Alpha", 150));
        let b = env.write("b.csv", &csv_of("Beta", 150));
        let (mut bad_runs, mut lost, mut dups, mut nonzero) = (0, 0, 0, 0);
        for run in 0..runs {
            let t = env.path(&format!("t{run}.m3u8"));
            let second = if same { &a } else { &b };
            let kids: Vec<_> = [&a, second]
                .iter()
                .map(|s| {
                    start(
                        &env,
                        &[
                            "sync",
                            s.to_str().unwrap(),
                            t.to_str().unwrap(),
                            "--direction",
                            "to-right",
                            "--yes",
                        ],
                    )
                })
                .collect();
            for k in kids {
                if !k.wait_with_output().unwrap().status.success() {
                    nonzero += 1;
                }
            }
            let got = m3u_titles(&env, &t);
            let unique: HashSet<&String> = got.iter().collect();
            let want = if same { 150 } else { 300 };
            let l = want - unique.len();
            let d = got.len() - unique.len();
            if l > 0 || d > 0 {
                bad_runs += 1;
            }
            lost += l;
            dups += d;
        }
        probe(
            row,
            format!(
                "{lost} lost, {dups} duplicates in {runs} runs ({bad_runs} runs wrong); {nonzero} non-zero exits"
            ),
        );
    }
}

async fn spotify(n: usize) -> (FakeSpotify, Env, String, Catalogue) {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let cat = Catalogue::generated(n);
    fake.set_catalogue(cat.clone());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    (fake, env, id, cat)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: scripts/probe-table.sh"]
async fn probe_spotify_rows() {
    let (fake, env, id, cat) = spotify(300).await;
    let a = env.write("a.csv", &catalogue_csv(&cat, 0..150));
    let b = env.write("b.csv", &catalogue_csv(&cat, 150..300));

    // Two runs into one playlist at once.
    let (mut dups, mut lost) = (0, 0);
    for run in 0..6 {
        let pid = fake.add_playlist("bob", &format!("p{run}"), &[]);
        let target = format!("{id}:{pid}");
        let args_a = ["sync", a.to_str().unwrap(), &target, "--yes"];
        let args_b = ["sync", b.to_str().unwrap(), &target, "--yes"];
        let (x, y) = tokio::join!(env.run_async(&args_a), env.run_async(&args_b));
        ok(x);
        ok(y);
        let items = fake.playlist_items(&pid);
        let unique: HashSet<&String> = items.iter().collect();
        dups += items.len() - unique.len();
        lost += 300 - unique.len();
    }
    probe(
        "two runs into one Spotify playlist at once",
        format!("{dups} duplicates, {lost} lost in 6 of 6 runs"),
    );

    // One search answered 429 with Retry-After 3600.
    let pid = fake.add_playlist("bob", "rate", &[]);
    let target = format!("{id}:{pid}");
    let all = env.write("all.csv", &catalogue_csv(&cat, 0..300));
    fake.state().slow_searches = Duration::from_millis(5);
    let mut cmd = env.cmd(&["sync", all.to_str().unwrap(), &target, "--yes", "--json"]);
    let started = Instant::now();
    let run = tokio::task::spawn_blocking(move || cmd.output().unwrap());
    let searches = |fake: &FakeSpotify| {
        fake.requests()
            .iter()
            .filter(|r| r.path.ends_with("/search"))
            .count()
    };
    let base = searches(&fake);
    wait_for("searches", Duration::from_secs(60), || {
        searches(&fake) >= base + 50
    })
    .await;
    {
        let mut st = fake.state();
        st.retry_after_s = 3600;
        st.fail_with_429 = 1;
    }
    let out = run.await.unwrap();
    let elapsed = started.elapsed();
    fake.state().slow_searches = Duration::ZERO;
    let reqs = fake.requests();
    let at = reqs.iter().position(|r| r.status == 429).unwrap();
    let after = reqs[at + 1..]
        .iter()
        .filter(|r| r.path.ends_with("/search"))
        .count();
    let v = json(&out);
    probe(
        "one search answered 429 with Retry-After 3600",
        format!(
            "{after} more searches answered after it; {} added (the songs found before), {} \"not attempted\"; exit {:?}; {:.1} s",
            v["added"],
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["reason"]
                    .as_str()
                    .is_some_and(|s| s.contains("not attempted")))
                .count(),
            out.status.code(),
            elapsed.as_secs_f64()
        ),
    );

    // Refresh token revoked mid-run.
    let pid = fake.add_playlist("bob", "revoked", &[]);
    let target = format!("{id}:{pid}");
    fake.state().slow_searches = Duration::from_millis(5);
    let mut cmd = env.cmd(&["sync", all.to_str().unwrap(), &target, "--yes"]);
    let started = Instant::now();
    let run = tokio::task::spawn_blocking(move || cmd.output().unwrap());
    let base = searches(&fake);
    wait_for("searches", Duration::from_secs(60), || {
        searches(&fake) >= base + 50
    })
    .await;
    let armed = fake.requests().len();
    {
        let mut st = fake.state();
        st.revoke_refresh_tokens();
        st.expire_access_tokens();
    }
    let out = run.await.unwrap();
    fake.state().slow_searches = Duration::ZERO;
    let refreshes = fake.requests()[armed..]
        .iter()
        .filter(|r| r.path.ends_with("/api/token"))
        .count();
    let err = stderr(&out);
    let said = err
        .lines()
        .find(|l| l.contains("sign-in expired"))
        .unwrap_or("")
        .chars()
        .take(120)
        .collect::<String>();
    probe(
        "refresh token revoked mid-run",
        format!(
            "{refreshes} refresh request(s) in {:.1} s; exit {:?}; says: {said}",
            started.elapsed().as_secs_f64(),
            out.status.code()
        ),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: scripts/probe-table.sh"]
async fn probe_expired_token_two_runs() {
    let mut failures = 0;
    for _ in 0..6 {
        let (fake, env, id, _) = spotify(10).await;
        fake.state().expire_access_tokens();
        let liked = format!("{id}:liked");
        let args = ["tracks", liked.as_str(), "--json"];
        let (a, b) = tokio::join!(env.run_async(&args), env.run_async(&args));
        failures += [a, b].iter().filter(|o| !o.status.success()).count();
    }
    probe(
        "two runs start with an expired access token (single-use refresh tokens)",
        format!("{failures} of 12 runs failed"),
    );
}

#[test]
#[ignore = "a measurement: scripts/probe-table.sh"]
fn probe_file_rows() {
    // A journaled add, then the target file deleted, then sync again.
    let env = Env::new();
    let src = env.write("src.csv", &csv_of("J", 50));
    let t = env.path("t.m3u8");
    let args = [
        "sync",
        src.to_str().unwrap(),
        t.to_str().unwrap(),
        "--direction",
        "to-right",
        "--yes",
        "--json",
    ];
    ok(env.run(&args));
    std::fs::remove_file(&t).unwrap();
    let out = env.run(&args);
    let v = json(&out);
    probe(
        "a journaled add, then the target file deleted, then sync again",
        format!(
            "{} added, {} skipped, file {} ({} songs), exit {:?}",
            v["added"],
            v["skipped"],
            if t.exists() { "written" } else { "missing" },
            if t.exists() {
                m3u_titles(&env, &t).len()
            } else {
                0
            },
            out.status.code()
        ),
    );

    // kill -9 during a file write, 12 kills.
    let dir = env.path("w");
    std::fs::create_dir(&dir).unwrap();
    let big = dir.join("big.m3u8");
    let mut old = String::from("#EXTM3U\n");
    for i in 0..100_000 {
        old.push_str(&format!("#EXTINF:200,Band {i} - Old {i}\n/m/{i}.mp3\n"));
    }
    let new = env.write("new.csv", &csv_of("New", 2));
    let (mut landed, mut left_at_once, mut torn) = (0, 0, 0);
    for _ in 0..12 {
        std::fs::write(&big, &old).unwrap();
        let mut child = spawn(
            &env,
            &[
                "sync",
                new.to_str().unwrap(),
                big.to_str().unwrap(),
                "--direction",
                "to-right",
                "--yes",
            ],
        );
        loop {
            if !crate::crash::temp_files(&dir).is_empty() {
                let _ = child.kill();
                landed += 1;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.wait();
        let text = std::fs::read_to_string(&big).unwrap();
        if text != old && text.matches("#EXTINF").count() != 100_002 {
            torn += 1;
        }
        left_at_once += crate::crash::temp_files(&dir).len();
    }
    let left_before = crate::crash::temp_files(&dir).len();
    for t in crate::crash::temp_files(&dir) {
        age_file(&t, Duration::from_secs(120));
    }
    std::fs::write(&big, &old).unwrap();
    ok(env.run(&[
        "sync",
        new.to_str().unwrap(),
        big.to_str().unwrap(),
        "--direction",
        "to-right",
        "--yes",
    ]));
    probe(
        "kill -9 during a file write",
        format!(
            "{landed} of 12 kills landed during the write; {torn} torn files; {left_before} `.musync-*.tmp` left, {} after the next write (once older than 60 s)",
            crate::crash::temp_files(&dir).len()
        ),
    );
    let _ = left_at_once;

    // 4 KB of junk inside musync.db.
    let env = Env::new();
    ok(env.run(&["pairs", "list"]));
    let db = env.data_dir().join("musync.db");
    let src = env.write("s.m3u8", "#EXTM3U\n#EXTINF:1,A - B\n/b.mp3\n");
    let t = env.path("junk-target.m3u8");
    for i in 0..40 {
        ok(env.run(&[
            "pairs",
            "add",
            src.to_str().unwrap(),
            t.to_str().unwrap(),
            "--name",
            &format!("p{i}"),
        ]));
    }
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        f.seek(SeekFrom::Start(8192)).unwrap();
        f.write_all(&[0xA5; 4096]).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let codes: Vec<String> = [
        vec!["accounts", "list"],
        vec!["sync", src.to_str().unwrap(), t.to_str().unwrap(), "--yes"],
        vec!["decisions", t.to_str().unwrap()],
    ]
    .iter()
    .map(|a| format!("{} → {:?}", a[0], env.run(a).status.code()))
    .collect();
    probe(
        "4 KB of junk inside musync.db",
        format!(
            "{}; database {}; target {}",
            codes.join(", "),
            if std::fs::read(&db).unwrap() == before {
                "unchanged"
            } else {
                "CHANGED"
            },
            if t.exists() { "WRITTEN" } else { "not written" }
        ),
    );

    // First two runs on a fresh data dir at once.
    let mut locked = 0;
    for _ in 0..6 {
        let env = Env::new();
        let a = env.write("a.m3u8", "#EXTM3U\n#EXTINF:1,A - B\n/b.mp3\n");
        let kids: Vec<_> = (0..2)
            .map(|i| {
                let t = env.path(&format!("t{i}.m3u8"));
                start(
                    &env,
                    &["sync", a.to_str().unwrap(), t.to_str().unwrap(), "--yes"],
                )
            })
            .collect();
        for k in kids {
            let out = k.wait_with_output().unwrap();
            if stderr(&out).contains("database is locked") || !out.status.success() {
                locked += 1;
            }
        }
    }
    probe(
        "first two runs on a fresh data dir at once",
        format!("{locked} of 12 runs failed (\"database is locked\")"),
    );

    // Formula-looking titles in CSV written for people.
    let env = Env::new();
    let src = env.write(
        "f.m3u8",
        "#EXTM3U\n#EXTINF:1,Band - =HYPERLINK(\"x\")\n/a.mp3\n#EXTINF:1,Band - +1\n/b.mp3\n#EXTINF:1,Band - @me\n/c.mp3\n#EXTINF:1,Band - -dash\n/d.mp3\n",
    );
    let out = ok(env.run(&["export", src.to_str().unwrap(), "--format", "csv"]));
    let text = stdout(&out);
    let live = text
        .lines()
        .skip(1)
        .filter(|l| l.starts_with(['=', '+', '@', '-']))
        .count();
    probe(
        "a title starting with `=`, `+`, `@` or `-` (export --format csv)",
        format!("{live} of 4 cells written as a live formula"),
    );

    // An M3U with CR-only line endings.
    let env = Env::new();
    let mut m3u = String::from("#EXTM3U\r");
    let mut csv = String::from("Track Name,Artist Name(s),Duration (ms)\n");
    for i in 0..50 {
        m3u.push_str(&format!("#EXTINF:200,Band - Song {i}\r/m/{i}.mp3\r"));
        csv.push_str(&format!("Song {i},Band,200000\n"));
    }
    let mac = env.write("mac.m3u", &m3u);
    let src = env.write("src.csv", &csv);
    let read_n = m3u_titles(&env, &mac).len();
    let v = json(&ok(env.run(&[
        "sync",
        src.to_str().unwrap(),
        mac.to_str().unwrap(),
        "--direction",
        "to-right",
        "--yes",
        "--json",
    ])));
    probe(
        "an M3U with old Mac CR-only line endings",
        format!(
            "read as {read_n} songs; a sync of the same 50 songs adds {}",
            v["added"]
        ),
    );

    // A song and its remaster (other ISRCs), one run vs two runs.
    let env = Env::new();
    let one = env.write(
        "one.csv",
        "Track Name,Artist Name(s),Duration (ms),ISRC\nHeroes,David Bowie,371000,GBAYE7700001\n",
    );
    let two = env.write("two.csv", "Track Name,Artist Name(s),Duration (ms),ISRC\nHeroes - 2017 Remaster,David Bowie,371000,GBAYE1700002\n");
    let both = env.write("both.csv", "Track Name,Artist Name(s),Duration (ms),ISRC\nHeroes,David Bowie,371000,GBAYE7700001\nHeroes - 2017 Remaster,David Bowie,371000,GBAYE1700002\n");
    let t1 = env.path("t1.m3u8");
    let t2 = env.path("t2.m3u8");
    let sync = |s: &Path, t: &Path| {
        json(&ok(env.run(&[
            "sync",
            s.to_str().unwrap(),
            t.to_str().unwrap(),
            "--direction",
            "to-right",
            "--yes",
            "--json",
        ])))["added"]
            .as_u64()
            .unwrap()
    };
    let same_run = sync(&both, &t1);
    let two_runs = sync(&one, &t2) + sync(&two, &t2);
    probe(
        "a song and its remaster (different ISRCs), same run vs two runs",
        format!("{same_run} added in one run, {two_runs} across two runs"),
    );
}
