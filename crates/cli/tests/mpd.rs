//! MPD stored playlists end to end through the binary, against the REAL
//! mpd (Debian package; scripts/test.sh installs it): sign-in with the
//! password on stdin (a wrong one is a clear error; the password nowhere
//! in clear outside the secret store), a new stored playlist listed while
//! empty, a CSV synced into it (no decoy, missing songs not found, a
//! second run adds nothing), and an mpd that goes away mid-run.

use crate::util::*;
use musync_testservers::{Mpd, MusicDir, SYNC_SOURCE_CSV, sync_library};

const PASSWORD: &str = "mpd pässword";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mpd_sign_in_sync_and_a_server_that_goes_away() {
    let music = MusicDir::new(&sync_library());
    let mut mpd = Mpd::start(&music, Some(PASSWORD));
    let mut env = Env::new();
    // The defaults come from MPD_HOST/MPD_PORT, as for mpc.
    env.var("MPD_HOST", "127.0.0.1")
        .var("MPD_PORT", mpd.port().to_string());

    let wrong = env
        .cmd(&["accounts", "add", "mpd", "--password-stdin"])
        .write_stdin("not it\n")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    let said = stderr(&wrong);
    assert!(
        said.contains("MPD refused the password") && said.contains("127.0.0.1"),
        "{said}"
    );

    let added = ok(env
        .cmd(&["accounts", "add", "mpd", "--password-stdin", "--json"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap());
    let id = json(&added)["id"].as_str().unwrap().to_owned();
    assert_eq!(id, format!("mpd-127.0.0.1-{}", mpd.port()));

    let created = json(&ok(env
        .run_async(&["playlists", "create", &id, "Road trip ♪", "--json"])
        .await));
    assert_eq!(created["id"], "Road trip ♪");
    let lists = json(&ok(env.run_async(&["playlists", &id, "--json"]).await));
    assert!(
        lists
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "Road trip ♪" && p["writable"] == true),
        "listed while empty: {lists}"
    );
    let target = format!("{id}:Road trip ♪");

    let src = env.write("src.csv", SYNC_SOURCE_CSV);
    let first = env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await;
    let v = json(&first);
    assert_eq!(
        (v["added"].as_u64(), v["not_found"].as_u64()),
        (Some(4), Some(1)),
        "{v:#}"
    );
    let file = std::fs::read_to_string(mpd.playlist_dir().join("Road trip ♪.m3u")).unwrap();
    let uri = |t: &str, a: &str| music.uri_of(t, a).unwrap();
    assert_eq!(
        file.lines().collect::<Vec<_>>(),
        [
            uri("Karma Police", "Radiohead"),
            uri("Halo", "Beyoncé"),
            uri("Hoppípolla", "Sigur Rós"),
            uri("戦場のメリークリスマス", "坂本龍一"),
        ],
        "exactly these files, in order: no live version, cover or remix"
    );

    let again = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");

    let more = env.write(
        "more.csv",
        &format!("{SYNC_SOURCE_CSV}Halo - Remix,Beyoncé,300000,\n"),
    );
    mpd.pause();
    let started = std::time::Instant::now();
    let down = env
        .run_async(&["sync", more.to_str().unwrap(), &target, "--yes", "--json"])
        .await;
    assert_eq!(down.status.code(), Some(1), "{}", stderr(&down));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let said = format!("{}{}", stdout(&down), stderr(&down));
    assert!(
        said.contains(&format!("MPD at 127.0.0.1:{}", mpd.port()))
            && said.contains("could not reach MPD"),
        "{said}"
    );

    mpd.resume();
    let rerun = json(&ok(env
        .run_async(&["sync", more.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(rerun["added"], 1, "{rerun:#}");
    let file = std::fs::read_to_string(mpd.playlist_dir().join("Road trip ♪.m3u")).unwrap();
    assert_eq!(file.lines().count(), 5, "nothing duplicated: {file}");

    assert_secret_nowhere(&env, PASSWORD, &[&wrong, &added, &first, &down]);
}
