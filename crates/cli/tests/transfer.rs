//! `musync transfer` end to end: a Spotify account backed up into a folder
//! and read back exactly, restored into another account by name (reusing
//! and creating playlists, Liked Songs into Liked Songs, no decoys), a dry
//! run that changes nothing, `--only`, second runs that do nothing, a
//! read-only target refused, and searches per song when ISRCs exist.

use crate::spotify::{catalogue, sign_in};
use crate::util::*;
use fake_spotify::{AuthorizeMode, Catalogue, FakeSpotify};
use std::collections::BTreeMap;
use std::path::Path;

/// The files of a folder and their bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A user's playlists (name → items) and Liked Songs, as the fake holds them.
fn account_state(fake: &FakeSpotify, user: &str) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let state = fake.state();
    let ids = state.users[user].playlists.clone();
    let playlists = ids
        .iter()
        .map(|id| {
            let p = &state.playlists[id];
            (p.name.clone(), state.playlist_items(id))
        })
        .collect();
    (playlists, state.liked(user))
}

fn searches(fake: &FakeSpotify) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.path.ends_with("/search"))
        .count()
}

fn row<'a>(v: &'a serde_json::Value, source_ends: &str) -> &'a serde_json::Value {
    v["playlists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with(source_ends))
        .unwrap_or_else(|| panic!("no row for {source_ends}: {v:#}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_up_spotify_into_a_folder_and_restore_it_into_another_account() {
    let fake = FakeSpotify::start().await;
    let c = catalogue();
    fake.set_catalogue(c.clone());
    let uri = |name: &str, artist: &str| c.find(name, artist).unwrap().uri();
    let (kp, halo, hop) = (
        uri("Karma Police", "Radiohead"),
        uri("Halo", "Beyoncé"),
        uri("Hoppípolla", "Sigur Rós"),
    );
    fake.add_user("bob", Some("Bob"));
    fake.add_user("alice", Some("Alice"));
    fake.add_user("carol", Some("Carol"));
    let road = fake.add_playlist("bob", "Road trip", &[kp.clone(), halo.clone()]);
    fake.add_playlist("bob", "Empty", &[]);
    let odd = fake.add_playlist("bob", "AC/DC: Best?", std::slice::from_ref(&hop));
    let alices = fake.add_playlist("alice", "Alice mix", std::slice::from_ref(&kp));
    fake.state().follow("bob", &alices);
    fake.state().users.get_mut("bob").unwrap().liked = vec![halo.clone(), hop.clone()];
    let carols = fake.add_playlist("carol", "road TRIP ", std::slice::from_ref(&kp));

    let mut env = Env::new();
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let bob = sign_in(&mut env, &fake).await;
    fake.state().authorize = AuthorizeMode::AutoApprove("carol".into());
    let carol = sign_in(&mut env, &fake).await;
    assert_eq!(
        (bob.as_str(), carol.as_str()),
        ("spotify-bob", "spotify-carol")
    );

    // Backup: one file per own playlist, the library named after it.
    let backup = env.path("backup");
    let backup_arg = format!("{}/", backup.display());
    let v = json(&ok(env
        .run_async(&["transfer", &bob, &backup_arg, "--json"])
        .await));
    let files = snapshot(&backup);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "AC_DC_ Best_.csv",
            "Empty.csv",
            "Liked Songs.csv",
            "Road trip.csv"
        ],
        "{v:#}"
    );
    assert_eq!(files["Empty.csv"].lines().count(), 1, "header only");
    assert_eq!(v["added"], 5, "{v:#}");
    assert_eq!(v["failed"], 0);
    let road_row = row(&v, &format!(":{road}"));
    assert_eq!(road_row["created"], true);
    assert_eq!(road_row["added"], 2);
    let alice_row = row(&v, &format!(":{alices}"));
    assert!(alice_row["target"].is_null());
    assert!(
        alice_row["note"].as_str().unwrap().contains("not yours"),
        "{alice_row}"
    );

    // Read back exactly: every file holds its playlist's songs, in order.
    let read = |file: &str| -> Vec<String> {
        let path = backup.join(file);
        let out = json(&env.run(&["tracks", path.to_str().unwrap(), "--json"]));
        out.as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(read("Road trip.csv"), fake.playlist_items(&road));
    assert_eq!(read("AC_DC_ Best_.csv"), fake.playlist_items(&odd));
    assert_eq!(read("Liked Songs.csv"), fake.liked("bob"));
    assert!(read("Empty.csv").is_empty());

    // A second backup adds and creates nothing, and leaves the bytes alone.
    let again = json(&ok(env
        .run_async(&["transfer", &bob, &backup_arg, "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");
    assert!(
        again["playlists"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["created"] == false)
    );
    assert_eq!(snapshot(&backup), files);

    // A dry run of the restore changes nothing anywhere.
    let before = account_state(&fake, "carol");
    let dry = json(&ok(env
        .run_async(&["transfer", &backup_arg, &carol, "--dry-run", "--json"])
        .await));
    assert_eq!(account_state(&fake, "carol"), before);
    assert_eq!(snapshot(&backup), files);
    let road_dry = row(&dry, "Road trip.csv");
    assert_eq!(road_dry["target"], format!("{carol}:{carols}"));
    assert_eq!(road_dry["created"], false);
    assert_eq!(road_dry["added"], 1, "would add Halo: {dry:#}");
    assert_eq!(row(&dry, "Empty.csv")["created"], true, "would create");

    // Restore: "road TRIP " is reused, the rest created, the library into
    // Liked Songs, songs appended in order, no decoy.
    let searched = searches(&fake);
    let restored = json(&ok(env
        .run_async(&["transfer", &backup_arg, &carol, "--json"])
        .await));
    assert_eq!(restored["failed"], 0, "{restored:#}");
    let (playlists, liked) = account_state(&fake, "carol");
    assert_eq!(playlists["road TRIP "], [kp.clone(), halo.clone()]);
    assert_eq!(playlists["Empty"], Vec::<String>::new());
    assert_eq!(playlists["AC_DC_ Best_"], std::slice::from_ref(&hop));
    assert_eq!(playlists.len(), 3, "{playlists:?}");
    let mut liked_sorted = liked.clone();
    liked_sorted.sort();
    let mut want = vec![halo.clone(), hop.clone()];
    want.sort();
    assert_eq!(liked_sorted, want);
    let road_restored = row(&restored, "Road trip.csv");
    assert_eq!(road_restored["created"], false);
    assert_eq!(road_restored["added"], 1);
    assert_eq!(
        row(&restored, "Liked Songs.csv")["target"],
        format!("{carol}:liked")
    );
    eprintln!(
        "restore from a backup with URIs: {} searches for {} songs",
        searches(&fake) - searched,
        restored["added"]
    );

    // A second restore adds and creates nothing.
    let again = json(&ok(env
        .run_async(&["transfer", &backup_arg, &carol, "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");
    assert_eq!(account_state(&fake, "carol").0.len(), 3);

    // --only: exactly the named playlists; the library only when named.
    let only = env.path("only");
    let only_arg = format!("{}/", only.display());
    let v = json(&ok(env
        .run_async(&["transfer", &bob, &only_arg, "--only", "road trip", "--json"])
        .await));
    assert_eq!(v["playlists"].as_array().unwrap().len(), 1);
    let names: Vec<String> = snapshot(&only).into_keys().collect();
    assert_eq!(names, ["Road trip.csv"]);
    ok(env
        .run_async(&["transfer", &bob, &only_arg, "--only", "liked", "--json"])
        .await);
    let names: Vec<String> = snapshot(&only).into_keys().collect();
    assert_eq!(names, ["Liked Songs.csv", "Road trip.csv"]);
    let bad = env
        .run_async(&["transfer", &bob, &only_arg, "--only", "Nope", "--json"])
        .await;
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("no playlist `Nope`"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(snapshot(&only).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn songs_with_isrcs_need_about_one_search_each() {
    const SONGS: usize = 60;
    let fake = FakeSpotify::start().await;
    let generated = Catalogue::generated(SONGS);
    let mut c = catalogue();
    c.extend(generated.clone());
    fake.set_catalogue(c);
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let bob = sign_in(&mut env, &fake).await;

    // Two playlists and a library, with ISRCs and no Spotify URIs.
    let dir = isrc_folder(&env, &generated, &["A.csv", "B.csv", "Liked Songs.csv"]);
    let before = searches(&fake);
    let dir_arg = format!("{}/", dir.display());
    let v = json(&ok(env
        .run_async(&["transfer", &dir_arg, &bob, "--yes", "--json"])
        .await));
    assert_eq!(v["added"], SONGS, "{v:#}");
    let per_song = (searches(&fake) - before) as f64 / SONGS as f64;
    eprintln!("searches per song with ISRCs: {per_song:.2}");
    assert!(per_song <= 1.2, "{per_song} searches per song");
    assert_eq!(fake.liked("bob").len(), SONGS / 3);
}

/// A folder of CSV files (title, artist, ISRC; no Spotify URI) holding
/// `catalogue`'s songs dealt round-robin over `files`.
fn isrc_folder(env: &Env, catalogue: &Catalogue, files: &[&str]) -> std::path::PathBuf {
    let dir = env.path("library");
    std::fs::create_dir(&dir).unwrap();
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    for (i, uri) in catalogue.uris().iter().enumerate() {
        let t = catalogue.by_uri(uri).unwrap();
        let text = texts
            .entry(files[i % files.len()])
            .or_insert_with(|| "Track Name,Artist Name(s),ISRC\n".to_owned());
        text.push_str(&format!(
            "{},{},{}\n",
            t.name,
            t.artists[0],
            t.isrc.as_deref().unwrap()
        ));
    }
    for (file, text) in &texts {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// A measurement, not a check (run with `--ignored --nocapture`): 20
/// playlists and a My Music library, 2,000 songs with ISRCs, into Spotify's
/// fake: requests and searches per song, 429s, wall time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement"]
async fn measure_a_big_library_into_spotify() {
    const SONGS: usize = 2_000;
    let fake = FakeSpotify::start().await;
    let generated = Catalogue::generated(SONGS);
    fake.set_catalogue(generated.clone());
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let bob = sign_in(&mut env, &fake).await;
    let mut files: Vec<String> = (1..=20).map(|i| format!("Playlist {i:02}.csv")).collect();
    files.push("My Music.csv".into());
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let dir = isrc_folder(&env, &generated, &files);
    let (requests, searched) = (fake.requests().len(), searches(&fake));
    let started = std::time::Instant::now();
    let v = json(&ok(env
        .run_async(&[
            "transfer",
            &format!("{}/", dir.display()),
            &bob,
            "--yes",
            "--json",
        ])
        .await));
    let wall = started.elapsed();
    let all = fake.requests();
    let too_many = all[requests..].iter().filter(|r| r.status == 429).count();
    eprintln!(
        "{SONGS} songs, {} added: {:.3} requests/song, {:.3} searches/song, {too_many} 429s, {:.1} s",
        v["added"],
        (all.len() - requests) as f64 / SONGS as f64,
        (searches(&fake) - searched) as f64 / SONGS as f64,
        wall.as_secs_f64()
    );
    assert_eq!(v["added"], SONGS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_target_is_refused_and_sent_nothing() {
    let fake = fake_amazon::FakeAmazon::start(fake_amazon::Library::sample()).await;
    let mut env = Env::new();
    let amazon = crate::amazon::signed_in(&mut env, &fake).await;
    let dir = env.path("backup");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("Mix.csv"),
        "Track Name,Artist Name(s)\nHalo,Beyoncé\n",
    )
    .unwrap();
    let sent = fake.requests().len();
    let out = env
        .run_async(&[
            "transfer",
            &format!("{}/", dir.display()),
            &amazon,
            "--json",
        ])
        .await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!(fake.requests().len(), sent, "nothing was sent to Amazon");

    // A missing source folder is named, and nothing is written anywhere.
    let out = env
        .run_async(&[
            "transfer",
            &format!("{}/", env.path("nothere").display()),
            &format!("{}/", env.path("out").display()),
        ])
        .await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!env.path("nothere").exists() && !env.path("out").exists());
}

fn amazon_track(
    i: usize,
    title: &str,
    artist: &str,
    album: &str,
    secs: u32,
) -> fake_amazon::LibraryTrack {
    fake_amazon::LibraryTrack {
        asin: Some(format!("B0TEST{i:04}")),
        object_id: format!("obj-{i}"),
        title: title.into(),
        artist: artist.into(),
        album: album.into(),
        album_artist: artist.into(),
        genre: "Rock".into(),
        duration_s: secs,
        track_num: 1,
        disc_num: 1,
        purchased: false,
        status: "AVAILABLE".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amazon_library_moves_into_spotify_by_name_without_decoys() {
    let kp = amazon_track(1, "Karma Police", "Radiohead", "OK Computer", 264);
    let halo = amazon_track(2, "Halo", "Beyoncé", "I Am... Sasha Fierce", 261);
    let mut library = fake_amazon::Library::empty("A3TRANSFER");
    library.my_music = vec![kp.clone(), halo.clone()];
    library.playlists = vec![
        fake_amazon::LibraryPlaylist {
            id: "11111111-1111-4111-8111-111111111111".into(),
            title: "Road trip".into(),
            tracks: vec![halo.clone(), kp.clone()],
        },
        fake_amazon::LibraryPlaylist {
            id: "22222222-2222-4222-8222-222222222222".into(),
            title: "Empty for now".into(),
            tracks: vec![],
        },
    ];
    let amazon_fake = fake_amazon::FakeAmazon::start(library).await;
    let fake = FakeSpotify::start().await;
    let c = catalogue(); // with a live version, a cover and a remix as decoys
    fake.set_catalogue(c.clone());
    fake.add_user("bob", Some("Bob"));
    let existing = fake.add_playlist("bob", "ROAD TRIP", &[]);
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let amazon = crate::amazon::signed_in(&mut env, &amazon_fake).await;
    let bob = sign_in(&mut env, &fake).await;

    let v = json(&ok(env
        .run_async(&["transfer", &amazon, &bob, "--yes", "--json"])
        .await));
    let uri = |name: &str, artist: &str| c.find(name, artist).unwrap().uri();
    let (kp, halo) = (uri("Karma Police", "Radiohead"), uri("Halo", "Beyoncé"));
    assert_eq!(
        fake.playlist_items(&existing),
        [halo.clone(), kp.clone()],
        "{v:#}"
    );
    let mut liked = fake.liked("bob");
    liked.sort();
    let mut want = vec![kp, halo];
    want.sort();
    assert_eq!(liked, want, "My Music into Liked Songs: {v:#}");
    let (playlists, _) = account_state(&fake, "bob");
    assert_eq!(playlists["Empty for now"], Vec::<String>::new());
    assert_eq!(playlists.len(), 2);
    assert_eq!(row(&v, ":my-music")["target"], format!("{bob}:liked"));
    assert_eq!(
        row(&v, "11111111-1111-4111-8111-111111111111")["created"],
        false
    );

    let again = json(&ok(env
        .run_async(&["transfer", &amazon, &bob, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");
    assert_eq!(account_state(&fake, "bob").0.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_restores_its_library_into_lastfm_loved_tracks() {
    let fake = fake_lastfm::FakeLastfm::start().await;
    fake.set_catalogue(crate::lastfm::catalogue());
    let mut env = Env::new();
    let lastfm = crate::lastfm::signed_in(&mut env, &fake).await;
    let dir = env.path("backup");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("Loved Tracks.csv"),
        "Track Name,Artist Name(s)\nKarma Police,Radiohead\nHalo,Beyoncé\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("Mix.csv"),
        "Track Name,Artist Name(s)\nHalo,Beyoncé\n",
    )
    .unwrap();
    let dir_arg = format!("{}/", dir.display());
    let v = json(&ok(env
        .run_async(&["transfer", &dir_arg, &lastfm, "--yes", "--json"])
        .await));
    assert_eq!(
        fake.loved("alice"),
        [
            ("Radiohead".to_owned(), "Karma Police".to_owned()),
            ("Beyoncé".to_owned(), "Halo".to_owned())
        ],
        "{v:#}"
    );
    assert_eq!(
        row(&v, "Loved Tracks.csv")["target"],
        format!("{lastfm}:loved")
    );
    // Last.fm has no playlists of one's own: the other file is skipped, saying so.
    let mix = row(&v, "Mix.csv");
    assert!(mix["target"].is_null());
    assert!(
        mix["note"]
            .as_str()
            .unwrap()
            .contains("cannot create playlists"),
        "{mix}"
    );
    let again = json(&ok(env
        .run_async(&["transfer", &dir_arg, &lastfm, "--yes", "--json"])
        .await));
    assert_eq!(again["added"], 0, "{again:#}");
    assert_eq!(fake.loved("alice").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_review_asks_about_every_playlist_before_anything_is_added() {
    let fake = FakeSpotify::start().await;
    // Only remixes of the songs: worth asking about, never picked alone.
    let mut c = catalogue();
    c.push(fake_spotify::CatalogueTrack::new(
        "Hello (Remix)",
        &["Adele"],
        "Remixes",
        200,
        None,
    ));
    c.push(fake_spotify::CatalogueTrack::new(
        "Creep (Remix)",
        &["Radiohead"],
        "Remixes",
        250,
        None,
    ));
    fake.set_catalogue(c);
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let bob = sign_in(&mut env, &fake).await;
    let dir = env.path("library");
    std::fs::create_dir(&dir).unwrap();
    let head = "Track Name,Artist Name(s)\n";
    std::fs::write(dir.join("A.csv"), format!("{head}Hello,Adele\n")).unwrap();
    std::fs::write(dir.join("B.csv"), format!("{head}Creep,Radiohead\n")).unwrap();
    let dir_arg = format!("{}/", dir.display());
    let mut cmd = env.cmd(&["transfer", &dir_arg, &bob, "--interactive", "--json"]);
    cmd.write_stdin("1\ns\n");
    let out = ok(tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap());
    let err = stderr(&out);
    let (first, second) = (err.find("[1/2]"), err.find("[2/2]"));
    assert!(first.is_some() && second.is_some(), "{err}");
    assert!(
        err[first.unwrap()..second.unwrap()].contains("Adele - Hello"),
        "{err}"
    );
    assert!(
        err[second.unwrap()..].contains("Radiohead - Creep"),
        "{err}"
    );
    let v = json(&out);
    assert_eq!(row(&v, "A.csv")["added"], 1, "{v:#}");
    assert_eq!(row(&v, "B.csv")["added"], 0);
    assert_eq!(row(&v, "B.csv")["skipped"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_playlist_that_cannot_be_read_fails_alone_and_the_next_run_moves_it() {
    let fake = FakeSpotify::start().await;
    let c = catalogue();
    fake.set_catalogue(c.clone());
    let uri = |name: &str, artist: &str| c.find(name, artist).unwrap().uri();
    let (kp, halo) = (uri("Karma Police", "Radiohead"), uri("Halo", "Beyoncé"));
    fake.add_user("bob", Some("Bob"));
    fake.add_user("carol", Some("Carol"));
    let good = fake.add_playlist("bob", "Good", std::slice::from_ref(&kp));
    let broken = fake.add_playlist("bob", "Broken", &[kp.clone(), halo.clone()]);
    let carols = fake.add_playlist("carol", "Mix", std::slice::from_ref(&halo));
    let mut env = Env::new();
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let bob = sign_in(&mut env, &fake).await;
    fake.state().authorize = AuthorizeMode::AutoApprove("carol".into());
    let carol = sign_in(&mut env, &fake).await;

    // The source side: one playlist answers 500, the other moves.
    fake.state().broken_playlists.insert(broken.clone());
    let backup = env.path("backup");
    let backup_arg = format!("{}/", backup.display());
    let out = env
        .run_async(&["transfer", &bob, &backup_arg, "--no-library", "--json"])
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["failed"], 1, "{v:#}");
    assert_eq!(v["added"], 1, "the good playlist moved: {v:#}");
    assert_eq!(row(&v, &format!(":{good}"))["added"], 1);
    let bad = row(&v, &format!(":{broken}"));
    assert_eq!(bad["failed"], 1);
    assert_eq!(bad["added"], 0);
    let note = bad["note"].as_str().unwrap();
    for part in [
        "`Broken` (Spotify)",
        "HTTP 500",
        "run the same transfer again",
    ] {
        assert!(note.contains(part), "{part:?} in {note}");
    }
    assert!(
        stderr(&out).contains("warning: `Broken` (Spotify)"),
        "{}",
        stderr(&out)
    );
    let summary = env
        .run_async(&["transfer", &bob, &backup_arg, "--no-library"])
        .await;
    assert_eq!(summary.status.code(), Some(1));
    assert!(
        stdout(&summary).contains("1 failed"),
        "{}",
        stdout(&summary)
    );
    assert!(
        stdout(&summary).contains("stopped: Spotify"),
        "{}",
        stdout(&summary)
    );

    // Fixed: the next run moves it, and only it.
    fake.state().broken_playlists.clear();
    let v = json(&ok(env
        .run_async(&["transfer", &bob, &backup_arg, "--no-library", "--json"])
        .await));
    assert_eq!(v["failed"], 0, "{v:#}");
    assert_eq!(row(&v, &format!(":{broken}"))["added"], 2, "{v:#}");
    assert_eq!(row(&v, &format!(":{good}"))["added"], 0, "{v:#}");
    let names: Vec<String> = snapshot(&backup).into_keys().collect();
    assert_eq!(names, ["Broken.csv", "Good.csv"]);

    // The target side: carol's "Mix" cannot be read; "Good" still moves.
    std::fs::write(
        backup.join("Mix.csv"),
        "Track Name,Artist Name(s),ISRC\nKarma Police,Radiohead,GBAYE9700106\n",
    )
    .unwrap();
    fake.state().broken_playlists.insert(carols.clone());
    let out = env
        .run_async(&["transfer", &backup_arg, &carol, "--yes", "--json"])
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let mix = row(&v, "Mix.csv");
    assert_eq!(mix["failed"], 1, "{v:#}");
    assert_eq!(mix["target"], format!("{carol}:{carols}"));
    assert!(
        mix["note"]
            .as_str()
            .unwrap()
            .contains("into `Mix` (Spotify)"),
        "{mix}"
    );
    assert_eq!(row(&v, "Good.csv")["added"], 1, "{v:#}");
    assert_eq!(fake.playlist_items(&carols), std::slice::from_ref(&halo));
    fake.state().broken_playlists.clear();
    let v = json(&ok(env
        .run_async(&["transfer", &backup_arg, &carol, "--yes", "--json"])
        .await));
    assert_eq!(row(&v, "Mix.csv")["added"], 1, "{v:#}");
    assert_eq!(fake.playlist_items(&carols), [halo, kp]);
}

/// The keys of a JSON object, sorted.
fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_of_a_move_collaborative_names_order_formats_and_json_shape() {
    let fake = FakeSpotify::start().await;
    let c = catalogue();
    fake.set_catalogue(c.clone());
    let uri = |name: &str, artist: &str| c.find(name, artist).unwrap().uri();
    let (kp, halo, hop) = (
        uri("Karma Police", "Radiohead"),
        uri("Halo", "Beyoncé"),
        uri("Hoppípolla", "Sigur Rós"),
    );
    fake.add_user("bob", Some("Bob"));
    fake.add_user("alice", Some("Alice"));
    fake.add_user("carol", Some("Carol"));
    let road = fake.add_playlist("bob", "Road trip", &[kp.clone(), halo.clone()]);
    // Bob's own collaborative playlist moves; Alice's, which Bob may edit,
    // is hers: left out, saying so.
    let shared = fake.add_playlist("bob", "Shared", std::slice::from_ref(&hop));
    let alices = fake.add_playlist("alice", "Alice's collab", std::slice::from_ref(&kp));
    {
        let mut st = fake.state();
        st.playlists.get_mut(&shared).unwrap().collaborative = true;
        st.playlists.get_mut(&alices).unwrap().collaborative = true;
        st.follow("bob", &alices);
    }
    let odd = fake.add_playlist(
        "bob",
        "a<b>c:\"d\\e|f?g*h\u{7}. ",
        std::slice::from_ref(&halo),
    );
    // Carol's "Road trip" already holds a song the source lacks.
    let carols = fake.add_playlist("carol", "Road trip", std::slice::from_ref(&hop));
    let mut env = Env::new();
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let bob = sign_in(&mut env, &fake).await;
    fake.state().authorize = AuthorizeMode::AutoApprove("carol".into());
    let carol = sign_in(&mut env, &fake).await;

    let v = json(&ok(env
        .run_async(&["transfer", &bob, &carol, "--no-library", "--yes", "--json"])
        .await));
    assert_eq!(
        keys(&v),
        ["added", "failed", "not_found", "playlists", "skipped"]
    );
    for r in v["playlists"].as_array().unwrap() {
        assert_eq!(
            keys(r),
            [
                "added",
                "created",
                "failed",
                "not_found",
                "note",
                "skipped",
                "source",
                "target"
            ],
            "{r}"
        );
    }
    assert_eq!(
        v["playlists"].as_array().unwrap().len(),
        4,
        "no library: {v:#}"
    );
    // Appended in source order; what was there stays, first.
    assert_eq!(
        fake.playlist_items(&carols),
        [hop.clone(), kp.clone(), halo.clone()]
    );
    let road_row = row(&v, &format!(":{road}"));
    assert_eq!(
        road_row["target"],
        format!("{carol}:{carols}"),
        "ACCOUNT:ID"
    );
    assert_eq!(
        (road_row["created"].clone(), road_row["added"].clone()),
        (false.into(), 2.into())
    );
    let shared_row = row(&v, &format!(":{shared}"));
    assert_eq!(shared_row["created"], true);
    assert_eq!(shared_row["added"], 1);
    let alice_row = row(&v, &format!(":{alices}"));
    assert!(alice_row["target"].is_null());
    assert!(
        alice_row["note"]
            .as_str()
            .unwrap()
            .contains("collaborative one someone else owns"),
        "{alice_row}"
    );
    assert_eq!(fake.liked("carol"), Vec::<String>::new(), "--no-library");
    // The target of a new playlist is its new id, `ACCOUNT:ID`.
    let (playlists, _) = account_state(&fake, "carol");
    assert_eq!(playlists["Shared"], std::slice::from_ref(&hop));
    let new_id = shared_row["target"]
        .as_str()
        .unwrap()
        .strip_prefix(&format!("{carol}:"))
        .unwrap();
    assert_eq!(fake.playlist_items(new_id), std::slice::from_ref(&hop));

    // A folder in another format: safe names, `NAME.json`, read back as is.
    let dir = env.path("json-backup");
    let dir_arg = format!("{}/", dir.display());
    let v = json(&ok(env
        .run_async(&[
            "transfer",
            &bob,
            &dir_arg,
            "--format",
            "json",
            "--only",
            &odd,
            "--only",
            "Road trip",
            "--json",
        ])
        .await));
    assert_eq!(v["added"], 3, "{v:#}");
    let names: Vec<String> = snapshot(&dir).into_keys().collect();
    assert_eq!(names, ["Road trip.json", "a_b_c__d_e_f_g_h_.json"]);
    for name in &names {
        assert!(
            !name.contains(['<', '>', ':', '"', '\\', '|', '?', '*'])
                && !name.chars().any(char::is_control)
        );
    }
    let read = json(&ok(env
        .run_async(&[
            "tracks",
            dir.join("Road trip.json").to_str().unwrap(),
            "--json",
        ])
        .await));
    let ids: Vec<&str> = read
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, fake.playlist_items(&road));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amazon_backup_names_its_library_file_my_music() {
    let kp = amazon_track(1, "Karma Police", "Radiohead", "OK Computer", 264);
    let mut library = fake_amazon::Library::empty("A3BACKUP");
    library.my_music = vec![kp.clone()];
    library.playlists = vec![fake_amazon::LibraryPlaylist {
        id: "33333333-3333-4333-8333-333333333333".into(),
        title: "Nothing yet".into(),
        tracks: vec![],
    }];
    let fake = fake_amazon::FakeAmazon::start(library).await;
    let mut env = Env::new();
    let amazon = crate::amazon::signed_in(&mut env, &fake).await;
    let dir = env.path("a").join("b"); // missing parents are made too
    let dir_arg = format!("{}/", dir.display());
    let v = json(&ok(env
        .run_async(&["transfer", &amazon, &dir_arg, "--format", "xspf", "--json"])
        .await));
    let files = snapshot(&dir);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["My Music.xspf", "Nothing yet.xspf"], "{v:#}");
    assert!(
        files["Nothing yet.xspf"].contains("<trackList"),
        "an empty playlist file"
    );
    assert_eq!(row(&v, ":my-music")["added"], 1);
    assert_eq!(
        row(&v, ":my-music")["target"],
        dir.join("My Music.xspf").to_str().unwrap()
    );
}

/// Runs musync in a pseudo-terminal (util-linux `script`), 120 columns
/// wide, and returns what the terminal showed.
fn on_a_terminal(env: &Env, args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("musync");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = format!(
        "stty cols 120 rows 40; exec {} --data-dir {}",
        quote(bin.to_str().unwrap()),
        quote(env.data_dir().to_str().unwrap())
    );
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]);
    for (k, v) in &env.vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("util-linux `script` runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_shows_a_bar_per_playlist_and_one_overall_with_the_time_left() {
    const SONGS: usize = 40;
    let fake = FakeSpotify::start().await;
    let generated = Catalogue::generated(SONGS);
    fake.set_catalogue(generated.clone());
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let bob = sign_in(&mut env, &fake).await;
    let dir = isrc_folder(&env, &generated, &["First.csv", "Second.csv"]);
    // Slow enough for the bars to be drawn several times.
    fake.state().latency = Some(std::time::Duration::from_millis(60));
    let dir_arg = format!("{}/", dir.display());
    let args: Vec<String> = ["transfer", &dir_arg, &bob, "--yes", "--concurrency", "1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Off the runtime's threads: the fake keeps serving meanwhile.
    let shown = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        on_a_terminal(&env, &args)
    })
    .await
    .unwrap();
    for part in [
        "searching",
        "First",
        "Second",
        "songs,",
        "left (all playlists)",
        "/40 songs",
    ] {
        assert!(shown.contains(part), "{part:?} on the terminal:\n{shown}");
    }
    assert!(shown.contains("2 playlists: 40 songs added"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_with_130_and_the_same_command_goes_on_without_doubles() {
    const SONGS: usize = 40;
    let fake = FakeSpotify::start().await;
    let generated = Catalogue::generated(SONGS);
    fake.set_catalogue(generated.clone());
    fake.add_user("bob", Some("Bob"));
    fake.state().authorize = AuthorizeMode::AutoApprove("bob".into());
    let mut env = Env::new();
    let bob = sign_in(&mut env, &fake).await;
    let dir = isrc_folder(&env, &generated, &["One.csv", "Two.csv"]);
    let dir_arg = format!("{}/", dir.display());
    fake.state().latency = Some(std::time::Duration::from_millis(40));
    let before = searches(&fake);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("musync"))
        .arg("--data-dir")
        .arg(env.data_dir())
        .args(["transfer", &dir_arg, &bob, "--yes", "--concurrency", "1"])
        .envs(env.vars.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Stopped while it searches: both playlists exist by then.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while searches(&fake) < before + 5 {
        assert!(std::time::Instant::now() < deadline, "no searches");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("run the same command again"),
        "{}",
        stderr(&out)
    );
    assert!(searches(&fake) < before + SONGS, "stopped before the end");

    fake.state().latency = None;
    let v = json(&ok(env
        .run_async(&["transfer", &dir_arg, &bob, "--yes", "--json"])
        .await));
    assert_eq!(v["added"], SONGS, "{v:#}");
    assert!(
        v["playlists"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["created"] == false),
        "made by the stopped run, reused now: {v:#}"
    );
    let (playlists, _) = account_state(&fake, "bob");
    assert_eq!(playlists.len(), 2, "{playlists:?}");
    assert_eq!(playlists["One"].len() + playlists["Two"].len(), SONGS);
}
