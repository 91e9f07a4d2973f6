//! Answers that fail every next request (issue 11), through the binary
//! against the fake Spotify, counting the requests sent after the first
//! such answer: a 429 with `Retry-After: 3600` while searching, and a
//! refresh token revoked in the middle of a run.

use crate::crash::wait_for;
use crate::spotify::sign_in;
use crate::util::*;
use fake_spotify::{AuthorizeMode, Catalogue, FakeSpotify, RecordedRequest};
use std::time::Duration;

const N: usize = 150;
/// `sync`'s default search concurrency.
const IN_FLIGHT: usize = 4;

async fn setup() -> (FakeSpotify, Env, String, String, std::path::PathBuf) {
    let fake = FakeSpotify::start().await;
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let cat = Catalogue::generated(N);
    fake.set_catalogue(cat.clone());
    let mut env = Env::new();
    let id = sign_in(&mut env, &fake).await;
    let mut csv = String::from("Track Name,Artist Name(s),Duration (ms),ISRC\n");
    for t in &cat.tracks {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            t.name,
            t.artists[0],
            t.duration_ms,
            t.isrc.as_deref().unwrap_or("")
        ));
    }
    let src = env.write("src.csv", &csv);
    let pid = fake.add_playlist("bob", "Target", &[]);
    (fake, env, id, pid, src)
}

fn is_search(r: &RecordedRequest) -> bool {
    r.path.ends_with("/search")
}

/// Waits for `after` searches, then arms `arm` and waits for the run.
async fn run_and_arm(
    fake: &FakeSpotify,
    env: &Env,
    args: &[&str],
    after: usize,
    arm: impl FnOnce(&FakeSpotify),
) -> (std::process::Output, usize) {
    fake.state().slow_searches = Duration::from_millis(10);
    let mut args_json = args.to_vec();
    args_json.push("--json");
    let mut cmd = env.cmd(&args_json);
    let run = tokio::task::spawn_blocking(move || cmd.output().expect("musync ran"));
    wait_for("searches", Duration::from_secs(60), || {
        fake.requests().iter().filter(|r| is_search(r)).count() >= after
    })
    .await;
    let armed_at = fake.state().requests.len();
    arm(fake);
    let out = run.await.unwrap();
    fake.state().slow_searches = Duration::ZERO;
    (out, armed_at)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_an_hour_to_wait_stops_the_searches_and_keeps_what_was_found() {
    let (fake, env, id, pid, src) = setup().await;
    let target = format!("{id}:{pid}");
    let (out, _) = run_and_arm(
        &fake,
        &env,
        &["sync", src.to_str().unwrap(), &target, "--yes"],
        30,
        |fake| {
            let mut st = fake.state();
            st.retry_after_s = 3600;
            st.fail_with_429 = 1;
        },
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let requests = fake.requests();
    let first_429 = requests
        .iter()
        .position(|r| r.status == 429)
        .expect("one 429 was answered");
    assert!(is_search(&requests[first_429]));
    let searches_after = requests[first_429 + 1..]
        .iter()
        .filter(|r| is_search(r))
        .count();
    // Only searches already in flight may still be answered.
    assert!(
        searches_after < IN_FLIGHT,
        "{searches_after} searches after the 429"
    );
    // Searches answered 200 that musync saw (one in flight when the 429
    // came may be answered by the fake but dropped by musync).
    let answered = requests
        .iter()
        .filter(|r| is_search(r) && r.status == 200)
        .count();
    let added = v["added"].as_u64().unwrap() as usize;
    assert!(
        added + IN_FLIGHT > 30 && added <= answered,
        "{added} added, {answered} answered"
    );
    // What was found is added; the rest say why they were not.
    assert_eq!(fake.playlist_items(&pid).len(), added, "{v:#}");
    assert_eq!(v["failed"], N - added);
    let results = v["results"].as_array().unwrap();
    let not_attempted = results
        .iter()
        .filter(|r| {
            r["reason"]
                .as_str()
                .is_some_and(|s| s.contains("not attempted"))
        })
        .count();
    assert_eq!(not_attempted, N - added - 1, "all but the one that got 429");
    let note = v["notes"].to_string();
    assert!(
        note.contains("Spotify") && note.contains("stopped searching"),
        "{note}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_revoked_mid_run_is_tried_once_and_the_error_says_sign_in_again() {
    let (fake, env, id, pid, src) = setup().await;
    let target = format!("{id}:{pid}");
    let (out, armed_at) = run_and_arm(
        &fake,
        &env,
        &["sync", src.to_str().unwrap(), &target, "--yes"],
        30,
        |fake| {
            let mut st = fake.state();
            st.revoke_refresh_tokens();
            st.expire_access_tokens();
        },
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let requests = fake.requests();
    let refreshes: Vec<&RecordedRequest> = requests[armed_at..]
        .iter()
        .filter(|r| r.path.ends_with("/api/token"))
        .collect();
    assert_eq!(refreshes.len(), 1, "one refresh: {refreshes:?}");
    let first_401 = requests[armed_at..]
        .iter()
        .position(|r| r.status == 401)
        .map(|i| i + armed_at)
        .expect("a 401");
    let api_after = requests[first_401 + 1..]
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .count();
    assert!(
        api_after < IN_FLIGHT,
        "{api_after} API requests after 401: {:?}",
        &requests[first_401..]
    );
    // Nothing can be added without a sign-in: the songs found before are
    // "not attempted" too, and the report says why and what to do.
    let v = json(&out);
    assert_eq!(v["added"], 0, "{v:#}");
    assert_eq!(v["failed"], N);
    let reasons: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    let not_attempted = reasons
        .iter()
        .filter(|r| r.starts_with("not attempted: Spotify: Spotify sign-in expired"))
        .count();
    assert!(not_attempted >= N - IN_FLIGHT, "{reasons:?}");
    let note = v["notes"].to_string();
    assert!(
        note.contains("Spotify sign-in expired") && note.contains("musync accounts add spotify"),
        "{note}"
    );
    assert_eq!(fake.playlist_items(&pid).len(), 0, "nothing could be added");
    // The next run says the same at once, and sends no refresh again
    // beyond its one try.
    let before = fake.requests().len();
    let again = env
        .run_async(&["sync", src.to_str().unwrap(), &target, "--yes"])
        .await;
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("sign-in expired"),
        "{}",
        stderr(&again)
    );
    let refreshes = fake.requests()[before..]
        .iter()
        .filter(|r| r.path.ends_with("/api/token"))
        .count();
    assert_eq!(refreshes, 1);
}
