//! Every failure mode of the fake: expired sessions (401 and 400), csrf
//! renewal (401 and 403), schema drift, errors in a 200, 429 with
//! Retry-After, 5xx, slow answers, and the paging traps.

use crate::util::{Env, expected_all, fast};
use fake_amazon::{Library, Mode};
use musync_core::{ErrorKind, NoProgress, PlaylistId, SecretStore, Service, ServiceError};
use std::time::{Duration, Instant};

const API_CHANGED: &str = "Amazon may have changed its private API; check for a musync update";

fn my_music() -> PlaylistId {
    PlaylistId::new("my-music")
}

fn assert_expired(err: &ServiceError, status: u16) {
    assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
    assert!(
        err.message.contains(
            "Amazon Music session expired: run `musync accounts add amazon` to sign in again"
        ),
        "{err}"
    );
    assert_eq!(err.hint.as_deref(), Some("musync accounts add amazon"));
    assert!(
        err.status.is_none() || err.status == Some(status),
        "{err:?}"
    );
}

async fn expired_session_fails_after_one_renewal(status: u16) {
    let env = Env::start(Library::sample()).await;
    let config_before = env.store.get(&env.account.id, "config").unwrap().unwrap();
    env.fake.set_mode(Mode::Expired { status });
    let err = env.service().playlists().await.unwrap_err();
    assert_expired(&err, status);
    let seen: Vec<String> = env
        .fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // One refused call, one config re-read (guest answer), no second try.
    assert_eq!(seen, ["POST /EU/api/playlists/", "GET /config.json"]);
    assert_eq!(
        env.store.get(&env.account.id, "config").unwrap().unwrap(),
        config_before,
        "a guest config is never stored"
    );
}

#[tokio::test]
async fn an_expired_session_answering_401_asks_to_sign_in_again() {
    expired_session_fails_after_one_renewal(401).await;
}

#[tokio::test]
async fn an_expired_session_answering_400_asks_to_sign_in_again() {
    expired_session_fails_after_one_renewal(400).await;
}

#[tokio::test]
async fn renewed_csrf_values_are_fetched_once_and_stored() {
    let env = Env::start(Library::sample()).await;
    let before = env.store.get(&env.account.id, "config").unwrap().unwrap();
    env.fake.rotate_csrf();
    let svc = env.service();
    let got = svc.tracks(&my_music(), &NoProgress).await.unwrap();
    assert_eq!(got, expected_all(env.fake.library().available_tracks()));
    let configs = env
        .fake
        .requests()
        .iter()
        .filter(|r| r.path == "/config.json")
        .count();
    assert_eq!(
        configs, 1,
        "renewed once, then the new csrf values were used"
    );
    let after = env.store.get(&env.account.id, "config").unwrap().unwrap();
    assert_ne!(after, before, "the renewed config was stored");
    // A new service from the store works without renewing again.
    env.fake.clear_requests();
    env.service().playlists().await.unwrap();
    assert!(env.fake.requests().iter().all(|r| r.path != "/config.json"));
}

#[tokio::test]
async fn a_403_csrf_refusal_renews_the_session() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::CsrfForbidden);
    let lists = env.service().playlists().await.unwrap();
    assert_eq!(lists.len(), 5);
    let statuses: Vec<String> = env.fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        statuses,
        ["/EU/api/playlists/", "/config.json", "/EU/api/playlists/"]
    );
}

fn assert_protocol(err: &ServiceError, op_name: &str) {
    assert_eq!(err.kind, ErrorKind::Protocol, "{err}");
    let shown = err.to_string();
    assert!(shown.contains(op_name), "{shown}");
    assert!(shown.contains(API_CHANGED), "{shown}");
}

#[tokio::test]
async fn schema_drift_is_reported_never_read_as_empty() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service();
    let playlist = PlaylistId::new(&env.fake.library().playlists[0].id);
    env.fake.set_mode(Mode::SchemaDrift);
    assert_protocol(
        &svc.playlists().await.unwrap_err(),
        "getOwnedPlaylistsInLibrary",
    );
    assert_protocol(
        &svc.tracks(&playlist, &NoProgress).await.unwrap_err(),
        "getPlaylistsByIdV2",
    );
    assert_protocol(
        &svc.tracks(&my_music(), &NoProgress).await.unwrap_err(),
        "getTracks",
    );
}

#[tokio::test]
async fn errors_inside_a_200_are_reported() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service();
    let playlist = PlaylistId::new(&env.fake.library().playlists[0].id);
    env.fake.set_mode(Mode::BodyErrors);
    let err = svc.tracks(&playlist, &NoProgress).await.unwrap_err();
    assert_protocol(&err, "getPlaylistsByIdV2");
    assert!(err.message.contains("InternalFailure"), "{err}");
    assert_protocol(
        &svc.playlists().await.unwrap_err(),
        "getOwnedPlaylistsInLibrary",
    );
    assert_protocol(
        &svc.tracks(&my_music(), &NoProgress).await.unwrap_err(),
        "getTracks",
    );
}

#[tokio::test]
async fn rate_limits_are_waited_out_honouring_retry_after() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::RateLimited {
        requests: 2,
        retry_after_s: 1,
    });
    let started = Instant::now();
    let lists = env.service().playlists().await.unwrap();
    assert_eq!(lists.len(), 5);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.api_requests().len(), 3);
}

#[tokio::test]
async fn a_retry_after_longer_than_we_wait_fails_at_once() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::RateLimited {
        requests: 1,
        retry_after_s: 3600,
    });
    let started = Instant::now();
    let err = env.service().playlists().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert!(!err.temporary && err.is_fatal_for_run());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn server_errors_are_retried() {
    let env = Env::start(Library::generated(450)).await;
    env.fake.set_mode(Mode::ServerError {
        requests: 3,
        status: 503,
    });
    let got = env
        .service()
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(got, expected_all(env.fake.library().available_tracks()));
}

#[tokio::test]
async fn persistent_server_errors_give_up_as_unavailable() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::ServerError {
        requests: 100,
        status: 500,
    });
    let err = env.service().playlists().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    assert_eq!(err.status, Some(500));
    assert_eq!(env.api_requests().len(), fast().max_attempts as usize);
}

#[tokio::test]
async fn slow_answers_time_out_as_unavailable() {
    let env = Env::start(Library::sample()).await;
    env.fake.set_mode(Mode::Slow(Duration::from_secs(2)));
    let mut opts = fast();
    opts.timeout = Duration::from_millis(200);
    opts.max_attempts = 2;
    let started = Instant::now();
    let err = env.service_with(opts).playlists().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains("did not answer in time"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_repeated_page_token_stops_the_read_with_an_error() {
    let env = Env::start(Library::generated(1000)).await;
    env.fake.set_mode(Mode::RepeatedToken);
    let err = env
        .service()
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap_err();
    assert_protocol(&err, "getTracks");
    assert!(err.message.contains("same page token twice"), "{err}");
    assert_eq!(env.api_requests().len(), 2, "stopped at the first repeat");
}

#[tokio::test]
async fn an_empty_page_in_the_middle_does_not_end_the_read() {
    let env = Env::start(Library::generated(1000)).await;
    env.fake.set_mode(Mode::EmptyMiddlePage);
    let got = env
        .service()
        .tracks(&my_music(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(got, expected_all(env.fake.library().available_tracks()));
    let reqs = env.api_requests();
    assert_eq!(reqs.len(), got.len().div_ceil(100) + 1);
}
