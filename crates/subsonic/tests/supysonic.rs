//! musync-subsonic against the real Supysonic 0.7.2 (Debian): token
//! sign-in refused (error 10) and the password used instead, a wrong
//! password, createPlaylist without an id, starring twice, title-only
//! substring search with ASCII-only case folding, others' public playlists
//! read-only, and a server that goes away.

use musync_core::{ErrorKind, NoProgress, PlaylistEntry, PlaylistId, Secret, Service, Track};
use musync_subsonic::{AuthMethod, STARRED_ID, SubsonicService, SubsonicSignIn, Timing};
use musync_testservers::{MusicDir, Supysonic, TestSong};
use std::time::Duration;

fn library() -> Vec<TestSong> {
    vec![
        TestSong::new("Jóga", "Björk", "Homogenic", 305),
        TestSong::new("Jóga - Live", "Björk", "Live Box", 320),
        TestSong::new("Hoppípolla", "Sigur Rós", "Takk...", 268),
        TestSong::new(
            "戦場のメリークリスマス",
            "坂本龍一",
            "Merry Christmas Mr. Lawrence",
            281,
        ),
        TestSong::new("Karma Police", "Radiohead", "OK Computer", 264),
        TestSong::new("Karma Police", "Scala & Kolacny Brothers", "Covers", 250),
        TestSong::new("Halo (Remix)", "Beyoncé", "Remixes", 300),
    ]
}

fn fast() -> Timing {
    Timing {
        timeout: Duration::from_secs(10),
        backoff: Duration::from_millis(20),
        attempts: 3,
    }
}

async fn signed_in(server: &Supysonic, user: &str, password: &str) -> SubsonicService {
    let new = musync_subsonic::sign_in(SubsonicSignIn {
        url: server.url(),
        user: user.into(),
        password: Some(Secret::new(format!("{password}\n"))),
        api_key: None,
        timing: fast(),
    })
    .await
    .unwrap_or_else(|e| panic!("sign-in: {e}"));
    assert_eq!(
        new.account.settings["auth"], "password",
        "Supysonic refuses tokens"
    );
    assert_eq!(
        new.secrets[0].1.expose(),
        password,
        "the newline is not part of the password"
    );
    let store = std::sync::Arc::new(musync_core::MemorySecretStore::new());
    for (k, v) in &new.secrets {
        musync_core::SecretStore::set(&*store, &new.account.id, k, v).unwrap();
    }
    let svc = SubsonicService::open(&new.account, store).unwrap();
    assert_eq!(svc.auth_method(), AuthMethod::Password);
    svc
}

fn titles(t: &[Track]) -> Vec<&str> {
    t.iter().map(|t| t.title.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_real_supysonic() {
    let music = MusicDir::new(&library());
    let mut server = Supysonic::start(&music, &[("alice", "sécret pw"), ("bob", "bobpw")]);

    // A wrong password is a clear error naming the server.
    let err = musync_subsonic::sign_in(SubsonicSignIn {
        url: server.url(),
        user: "alice".into(),
        password: Some(Secret::new("wrong")),
        api_key: None,
        timing: fast(),
    })
    .await
    .expect_err("wrong password");
    assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
    assert!(
        err.to_string().contains("Subsonic server 127.0.0.1:"),
        "{err}"
    );
    assert!(err.to_string().contains("user name or password"), "{err}");
    assert!(
        !err.to_string().contains("wrong"),
        "the password is not echoed: {err}"
    );

    let alice = signed_in(&server, "alice", "sécret pw").await;

    // Search: title substring, original case; the fallback folds accents
    // and non-ASCII case.
    let found = alice
        .search(&Track::new("Karma Police - Remastered 2011", "Radiohead"))
        .await
        .unwrap();
    assert_eq!(found.len(), 2, "{:?}", titles(&found));
    let found = alice.search(&Track::new("JÓGA", "Björk")).await.unwrap();
    assert!(titles(&found).contains(&"Jóga"), "{:?}", titles(&found));
    let found = alice
        .search(&Track::new("Hoppipolla", "Sigur Ros"))
        .await
        .unwrap();
    assert_eq!(titles(&found), ["Hoppípolla"]);
    let found = alice
        .search(&Track::new("戦場のメリークリスマス", "Ryuichi Sakamoto"))
        .await
        .unwrap();
    assert_eq!(found[0].duration_s, Some(281));
    assert!(
        alice
            .search(&Track::new("Nonexistent Song", "Nobody"))
            .await
            .unwrap()
            .is_empty()
    );

    // Create: Supysonic answers without the id; the list is read again.
    let made = alice.create_playlist("Sync テスト ♥").await.unwrap();
    assert!(made.writable && made.owned);
    let karma = alice
        .search(&Track::new("Karma Police", "Radiohead"))
        .await
        .unwrap();
    let joga = alice.search(&Track::new("Jóga", "Björk")).await.unwrap();
    let add = vec![karma[0].clone(), joga[0].clone(), karma[1].clone()];
    alice.add(&made.id, &add).await.unwrap();
    let read = alice.tracks(&made.id, &NoProgress).await.unwrap();
    assert_eq!(
        read.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        add.iter().map(|t| t.id.clone()).collect::<Vec<_>>()
    );

    // Remove the middle one by index.
    alice
        .remove(
            &made.id,
            &[PlaylistEntry {
                position: 1,
                track: read[1].clone(),
            }],
        )
        .await
        .unwrap();
    let after = alice.tracks(&made.id, &NoProgress).await.unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(after[1].id, add[2].id);

    // Starring twice: the second add sends only what is new.
    let starred = PlaylistId::new(STARRED_ID);
    alice.add(&starred, &add[..2]).await.unwrap();
    alice.add(&starred, &add).await.unwrap();
    let stars = alice.tracks(&starred, &NoProgress).await.unwrap();
    assert_eq!(stars.len(), 3);

    // Bob's public playlist is listed for alice, read-only, never written.
    let bob = signed_in(&server, "bob", "bobpw").await;
    let theirs = bob.create_playlist("Bob's mix").await.unwrap();
    bob.add(&theirs.id, &add[..1]).await.unwrap();
    server
        .get(&format!(
            "/rest/updatePlaylist.view?u=bob&p=bobpw&v=1.10.2&c=t&f=json&playlistId={}&public=true",
            theirs.id
        ))
        .expect("made public");
    let lists = alice.playlists().await.unwrap();
    let seen = lists
        .iter()
        .find(|p| p.id == theirs.id)
        .expect("bob's public playlist is listed");
    assert!(!seen.writable && !seen.owned, "{seen:?}");
    assert_eq!(lists[0].id.as_str(), STARRED_ID);
    let err = alice
        .add(&theirs.id, &add[1..2])
        .await
        .expect_err("read-only");
    assert_eq!(err.kind, ErrorKind::PermissionDenied, "{err}");
    assert_eq!(bob.tracks(&theirs.id, &NoProgress).await.unwrap().len(), 1);

    // The server goes away: a clear error, quickly, never a URL.
    server.pause();
    let started = std::time::Instant::now();
    let err = alice.playlists().await.expect_err("server down");
    assert_eq!(err.kind, ErrorKind::Unavailable);
    let shown = format!("{err} {}", err.hint.clone().unwrap_or_default());
    assert!(
        shown.contains("127.0.0.1:") && shown.contains("running"),
        "{shown}"
    );
    assert!(
        !shown.contains("/rest") && !shown.contains("enc:"),
        "{shown}"
    );
    let err = alice
        .add(&made.id, &add[..1])
        .await
        .expect_err("still down");
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
