//! Rate limits and outages go through the shared layer: 429 waits for
//! Retry-After, 5xx on reads is retried, a non-idempotent add is never
//! blindly resent.

use crate::util;
use fake_spotify::Catalogue;
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service, Track};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let s = util::setup().await;
    {
        let mut st = s.fake.state();
        st.fail_with_429 = 1;
        st.retry_after_s = 1;
    }
    let started = Instant::now();
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists[0].id.as_str(), "liked");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    let statuses: Vec<u16> = s.fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(&statuses[..2], &[429, 200]);
}

#[tokio::test]
async fn a_429_on_an_add_is_retried_and_adds_once() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "P", &[]);
    {
        let mut st = s.fake.state();
        st.fail_with_429 = 1;
        st.retry_after_s = 1;
    }
    let t = Track::new("t", "a").with_id(uris[0].as_str());
    s.svc.add(&PlaylistId::new(&id), &[t]).await.unwrap();
    assert_eq!(s.fake.playlist_items(&id), uris[..1].to_vec());
}

#[tokio::test]
async fn server_errors_on_reads_are_retried() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "P", &uris[..5]);
    {
        let mut st = s.fake.state();
        st.fail_with_5xx = 2;
        st.failure_status = 502;
    }
    let tracks = s
        .svc
        .tracks(&PlaylistId::new(&id), &NoProgress)
        .await
        .unwrap();
    assert_eq!(tracks.len(), 5);
    let statuses: Vec<u16> = s.fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [502, 502, 200]);
}

#[tokio::test]
async fn a_server_error_on_an_add_is_not_resent() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "P", &[]);
    s.fake.state().fail_with_5xx = 1;
    let t = Track::new("t", "a").with_id(uris[0].as_str());
    let err = s.svc.add(&PlaylistId::new(&id), &[t]).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(!err.temporary, "the caller re-reads before trying again");
    let posts: Vec<_> = s
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    assert!(s.fake.playlist_items(&id).is_empty());
}
