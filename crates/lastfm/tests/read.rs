//! Reading `loved` and `recent`: paging, progress, quirks of the JSON.

use crate::util::{Recorder, USER, fast, setup, setup_with};
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service};

fn loved() -> PlaylistId {
    PlaylistId::new("loved")
}

fn recent() -> PlaylistId {
    PlaylistId::new("recent")
}

#[tokio::test]
async fn loved_tracks_are_read_across_pages_newest_first_with_progress() {
    let s = setup().await;
    for i in 0..2345 {
        s.fake
            .love(USER, &format!("Artist {}", i % 17), &format!("Song {i}"));
    }
    let progress = Recorder::default();
    let tracks = s.service.tracks(&loved(), &progress).await.unwrap();

    assert_eq!(tracks.len(), 2345);
    assert_eq!(tracks[0].title, "Song 2344", "newest first");
    assert_eq!(tracks[2344].title, "Song 0");
    assert_eq!(tracks[0].artist, "Artist 15");
    assert!(
        tracks[0]
            .id
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("https://www.last.fm/music/Artist+15/_/")
    );
    assert_eq!(progress.total(), 2345);
    assert_eq!(progress.done(), 2345);
    assert_eq!(
        progress.messages.lock().unwrap().as_slice(),
        ["page 1 of 3", "page 2 of 3", "page 3 of 3"]
    );

    let calls = s.fake.calls_to("user.getLovedTracks");
    let pages: Vec<&str> = calls.iter().map(|c| c.params["page"].as_str()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert!(
        calls
            .iter()
            .all(|c| c.params["limit"] == "1000" && c.params["user"] == USER)
    );
    assert!(
        calls
            .iter()
            .all(|c| c.http_method == "GET" && c.params["format"] == "json")
    );
    // Reads need no session: the session key never leaves for them.
    assert!(calls.iter().all(|c| !c.params.contains_key("sk")));
}

#[tokio::test]
async fn empty_loved_tracks_take_one_call() {
    let s = setup().await;
    let progress = Recorder::default();
    let tracks = s.service.tracks(&loved(), &progress).await.unwrap();
    assert!(tracks.is_empty());
    assert_eq!(progress.total(), 0);
    assert_eq!(
        progress.messages.lock().unwrap().as_slice(),
        ["page 1 of 1"]
    );
    assert_eq!(s.fake.calls_to("user.getLovedTracks").len(), 1);
}

#[tokio::test]
async fn recent_tracks_leave_out_the_track_playing_now() {
    let s = setup().await;
    s.fake.scrobble(USER, "Portishead", "Glory Box", "Dummy");
    s.fake.scrobble(USER, "Björk", "Jóga", "Homogenic");
    s.fake.scrobble(USER, "Massive Attack", "Teardrop", "");
    s.fake
        .set_now_playing(USER, Some(("Sigur Rós", "Hoppípolla", "Takk...")));
    let progress = Recorder::default();
    let tracks = s.service.tracks(&recent(), &progress).await.unwrap();
    let labels: Vec<String> = tracks.iter().map(|t| t.label()).collect();
    assert_eq!(
        labels,
        [
            "Massive Attack - Teardrop",
            "Björk - Jóga",
            "Portishead - Glory Box"
        ]
    );
    assert_eq!(tracks[1].album.as_deref(), Some("Homogenic"));
    assert_eq!(tracks[0].album, None, "an empty album is unknown");
    assert_eq!(progress.total(), 3);
    assert_eq!(progress.done(), 3);
}

#[tokio::test]
async fn recent_is_capped_at_the_account_limit_and_pages_by_200() {
    let s = setup_with(serde_json::json!({"recent_limit": 450}), fast()).await;
    for i in 0..700 {
        s.fake.scrobble(USER, "A", &format!("Play {i}"), "");
    }
    s.fake.set_now_playing(USER, Some(("A", "Now", "")));
    let progress = Recorder::default();
    let tracks = s.service.tracks(&recent(), &progress).await.unwrap();
    assert_eq!(tracks.len(), 450);
    assert_eq!(tracks[0].title, "Play 699");
    assert_eq!(tracks[449].title, "Play 250");
    assert!(tracks.iter().all(|t| t.title != "Now"));
    assert_eq!(progress.total(), 450);
    assert_eq!(progress.done(), 450);
    let calls = s.fake.calls_to("user.getRecentTracks");
    assert_eq!(calls.len(), 3, "200 + 200 + 50 of the third page");
    assert!(calls.iter().all(|c| c.params["limit"] == "200"));
}

#[tokio::test]
async fn a_single_track_sent_as_an_object_is_read() {
    let s = setup().await;
    s.fake.set_single_as_object(true);
    s.fake.love(USER, "Johnny Cash", "Hurt");
    s.fake
        .scrobble(USER, "Nine Inch Nails", "Hurt", "The Downward Spiral");
    let loved_tracks = s.service.tracks(&loved(), &NoProgress).await.unwrap();
    assert_eq!(loved_tracks.len(), 1);
    assert_eq!(loved_tracks[0].label(), "Johnny Cash - Hurt");
    let recent_tracks = s.service.tracks(&recent(), &NoProgress).await.unwrap();
    assert_eq!(recent_tracks.len(), 1);
    assert_eq!(recent_tracks[0].label(), "Nine Inch Nails - Hurt");

    // Only the now-playing entry, as a bare object: no tracks at all.
    let fresh = crate::util::setup().await;
    fresh.fake.set_single_as_object(true);
    fresh.fake.set_now_playing(USER, Some(("X", "Y", "")));
    assert!(
        fresh
            .service
            .tracks(&recent(), &NoProgress)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn playlists_are_loved_writable_and_recent_read_only_with_counts() {
    let s = setup_with(serde_json::json!({"recent_limit": 2}), fast()).await;
    s.fake.love(USER, "A", "One");
    s.fake.love(USER, "A", "Two");
    for i in 0..5 {
        s.fake.scrobble(USER, "B", &format!("P{i}"), "");
    }
    let lists = s.service.playlists().await.unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].id.as_str(), "loved");
    assert!(lists[0].writable);
    assert_eq!(lists[0].track_count, Some(2));
    assert_eq!(lists[1].id.as_str(), "recent");
    assert!(!lists[1].writable);
    assert_eq!(lists[1].track_count, Some(2), "capped like the read");
    let caps = s.service.capabilities();
    assert!(caps.read_playlists && caps.read_tracks && caps.search);
    assert!(caps.add_tracks && caps.add_unlisted && !caps.create_playlist);
    assert_eq!(caps.add_max_batch, Some(1));
}

#[tokio::test]
async fn unknown_playlists_and_users_are_not_found() {
    let s = setup().await;
    let err = s
        .service
        .tracks(&PlaylistId::new("top"), &NoProgress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(
        err.message.contains("`loved` and `recent`"),
        "{}",
        err.message
    );
    assert!(s.fake.calls().is_empty());

    let mut account = crate::util::account(&s.fake.api_url(), serde_json::json!({}));
    account.settings["username"] = serde_json::json!("nobody-here");
    let svc = musync_lastfm::LastfmService::open_with(&account, s.secrets.clone(), fast()).unwrap();
    let err = svc.tracks(&loved(), &NoProgress).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(err.message, "User not found (error 6)");
}

#[tokio::test]
async fn opening_needs_all_three_secrets_and_a_user_name() {
    let s = setup().await;
    let account = crate::util::account(&s.fake.api_url(), serde_json::json!({}));
    let empty = std::sync::Arc::new(musync_core::MemorySecretStore::new());
    let err = musync_lastfm::LastfmService::open(&account, empty).unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(
        err.message
            .contains("api_key of lastfm-alice is not stored"),
        "{}",
        err.message
    );
    assert!(err.hint.unwrap().contains("musync accounts add lastfm"));

    let mut nameless = account.clone();
    nameless.settings = serde_json::json!({});
    let err = musync_lastfm::LastfmService::open(&nameless, s.secrets.clone()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("username"), "{}", err.message);

    let shown = format!("{:?}", s.service);
    assert!(
        !shown.contains(&s.session_key) && !shown.contains(crate::util::SECRET),
        "{shown}"
    );
}
