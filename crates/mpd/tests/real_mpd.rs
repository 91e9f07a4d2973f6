//! musync-mpd against the REAL mpd: a password (wrong one refused), a new
//! stored playlist listed while empty, names with quotes and non-Latin
//! text, searches that ignore case and fold accents, removal by position,
//! and an mpd that goes away mid-run.

use musync_core::{ErrorKind, NoProgress, PlaylistEntry, Secret, Service, Track};
use musync_mpd::{MpdService, MpdSignIn};
use musync_testservers::{Mpd, MusicDir, TestSong};
use std::time::{Duration, Instant};

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
    ]
}

fn titles(t: &[Track]) -> Vec<&str> {
    t.iter().map(|t| t.title.as_str()).collect()
}

#[tokio::test]
async fn against_real_mpd_with_a_password() {
    let music = MusicDir::new(&library());
    let mut mpd = Mpd::start(&music, Some("s3cret wörd"));
    let opts = |pw: Option<&str>| MpdSignIn {
        host: "127.0.0.1".into(),
        port: mpd.port(),
        password: pw.map(Secret::new),
        timeout: Duration::from_secs(10),
    };

    let err = musync_mpd::sign_in(opts(Some("nope")))
        .await
        .expect_err("wrong password");
    assert_eq!(err.kind, ErrorKind::AuthExpired, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("MPD at 127.0.0.1:{}", mpd.port())),
        "{err}"
    );
    assert!(!err.to_string().contains("nope"), "{err}");
    let err = musync_mpd::sign_in(opts(None))
        .await
        .expect_err("no password");
    assert!(err.hint.unwrap().contains("--password-stdin"));

    let new = musync_mpd::sign_in(opts(Some("s3cret wörd\n")))
        .await
        .unwrap();
    assert_eq!(
        new.account.id.as_str(),
        format!("mpd-127.0.0.1-{}", mpd.port())
    );
    assert_eq!(
        new.secrets[0].1.expose(),
        "s3cret wörd",
        "the newline is not part of it"
    );
    let svc = MpdService::connect(
        "127.0.0.1",
        mpd.port(),
        Some(Secret::new("s3cret wörd")),
        Duration::from_secs(10),
    );

    let made = svc.create_playlist("Sync \"テスト\" ♥").await.unwrap();
    let lists = svc.playlists().await.unwrap();
    assert!(
        lists.iter().any(|p| p.id == made.id),
        "listed while empty: {lists:?}"
    );
    assert!(svc.tracks(&made.id, &NoProgress).await.unwrap().is_empty());
    assert!(
        svc.create_playlist("Sync \"テスト\" ♥").await.is_err(),
        "never a second one"
    );

    let joga = svc.search(&Track::new("JÓGA", "Björk")).await.unwrap();
    assert_eq!(titles(&joga), ["Jóga", "Jóga - Live"]);
    let hopp = svc
        .search(&Track::new("Hoppipolla", "Sigur Ros"))
        .await
        .unwrap();
    assert_eq!(titles(&hopp), ["Hoppípolla"]);
    let cjk = svc
        .search(&Track::new("戦場のメリークリスマス", "Ryuichi Sakamoto"))
        .await
        .unwrap();
    assert_eq!(cjk[0].artist, "坂本龍一");
    assert_eq!(cjk[0].duration_s, Some(281));
    assert!(
        svc.search(&Track::new("Nonexistent Song", "Nobody"))
            .await
            .unwrap()
            .is_empty()
    );

    let add = vec![joga[0].clone(), hopp[0].clone(), cjk[0].clone()];
    svc.add(&made.id, &add).await.unwrap();
    let read = svc.tracks(&made.id, &NoProgress).await.unwrap();
    assert_eq!(
        titles(&read),
        ["Jóga", "Hoppípolla", "戦場のメリークリスマス"]
    );
    svc.remove(
        &made.id,
        &[PlaylistEntry {
            position: 1,
            track: read[1].clone(),
        }],
    )
    .await
    .unwrap();
    let after = svc.tracks(&made.id, &NoProgress).await.unwrap();
    assert_eq!(titles(&after), ["Jóga", "戦場のメリークリスマス"]);
    let stale = svc
        .remove(
            &made.id,
            &[PlaylistEntry {
                position: 1,
                track: read[1].clone(),
            }],
        )
        .await;
    assert_eq!(stale.expect_err("changed").kind, ErrorKind::InvalidInput);

    mpd.pause();
    let started = Instant::now();
    let err = svc.add(&made.id, &add[..1]).await.expect_err("mpd is gone");
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    assert!(
        err.hint.as_deref().unwrap_or("").contains("mpd is running"),
        "{err:?}"
    );
    let err = svc.playlists().await.expect_err("still gone");
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// A server that accepts and never answers (a hung mpd) costs one
/// timeout, then the rest of the run fails at once.
#[tokio::test]
async fn a_hung_server_ends_the_run_quickly() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let _hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let svc = MpdService::connect("127.0.0.1", port, None, Duration::from_millis(300));
    let started = Instant::now();
    let err = svc.playlists().await.expect_err("no greeting");
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    let err = svc
        .add(
            &musync_core::PlaylistId::new("x"),
            &[Track::new("a", "b").with_id("a.flac")],
        )
        .await
        .expect_err("still hung");
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
