//! Reading playlists, playlist tracks and My Music exactly, with paging,
//! and the exact requests that produce them.

use crate::util::{Env, Recorder, expected_all};
use fake_amazon::{Library, LibraryPlaylist};
use musync_core::{ErrorKind, NoProgress, PlaylistId, SecretStore, Service};
use std::sync::atomic::Ordering;

const READ_TARGETS: &[&str] = &[
    "com.amazon.musicplaylist.model.MusicPlaylistService.getOwnedPlaylistsInLibrary",
    "com.amazon.musicplaylist.model.MusicPlaylistService.getPlaylistsByIdV2",
    "com.amazon.cirrus.libraryservice.v3.CirrusLibraryServiceExternalV3.getTracks",
];

#[tokio::test]
async fn my_music_comes_first_then_every_owned_playlist() {
    let env = Env::start(Library::sample()).await;
    let lists = env.service().playlists().await.unwrap();
    let lib = env.fake.library();
    assert_eq!(lists.len(), lib.playlists.len() + 1);
    assert_eq!(lists[0].id.as_str(), "my-music");
    assert_eq!(lists[0].name, "My Music");
    for (got, want) in lists[1..].iter().zip(&lib.playlists) {
        assert_eq!(got.id.as_str(), want.id);
        assert_eq!(got.name, want.title);
        assert_eq!(got.track_count, Some(want.tracks.len() as u64));
    }
    assert!(lists.iter().all(|p| !p.writable));
}

fn many_playlists(n: usize) -> Library {
    let mut lib = Library::generated(40);
    lib.playlists = (0..n)
        .map(|i| LibraryPlaylist {
            id: format!("00000000-0000-4000-8000-{i:012}"),
            title: format!("List {i}"),
            tracks: lib.my_music.iter().take(i % 5).cloned().collect(),
        })
        .collect();
    lib
}

#[tokio::test]
async fn owned_playlists_are_paged_by_offset_until_a_short_page() {
    let env = Env::start(many_playlists(250)).await;
    let lists = env.service().playlists().await.unwrap();
    let ids: Vec<String> = lists[1..].iter().map(|p| p.id.0.clone()).collect();
    let want: Vec<String> = env
        .fake
        .library()
        .playlists
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(ids, want);
    let offsets: Vec<(u64, u64)> = env
        .api_requests()
        .iter()
        .map(|r| {
            let b = r.json();
            (
                b["entryOffset"].as_u64().unwrap(),
                b["pageSize"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(offsets, vec![(0, 100), (100, 100), (200, 100)]);
}

#[tokio::test]
async fn a_full_last_page_is_followed_by_one_empty_page() {
    let env = Env::start(many_playlists(200)).await;
    let lists = env.service().playlists().await.unwrap();
    assert_eq!(lists.len(), 201);
    assert_eq!(env.api_requests().len(), 3);
}

#[tokio::test]
async fn every_playlist_reads_exactly_including_empty_and_large_ones() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service();
    let lib = env.fake.library();
    assert!(lib.playlists.iter().any(|p| p.tracks.is_empty()));
    assert!(lib.playlists.iter().any(|p| p.tracks.len() > 900));
    for p in &lib.playlists {
        let progress = Recorder::default();
        let got = svc
            .tracks(&PlaylistId::new(&p.id), &progress)
            .await
            .unwrap();
        assert_eq!(got, expected_all(&p.tracks), "playlist {}", p.title);
        assert_eq!(*progress.total.lock().unwrap(), Some(p.tracks.len() as u64));
        assert_eq!(progress.done.load(Ordering::SeqCst), p.tracks.len() as u64);
    }
    // Placeholders became empty and uploads kept their objectId.
    let all: Vec<_> = lib.playlists.iter().flat_map(|p| &p.tracks).collect();
    assert!(all.iter().any(|t| t.artist == "Unknown Artist"));
    assert!(all.iter().any(|t| t.asin.is_none()));
}

#[tokio::test]
async fn my_music_of_thousands_of_tracks_reads_exactly_with_progress() {
    let env = Env::start(Library::generated(3000)).await;
    let progress = Recorder::default();
    let got = env
        .service()
        .tracks(&PlaylistId::new("my-music"), &progress)
        .await
        .unwrap();
    let lib = env.fake.library();
    let want = expected_all(lib.available_tracks());
    assert!(
        want.len() > 2900 && want.len() < 3000,
        "deleted tracks are left out"
    );
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    assert_eq!(*progress.total.lock().unwrap(), Some(want.len() as u64));
    assert_eq!(progress.done.load(Ordering::SeqCst), want.len() as u64);
    let reqs = env.api_requests();
    assert_eq!(reqs.len(), want.len().div_ceil(100));
    assert_eq!(progress.calls.load(Ordering::SeqCst), reqs.len() as u64);
    // The first page has no token; each next one sends the token it got.
    assert!(reqs[0].json().get("nextToken").is_none());
    let first = reqs[0].json();
    assert_eq!(first["sortOrder"]["sort"], "title");
    assert_eq!(first["filterList"][0]["attributeName"], "status");
    assert_eq!(first["filterList"][0]["attributeValue"], "AVAILABLE");
    let tokens: Vec<String> = reqs[1..]
        .iter()
        .map(|r| r.json()["nextToken"].as_str().unwrap().to_owned())
        .collect();
    let mut unique = tokens.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), tokens.len());
}

#[tokio::test]
async fn requests_carry_the_legacy_headers_identity_and_region() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service();
    svc.playlists().await.unwrap();
    svc.tracks(&PlaylistId::new("my-music"), &NoProgress)
        .await
        .unwrap();
    let config: serde_json::Value = serde_json::from_str(
        env.store
            .get(&env.account.id, "config")
            .unwrap()
            .unwrap()
            .expose(),
    )
    .unwrap();
    let reqs = env.api_requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("content-encoding"), Some("amz-1.0"));
        assert_eq!(r.header("x-requested-with"), Some("XMLHttpRequest"));
        assert_eq!(r.header("csrf-token"), config["csrf"]["token"].as_str());
        assert_eq!(r.header("csrf-rnd"), config["csrf"]["rnd"].as_str());
        assert_eq!(r.header("csrf-ts"), config["csrf"]["ts"].as_str());
        assert!(r.header("cookie").unwrap().contains("at-main="));
        assert!(r.header("user-agent").unwrap().starts_with("Mozilla/5.0"));
        assert_eq!(r.header("origin"), Some(env.fake.base_url()));
        let body = r.json();
        assert_eq!(body["customerId"], config["customerId"]);
        assert_eq!(body["deviceId"], config["deviceId"]);
        assert_eq!(body["deviceType"], config["deviceType"]);
        assert_eq!(body["musicTerritory"], "GB");
        let path_ok = match r.target().unwrap() {
            t if t.ends_with("getTracks") => r.path == "/EU/api/cirrus/v3/",
            _ => r.path == "/EU/api/playlists/",
        };
        assert!(path_ok, "{} {:?}", r.path, r.target());
    }
}

#[tokio::test]
async fn a_full_read_sends_only_read_operations() {
    let env = Env::start(Library::sample()).await;
    let svc = env.service();
    for p in svc.playlists().await.unwrap() {
        svc.tracks(&p.id, &NoProgress).await.unwrap();
    }
    // Writes are refused before any request is made.
    let checked = musync_core::Checked(env.service());
    let err = checked
        .add(
            &PlaylistId::new("my-music"),
            &[musync_core::Track::new("t", "a")],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(
        err.to_string()
            .contains("Amazon Music is read-only in musync")
    );
    let all = env.fake.requests();
    assert!(all.len() >= 6);
    for r in &all {
        match r.target() {
            Some(t) => assert!(READ_TARGETS.contains(&t), "unexpected target {t}"),
            None => assert_eq!(r.path, "/config.json", "unexpected {} {}", r.method, r.path),
        }
    }
    let used: std::collections::HashSet<&str> = all.iter().filter_map(|r| r.target()).collect();
    assert_eq!(used.len(), 3, "all three reads were exercised");
}

#[tokio::test]
async fn an_unknown_playlist_is_not_found() {
    let env = Env::start(Library::sample()).await;
    let err = env
        .service()
        .tracks(&PlaylistId::new("no-such-playlist"), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("no-such-playlist"), "{err}");
}

#[tokio::test]
async fn an_empty_account_still_lists_my_music() {
    let env = Env::start(Library::empty("A3EMPTY")).await;
    let svc = env.service();
    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), 1);
    assert!(
        svc.tracks(&lists[0].id, &NoProgress)
            .await
            .unwrap()
            .is_empty()
    );
}
