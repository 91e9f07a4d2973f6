//! Writes: ≤ 50 per request with the exact media type and an
//! Idempotency-Key reused on retry (a lost answer never adds twice),
//! skipped songs never reported as added, favourites checked first,
//! removal by item id, new playlists, and the token bucket waited out.

use crate::util::*;
use fake_tidal::{Bucket, Catalogue};
use musync_core::{ErrorKind, NoProgress, PlaylistEntry, PlaylistId, Service, Track};

fn generated_tracks(s: &Setup, n: usize) -> Vec<Track> {
    s.fake.set_catalogue(Catalogue::generated(n));
    s.fake
        .state()
        .catalogue
        .tracks
        .iter()
        .map(|t| Track::new(&t.title, &t.artists[0]).with_id(format!("tidal:track:{}", t.id)))
        .collect()
}

#[tokio::test]
async fn adds_carry_the_media_type_and_a_key_and_a_lost_answer_adds_nothing_twice() {
    let s = setup().await;
    let tracks = generated_tracks(&s, 53);
    let pl = s.fake.add_playlist(USER, "Mine", &[]);
    let id = PlaylistId::new(&pl);
    s.fake.state().fail_after_write = 1;
    s.svc.add(&id, &tracks[..50]).await.unwrap();
    s.svc.add(&id, &tracks[50..]).await.unwrap();
    assert_eq!(
        s.fake.playlist_tracks(&pl).len(),
        53,
        "applied once despite the 503"
    );
    let posts: Vec<_> = s
        .fake
        .state()
        .requests_to(&format!("/playlists/{pl}/relationships/items"))
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 3, "the lost answer retried once");
    assert_eq!(
        posts[0].idempotency_key, posts[1].idempotency_key,
        "same key on retry"
    );
    assert_ne!(posts[1].idempotency_key, posts[2].idempotency_key);
    assert!(
        posts
            .iter()
            .all(|p| p.content_type.as_deref() == Some("application/vnd.api+json"))
    );
    assert_eq!(
        posts.iter().map(|p| p.body_items).collect::<Vec<_>>(),
        vec![Some(50), Some(50), Some(3)]
    );
    let read = s.svc.tracks(&id, &NoProgress).await.unwrap();
    assert_eq!(read.len(), 53);
}

#[tokio::test]
async fn skipped_songs_are_named_not_reported_added() {
    let s = setup().await;
    let pl = s.fake.add_playlist(USER, "Mine", &[]);
    let good = s.track("Halo", "Beyoncé");
    let gone = Track::new("Vanished", "Nobody").with_id("tidal:track:999");
    let e = s
        .svc
        .add(&PlaylistId::new(&pl), &[good.clone(), gone])
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.message.contains("Nobody - Vanished (NOT_FOUND)"), "{e}");
    assert!(e.message.contains("the other 1 were added"), "{e}");
    assert_eq!(s.fake.playlist_tracks(&pl), vec![s.id("Halo", "Beyoncé")]);
}

#[tokio::test]
async fn favourites_are_checked_first_and_a_race_is_recovered() {
    let s = setup().await;
    let halo = s.track("Halo", "Beyoncé");
    let karma = s.track("Karma Police", "Radiohead");
    let halo_id = s.id("Halo", "Beyoncé");
    s.fake.state().add_favourites(USER, &[halo_id]);
    let liked = PlaylistId::new("liked");
    s.svc
        .add(&liked, &[halo.clone(), karma.clone(), karma.clone()])
        .await
        .unwrap();
    assert_eq!(
        s.fake.favourites(USER),
        vec![s.id("Karma Police", "Radiohead"), s.id("Halo", "Beyoncé")]
    );
    let conflicts = s
        .fake
        .state()
        .requests
        .iter()
        .filter(|r| r.status == 409)
        .count();
    assert_eq!(conflicts, 0, "existing favourites were never sent");
    // Someone adds a song elsewhere; musync's view is stale: the 409 is
    // recovered by reading again.
    let take_on_me = s.track("Take On Me", "a-ha");
    let brightside = s.track("Mr. Brightside", "The Killers");
    let elsewhere = s.id("Take On Me", "a-ha");
    s.fake.state().add_favourites(USER, &[elsewhere]);
    s.svc.add(&liked, &[take_on_me, brightside]).await.unwrap();
    let favs = s.fake.favourites(USER);
    assert_eq!(favs.len(), 4, "{favs:?}");
    assert_eq!(favs[0], s.id("Mr. Brightside", "The Killers"));
}

#[tokio::test]
async fn one_occurrence_is_removed_by_its_item_id() {
    let s = setup().await;
    let halo = s.id("Halo", "Beyoncé");
    let karma = s.id("Karma Police", "Radiohead");
    let pl = s
        .fake
        .add_playlist(USER, "Dups", &[halo.clone(), karma.clone(), halo.clone()]);
    let id = PlaylistId::new(&pl);
    let read = s.svc.tracks(&id, &NoProgress).await.unwrap();
    s.svc
        .remove(
            &id,
            &[PlaylistEntry {
                position: 2,
                track: read[2].clone(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(s.fake.playlist_tracks(&pl), vec![halo.clone(), karma]);
    let first_item = s.fake.state().playlists[&pl].items[0].item_id.clone();
    assert!(!first_item.is_empty(), "the first Halo kept its item");
}

#[tokio::test]
async fn a_new_playlist_is_listed_and_writable() {
    let s = setup().await;
    let p = s.svc.create_playlist("  Road trip ").await.unwrap();
    assert_eq!(p.name, "Road trip");
    assert!(p.writable && p.owned);
    let lists = s.svc.playlists().await.unwrap();
    assert!(lists.iter().any(|l| l.id == p.id));
    let e = s.svc.create_playlist(" ").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    let posts = s.fake.state().requests_to("/playlists");
    assert_eq!(
        posts.iter().filter(|r| r.method == "POST").count(),
        1,
        "a bad name sends nothing"
    );
}

#[tokio::test]
async fn the_token_bucket_is_waited_out() {
    let s = setup().await;
    let tracks = generated_tracks(&s, 30);
    let ids: Vec<String> = tracks
        .iter()
        .map(|t| {
            t.id.as_ref()
                .unwrap()
                .as_str()
                .trim_start_matches("tidal:track:")
                .to_owned()
        })
        .collect();
    let pl = s.fake.add_playlist(USER, "Paced", &ids);
    s.fake.faults().set_page_size(5);
    s.fake.state().bucket = Some(Bucket::new(3, 4));
    let read = s
        .svc
        .tracks(&PlaylistId::new(&pl), &NoProgress)
        .await
        .unwrap();
    assert_eq!(read.len(), 30);
}
