//! A Subsonic server end to end through the binary, against the REAL
//! supysonic (Debian package; scripts/test.sh installs it): sign-in with
//! the password on stdin (a wrong one is a clear error; the password is
//! nowhere in clear outside the secret store), exact playlists, a CSV
//! synced into a new playlist (no decoy, missing songs not found, a second
//! run adds nothing), starred filled, and a stopped server a clear error
//! with nothing duplicated after the rerun.

use crate::util::*;
use musync_testservers::{MusicDir, Supysonic, TestSong};
use std::path::Path;

const PASSWORD: &str = "sécret pw ✓";

fn library() -> Vec<TestSong> {
    vec![
        TestSong::new("Karma Police", "Radiohead", "OK Computer", 264),
        TestSong::new(
            "Karma Police - Live",
            "Radiohead",
            "Live at the Astoria",
            281,
        ),
        TestSong::new("Karma Police", "Scala & Kolacny Brothers", "Covers", 250),
        TestSong::new("Halo", "Beyoncé", "I Am... Sasha Fierce", 261),
        TestSong::new("Halo - Remix", "Beyoncé", "Remixes", 300),
        TestSong::new("Hoppípolla", "Sigur Rós", "Takk...", 268),
        TestSong::new(
            "戦場のメリークリスマス",
            "坂本龍一",
            "Merry Christmas Mr. Lawrence",
            281,
        ),
    ]
}

const SOURCE: &str = "Track Name,Artist Name(s),Duration (ms),ISRC\n\
Karma Police,Radiohead,264000,GBAYE9700106\n\
Halo,Beyonce,261000,\n\
Hoppipolla,Sigur Ros,268000,\n\
戦場のメリークリスマス,坂本龍一,281000,\n\
Nonexistent Song,Nobody,100000,\n";

/// Every file under `dir` except the secret store itself.
fn files_outside_the_secret_store(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_outside_the_secret_store(&p, out);
        } else if p.file_name().is_none_or(|n| n != "secrets.json") {
            out.push(p);
        }
    }
}

fn assert_password_nowhere(env: &Env, outputs: &[&std::process::Output]) {
    let hex: String = PASSWORD.bytes().map(|b| format!("{b:02x}")).collect();
    let mut files = Vec::new();
    files_outside_the_secret_store(&env.data_dir(), &mut files);
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(PASSWORD) && !text.contains(&hex),
            "password in {}",
            f.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secrets = env.data_dir().join("secrets.json");
        if secrets.exists() {
            let mode = std::fs::metadata(&secrets).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the secret store is private");
        }
    }
    for o in outputs {
        let all = format!("{}{}", stdout(o), stderr(o));
        assert!(
            !all.contains(PASSWORD) && !all.contains(&hex),
            "password in output: {all}"
        );
        assert!(
            !all.contains("?u=") && !all.contains("&t=") && !all.contains("enc:"),
            "no request URL: {all}"
        );
    }
}

fn titles_artists(v: &serde_json::Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap().to_owned(),
                t["artist"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supysonic_sign_in_sync_starred_and_a_server_that_goes_away() {
    let music = MusicDir::new(&library());
    let mut server = Supysonic::start(&music, &[("alice", PASSWORD)]);
    let env = Env::new();
    let url = server.url();

    // A wrong password: a clear error, nothing stored.
    let wrong = env
        .cmd(&[
            "accounts",
            "add",
            "subsonic",
            "--url",
            &url,
            "--user",
            "alice",
            "--password-stdin",
        ])
        .write_stdin("not it\n")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    let said = stderr(&wrong);
    assert!(
        said.contains("user name or password") && said.contains("127.0.0.1"),
        "{said}"
    );
    let none = json(&ok(env.run(&["accounts", "list", "--json"])));
    assert_eq!(
        none.as_array().map(Vec::len).unwrap_or(0),
        0,
        "nothing stored: {none}"
    );

    // The right one, with the newline a pipe adds.
    let added = ok(env
        .cmd(&[
            "accounts",
            "add",
            "subsonic",
            "--url",
            &url,
            "--user",
            "alice",
            "--password-stdin",
            "--json",
        ])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap());
    let id = json(&added)["id"].as_str().unwrap().to_owned();
    assert!(
        id.starts_with("subsonic-alice@127.0.0.1-") && !id.contains(':'),
        "{id}"
    );

    let lists = json(&ok(env.run(&["playlists", &id, "--json"])));
    let first = &lists[0];
    assert_eq!(
        (first["id"].as_str(), first["writable"].as_bool()),
        (Some("starred"), Some(true)),
        "{lists}"
    );

    let created = json(&ok(env
        .run_async(&["playlists", "create", &id, "Road trip ♪", "--json"])
        .await));
    let pid = created["id"].as_str().unwrap().to_owned();
    let target = format!("{id}:{pid}");

    let src = env.write("src.csv", SOURCE);
    let first_run = env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await;
    let v = json(&first_run);
    assert_eq!(v["added"], 4, "{v:#}");
    assert_eq!(v["not_found"], 1, "{v:#}");
    let tracks = json(&ok(env.run_async(&["tracks", &target, "--json"]).await));
    assert_eq!(
        titles_artists(&tracks),
        [
            ("Karma Police", "Radiohead"),
            ("Halo", "Beyoncé"),
            ("Hoppípolla", "Sigur Rós"),
            ("戦場のメリークリスマス", "坂本龍一"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned())),
        "exact songs in order, no live version, cover or remix"
    );

    let again = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "a second run adds nothing: {again:#}");

    let starred = format!("{id}:starred");
    let liked = json(
        &env.run_async(&[
            "sync",
            src.to_str().unwrap(),
            &starred,
            "--direction",
            "to-right",
            "--yes",
            "--json",
        ])
        .await,
    );
    assert_eq!(liked["added"], 4, "{liked:#}");
    let stars = json(&ok(env.run_async(&["tracks", &starred, "--json"]).await));
    assert_eq!(stars.as_array().unwrap().len(), 4);

    // The server goes away: exit 1 within a minute, the server named, no URL.
    let more = env.write(
        "more.csv",
        &format!("{SOURCE}Halo - Remix,Beyoncé,300000,\n"),
    );
    server.pause();
    let started = std::time::Instant::now();
    let down = env
        .run_async(&["sync", more.to_str().unwrap(), &target, "--yes", "--json"])
        .await;
    assert_eq!(down.status.code(), Some(1), "{}", stderr(&down));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let said = format!("{}{}", stdout(&down), stderr(&down));
    assert!(said.contains("Subsonic server 127.0.0.1:"), "{said}");
    assert!(
        said.contains("connect") || said.contains("running"),
        "{said}"
    );

    // Back up: the rerun adds the one new song and duplicates nothing.
    server.resume();
    let rerun = json(&ok(env
        .run_async(&["sync", more.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(rerun["added"], 1, "{rerun:#}");
    let tracks = json(&ok(env.run_async(&["tracks", &target, "--json"]).await));
    assert_eq!(tracks.as_array().unwrap().len(), 5, "{tracks:#}");

    assert_password_nowhere(&env, &[&wrong, &added, &first_run, &down]);
}
