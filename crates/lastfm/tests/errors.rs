//! Every Last.fm error code musync treats specially, produced by the fake
//! and seen through the shared HTTP layer.

use crate::util::{KEY, USER, account, fast, setup, store};
use fake_lastfm::Mode;
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service, Track};
use musync_lastfm::{LastfmService, LastfmTuning, lastfm_code};

fn loved() -> PlaylistId {
    PlaylistId::new("loved")
}

fn codes(fake: &fake_lastfm::FakeLastfm, method: &str) -> Vec<Option<u32>> {
    fake.calls_to(method).iter().map(|c| c.error).collect()
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_on_reads_and_loves() {
    let s = setup().await;
    s.fake.love(USER, "Queen", "Bohemian Rhapsody");
    s.fake.set_mode(Mode::RateLimit { calls: 2 });
    let tracks = s.service.tracks(&loved(), &NoProgress).await.unwrap();
    assert_eq!(tracks.len(), 1);
    assert_eq!(
        codes(&s.fake, "user.getLovedTracks"),
        [Some(29), Some(29), None]
    );

    // A love refused with 29 never took effect, so it is sent again, once.
    s.fake.set_mode(Mode::RateLimit { calls: 1 });
    s.service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap();
    assert_eq!(codes(&s.fake, "track.love"), [Some(29), None]);
    assert_eq!(s.fake.loved(USER).len(), 2);
}

#[tokio::test]
async fn a_rate_limit_that_lasts_becomes_persistent_and_stops_the_run() {
    let s = setup().await;
    s.fake.set_mode(Mode::RateLimit { calls: 100 });
    let err = s.service.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert!(!err.temporary);
    assert!(err.is_fatal_for_run());
    assert_eq!(lastfm_code(&err), Some(29));
    assert_eq!(s.fake.calls().len(), fast().max_attempts as usize);
}

#[tokio::test]
async fn outages_are_retried_on_reads() {
    let s = setup().await;
    s.fake.set_mode(Mode::Outage { calls: 2 });
    s.service.tracks(&loved(), &NoProgress).await.unwrap();
    assert_eq!(
        codes(&s.fake, "user.getLovedTracks"),
        [Some(16), Some(16), None]
    );
    s.fake.set_mode(Mode::Error { code: 11, calls: 1 });
    s.service.playlists().await.unwrap();
    assert_eq!(
        s.fake
            .calls()
            .iter()
            .filter(|c| c.error == Some(11))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_love_during_a_short_outage_is_retried_and_loved_once() {
    // Loving is idempotent on Last.fm, so the shared layer may send it again.
    let s = setup().await;
    s.fake.set_mode(Mode::Outage { calls: 1 });
    s.service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap();
    assert_eq!(codes(&s.fake, "track.love"), [Some(16), None]);
    assert_eq!(s.fake.loved(USER).len(), 1);
}

#[tokio::test]
async fn a_love_during_a_long_outage_fails_that_song_only() {
    let s = setup().await;
    s.fake.set_mode(Mode::Outage { calls: 50 });
    let err = s
        .service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(!err.is_fatal_for_run());
    assert!(s.fake.loved(USER).is_empty());
    s.fake.set_mode(Mode::Normal);
    s.service
        .add(&loved(), &[Track::new("Hallelujah", "Jeff Buckley")])
        .await
        .unwrap();
    assert_eq!(s.fake.loved(USER).len(), 1);
}

#[tokio::test]
async fn a_revoked_session_asks_to_sign_in_again_with_status_200_or_403() {
    for as_200 in [false, true] {
        let s = setup().await;
        s.fake.set_errors_as_200(as_200);
        s.fake.revoke_sessions(USER);
        let err = s
            .service
            .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::AuthExpired);
        assert_eq!(err.status, Some(if as_200 { 200 } else { 403 }));
        assert!(
            err.to_string()
                .contains("Last.fm session is no longer valid"),
            "{err}"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("sign in again: musync accounts add lastfm --api-key KEY --api-secret SECRET")
        );
        assert!(err.is_fatal_for_run());
        assert_eq!(codes(&s.fake, "track.love"), [Some(9)], "not retried");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_reported_as_a_musync_bug() {
    let s = setup().await;
    let secrets = store(KEY, "the-wrong-secret", &s.session_key);
    let svc = LastfmService::open_with(
        &account(&s.fake.api_url(), serde_json::json!({})),
        secrets,
        fast(),
    )
    .unwrap();
    let err = svc
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Protocol);
    assert_eq!(
        err.message,
        "invalid signature: check the API secret; if it is right, this is a musync bug, please report it"
    );
    assert_eq!(lastfm_code(&err), Some(13));
    assert!(s.fake.loved(USER).is_empty());
}

#[tokio::test]
async fn key_problems_name_the_fix() {
    let s = setup().await;
    let secrets = store("not-a-registered-key", crate::util::SECRET, &s.session_key);
    let svc = LastfmService::open_with(
        &account(&s.fake.api_url(), serde_json::json!({})),
        secrets,
        fast(),
    )
    .unwrap();
    let err = svc.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert_eq!(lastfm_code(&err), Some(10));
    assert!(err.hint.unwrap().contains("--api-key KEY"));

    s.fake.set_mode(Mode::Error { code: 26, calls: 1 });
    let err = s.service.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(err.message.contains("suspended"));
    assert!(err.hint.unwrap().contains("create a new API account"));

    s.fake.set_mode(Mode::Error { code: 4, calls: 1 });
    let err = s.service.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(
        err.message
            .starts_with("Last.fm refused the authentication"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn other_errors_fail_the_song_with_last_fms_message() {
    let s = setup().await;
    s.fake.set_mode(Mode::Error { code: 7, calls: 1 });
    let err = s
        .service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(err.message, "Invalid resource specified (error 7)");
    assert!(!err.is_fatal_for_run());
    assert_eq!(
        err.to_string(),
        "Last.fm: Invalid resource specified (error 7) (HTTP 400 while loving a track)"
    );
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout_and_is_retried() {
    let s = setup().await;
    let tuning = LastfmTuning {
        timeout: std::time::Duration::from_millis(100),
        max_attempts: 2,
        ..fast()
    };
    let svc = LastfmService::open_with(
        &account(&s.fake.api_url(), serde_json::json!({})),
        s.secrets.clone(),
        tuning,
    )
    .unwrap();
    s.fake
        .set_mode(Mode::Slow(std::time::Duration::from_millis(400)));
    let err = svc.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(
        err.message.contains("did not answer in time"),
        "{}",
        err.message
    );
    s.fake.set_mode(Mode::Normal);
    svc.tracks(&loved(), &NoProgress).await.unwrap();
}
