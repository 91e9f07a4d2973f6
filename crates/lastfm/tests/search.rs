//! `track.search`: candidates for the matching engine.

use crate::util::setup;
use fake_lastfm::Catalogue;
use musync_core::{Service, Track};

#[tokio::test]
async fn search_returns_candidates_narrowed_to_the_artist_best_first() {
    let s = setup().await;
    s.fake.set_catalogue(Catalogue::sample());
    let hits = s
        .service
        .search(&Track::new("Bohemian Rhapsody", "Queen"))
        .await
        .unwrap();
    let labels: Vec<String> = hits.iter().map(|t| t.label()).collect();
    assert_eq!(
        labels,
        [
            "Queen - Bohemian Rhapsody",
            "Queen - Bohemian Rhapsody - Remastered 2011",
            "Queen - Bohemian Rhapsody - Live Aid",
        ]
    );
    assert!(
        hits.iter()
            .all(|t| t.isrc.is_none() && t.duration_s.is_none())
    );
    assert_eq!(
        hits[0].id.as_ref().unwrap().as_str(),
        "https://www.last.fm/music/Queen/_/Bohemian+Rhapsody"
    );
    let calls = s.fake.calls_to("track.search");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].params["track"], "Bohemian Rhapsody");
    assert_eq!(calls[0].params["artist"], "Queen");
    assert_eq!(calls[0].params["limit"], "20");
}

#[tokio::test]
async fn search_falls_back_to_the_first_artist_and_the_bare_title() {
    let s = setup().await;
    s.fake.set_catalogue(Catalogue::sample());
    let hits = s
        .service
        .search(&Track::new(
            "Get Lucky (feat. Pharrell Williams)",
            "Daft Punk, Pharrell Williams",
        ))
        .await
        .unwrap();
    assert_eq!(hits[0].label(), "Daft Punk - Get Lucky");
    assert!(hits.iter().all(|t| t.artist == "Daft Punk"));
    let queries: Vec<(String, String)> = s
        .fake
        .calls_to("track.search")
        .iter()
        .map(|c| (c.params["track"].clone(), c.params["artist"].clone()))
        .collect();
    assert_eq!(queries.len(), 3);
    assert_eq!(queries[2], ("Get Lucky".to_owned(), "Daft Punk".to_owned()));
}

#[tokio::test]
async fn unknown_songs_give_no_candidates_and_unicode_survives() {
    let s = setup().await;
    s.fake.set_catalogue(Catalogue::sample());
    let none = s
        .service
        .search(&Track::new("A Song Nobody Wrote", "Nobody"))
        .await
        .unwrap();
    assert!(none.is_empty());
    let joga = s
        .service
        .search(&Track::new("Jóga", "Björk"))
        .await
        .unwrap();
    let labels: Vec<String> = joga.iter().map(|t| t.label()).collect();
    assert_eq!(labels, ["Björk - Jóga", "Björk - Jóga - Live"]);
}
