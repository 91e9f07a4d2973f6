//! Reads: every cursor page, in order, with the account's country, titles
//! with their version, ISO 8601 durations; own playlists only.

use crate::util::*;
use fake_tidal::{Catalogue, CatalogueTrack};
use musync_core::{NoProgress, PlaylistId, Service};

#[tokio::test]
async fn a_playlist_is_read_exactly_through_small_pages() {
    let s = setup_in("NO", 3600).await;
    s.fake.set_catalogue(Catalogue::generated(45));
    let ids: Vec<String> = s
        .fake
        .state()
        .catalogue
        .tracks
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let pl = s.fake.add_playlist(USER, "Big", &ids);
    s.fake.faults().set_page_size(7);
    let tracks = s
        .svc
        .tracks(&PlaylistId::new(&pl), &NoProgress)
        .await
        .unwrap();
    let got: Vec<String> = tracks
        .iter()
        .map(|t| {
            t.id.as_ref()
                .unwrap()
                .as_str()
                .trim_start_matches("tidal:track:")
                .to_owned()
        })
        .collect();
    assert_eq!(got, ids);
    assert!(
        tracks
            .iter()
            .all(|t| t.isrc.is_some() && t.duration_s.is_some())
    );
    assert_eq!(tracks[0].artists, vec!["Artist 0"]);
    assert_eq!(tracks[0].album.as_deref(), Some("Album 0"));
    let reads = s
        .fake
        .state()
        .requests_to(&format!("/playlists/{pl}/relationships/items"));
    assert_eq!(reads.len(), 7, "45 items in pages of 7");
    for r in &reads {
        assert_eq!(r.param("countryCode").as_deref(), Some("NO"), "{}", r.query);
    }
}

#[tokio::test]
async fn versions_are_in_titles_and_favourites_come_newest_first() {
    let s = setup().await;
    let mut c = Catalogue::default();
    c.push(
        CatalogueTrack::new("Karma Police", &["Radiohead"], "Live", 3725, "GBAYE1700001")
            .with_version("Live"),
    );
    c.push(CatalogueTrack::new(
        "Halo",
        &["Beyoncé"],
        "I Am",
        261,
        "USSM10804548",
    ));
    let ids: Vec<String> = c.tracks.iter().map(|t| t.id.clone()).collect();
    s.fake.set_catalogue(c);
    s.fake.state().add_favourites(USER, &ids);
    let favs = s
        .svc
        .tracks(&PlaylistId::new("liked"), &NoProgress)
        .await
        .unwrap();
    let titles: Vec<&str> = favs.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, vec!["Halo", "Karma Police (Live)"]);
    assert_eq!(favs[1].duration_s, Some(3725));
}

#[tokio::test]
async fn only_own_playlists_are_listed_after_the_favourites() {
    let s = setup().await;
    s.fake.add_user("999", "someone", "US");
    s.fake.add_playlist("999", "Theirs", &[]);
    let mine = s.fake.add_playlist(USER, "Mine", &[]);
    s.fake.faults().set_page_size(1);
    for n in 0..3 {
        s.fake.add_playlist(USER, &format!("More {n}"), &[]);
    }
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists[0].id.as_str(), "liked");
    assert_eq!(lists.len(), 5, "{lists:?}");
    assert!(
        lists
            .iter()
            .all(|p| p.name != "Theirs" && p.writable && p.owned)
    );
    assert!(lists.iter().any(|p| p.id.as_str() == mine));
}
