//! Search: ISRCs looked up several per request (concurrent searches share
//! one), at most 50 per request; text search with `include=tracks` and the
//! account's country.

use crate::util::*;
use fake_tidal::Catalogue;
use musync_core::{Service, Track};

#[tokio::test]
async fn concurrent_isrc_searches_share_requests() {
    let s = setup().await;
    let wanted = [
        ("Karma Police", "Radiohead", "GBAYE9700106"),
        ("Halo", "Beyoncé", "USSM10804548"),
        ("Mr. Brightside", "The Killers", "USIR20400274"),
        ("Take On Me", "a-ha", "GBAHT8500047"),
    ];
    let tracks: Vec<Track> = wanted
        .iter()
        .map(|(t, a, i)| Track::new(*t, *a).with_isrc(*i))
        .collect();
    let results = futures_join(&s, &tracks).await;
    for ((title, _, isrc), found) in wanted.iter().zip(&results) {
        assert_eq!(found.len(), 1, "{title}: {found:?}");
        assert_eq!(found[0].title, *title);
        assert_eq!(found[0].isrc.as_deref(), Some(*isrc));
    }
    let lookups = s.fake.state().requests_to("/tracks");
    assert!(lookups.len() < 4, "{} requests for 4 ISRCs", lookups.len());
    assert!(lookups.iter().any(|r| r.params("filter[isrc]").len() >= 2));
    assert!(
        s.fake.state().requests_to("/searchResults").is_empty(),
        "no text search needed"
    );
}

async fn futures_join(s: &Setup, tracks: &[Track]) -> Vec<Vec<Track>> {
    let (a, b, c, d) = tokio::join!(
        s.svc.search(&tracks[0]),
        s.svc.search(&tracks[1]),
        s.svc.search(&tracks[2]),
        s.svc.search(&tracks[3]),
    );
    vec![a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()]
}

#[tokio::test]
async fn many_isrcs_go_50_per_request() {
    let s = setup().await;
    s.fake.set_catalogue(Catalogue::generated(120));
    let isrcs: Vec<String> = (0..120).map(|i| format!("qzgen26{i:05}")).collect();
    let found = s.svc.lookup_isrcs(&isrcs).await.unwrap();
    assert_eq!(found.len(), 120);
    assert_eq!(found["QZGEN2600007"][0].title, "Track 0007");
    let sizes: Vec<usize> = s
        .fake
        .state()
        .requests_to("/tracks")
        .iter()
        .map(|r| r.params("filter[isrc]").len())
        .collect();
    assert_eq!(sizes, vec![50, 50, 20]);
}

#[tokio::test]
async fn text_search_includes_tracks_in_the_accounts_country() {
    let s = setup_in("JP", 3600).await;
    // Karma Police's ISRC is unknown here: text search, decoys included
    // (the engine ranks them).
    let t = Track::new("Karma Police", "Radiohead").with_isrc("XX0000000000");
    let found = s.svc.search(&t).await.unwrap();
    let titles: Vec<&str> = found.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, vec!["Karma Police (Live)", "Karma Police"]);
    assert!(found.iter().all(|t| t.artists == vec!["Radiohead"]));
    let searches = s.fake.state().requests_to("/searchResults");
    let include = searches[0].param("include").unwrap();
    assert!(include.split(',').any(|i| i == "tracks"), "{include}");
    assert_eq!(searches[0].param("countryCode").as_deref(), Some("JP"));
    // Not streamable in Japan: not offered.
    let t = Track::new("Lose Yourself", "Eminem").with_isrc("USIR10211559");
    assert!(s.svc.search(&t).await.unwrap().is_empty());
}
