//! Loving tracks: signed POSTs, one per song, paced.

use crate::util::{KEY, SECRET, USER, fast, setup, setup_with};
use musync_core::{ErrorKind, PlaylistId, Service, Track};
use musync_lastfm::LastfmTuning;
use std::time::{Duration, Instant};

fn loved() -> PlaylistId {
    PlaylistId::new("loved")
}

#[tokio::test]
async fn a_love_is_a_signed_post_the_fake_verifies() {
    let s = setup().await;
    s.service
        .add(&loved(), &[Track::new("Hoppípolla", "Sigur Rós")])
        .await
        .unwrap();
    assert_eq!(
        s.fake.loved(USER),
        vec![("Sigur Rós".to_owned(), "Hoppípolla".to_owned())]
    );
    let calls = s.fake.calls_to("track.love");
    assert_eq!(calls.len(), 1);
    let c = &calls[0];
    assert_eq!(c.http_method, "POST");
    assert_eq!(c.error, None);
    assert_eq!(c.params["sk"], s.session_key);
    assert_eq!(c.params["api_key"], KEY);
    assert_eq!(c.params["artist"], "Sigur Rós");
    assert_eq!(c.params["track"], "Hoppípolla");
    // Checked against the fake's own, independent signature code.
    assert_eq!(
        c.params["api_sig"],
        fake_lastfm::expected_signature(&c.params, SECRET)
    );
    // The new love reads back.
    let back = s
        .service
        .tracks(&loved(), &musync_core::NoProgress)
        .await
        .unwrap();
    assert_eq!(back[0].label(), "Sigur Rós - Hoppípolla");
}

#[tokio::test]
async fn loving_twice_keeps_one_love() {
    let s = setup().await;
    let t = Track::new("Teardrop", "Massive Attack");
    s.service
        .add(&loved(), std::slice::from_ref(&t))
        .await
        .unwrap();
    s.service.add(&loved(), &[t]).await.unwrap();
    assert_eq!(s.fake.loved(USER).len(), 1);
    assert_eq!(s.fake.calls_to("track.love").len(), 2);
}

#[tokio::test]
async fn recent_cannot_be_written_and_nothing_is_sent() {
    let s = setup().await;
    let err = s
        .service
        .add(
            &PlaylistId::new("recent"),
            &[Track::new("Hurt", "Johnny Cash")],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(
        err.message.contains("sync into `loved` instead"),
        "{}",
        err.message
    );
    let err = s
        .service
        .add(
            &PlaylistId::new("mixtape"),
            &[Track::new("Hurt", "Johnny Cash")],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(s.fake.calls().is_empty());
    assert!(s.fake.loved(USER).is_empty());
}

#[tokio::test]
async fn a_track_without_artist_or_title_is_refused_before_any_love() {
    let s = setup().await;
    let batch = [Track::new("Fine", "Artist"), Track::new("   ", "Artist")];
    let err = s.service.add(&loved(), &batch).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(
        err.message,
        "cannot love Artist - (no title): Last.fm needs both an artist and a title"
    );
    let err = s
        .service
        .add(&loved(), &[Track::new("Title", "")])
        .await
        .unwrap_err();
    assert_eq!(
        err.message,
        "cannot love (no artist) - Title: Last.fm needs both an artist and a title"
    );
    assert!(s.fake.calls_to("track.love").is_empty());
    assert!(s.fake.loved(USER).is_empty());
}

#[tokio::test]
async fn loves_are_paced_by_the_minimum_interval() {
    let tuning = LastfmTuning {
        min_interval: Duration::from_millis(60),
        ..fast()
    };
    let s = setup_with(serde_json::json!({}), tuning).await;
    let started = Instant::now();
    for i in 0..6 {
        s.service
            .add(&loved(), &[Track::new(format!("Song {i}"), "Band")])
            .await
            .unwrap();
    }
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300), "6 loves in {took:?}");
    assert_eq!(s.fake.loved(USER).len(), 6);
    // The default stays under Last.fm's five requests a second.
    assert!(LastfmTuning::default().min_interval >= Duration::from_millis(200));
}

#[tokio::test]
async fn removing_from_loved_unloves_that_song_only_with_a_signed_post() {
    let s = setup().await;
    let keep = Track::new("Teardrop", "Massive Attack");
    let gone = Track::new("Hoppípolla", "Sigur Rós");
    s.service
        .add(&loved(), &[keep.clone(), gone.clone()])
        .await
        .unwrap();
    s.service
        .remove(
            &loved(),
            &[musync_core::PlaylistEntry {
                position: 0,
                track: gone,
            }],
        )
        .await
        .unwrap();
    assert_eq!(
        s.fake.loved(USER),
        vec![("Massive Attack".to_owned(), "Teardrop".to_owned())]
    );
    let calls = s.fake.calls_to("track.unlove");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].http_method, "POST");
    assert_eq!(
        calls[0].params["api_sig"],
        fake_lastfm::expected_signature(&calls[0].params, SECRET)
    );
    let recent = s
        .service
        .remove(
            &PlaylistId::new("recent"),
            &[musync_core::PlaylistEntry {
                position: 0,
                track: keep,
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(recent.kind, ErrorKind::PermissionDenied);
    assert_eq!(s.fake.calls_to("track.unlove").len(), 1, "nothing sent");
}
