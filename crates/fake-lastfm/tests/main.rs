//! The fake over raw HTTP: its JSON must look like Last.fm's (string
//! numbers, `@attr`, now-playing flag, error bodies), and it must check what
//! Last.fm checks. Independent of musync's client.

use fake_lastfm::{Catalogue, FakeLastfm, Fault, Mode, expected_signature};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const KEY: &str = "key-1";
const SECRET: &str = "secret-1";

async fn fake() -> FakeLastfm {
    let f = FakeLastfm::start().await;
    f.register_app(KEY, SECRET);
    f.add_user("Alice");
    f
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut p: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    p.insert("api_key".into(), KEY.into());
    p.insert("format".into(), "json".into());
    p
}

fn signed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut p = params(pairs);
    let sig = expected_signature(&p, SECRET);
    p.insert("api_sig".into(), sig);
    p
}

async fn get(f: &FakeLastfm, p: &BTreeMap<String, String>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(f.api_url())
        .query(p)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn post(f: &FakeLastfm, p: &BTreeMap<String, String>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(f.api_url())
        .form(p)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn loved_tracks_page_with_string_attrs_newest_first() {
    let f = fake().await;
    for i in 0..5 {
        f.love("alice", "Band", &format!("Song {i}"));
    }
    let (status, v) = get(
        &f,
        &params(&[
            ("method", "user.getLovedTracks"),
            ("user", "alice"),
            ("limit", "2"),
            ("page", "2"),
        ]),
    )
    .await;
    assert_eq!(status, 200);
    let attr = &v["lovedtracks"]["@attr"];
    assert_eq!(attr["page"], "2");
    assert_eq!(attr["perPage"], "2");
    assert_eq!(attr["totalPages"], "3");
    assert_eq!(attr["total"], "5");
    assert_eq!(attr["user"], "Alice");
    let tracks = v["lovedtracks"]["track"].as_array().unwrap();
    let names: Vec<&str> = tracks.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Song 2", "Song 1"]);
    assert_eq!(tracks[0]["artist"]["name"], "Band");
    assert!(tracks[0]["date"]["uts"].is_string());
    assert!(tracks[0]["date"]["#text"].as_str().unwrap().contains(", "));
    // Loving again changes nothing; the list keeps insertion order.
    assert!(!f.love("alice", "band", "song 0"));
    assert_eq!(f.loved("alice").len(), 5);
    assert_eq!(f.loved("alice")[0].1, "Song 0");
}

#[tokio::test]
async fn recent_tracks_put_now_playing_on_top_uncounted() {
    let f = fake().await;
    f.scrobble("alice", "A", "Old", "LP");
    f.scrobble("alice", "A", "New", "LP");
    f.set_now_playing("alice", Some(("B", "Live", "")));
    let (_, v) = get(
        &f,
        &params(&[("method", "user.getRecentTracks"), ("user", "alice")]),
    )
    .await;
    let tracks = v["recenttracks"]["track"].as_array().unwrap();
    assert_eq!(tracks.len(), 3);
    assert_eq!(tracks[0]["@attr"]["nowplaying"], "true");
    assert!(tracks[0].get("date").is_none());
    assert_eq!(tracks[1]["name"], "New");
    assert_eq!(tracks[1]["artist"]["#text"], "A");
    assert_eq!(tracks[1]["album"]["#text"], "LP");
    assert_eq!(v["recenttracks"]["@attr"]["total"], "2");

    f.set_single_as_object(true);
    f.set_now_playing("alice", None);
    let (_, v) = get(
        &f,
        &params(&[
            ("method", "user.getRecentTracks"),
            ("user", "alice"),
            ("limit", "1"),
        ]),
    )
    .await;
    assert!(v["recenttracks"]["track"].is_object());
}

#[tokio::test]
async fn search_matches_substrings_and_writes_numbers_as_strings() {
    let f = fake().await;
    f.set_catalogue(Catalogue::sample());
    let (_, v) = get(
        &f,
        &params(&[
            ("method", "track.search"),
            ("track", "hello"),
            ("limit", "5"),
        ]),
    )
    .await;
    let r = &v["results"];
    assert_eq!(r["opensearch:totalResults"], "3");
    assert_eq!(r["opensearch:itemsPerPage"], "5");
    let hits = r["trackmatches"]["track"].as_array().unwrap();
    assert_eq!(hits[0]["artist"], "Adele");
    assert_eq!(hits[0]["listeners"], "1900000");
    let (status, v) = get(&f, &params(&[("method", "track.search")])).await;
    assert_eq!((status, v["error"].as_u64()), (400, Some(6)));
}

#[tokio::test]
async fn signatures_sessions_keys_and_formats_are_checked() {
    let f = fake().await;
    let sk = f.issue_session("alice", KEY);
    let love = [
        ("method", "track.love"),
        ("artist", "Björk"),
        ("track", "Jóga"),
        ("sk", sk.as_str()),
    ];

    let mut bad = signed(&love);
    bad.insert("track".into(), "Joga".into());
    let (status, v) = post(&f, &bad).await;
    assert_eq!((status, v["error"].as_u64()), (403, Some(13)));
    assert_eq!(v["message"], "Invalid method signature supplied");

    let (status, v) = get(&f, &signed(&love)).await;
    assert_eq!(
        (status, v["error"].as_u64()),
        (400, Some(6)),
        "writes must be POSTs"
    );

    let (status, v) = post(&f, &signed(&love)).await;
    assert_eq!((status, v), (200, serde_json::json!({})));
    assert_eq!(f.loved("alice"), [("Björk".to_owned(), "Jóga".to_owned())]);

    let stranger = [
        ("method", "track.love"),
        ("artist", "A"),
        ("track", "T"),
        ("sk", "nope"),
    ];
    let (_, v) = post(&f, &signed(&stranger)).await;
    assert_eq!(v["error"], 9);

    let mut unknown_key = params(&[("method", "user.getLovedTracks"), ("user", "alice")]);
    unknown_key.insert("api_key".into(), "other".into());
    let (status, v) = get(&f, &unknown_key).await;
    assert_eq!((status, v["error"].as_u64()), (403, Some(10)));

    let mut xml = params(&[("method", "user.getLovedTracks"), ("user", "alice")]);
    xml.remove("format");
    assert_eq!(get(&f, &xml).await.1["error"], 5);
    assert_eq!(
        get(&f, &params(&[("method", "user.getFriends")])).await.1["error"],
        3
    );

    f.set_suspended(KEY, true);
    let (status, v) = post(&f, &signed(&love)).await;
    assert_eq!((status, v["error"].as_u64()), (403, Some(26)));
    f.set_suspended(KEY, false);

    let errors: Vec<Option<u32>> = f.calls_to("TRACK.LOVE").iter().map(|c| c.error).collect();
    assert_eq!(errors, [Some(13), Some(6), None, Some(9), Some(26)]);
}

#[tokio::test]
async fn desktop_auth_token_page_session() {
    let f = fake().await;
    let (_, v) = get(&f, &signed(&[("method", "auth.getToken")])).await;
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 32);
    let get_session = signed(&[("method", "auth.getSession"), ("token", &token)]);
    let (status, v) = get(&f, &get_session).await;
    assert_eq!((status, v["error"].as_u64()), (403, Some(14)));

    let page_url = format!("{}?api_key={KEY}&token={token}", f.auth_url());
    let http = reqwest::Client::new();
    let page = http
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"token\"") && page.contains("value=\"alice\""),
        "{page}"
    );
    let bad = http
        .get(format!("{}?api_key={KEY}&token=forged", f.auth_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let done = http
        .post(&page_url)
        .form(&[
            ("api_key", KEY),
            ("token", token.as_str()),
            ("user", "alice"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status().as_u16(), 200);

    let (status, v) = get(&f, &get_session).await;
    assert_eq!(status, 200);
    assert_eq!(v["session"]["name"], "Alice");
    let sk = v["session"]["key"].as_str().unwrap().to_owned();
    // The token is used up; the session works for writes.
    assert_eq!(get(&f, &get_session).await.1["error"], 4);
    let love = signed(&[
        ("method", "track.love"),
        ("artist", "A"),
        ("track", "T"),
        ("sk", &sk),
    ]);
    assert_eq!(post(&f, &love).await.0, 200);
    f.revoke_sessions("alice");
    assert_eq!(post(&f, &love).await.1["error"], 9);
}

#[tokio::test]
async fn shared_faults_are_worded_as_last_fm_words_them() {
    let f = fake().await;
    let read = params(&[("method", "user.getLovedTracks"), ("user", "alice")]);
    let rate_limited = serde_json::json!({"error": 29, "message": "Rate limit exceeded - Your IP has made too many requests in a short period"});

    // Error 29 in a 200: only the body tells.
    f.faults().fail_next(Fault::RateLimited(None), 1);
    assert_eq!(get(&f, &read).await, (200, rate_limited.clone()));
    // With a wait to honour, a 429 that says how long.
    f.faults().fail_next(Fault::RateLimited(Some(3)), 1);
    let r = reqwest::Client::new()
        .get(f.api_url())
        .query(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert_eq!(r.json::<Value>().await.unwrap(), rate_limited);

    f.faults().fail_next(Fault::Unavailable, 1);
    let (status, v) = get(&f, &read).await;
    assert_eq!((status, v["error"].as_u64()), (503, Some(16)));
    f.faults().fail_next(Fault::Expired, 1);
    assert_eq!(
        get(&f, &read).await,
        (
            200,
            serde_json::json!({"error": 9, "message": "Invalid session key - Please re-authenticate"})
        )
    );
    f.faults().fail_next(Fault::WrongShape, 1);
    let (status, v) = get(&f, &read).await;
    assert_eq!(status, 200);
    assert!(
        v.get("lovedtracks").is_none() && v.get("error").is_none(),
        "{v}"
    );

    // Queued faults run out; the next call is answered by the fake.
    let (status, v) = get(&f, &read).await;
    assert_eq!(status, 200);
    assert!(v["lovedtracks"].is_object(), "{v}");
    // Faulted requests never reach the fake's own log, but are recorded.
    assert_eq!(f.calls().len(), 1);
    assert_eq!(f.faults().request_count(), 6);
    assert!(f.faults().requests().iter().all(|r| r.path == "/2.0/"));
}

#[tokio::test]
async fn the_approval_page_is_not_behind_the_fault_switches() {
    let f = fake().await;
    f.faults().fail_always(Fault::Unavailable);
    let page = reqwest::get(format!("{}?api_key={KEY}&token=forged", f.auth_url()))
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 400, "the page itself answered");
    assert_eq!(f.faults().request_count(), 0);
}

#[tokio::test]
async fn a_forced_page_size_wins_over_the_asked_limit() {
    let f = fake().await;
    for i in 0..10 {
        f.love("alice", "Band", &format!("Song {i}"));
    }
    f.faults().set_page_size(3);
    let (_, v) = get(
        &f,
        &params(&[
            ("method", "user.getLovedTracks"),
            ("user", "alice"),
            ("limit", "1000"),
        ]),
    )
    .await;
    assert_eq!(v["lovedtracks"]["track"].as_array().unwrap().len(), 3);
    assert_eq!(v["lovedtracks"]["@attr"]["totalPages"], "4");
    assert_eq!(v["lovedtracks"]["@attr"]["perPage"], "3");
}

#[tokio::test]
async fn slow_mode_delays_every_answer() {
    let f = fake().await;
    let read = params(&[("method", "user.getLovedTracks"), ("user", "alice")]);
    f.set_mode(Mode::Slow(Duration::from_millis(150)));
    let started = Instant::now();
    assert_eq!(get(&f, &read).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    f.set_mode(Mode::Normal);
    assert_eq!(f.mode(), Mode::Normal);
}

#[tokio::test]
async fn demo_is_ready_to_sign_in_without_clicking() {
    let f = FakeLastfm::start_demo(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let demo = |pairs: &[(&str, &str)]| {
        let mut p: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        p.insert("api_key".into(), fake_lastfm::DEMO_API_KEY.into());
        p.insert("format".into(), "json".into());
        let sig = expected_signature(&p, fake_lastfm::DEMO_API_SECRET);
        p.insert("api_sig".into(), sig);
        p
    };
    let (_, v) = get(&f, &demo(&[("method", "auth.getToken")])).await;
    let token = v["token"].as_str().unwrap().to_owned();
    let (status, v) = get(
        &f,
        &demo(&[("method", "auth.getSession"), ("token", &token)]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["session"]["name"], fake_lastfm::DEMO_USER);
    assert_eq!(f.loved(fake_lastfm::DEMO_USER).len(), 2);
}
