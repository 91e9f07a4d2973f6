//! A Subsonic server end to end through the binary, against the REAL
//! supysonic (Debian package; scripts/test.sh installs it): sign-in with
//! the password on stdin (a wrong one is a clear error; the password is
//! nowhere in clear outside the secret store), exact playlists, a CSV
//! synced into a new playlist (no decoy, missing songs not found, a second
//! run adds nothing), starred filled, and a stopped server a clear error
//! with nothing duplicated after the rerun.

use crate::util::*;
use musync_testservers::{MusicDir, SYNC_SOURCE_CSV, Supysonic, sync_library};

const PASSWORD: &str = "sécret pw ✓";

/// The password in no file but the secret store, in no output, and no
/// request URL (it carries the credentials) in any output.
fn assert_password_nowhere(env: &Env, outputs: &[&std::process::Output]) {
    assert_secret_nowhere(env, PASSWORD, outputs);
    for o in outputs {
        let all = format!("{}{}", stdout(o), stderr(o));
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
    let music = MusicDir::new(&sync_library());
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

    let src = env.write("src.csv", SYNC_SOURCE_CSV);
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
        &format!("{SYNC_SOURCE_CSV}Halo - Remix,Beyoncé,300000,\n"),
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
