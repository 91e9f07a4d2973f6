//! TIDAL end to end through its fake and the `musync` binary: PKCE sign-in
//! over the loopback redirect and by a pasted address (from a pipe), one
//! account after signing in twice, a CSV synced into a new playlist
//! ISRC-first with no decoys, a second run adding nothing, favourites
//! filled, rate limits survived, a revoked sign-in, and no token in a
//! trace-level log.

// Shared with the main test binary; not every helper is used here.
#[allow(dead_code)]
mod util;

use fake_tidal::{AuthorizeMode, Bucket, Catalogue, FakeTidal, Fault, TEST_CLIENT_ID};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use util::*;

const USER: &str = "4242";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

const SOURCE: &str = "Track Name,Artist Name(s),Duration (ms),ISRC\n\
Karma Police,Radiohead,264000,GBAYE9700106\n\
Halo,Beyonce,261000,\n\
Hoppipolla,Sigur Ros,268000,\n\
Nonexistent Song,Nobody,100000,\n";

fn fake_env(env: &mut Env, fake: &FakeTidal) {
    env.var("MUSYNC_TIDAL_API_URL", fake.api_url())
        .var("MUSYNC_TIDAL_LOGIN_URL", fake.login_url())
        .var("MUSYNC_TIDAL_AUTH_URL", fake.auth_url());
}

/// Starts `accounts add tidal` and returns it with the printed address.
async fn start_sign_in(env: &Env, port: u16, stdin: Stdio) -> (Child, String) {
    let port = port.to_string();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("musync"));
    cmd.arg("--data-dir")
        .arg(env.data_dir())
        .args([
            "accounts",
            "add",
            "tidal",
            "--client-id",
            TEST_CLIENT_ID,
            "--no-browser",
            "--port",
            &port,
            "--json",
        ])
        .env_remove("RUST_LOG")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &env.vars {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stderr).lines();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(i) = line.find("http")
                && line.contains("/authorize")
            {
                // Keep draining stderr so the child never blocks on it.
                std::thread::spawn(move || for _ in lines {});
                return line[i..].trim().to_owned();
            }
        }
        panic!("no sign-in URL printed");
    })
    .await
    .unwrap();
    (child, url)
}

async fn finish(child: Child) -> String {
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(out.status.success(), "exit {:?}", out.status.code());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["id"].as_str().unwrap().to_owned()
}

/// Signs in by playing the browser: opens the printed address, whose
/// approval redirects to musync's loopback listener.
async fn sign_in(env: &Env) -> String {
    let port = free_port();
    let (child, url) = start_sign_in(env, port, Stdio::null()).await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("state="), "{url}");
    assert!(!url.contains("r_usr"), "{url}");
    assert!(
        url.contains(&format!("127.0.0.1%3A{port}%2Fcallback")),
        "{url}"
    );
    let page = reqwest::get(&url).await.unwrap();
    assert!(page.status().is_success(), "{}", page.status());
    finish(child).await
}

fn ids(fake: &FakeTidal, wanted: &[(&str, &str)]) -> Vec<String> {
    let st = fake.state();
    wanted
        .iter()
        .map(|(t, a)| st.catalogue.find(t, a).unwrap().id.clone())
        .collect()
}

async fn start_fake() -> FakeTidal {
    let fake = FakeTidal::start().await;
    fake.add_user(USER, "carol", "GB");
    fake.state().authorize = AuthorizeMode::AutoApprove(USER.into());
    fake.set_catalogue(Catalogue::sample());
    fake
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_sync_a_file_into_a_new_playlist_and_the_favourites() {
    let fake = start_fake().await;
    let mut env = Env::new();
    fake_env(&mut env, &fake);
    let id = sign_in(&env).await;
    assert_eq!(id, format!("tidal-{USER}"));
    // Signing in again keeps one account.
    assert_eq!(sign_in(&env).await, id);
    let accounts = json(&ok(env.run_async(&["accounts", "list", "--json"]).await));
    let tidal: Vec<_> = accounts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["service"] == "tidal")
        .collect();
    assert_eq!(tidal.len(), 1, "{accounts:#}");

    let created = json(&ok(env
        .run_async(&["playlists", "create", &id, "Road trip", "--json"])
        .await));
    let pid = created["id"].as_str().unwrap().to_owned();
    let src = env.write("src.csv", SOURCE);
    let target = format!("{id}:{pid}");
    // A tight token bucket and two 429s with Retry-After: waited out.
    fake.state().bucket = Some(Bucket::new(4, 8));
    fake.faults().fail_next(Fault::RateLimited(Some(1)), 2);
    let v = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    let expected = ids(
        &fake,
        &[
            ("Karma Police", "Radiohead"),
            ("Halo", "Beyoncé"),
            ("Hoppípolla", "Sigur Rós"),
        ],
    );
    assert_eq!(fake.playlist_tracks(&pid), expected, "no decoys: {v:#}");
    assert_eq!(v["added"], 3);
    assert_eq!(v["not_found"], 1);
    let limited = fake.requests().iter().filter(|r| r.status == 429).count();
    assert!(limited >= 2, "{limited} answers were 429");
    let lookups = fake.state().requests_to("/tracks");
    assert!(
        lookups.iter().any(|r| r
            .params("filter[isrc]")
            .contains(&"GBAYE9700106".to_owned())),
        "the ISRC was looked up"
    );
    let karma_searched = fake.state().requests_to("/searchResults").iter().any(|r| {
        r.param("filter[query]")
            .is_some_and(|q| q.contains("Karma"))
    });
    assert!(!karma_searched, "an ISRC hit needs no text search");
    let writes: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert!(writes.iter().all(|w| {
        w.content_type.as_deref() == Some("application/vnd.api+json")
            && w.idempotency_key.is_some()
            && w.body_items.is_none_or(|n| (1..=50).contains(&n))
    }));

    // Tokens expire: renewed, and a second run adds nothing.
    fake.state().expire_access_tokens();
    let again = json(&ok(env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");
    assert_eq!(fake.playlist_tracks(&pid).len(), 3);

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
    let mut favs = fake.favourites(USER);
    favs.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(favs, want);
    let rows = json(&ok(env
        .run_async(&["tracks", &format!("{id}:liked"), "--json"])
        .await));
    assert_eq!(rows.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_final_address_can_be_pasted_from_a_pipe() {
    let fake = start_fake().await;
    let mut env = Env::new();
    fake_env(&mut env, &fake);
    // The port is taken, so musync cannot listen: the browser's redirect
    // goes nowhere and the person pastes the address it shows.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (mut child, url) = start_sign_in(&env, port, Stdio::piped()).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirects.get(&url).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("code="), "{location}");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{location}").unwrap();
    drop(stdin);
    assert_eq!(finish(child).await, format!("tidal-{USER}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_sign_in_exits_1_saying_how_to_sign_in_again() {
    let fake = start_fake().await;
    let mut env = Env::new();
    fake_env(&mut env, &fake);
    let id = sign_in(&env).await;
    let before = fake.state().token_requests;
    {
        let mut st = fake.state();
        st.expire_access_tokens();
        st.revoke_refresh_tokens();
    }
    let out = env.run_async(&["playlists", &id]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("musync accounts add tidal"), "{err}");
    let asked = fake.state().token_requests - before;
    assert!((1..=3).contains(&asked), "{asked} token requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_is_printed_at_trace_level() {
    let fake = start_fake().await;
    let mut env = Env::new();
    fake_env(&mut env, &fake);
    let id = sign_in(&env).await;
    fake.state().expire_access_tokens(); // a refresh happens in the traced run
    env.var("RUST_LOG", "trace");
    let src = env.write("src.csv", SOURCE);
    let out = env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &format!("{id}:liked"),
            "--yes",
            "--json",
        ])
        .await;
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("TRACE") || all.contains("trace"),
        "trace logging is on"
    );
    let tokens = fake.state().known_tokens();
    assert!(tokens.len() >= 3, "tokens were issued and renewed");
    for t in tokens {
        assert!(!all.contains(&t), "a token leaked into the output");
    }
}
