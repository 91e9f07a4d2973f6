//! Every Last.fm error code musync treats specially, produced by the fake
//! (its state, or the shared fault switches in Last.fm's words) and seen
//! through the shared HTTP layer. The mapping of the other codes is unit
//! tested in `src/error.rs`.

use crate::util::{KEY, USER, account, fast, setup, store};
use fake_lastfm::{Fault, Mode};
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service, Track};
use musync_lastfm::{LastfmService, LastfmTuning, lastfm_code};

fn loved() -> PlaylistId {
    PlaylistId::new("loved")
}

fn codes(fake: &fake_lastfm::FakeLastfm, method: &str) -> Vec<Option<u32>> {
    fake.calls_to(method).iter().map(|c| c.error).collect()
}

/// Requests the fault switches answered or passed on.
fn requests(fake: &fake_lastfm::FakeLastfm) -> usize {
    fake.faults().request_count()
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_on_reads_and_loves() {
    let s = setup().await;
    s.fake.love(USER, "Queen", "Bohemian Rhapsody");
    // Error 29 inside an HTTP 200, twice.
    s.fake.faults().fail_next(Fault::RateLimited(None), 2);
    let tracks = s.service.tracks(&loved(), &NoProgress).await.unwrap();
    assert_eq!(tracks.len(), 1);
    assert_eq!(requests(&s.fake), 3);
    assert_eq!(codes(&s.fake, "user.getLovedTracks"), [None]);

    // A love refused with 29 never took effect, so it is sent again, once.
    s.fake.faults().fail_next(Fault::RateLimited(None), 1);
    s.service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap();
    assert_eq!(requests(&s.fake), 5);
    assert_eq!(codes(&s.fake, "track.love"), [None]);
    assert_eq!(s.fake.loved(USER).len(), 2);
}

#[tokio::test]
async fn a_rate_limit_that_lasts_becomes_persistent_and_stops_the_run() {
    let s = setup().await;
    s.fake.faults().fail_always(Fault::RateLimited(None));
    let err = s.service.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert!(!err.temporary);
    assert!(err.is_fatal_for_run());
    assert_eq!(lastfm_code(&err), Some(29));
    assert_eq!(err.status, Some(200), "the body told, not the status");
    assert_eq!(requests(&s.fake), fast().max_attempts as usize);
}

#[tokio::test]
async fn outages_are_retried_on_reads() {
    let s = setup().await;
    s.fake.faults().fail_next(Fault::Unavailable, 2);
    s.service.tracks(&loved(), &NoProgress).await.unwrap();
    assert_eq!(requests(&s.fake), 3);
    assert_eq!(codes(&s.fake, "user.getLovedTracks"), [None]);
    // A 429 with Retry-After (here 1 s) is waited out as asked.
    s.fake.faults().fail_next(Fault::RateLimited(Some(1)), 1);
    let started = std::time::Instant::now();
    s.service.playlists().await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(requests(&s.fake), 3 + 3, "two reads, one retried");
}

#[tokio::test]
async fn a_love_during_a_short_outage_is_retried_and_loved_once() {
    // Loving is idempotent on Last.fm, so the shared layer may send it again.
    let s = setup().await;
    s.fake.faults().fail_next(Fault::Unavailable, 1);
    s.service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap();
    assert_eq!(requests(&s.fake), 2);
    assert_eq!(codes(&s.fake, "track.love"), [None]);
    assert_eq!(s.fake.loved(USER).len(), 1);
}

#[tokio::test]
async fn a_love_during_a_long_outage_fails_that_song_only() {
    let s = setup().await;
    s.fake.faults().fail_always(Fault::Unavailable);
    let err = s
        .service
        .add(&loved(), &[Track::new("Hurt", "Johnny Cash")])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(!err.is_fatal_for_run());
    assert!(s.fake.loved(USER).is_empty());
    s.fake.faults().clear();
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
        if as_200 {
            // Error 9 in an HTTP 200, as Last.fm long answered.
            s.fake.faults().fail_always(Fault::Expired);
        } else {
            // The real thing: the user removed musync in their settings.
            s.fake.revoke_sessions(USER);
        }
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
        assert_eq!(requests(&s.fake), 1, "not retried");
        assert!(s.fake.loved(USER).is_empty());
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

    s.fake.set_suspended(KEY, true);
    let err = s.service.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(err.message.contains("suspended"));
    assert!(
        err.hint
            .as_deref()
            .unwrap()
            .contains("create a new API account")
    );
    assert_eq!(lastfm_code(&err), Some(26));
    assert!(err.is_fatal_for_run());
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
