//! Reading: the playlist list, large playlists, Liked Songs, both field
//! namings, entries that must be skipped, and development-mode refusals.

use crate::util::{self, Recorder};
use fake_spotify::{Catalogue, Entry};
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service};
use std::sync::atomic::Ordering;

fn ids(tracks: &[musync_core::Track]) -> Vec<String> {
    tracks.iter().map(|t| t.id.clone().unwrap().0).collect()
}

#[tokio::test]
async fn a_2500_song_playlist_reads_exactly_in_order_with_progress() {
    let s = util::setup().await;
    let cat = Catalogue::generated(2600);
    let mut uris: Vec<String> = cat.uris()[..2500].to_vec();
    uris.reverse(); // not catalogue order, so order is really checked
    s.fake.set_catalogue(cat.clone());
    let id = s.fake.add_playlist("alice", "Everything", &uris);

    let rec = Recorder::default();
    let tracks = s.svc.tracks(&PlaylistId::new(&id), &rec).await.unwrap();
    assert_eq!(ids(&tracks), uris);
    assert!(
        tracks
            .iter()
            .all(|t| t.isrc.as_deref().is_some_and(|i| i.starts_with("QZFAK")))
    );
    let last = cat.by_uri(&uris[2499]).unwrap();
    assert_eq!(tracks[2499].title, last.name);
    assert_eq!(tracks[2499].album.as_deref(), Some(last.album.as_str()));
    assert_eq!(
        tracks[2499].duration_s,
        Some(((last.duration_ms + 500) / 1000) as u32)
    );
    assert_eq!(rec.total.load(Ordering::SeqCst), 2500);
    assert_eq!(rec.done.load(Ordering::SeqCst), 2500);

    let pages = s
        .fake
        .state()
        .requests_to(&format!("/v1/playlists/{id}/items"));
    assert_eq!(pages.len(), 50, "pages of 50");
    assert!(
        pages
            .iter()
            .all(|r| r.param("limit").as_deref() == Some("50"))
    );
}

#[tokio::test]
async fn liked_songs_read_exactly_newest_first() {
    let s = util::setup().await;
    let cat = Catalogue::generated(130);
    s.fake.set_catalogue(cat.clone());
    s.fake.state().users.get_mut("alice").unwrap().liked = cat.uris()[3..123].to_vec();
    let tracks = s
        .svc
        .tracks(&PlaylistId::new("liked"), &NoProgress)
        .await
        .unwrap();
    assert_eq!(ids(&tracks), cat.uris()[3..123].to_vec());
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists[0].name, "Liked Songs");
    assert_eq!(lists[0].track_count, Some(120));
    assert!(lists[0].writable);
}

#[tokio::test]
async fn playlists_list_liked_first_then_owned_followed_and_collaborative() {
    let s = util::setup().await;
    s.fake.add_user("bob", Some("Bob"));
    let uris = Catalogue::sample().uris();
    let mine: Vec<String> = (0..60)
        .map(|i| {
            s.fake
                .add_playlist("alice", &format!("Mine {i}"), &uris[..i % 5])
        })
        .collect();
    let theirs = s.fake.add_playlist("bob", "Bob's", &uris[..3]);
    let shared = s.fake.add_playlist("bob", "Shared", &uris[..2]);
    {
        let mut st = s.fake.state();
        st.playlists.get_mut(&shared).unwrap().collaborative = true;
        st.follow("alice", &theirs);
        st.follow("alice", &shared);
    }
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists.len(), 1 + 60 + 2, "all pages read");
    assert_eq!(lists[0].id.as_str(), "liked");
    let find = |id: &str| lists.iter().find(|p| p.id.as_str() == id).unwrap();
    assert!(!find(&theirs).writable);
    assert_eq!(find(&theirs).track_count, Some(3));
    assert!(find(&shared).writable);
    assert!(mine.iter().all(|id| find(id).writable));
    assert_eq!(find(&mine[4]).track_count, Some(4));
    assert!(s.fake.state().requests_to("/v1/me/playlists").len() >= 2);
}

#[tokio::test]
async fn the_pre_2026_field_names_still_read() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "Old", &uris[..7]);
    s.fake.state().old_field_names = true;
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(
        lists
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap()
            .track_count,
        Some(7)
    );
    let tracks = s
        .svc
        .tracks(&PlaylistId::new(&id), &NoProgress)
        .await
        .unwrap();
    assert_eq!(ids(&tracks), uris[..7].to_vec());
}

#[tokio::test]
async fn local_files_episodes_and_unavailable_entries_are_skipped() {
    let s = util::setup().await;
    let uris = Catalogue::sample().uris();
    let id = s.fake.add_playlist("alice", "Mixed", &[]);
    s.fake.state().playlists.get_mut(&id).unwrap().entries = vec![
        Entry::Track(uris[0].clone()),
        Entry::LocalFile {
            name: "Demo".into(),
            artist: "Me".into(),
        },
        Entry::Episode {
            name: "Episode 1".into(),
        },
        Entry::Unavailable,
        Entry::Track(uris[1].clone()),
    ];
    let rec = Recorder::default();
    let tracks = s.svc.tracks(&PlaylistId::new(&id), &rec).await.unwrap();
    assert_eq!(ids(&tracks), uris[..2].to_vec());
    assert_eq!(
        rec.done.load(Ordering::SeqCst),
        5,
        "progress counts every entry"
    );
}

#[tokio::test]
async fn someone_elses_playlist_cannot_be_listed_in_development_mode() {
    let s = util::setup().await;
    s.fake.add_user("bob", None);
    let theirs = s
        .fake
        .add_playlist("bob", "Bob's", &Catalogue::sample().uris()[..3]);
    s.fake.state().follow("alice", &theirs);
    let err = s
        .svc
        .tracks(&PlaylistId::new(&theirs), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(err.message.contains("own or collaborate"), "{err}");
}

#[tokio::test]
async fn a_user_missing_from_the_apps_user_list_is_told_what_to_do() {
    let s = util::setup().await;
    s.fake.state().users.remove("alice");
    let err = s.svc.playlists().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(err.message.contains("User Management"), "{err}");
}

#[tokio::test]
async fn an_unknown_playlist_is_not_found_and_a_bad_id_never_leaves() {
    let s = util::setup().await;
    let err = s
        .svc
        .tracks(&PlaylistId::new("0000000000000000000000"), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    let before = s.fake.requests().len();
    let err = s
        .svc
        .tracks(&PlaylistId::new("../me/tracks"), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert_eq!(s.fake.requests().len(), before);
}
