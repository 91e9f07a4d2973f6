//! Search: ISRC first, then field filters, then plain text; limits kept.

use crate::util;
use musync_core::{Service, Track};

fn searches(s: &util::Setup) -> Vec<fake_spotify::RecordedRequest> {
    s.fake.state().requests_to("/v1/search")
}

#[tokio::test]
async fn an_exact_isrc_hit_ends_the_search_in_one_request() {
    let s = util::setup().await;
    let src = Track::new("Mr Brightside", "Killers").with_isrc("USIR20400274");
    let found = s.svc.search(&src).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Mr. Brightside");
    assert_eq!(found[0].artist, "The Killers");
    assert_eq!(found[0].isrc.as_deref(), Some("USIR20400274"));
    assert!(
        found[0]
            .id
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("spotify:track:")
    );
    let reqs = searches(&s);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].param("q").as_deref(), Some("isrc:USIR20400274"));
    assert_eq!(reqs[0].param("type").as_deref(), Some("track"));
}

#[tokio::test]
async fn an_isrc_miss_falls_back_to_fields_and_text() {
    let s = util::setup().await;
    // A reissue's ISRC Spotify does not carry.
    let src = Track::new("Bohemian Rhapsody", "Queen").with_isrc("GBAAA9999999");
    let found = s.svc.search(&src).await.unwrap();
    assert!(!found.is_empty(), "an ISRC miss is not 'not found'");
    assert_eq!(found[0].title, "Bohemian Rhapsody", "exact title first");
    assert!(
        found.iter().any(|t| t.title.contains("Live Aid")),
        "versions stay candidates for ranking"
    );
    let qs: Vec<String> = searches(&s).iter().filter_map(|r| r.param("q")).collect();
    assert_eq!(
        qs,
        [
            "isrc:GBAAA9999999",
            "track:\"Bohemian Rhapsody\" artist:\"Queen\"",
            "Bohemian Rhapsody Queen"
        ]
    );
    let ids: std::collections::HashSet<_> = found.iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids.len(), found.len(), "candidates are unique");
}

#[tokio::test]
async fn field_search_finds_the_right_artist_among_same_titles() {
    let s = util::setup().await;
    let found = s
        .svc
        .search(&Track::new("Hurt", "Johnny Cash"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].artist, "Johnny Cash");
    let found = s
        .svc
        .search(&Track::new("Déjà Vu (feat. Jay-Z)", "Beyoncé, JAY-Z"))
        .await
        .unwrap();
    assert_eq!(found[0].artists, ["Beyoncé", "JAY-Z"]);
    assert!(found.iter().all(|t| t.artist != "Olivia Rodrigo"));
}

#[tokio::test]
async fn nothing_found_is_an_empty_list_after_every_query() {
    let s = util::setup().await;
    let found = s
        .svc
        .search(&Track::new("No Such Song", "Nobody"))
        .await
        .unwrap();
    assert!(found.is_empty());
    assert_eq!(searches(&s).len(), 2, "fields, then plain text");
}

#[tokio::test]
async fn every_search_stays_within_the_development_mode_limit() {
    let s = util::setup().await;
    for t in [
        Track::new("Wonderwall", "Oasis").with_isrc("GBQCP1400112"),
        Track::new("Wonderwall", "Oasis"),
        Track::new("Dreams", "Fleetwood Mac"),
    ] {
        s.svc.search(&t).await.unwrap();
    }
    let reqs = searches(&s);
    assert!(!reqs.is_empty());
    for r in &reqs {
        let limit: u32 = r.param("limit").unwrap().parse().unwrap();
        assert!((1..=10).contains(&limit), "{r:?}");
        assert_eq!(r.status, 200);
    }
    // And the fake enforces it, as Spotify does.
    let (access, _) = s.fake.issue_tokens("alice");
    let resp = reqwest::Client::new()
        .get(format!(
            "{}/search?q=hurt&type=track&limit=11",
            s.fake.api_url()
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Invalid limit"));
}
