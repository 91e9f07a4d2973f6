//! Writing: playlist adds in batches of at most 100 in order, Liked Songs
//! saves in batches of at most 40, new playlists, refusals.

use crate::util;
use fake_spotify::Catalogue;
use musync_core::{Checked, ErrorKind, NoProgress, PlaylistId, Service, Track};

fn tracks_of(uris: &[String]) -> Vec<Track> {
    uris.iter()
        .map(|u| Track::new("t", "a").with_id(u.as_str()))
        .collect()
}

#[tokio::test]
async fn adds_go_in_order_in_batches_within_the_limit() {
    let s = util::setup().await;
    let cat = Catalogue::generated(300);
    s.fake.set_catalogue(cat.clone());
    let created = s.svc.create_playlist("Mirror").await.unwrap();
    assert!(created.writable);
    assert_eq!(created.track_count, Some(0));
    let id = created.id.clone();
    let uris = cat.uris()[..250].to_vec();
    let tracks = tracks_of(&uris);

    let checked = Checked(s.svc);
    assert_eq!(checked.capabilities().add_max_batch, Some(100));
    for chunk in tracks.chunks(100) {
        checked.add(&id, chunk).await.unwrap();
    }
    assert_eq!(s.fake.playlist_items(id.as_str()), uris);

    let posts = s
        .fake
        .state()
        .requests_to(&format!("/v1/playlists/{id}/items"));
    let posts: Vec<_> = posts.into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 3);
    assert!(posts.iter().all(|r| r.status == 201));

    // More than one call's worth is refused before anything is sent.
    let before = s.fake.requests().len();
    let err = checked
        .add(&id, &tracks_of(&cat.uris()[..101]))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert_eq!(s.fake.requests().len(), before);

    // The new playlist is listed and readable.
    let lists = checked.playlists().await.unwrap();
    let listed = lists.iter().find(|p| p.id == id).unwrap();
    assert_eq!(
        (listed.name.as_str(), listed.track_count),
        ("Mirror", Some(250))
    );
    let back = checked.tracks(&id, &NoProgress).await.unwrap();
    assert_eq!(back.len(), 250);
}

#[tokio::test]
async fn an_oversized_direct_add_is_still_split_into_batches_of_100() {
    let s = util::setup().await;
    let cat = Catalogue::generated(260);
    s.fake.set_catalogue(cat.clone());
    let id = s.fake.add_playlist("alice", "Direct", &[]);
    s.svc
        .add(&PlaylistId::new(&id), &tracks_of(&cat.uris()))
        .await
        .unwrap();
    assert_eq!(s.fake.playlist_items(&id), cat.uris());
    assert!(s.fake.requests().iter().all(|r| r.status < 400));
}

#[tokio::test]
async fn liked_songs_are_saved_in_batches_of_at_most_40() {
    let s = util::setup().await;
    let cat = Catalogue::generated(95);
    s.fake.set_catalogue(cat.clone());
    let liked = PlaylistId::new("liked");
    s.svc.add(&liked, &tracks_of(&cat.uris())).await.unwrap();

    let puts = s.fake.state().requests_to("/v1/me/library");
    let sizes: Vec<usize> = puts
        .iter()
        .map(|r| r.param("uris").unwrap().split(',').count())
        .collect();
    assert_eq!(sizes, [40, 40, 15]);
    assert!(puts.iter().all(|r| r.method == "PUT" && r.status == 200));
    let mut have = s.fake.liked("alice");
    have.sort();
    let mut want = cat.uris();
    want.sort();
    assert_eq!(have, want);

    // Saving again changes nothing (the library is a set).
    s.svc
        .add(&liked, &tracks_of(&cat.uris()[..10]))
        .await
        .unwrap();
    assert_eq!(s.fake.liked("alice").len(), 95);
    let read = s.svc.tracks(&liked, &NoProgress).await.unwrap();
    assert_eq!(read.len(), 95);
}

#[tokio::test]
async fn a_track_without_a_spotify_id_is_refused_and_nothing_is_written() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "P", &[]);
    let mut tracks = tracks_of(&uris[..3]);
    tracks.push(Track::new("Local Song", "Me").with_id("/home/me/song.mp3"));
    let before = s.fake.requests().len();
    let err = s.svc.add(&PlaylistId::new(&id), &tracks).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("Me - Local Song"), "{err}");
    assert_eq!(s.fake.requests().len(), before);
    assert!(s.fake.playlist_items(&id).is_empty());
}

#[tokio::test]
async fn adding_to_someone_elses_playlist_is_permission_denied() {
    let s = util::setup().await;
    s.fake.add_user("bob", None);
    let uris = Catalogue::sample().uris();
    let theirs = s.fake.add_playlist("bob", "Bob's", &uris[..1]);
    let err = s
        .svc
        .add(&PlaylistId::new(&theirs), &tracks_of(&uris[1..2]))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert_eq!(s.fake.playlist_items(&theirs), uris[..1].to_vec());
}

#[tokio::test]
async fn a_playlist_needs_a_name() {
    let s = util::setup().await;
    let err = s.svc.create_playlist("  ").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(s.fake.requests().is_empty());
}
