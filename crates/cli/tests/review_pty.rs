//! The interactive reviews on a real (pseudo) terminal (issue 16): the
//! `sync` review prompt and `musync review`, the saved syncs' inbox. A
//! typo is asked again, answers are stored, and they are applied.

use crate::pty::Pty;
use crate::spotify::{catalogue, sign_in};
use crate::util::*;
use fake_spotify::{AuthorizeMode, FakeSpotify};

/// Karma Police matches by ISRC; Halo and Hoppípolla have candidates but
/// no confident match (durations far off), so a person is asked.
const SOURCE: &str = "Track Name,Artist Name(s),Duration (ms),ISRC\n\
Karma Police,Radiohead,264000,GBAYE9700106\n\
Halo,Beyonce,330000,\n\
Hoppipolla,Sigur Ros,150000,\n";

async fn setup() -> (FakeSpotify, Env, String, String) {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    fake.set_catalogue(catalogue());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    let pid = fake.add_playlist("bob", "Reviewed", &[]);
    (fake, env, id, pid)
}

fn uri(title: &str, artist: &str) -> String {
    catalogue().find(title, artist).unwrap().uri()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sync_review_on_a_terminal_asks_again_after_a_typo_and_remembers_answers() {
    let (fake, env, id, pid) = setup().await;
    let src = env.write("src.csv", SOURCE);
    let target = format!("{id}:{pid}");
    let args = [
        "sync",
        src.to_str().unwrap(),
        target.as_str(),
        "--direction",
        "to-right",
    ]
    .map(str::to_owned);
    let (status, screen) = {
        let data = env.data_dir();
        let vars = env.vars.clone();
        tokio::task::spawn_blocking(move || {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut pty = Pty::spawn(&data, &vars, &a);
            let first = pty.expect("choice [s]: ");
            assert!(first.contains("[1/2]"), "{first}");
            assert!(first.contains("Halo"), "{first}");
            assert!(
                first.contains(" 1) "),
                "candidates numbered from 1: {first}"
            );
            pty.send_line("x");
            let again = pty.expect("choice [s]: ");
            assert!(again.contains("`x` is not a choice here"), "{again}");
            pty.send_line("9");
            pty.expect("`9` is not a choice here");
            pty.expect("choice [s]: ");
            pty.send_line("1");
            let second = pty.expect("choice [s]: ");
            assert!(
                second.contains("[2/2]") && second.contains("Hoppipolla"),
                "{second}"
            );
            pty.send_line("d");
            pty.wait()
        })
        .await
        .unwrap()
    };
    assert!(status.success(), "{screen}");
    assert!(
        screen.contains("1 added") || screen.contains("2 added"),
        "{screen}"
    );
    let items = fake.playlist_items(&pid);
    assert_eq!(
        items,
        vec![uri("Karma Police", "Radiohead"), uri("Halo", "Beyoncé")],
        "{screen}"
    );

    // The answers were stored: the next run (no terminal) asks nothing,
    // adds nothing, and says "don't sync" was remembered.
    let v = json(&ok(env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &target,
            "--direction",
            "to-right",
            "--json",
        ])
        .await));
    assert_eq!(v["added"], 0, "{v:#}");
    let reasons = v["results"].to_string();
    assert!(reasons.contains("don't sync (remembered)"), "{reasons}");
    let decisions = json(&ok(env.run_async(&["decisions", &target, "--json"]).await));
    assert_eq!(decisions.as_array().map(Vec::len), Some(2), "{decisions:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_inbox_on_a_terminal_takes_answers_that_the_next_run_applies() {
    let (fake, env, id, pid) = setup().await;
    let src = env.write("src.csv", SOURCE);
    let target = format!("{id}:{pid}");
    ok(env
        .run_async(&[
            "pairs",
            "add",
            src.to_str().unwrap(),
            &target,
            "--name",
            "inbox",
            "--direction",
            "to-right",
        ])
        .await);
    let v = json(&ok(env.run_async(&["run", "--json"]).await));
    assert_eq!(v["pending"], 2, "{v:#}");

    let (status, screen) = {
        let data = env.data_dir();
        let vars = env.vars.clone();
        tokio::task::spawn_blocking(move || {
            let mut pty = Pty::spawn(&data, &vars, &["review"]);
            let first = pty.expect("choice [s]: ");
            assert!(first.contains("[1/2] inbox: "), "{first}");
            assert!(first.contains(" 1) "), "{first}");
            assert!(first.contains("d) don't sync"), "{first}");
            pty.send_line("maybe");
            let again = pty.expect("choice [s]: ");
            assert!(again.contains("`maybe` is not a choice here"), "{again}");
            pty.send_line("1");
            pty.expect("[2/2] inbox: ");
            pty.expect("choice [s]: ");
            pty.send_line("d");
            // Exits by itself once all are answered.
            pty.expect("all 2 answered");
            pty.wait()
        })
        .await
        .unwrap()
    };
    assert!(status.success(), "{screen}");
    let inbox = json(&ok(env.run_async(&["review", "--json"]).await));
    assert_eq!(inbox, serde_json::json!([]), "answers stored");

    let v = json(&ok(env.run_async(&["run", "--json"]).await));
    assert_eq!(v["added"], 1, "{v:#}");
    assert_eq!(v["pending"], 0);
    assert_eq!(
        fake.playlist_items(&pid),
        vec![uri("Karma Police", "Radiohead"), uri("Halo", "Beyoncé")]
    );
    let v = json(&ok(env.run_async(&["run", "--json"]).await));
    assert_eq!(
        (v["added"].clone(), v["pending"].clone()),
        (0.into(), 0.into())
    );
}
