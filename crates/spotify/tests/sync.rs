//! End to end through the engine: a local playlist file synced into a
//! Spotify playlist and into Liked Songs, against the fake's sample
//! catalogue with its decoys (live, remix, cover, same title by someone
//! else). ISRCs are used where the file has them; a second run adds nothing.

use crate::util;
use fake_spotify::Catalogue;
use musync_core::{Checked, NoProgress, PlaylistId};
use musync_engine::{Direction, Mode, PlanOptions, Report, Session, Side};
use musync_files::FileService;
use musync_store::Store;
use std::sync::Arc;

fn file_side(dir: &tempfile::TempDir) -> Side {
    let path = dir.path().join("from-amazon.json");
    let tracks = serde_json::json!({"name": "From Amazon", "tracks": [
        {"title": "Mr. Brightside", "artist": "The Killers", "album": "Hot Fuss", "duration_s": 222, "isrc": "USIR20400274"},
        {"title": "Hurt", "artist": "Johnny Cash", "album": "American IV: The Man Comes Around", "duration_s": 218},
        {"title": "Get Lucky (feat. Pharrell Williams & Nile Rodgers)", "artist": "Daft Punk, Pharrell Williams, Nile Rodgers", "duration_s": 369, "isrc": "USQX91300108"},
        {"title": "Hallelujah", "artist": "Jeff Buckley", "album": "Grace", "duration_s": 413},
        {"title": "Smells Like Teen Spirit", "artist": "Nirvana", "album": "Nevermind", "duration_s": 301, "isrc": "USGF19942501"},
        {"title": "A Song Spotify Lacks", "artist": "Nobody Known", "duration_s": 200}
    ]});
    std::fs::write(&path, tracks.to_string()).unwrap();
    let file = FileService::open(&path).unwrap();
    Side {
        playlist: file.playlist_id(),
        service: Arc::new(Checked(file)),
        reference: path.display().to_string(),
        writable: true,
        label: "from-amazon.json".into(),
        missing_file: false,
    }
}

fn spotify_side(s: &util::Setup, playlist: &str) -> Side {
    let svc = musync_spotify::SpotifyService::open(&s.account, s.secrets.clone()).unwrap();
    Side {
        service: Arc::new(Checked(svc)),
        playlist: PlaylistId::new(playlist),
        reference: format!("{}:{playlist}", s.account.id),
        writable: true,
        label: format!("Spotify: {playlist}"),
        missing_file: false,
    }
}

async fn sync(left: &Side, right: &Side, store: &Store) -> Report {
    let session = Session::compare(store, left.clone(), right.clone(), &NoProgress, &NoProgress)
        .await
        .unwrap();
    let opts = PlanOptions {
        direction: Direction::ToRight,
        search_concurrency: 4,
    };
    let plan = session.plan(store, opts, &|| {}).await.unwrap();
    session
        .run(store, plan, Mode::Apply, &|_| {})
        .await
        .unwrap()
}

fn uri(cat: &Catalogue, title: &str, artist: &str) -> String {
    cat.find(title, artist).unwrap().uri()
}

/// The sample catalogue's versions a correct sync picks, in file order
/// (Hurt is already there).
fn expected(cat: &Catalogue) -> Vec<String> {
    vec![
        uri(cat, "Mr. Brightside", "The Killers"),
        uri(
            cat,
            "Get Lucky (feat. Pharrell Williams and Nile Rodgers)",
            "Daft Punk",
        ),
        uri(cat, "Hallelujah", "Jeff Buckley"),
        uri(cat, "Smells Like Teen Spirit", "Nirvana"),
    ]
}

#[tokio::test]
async fn a_file_syncs_into_a_playlist_without_decoys_and_a_second_run_adds_nothing() {
    let s = util::setup().await;
    let cat = Catalogue::sample();
    let hurt = uri(&cat, "Hurt", "Johnny Cash");
    let id = s
        .fake
        .add_playlist("alice", "Road trip", std::slice::from_ref(&hurt));
    let dir = tempfile::tempdir().unwrap();
    let (left, right) = (file_side(&dir), spotify_side(&s, &id));
    let store = Store::open_in_memory().unwrap();

    let report = sync(&left, &right, &store).await;
    let mut want = vec![hurt];
    want.extend(expected(&cat));
    assert_eq!(s.fake.playlist_items(&id), want, "{:#?}", report.results);
    assert_eq!((report.added, report.failed), (4, 0));
    assert_eq!(report.not_found, 1, "the song Spotify lacks");

    // ISRCs did the work where the file had them: one search each.
    let isrc_searches = s
        .fake
        .state()
        .requests_to("/v1/search")
        .iter()
        .filter(|r| r.param("q").is_some_and(|q| q.starts_with("isrc:")))
        .count();
    assert_eq!(isrc_searches, 3);

    let again = sync(&left, &right, &store).await;
    assert_eq!(again.added, 0, "{:#?}", again.results);
    assert_eq!(s.fake.playlist_items(&id).len(), 5);
}

#[tokio::test]
async fn a_file_syncs_into_liked_songs_and_a_second_run_adds_nothing() {
    let s = util::setup().await;
    let cat = Catalogue::sample();
    let dir = tempfile::tempdir().unwrap();
    let (left, right) = (file_side(&dir), spotify_side(&s, "liked"));
    let store = Store::open_in_memory().unwrap();

    let report = sync(&left, &right, &store).await;
    assert_eq!(report.added, 5, "{:#?}", report.results);
    let mut have = s.fake.liked("alice");
    have.sort();
    let mut want = expected(&cat);
    want.push(uri(&cat, "Hurt", "Johnny Cash"));
    want.sort();
    assert_eq!(have, want);

    let again = sync(&left, &right, &store).await;
    assert_eq!(again.added, 0, "{:#?}", again.results);
    assert_eq!(s.fake.liked("alice").len(), 5);
    let back = right
        .service
        .tracks(&PlaylistId::new("liked"), &NoProgress)
        .await
        .unwrap();
    assert_eq!(back.len(), 5);
}
