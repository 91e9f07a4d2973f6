//! Last.fm end to end through its fake: desktop sign-in, syncing a CSV into
//! loved tracks (decoys never loved, a second run loves nothing), bad input
//! loving nothing, and removing the account deleting its secrets.

use crate::util::*;
use fake_lastfm::{Catalogue, FakeLastfm};

const KEY: &str = "abcdefabcdefabcdefabcdefabcdef12";
const SECRET: &str = "secret-0123456789abcdef01234567";

pub(crate) async fn signed_in(env: &mut Env, fake: &FakeLastfm) -> String {
    fake.register_app(KEY, SECRET);
    fake.add_user("alice");
    fake.set_browser_user("alice");
    fake.set_auto_approve(true);
    env.var("MUSYNC_LASTFM_API_URL", fake.api_url())
        .var("MUSYNC_LASTFM_AUTH_URL", fake.auth_url());
    let out = ok(env
        .run_async(&[
            "accounts",
            "add",
            "lastfm",
            "--api-key",
            KEY,
            "--api-secret",
            SECRET,
            "--no-browser",
            "--json",
        ])
        .await);
    let id = json(&out)["id"].as_str().unwrap().to_owned();
    assert!(
        stderr(&out).contains("token="),
        "the approval URL is printed: {}",
        stderr(&out)
    );
    id
}

pub(crate) fn catalogue() -> Catalogue {
    Catalogue::new()
        .with("Radiohead", "Karma Police", 100)
        .with("Radiohead", "Karma Police - Live in Berlin", 900)
        .with("Scala & Kolacny Brothers", "Karma Police", 50)
        .with("Queen", "Bohemian Rhapsody - Live Aid", 900)
        .with("Queen", "Bohemian Rhapsody", 800)
        .with("Adele", "Hello (Remix)", 10)
        .with("Beyoncé", "Halo", 500)
}

const SOURCE: &str = "Track Name,Artist Name(s)\n\
Karma Police,Radiohead\n\
Bohemian Rhapsody - Remastered 2011,Queen\n\
Hello,Adele\n\
Halo,Beyonce\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_syncs_into_loved_tracks_once_without_decoys() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    assert_eq!(id, "lastfm-alice");
    fake.set_catalogue(catalogue());
    fake.love("alice", "Beyoncé", "Halo");
    let src = env.write("src.csv", SOURCE);

    let target = format!("{id}:loved");
    let out = ok(env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &target,
            "--direction",
            "to-right",
            "--yes",
            "--json",
        ])
        .await);
    let v = json(&out);
    let mut loved = fake.loved("alice");
    loved.sort();
    assert_eq!(
        loved,
        vec![
            ("Beyoncé".to_owned(), "Halo".to_owned()),
            ("Queen".to_owned(), "Bohemian Rhapsody".to_owned()),
            ("Radiohead".to_owned(), "Karma Police".to_owned()),
        ],
        "report: {v:#}"
    );
    assert_eq!(v["added"], 2);
    assert_eq!(v["not_found"], 1, "Hello has only a remix: {v:#}");
    let loves = fake.calls_to("track.love").len();
    assert_eq!(loves, 2);

    let again = ok(env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &target,
            "--direction",
            "to-right",
            "--yes",
            "--json",
        ])
        .await);
    assert_eq!(json(&again)["added"], 0);
    assert_eq!(
        fake.calls_to("track.love").len(),
        loves,
        "a second run loves nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_source_loves_nothing_and_names_its_line() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    fake.set_catalogue(catalogue());
    let src = env.write(
        "bad.csv",
        "Track Name,Artist Name(s)\nKarma Police,Radiohead\n\"Halo,Beyonce\n",
    );
    let out = env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &format!("{id}:loved"),
            "--yes",
        ])
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.csv:"), "{}", stderr(&out));
    assert!(fake.calls_to("track.love").is_empty());
    assert!(fake.loved("alice").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loved_and_recent_are_listed_and_read() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    fake.love("alice", "Björk", "Jóga");
    fake.scrobble("alice", "Portishead", "Glory Box", "Dummy");
    fake.set_now_playing("alice", Some(("Sigur Rós", "Hoppípolla", "Takk...")));
    let v = json(&ok(env.run_async(&["playlists", &id, "--json"]).await));
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["loved", "recent"]);
    assert_eq!(v[0]["writable"], true);
    assert_eq!(v[1]["writable"], false);
    let loved = json(&ok(env
        .run_async(&["tracks", &format!("{id}:loved"), "--json"])
        .await));
    assert_eq!(loved[0]["artist"], "Björk");
    let recent = json(&ok(env
        .run_async(&["tracks", &format!("{id}:recent"), "--json"])
        .await));
    assert_eq!(
        recent.as_array().unwrap().len(),
        1,
        "now playing is not a track of recent: {recent:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_the_account_deletes_its_secrets() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    let secrets_file = env.data_dir().join("secrets.json");
    let before = read(&secrets_file);
    assert!(before.contains(&id), "secrets are stored per account");
    assert!(!before.is_empty());
    ok(env.run_async(&["accounts", "remove", &id]).await);
    let after = std::fs::read_to_string(&secrets_file).unwrap_or_default();
    assert!(!after.contains(&id), "no secret of {id} left: {after}");
    assert!(!after.contains(SECRET));
    let v = json(&ok(env.run_async(&["accounts", "list", "--json"]).await));
    assert_eq!(v, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_dont_sync_is_remembered_and_never_asked_again() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    fake.set_catalogue(catalogue());
    let src = env.write("src.csv", "Track Name,Artist Name(s)\nHello,Adele\n");
    let target = format!("{id}:loved");
    let args = [
        "sync",
        src.to_str().unwrap(),
        &target,
        "--direction",
        "to-right",
        "--interactive",
        "--json",
    ];

    let mut cmd = env.cmd(&args);
    cmd.write_stdin("d\n");
    let first = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let first = ok(first);
    let err = stderr(&first);
    assert!(
        err.contains("Adele - Hello (Remix)"),
        "the candidate is shown: {err}"
    );
    assert!(err.contains("choice ["), "{err}");
    assert_eq!(
        json(&first)["results"][0]["reason"],
        "don't sync (remembered)"
    );

    let mut cmd = env.cmd(&args);
    cmd.write_stdin("");
    let second = ok(tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap());
    assert!(
        !stderr(&second).contains("choice ["),
        "not asked again: {}",
        stderr(&second)
    );
    assert_eq!(json(&second)["results"][0]["status"], "skipped");
    assert!(fake.calls_to("track.love").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_can_love_the_exact_source_name() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    fake.set_catalogue(catalogue());
    let src = env.write("src.csv", "Track Name,Artist Name(s)\nHello,Adele\n");
    let mut cmd = env.cmd(&[
        "sync",
        src.to_str().unwrap(),
        &format!("{id}:loved"),
        "--direction",
        "to-right",
        "--interactive",
        "--json",
    ]);
    cmd.write_stdin("e\n");
    let out = ok(tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap());
    assert!(stderr(&out).contains("exact name"), "{}", stderr(&out));
    assert_eq!(json(&out)["added"], 1);
    assert_eq!(
        fake.loved("alice"),
        vec![("Adele".to_owned(), "Hello".to_owned())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_answer_is_listed_and_can_be_forgotten() {
    let fake = FakeLastfm::start().await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    fake.set_catalogue(catalogue());
    let src = env.write("src.csv", "Track Name,Artist Name(s)\nHello,Adele\n");
    let target = format!("{id}:loved");
    let sync = [
        "sync",
        src.to_str().unwrap(),
        &target,
        "--direction",
        "to-right",
        "--interactive",
    ];

    let mut cmd = env.cmd(&sync);
    cmd.write_stdin("d\n");
    ok(tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap());

    let listed = json(&ok(env.run_async(&["decisions", &target, "--json"]).await));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed:#}");
    assert_eq!(listed[0]["decision"]["kind"], "dont_sync");

    let unknown = env
        .run_async(&["decisions", &target, "--forget", "Nobody - Nothing"])
        .await;
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no remembered answer"),
        "{}",
        stderr(&unknown)
    );

    ok(env
        .run_async(&["decisions", &target, "--forget", "Adele - Hello"])
        .await);
    let listed = json(&ok(env.run_async(&["decisions", &target, "--json"]).await));
    assert_eq!(listed, serde_json::json!([]));

    // Forgotten, so the next review asks again.
    let mut cmd = env.cmd(&sync);
    cmd.write_stdin("s\n");
    let again = ok(tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap());
    assert!(stderr(&again).contains("choice ["), "{}", stderr(&again));
}
