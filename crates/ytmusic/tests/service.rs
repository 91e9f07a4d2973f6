//! What is unique to YouTube Music, against its fake: the session checks
//! of sign-in, exact reads through both continuation styles, greyed-out
//! rows, songs over videos, dedupe-safe adds, likes, the creation
//! throttle, rotated cookies, dead sessions, and what is never retried.

mod common;

use fake_ytmusic::{FakeYtMusic, Fault, Video};
use musync_core::{ErrorKind, NoProgress, PlaylistId, SecretStore, Track};
use std::sync::Arc;

const EDIT: &str = "/youtubei/v1/browse/edit_playlist";
const LIKE: &str = "/youtubei/v1/like/like";

fn titles(t: &[Track]) -> Vec<String> {
    t.iter().map(|t| t.title.to_string()).collect()
}

#[tokio::test]
async fn cookies_sign_in_checks_the_session_and_keeps_only_youtube_cookies() {
    let fake = FakeYtMusic::start().await;
    let new = common::sign_in(&fake, &fake.cookies_txt()).await.unwrap();
    assert_eq!(new.account.id.as_str(), "ytmusic-testlistener");
    assert_eq!(
        new.account.name,
        "YouTube Music: Test Listener (@testlistener)"
    );
    let stored = &new.secrets[0].1;
    assert!(
        stored.expose().contains("__Secure-3PSID"),
        "HttpOnly lines kept"
    );
    assert!(!stored.expose().contains("NID") && !stored.expose().contains("GAPS"));
    assert!(
        fake.auth_failures().is_empty(),
        "{:?}",
        fake.auth_failures()
    );

    // SAPISID missing: __Secure-3PAPISID stands in.
    common::sign_in(&fake, &fake.cookies_txt_without_sapisid())
        .await
        .unwrap();
    assert!(
        fake.auth_failures().is_empty(),
        "{:?}",
        fake.auth_failures()
    );

    fake.set_signed_out(true);
    let err = common::sign_in(&fake, &fake.cookies_txt())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(
        err.message.contains("signed out") && err.message.contains("nothing was stored"),
        "{err}"
    );

    let err = common::sign_in(&fake, ".google.com\tTRUE\t/\tTRUE\t0\tNID\tx\n")
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(
        err.message.contains("none of these cookies is YouTube's"),
        "{err}"
    );
    let err = common::sign_in(&fake, "junk line\n").await.unwrap_err();
    assert!(err.message.contains("line 1: expected 7"), "{err}");
}

#[tokio::test]
async fn the_library_and_playlists_read_exactly_through_both_continuation_styles() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..137)
        .map(|i| {
            let mut v = Video::song(
                &format!("Song {i:03}"),
                &["Main", "Guest"],
                "Album",
                180 + i,
            );
            if i % 50 == 7 {
                v = v.unavailable();
            }
            fake.add_video(v)
        })
        .collect();
    let video = fake.add_video(Video::music_video("Clip", &["Main"], 200));
    let mut all = ids.clone();
    all.push(video.clone());
    let own = fake.add_playlist("Mine", true, &all);
    for i in 0..20 {
        fake.add_playlist(&format!("Saved {i}"), false, &ids[..2]);
    }
    fake.faults().set_page_size(7);
    let (svc, _, _) = common::open(&fake).await;

    let lists = svc.playlists().await.unwrap();
    assert_eq!(lists.len(), 22, "liked + 21, no New playlist tile");
    assert_eq!(
        (lists[0].id.as_str(), lists[0].name.as_str()),
        ("liked", "Liked Music")
    );
    assert_eq!(lists.iter().filter(|p| p.name == "Liked Music").count(), 1);
    let mine = lists.iter().find(|p| p.id.as_str() == own).unwrap();
    assert!(mine.writable && mine.owned);
    assert_eq!(mine.track_count, Some(138));
    let saved = lists.iter().find(|p| p.name == "Saved 19").unwrap();
    assert!(!saved.writable && !saved.owned);

    let tracks = svc
        .tracks(&PlaylistId::new(format!("VL{own}")), &NoProgress)
        .await
        .unwrap();
    let same = svc
        .tracks(&PlaylistId::new(own.clone()), &NoProgress)
        .await
        .unwrap();
    assert_eq!(tracks, same, "ids with or without VL");
    assert_eq!(tracks.len(), 138);
    let expected: Vec<String> = (0..137)
        .map(|i| format!("Song {i:03}"))
        .chain(["Clip".into()])
        .collect();
    assert_eq!(titles(&tracks), expected, "greyed-out rows stay in place");
    let t = &tracks[7];
    assert_eq!(
        t.id.as_ref().unwrap().as_str(),
        ids[7],
        "a greyed-out row keeps its video id"
    );
    assert_eq!(tracks[0].artists, vec!["Main", "Guest"]);
    assert_eq!(tracks[0].artist, "Main, Guest");
    assert_eq!(tracks[0].album.as_deref(), Some("Album"));
    assert_eq!(tracks[0].duration_s, Some(180));
    assert_eq!(tracks[0].isrc, None);
    assert_eq!(tracks[137].album, None, "music videos have no album");
    assert_eq!(tracks[137].id.as_ref().unwrap().as_str(), video);
    assert!(fake.auth_failures().is_empty());
}

#[tokio::test]
async fn search_prefers_the_audio_track_and_keeps_decoys_behind() {
    let fake = FakeYtMusic::start().await;
    let video = fake.add_video(Video::music_video("Halo", &["Beyoncé"], 270));
    let cover = fake.add_video(Video::song("Halo", &["Cover Band"], "Covers", 250));
    let song = fake.add_video(Video::song(
        "Halo",
        &["Beyoncé"],
        "I Am... Sasha Fierce",
        261,
    ));
    let live = fake.add_video(Video::song("Halo (Live)", &["Beyoncé"], "Live", 300));
    let (svc, _, _) = common::open(&fake).await;
    let found = svc
        .search(&Track::new("Halo", "Beyonce").with_isrc("USSM10804548"))
        .await
        .unwrap();
    let ids: Vec<&str> = found
        .iter()
        .map(|t| t.id.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(ids[0], song, "the audio track first");
    assert!(!ids.contains(&video.as_str()), "its video is dropped");
    assert!(ids.contains(&cover.as_str()) && ids.contains(&live.as_str()));
    let none = svc
        .search(&Track::new("Nothing Like It", "Nobody"))
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn adds_send_only_missing_songs_and_likes_never_edit_liked_music() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..5)
        .map(|i| fake.add_video(Video::song(&format!("S{i}"), &["A"], "B", 100)))
        .collect();
    let pl = fake.add_playlist("Mine", true, &ids[..1]);
    let saved = fake.add_playlist("Theirs", false, &[]);
    let (svc, _, _) = common::open(&fake).await;
    let track = |i: usize| Track::new(format!("S{i}"), "A").with_id(ids[i].as_str());
    let batch: Vec<Track> = (0..4).map(track).collect();
    svc.add(&PlaylistId::new(pl.clone()), &batch).await.unwrap();
    assert_eq!(
        fake.playlist_items(&pl),
        ids[..4].to_vec(),
        "the song already there is not sent"
    );
    assert_eq!(fake.requests_to(EDIT), 1);
    svc.add(&PlaylistId::new(pl.clone()), &batch).await.unwrap();
    assert_eq!(
        fake.requests_to(EDIT),
        1,
        "a second run sends no edit_playlist"
    );

    // Someone else added S4 meanwhile: the refused batch is re-read and
    // sent again without it.
    fake.state()
        .playlist_mut(&pl)
        .unwrap()
        .items
        .push(fake_ytmusic::Item {
            video_id: ids[4].clone(),
            set_video_id: "OTHER".into(),
        });
    svc.add(&PlaylistId::new(pl.clone()), &[track(4)])
        .await
        .unwrap();
    assert_eq!(fake.playlist_items(&pl).len(), 5, "never a duplicate");

    svc.add(&PlaylistId::new("liked"), &batch[..2])
        .await
        .unwrap();
    assert_eq!(fake.requests_to(LIKE), 2, "one like/like per song");
    assert_eq!(fake.liked(), vec![ids[1].clone(), ids[0].clone()]);

    let err = svc
        .add(&PlaylistId::new(saved.clone()), &batch)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied);
    assert!(
        fake.forbidden_edits().is_empty(),
        "{:?}",
        fake.forbidden_edits()
    );

    let err = svc
        .add(
            &PlaylistId::new(pl),
            &[Track::new("X", "Y").with_id("spotify:track:1")],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
}

#[tokio::test]
async fn removal_goes_by_set_video_id() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..3)
        .map(|i| fake.add_video(Video::song(&format!("S{i}"), &["A"], "B", 100)))
        .collect();
    let pl = fake.add_playlist(
        "Mine",
        true,
        &[ids[0].clone(), ids[1].clone(), ids[0].clone()],
    );
    let (svc, _, _) = common::open(&fake).await;
    let tracks = svc
        .tracks(&PlaylistId::new(pl.clone()), &NoProgress)
        .await
        .unwrap();
    let entry = musync_core::PlaylistEntry {
        position: 2,
        track: tracks[2].clone(),
    };
    svc.remove(&PlaylistId::new(pl.clone()), &[entry])
        .await
        .unwrap();
    assert_eq!(
        fake.playlist_items(&pl),
        vec![ids[0].clone(), ids[1].clone()]
    );
}

#[tokio::test]
async fn too_many_playlists_stops_at_once_in_both_forms() {
    for status in [400, 429] {
        let fake = FakeYtMusic::start().await;
        fake.throttle_creation_after(1, status);
        let (svc, _, _) = common::open(&fake).await;
        svc.create_playlist("First <b>").await.unwrap();
        let err = svc.create_playlist("Second").await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::RateLimited);
        assert!(err.message.contains("too many playlists"), "{err}");
        assert!(err.is_fatal_for_run());
        assert!(
            fake.create_attempts() <= 3,
            "{} attempts",
            fake.create_attempts()
        );
        assert_eq!(fake.create_attempts(), 2);
        assert_eq!(fake.state().playlists[0].title, "First b");
    }
}

#[tokio::test]
async fn rotated_cookies_are_used_at_once_and_saved_over_a_long_read() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..300)
        .map(|i| fake.add_video(Video::song(&format!("S{i}"), &["A"], "B", 100)))
        .collect();
    let pl = fake.add_playlist("Long", true, &ids);
    fake.faults().set_page_size(10);
    let (svc, store, new) = common::open(&fake).await;
    fake.rotate_cookies_every(2);
    let tracks = svc.tracks(&PlaylistId::new(pl), &NoProgress).await.unwrap();
    assert_eq!(tracks.len(), 300);
    assert!(fake.rotations() >= 10, "{} rotations", fake.rotations());
    let saved = store.get(&new.account.id, "cookies").unwrap().unwrap();
    let sidcc = fake.cookie("SIDCC").unwrap();
    assert!(saved.expose().contains(&sidcc), "the latest SIDCC is saved");
    // A new process with the saved cookies goes on working.
    let again =
        musync_ytmusic::YtMusicService::open_with(&new.account, store.clone(), common::fast())
            .unwrap();
    use musync_core::Service;
    assert!(again.playlists().await.is_ok());
}

#[tokio::test]
async fn a_dead_session_is_sign_in_again_never_an_empty_list() {
    let fake = FakeYtMusic::start().await;
    let (svc, _, _) = common::open(&fake).await;
    fake.set_signed_out(true);
    for err in [
        svc.playlists().await.unwrap_err(),
        svc.tracks(&PlaylistId::new("liked"), &NoProgress)
            .await
            .unwrap_err(),
        svc.search(&Track::new("a", "b")).await.unwrap_err(),
    ] {
        assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
        assert!(
            err.hint
                .as_deref()
                .unwrap()
                .contains("musync accounts add ytmusic")
        );
    }
}

#[tokio::test]
async fn writes_that_may_have_landed_are_not_retried_but_refused_ones_are() {
    let fake = FakeYtMusic::start().await;
    let ids: Vec<String> = (0..2)
        .map(|i| fake.add_video(Video::song(&format!("S{i}"), &["A"], "B", 100)))
        .collect();
    let pl = fake.add_playlist("Mine", true, &[]);
    let (svc, _, _) = common::open(&fake).await;
    let t = |i: usize| Track::new(format!("S{i}"), "A").with_id(ids[i].as_str());
    svc.tracks(&PlaylistId::new(pl.clone()), &NoProgress)
        .await
        .unwrap();
    fake.faults().fail_next(Fault::Unavailable, 1);
    let err = svc
        .add(&PlaylistId::new(pl.clone()), &[t(0)])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(!err.temporary, "not retried: it may have been applied");
    assert_eq!(fake.requests_to(EDIT), 1);
    // 429 without Retry-After: refused before acting, so backed off and sent again.
    fake.faults().fail_next(Fault::RateLimited(None), 2);
    svc.add(&PlaylistId::new(pl.clone()), &[t(1)])
        .await
        .unwrap();
    assert_eq!(fake.requests_to(EDIT), 4);
    assert_eq!(fake.playlist_items(&pl), vec![ids[1].clone()]);
    // Reads get 503s retried.
    fake.faults().fail_next(Fault::Unavailable, 2);
    assert_eq!(
        svc.tracks(&PlaylistId::new(pl), &NoProgress)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn nothing_secret_is_in_debug_output() {
    let fake = FakeYtMusic::start().await;
    let new = common::sign_in(&fake, &fake.cookies_txt()).await.unwrap();
    let store: Arc<dyn SecretStore> = Arc::new(musync_core::MemorySecretStore::new());
    let svc = musync_ytmusic::YtMusicService::open_with(&new.account, store, common::fast());
    let shown = format!("{new:?} {:?}", svc.as_ref().map(|s| format!("{s:?}")).ok());
    for v in fake.cookie_values() {
        assert!(!shown.contains(&v), "{v} leaked");
    }
}
