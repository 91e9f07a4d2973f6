//! What only the fake OpenSubsonic server shows: token auth kept when the
//! server takes it, error 41 answered with the password, API keys (sent
//! without `u`, the owner read from `tokenInfo`, a bad key a clear error),
//! formPost for long updates, `isrc` read, smart playlists read-only.

use fake_subsonic::{FakeSubsonic, Options};
use musync_core::{ErrorKind, NoProgress, PlaylistId, Secret, Service, Track};
use musync_subsonic::{AuthMethod, SubsonicService, SubsonicSignIn, Timing};
use std::time::Duration;

fn fast() -> Timing {
    Timing {
        timeout: Duration::from_secs(10),
        backoff: Duration::from_millis(10),
        attempts: 3,
    }
}

fn with_password(fake: &FakeSubsonic, pw: &str) -> SubsonicSignIn {
    SubsonicSignIn {
        url: fake.url(),
        user: "alice".into(),
        password: Some(Secret::new(pw)),
        api_key: None,
        timing: fast(),
    }
}

async fn open(new: &musync_core::NewAccount) -> SubsonicService {
    let store = std::sync::Arc::new(musync_core::MemorySecretStore::new());
    for (k, v) in &new.secrets {
        musync_core::SecretStore::set(&*store, &new.account.id, k, v).unwrap();
    }
    SubsonicService::open(&new.account, store).unwrap()
}

#[tokio::test]
async fn tokens_are_kept_where_taken_and_41_falls_back_to_the_password() {
    let fake = FakeSubsonic::start(Options::default()).await;
    fake.add_user("alice", "pw");
    let new = musync_subsonic::sign_in(with_password(&fake, "pw"))
        .await
        .unwrap();
    assert_eq!(new.account.settings["auth"], "token");
    assert!(
        new.account.settings["extensions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "formPost")
    );

    let ldap = FakeSubsonic::start(Options {
        token_auth: false,
        ..Options::default()
    })
    .await;
    ldap.add_user("alice", "pw");
    let new = musync_subsonic::sign_in(with_password(&ldap, "pw"))
        .await
        .unwrap();
    assert_eq!(new.account.settings["auth"], "password");
    let err = musync_subsonic::sign_in(with_password(&ldap, "nope"))
        .await
        .expect_err("wrong");
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(err.hint.unwrap().contains("--password-stdin"));
}

#[tokio::test]
async fn api_keys_go_without_the_user_name() {
    let fake = FakeSubsonic::start(Options::default()).await;
    fake.add_user("alice", "pw");
    fake.add_api_key("alice", "KEY-123");
    let new = musync_subsonic::sign_in(SubsonicSignIn {
        url: fake.url(),
        user: "whoever".into(),
        password: None,
        api_key: Some(Secret::new("KEY-123\n")),
        timing: fast(),
    })
    .await
    .unwrap();
    assert_eq!(new.account.settings["auth"], "api_key");
    assert_eq!(
        new.account.settings["user"], "alice",
        "the key's owner, from tokenInfo"
    );
    assert_eq!(new.secrets[0].0, "api_key");
    let svc = open(&new).await;
    assert_eq!(svc.auth_method(), AuthMethod::ApiKey);
    assert!(svc.playlists().await.is_ok());

    let err = musync_subsonic::sign_in(SubsonicSignIn {
        url: fake.url(),
        user: "alice".into(),
        password: None,
        api_key: Some(Secret::new("BADKEY-9")),
        timing: fast(),
    })
    .await
    .expect_err("bad key");
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(err.message.contains("API key"), "{err}");
    assert!(err.hint.as_deref().unwrap().contains("--api-key-stdin"));
    assert!(!err.to_string().contains("BADKEY-9"));
}

#[tokio::test]
async fn long_updates_go_as_form_posts_only_where_listed() {
    for form_post in [true, false] {
        let fake = FakeSubsonic::start(Options {
            form_post,
            ..Options::default()
        })
        .await;
        fake.add_user("alice", "pw");
        let ids: Vec<String> = (0..150)
            .map(|i| fake.add_song(&format!("Song {i}"), "A", "B", 100, None))
            .collect();
        let svc = open(
            &musync_subsonic::sign_in(with_password(&fake, "pw"))
                .await
                .unwrap(),
        )
        .await;
        let made = svc.create_playlist("Long").await.unwrap();
        let tracks: Vec<Track> = ids
            .iter()
            .map(|id| Track::new("x", "A").with_id(id.as_str()))
            .collect();
        svc.add(&made.id, &tracks).await.unwrap();
        assert_eq!(fake.playlist_songs(made.id.as_str()), ids);
        let posted = fake
            .state()
            .calls
            .iter()
            .any(|(m, post)| m == "updatePlaylist" && *post);
        assert_eq!(posted, form_post);
        let over: Vec<Track> = std::iter::repeat_n(tracks[0].clone(), 201).collect();
        assert_eq!(
            svc.add(&made.id, &over).await.unwrap_err().kind,
            ErrorKind::Unsupported
        );
    }
}

#[tokio::test]
async fn isrcs_are_read_and_smart_playlists_are_read_only() {
    let fake = FakeSubsonic::start(Options::default()).await;
    fake.add_user("alice", "pw");
    fake.add_user("bob", "pw2");
    let id = fake.add_song(
        "Get Lucky",
        "Daft Punk",
        "Random Access Memories",
        369,
        Some("USQX91300108"),
    );
    let smart = fake.add_playlist(
        "alice",
        "Most played",
        std::slice::from_ref(&id),
        false,
        true,
    );
    let theirs = fake.add_playlist("bob", "Bob's", std::slice::from_ref(&id), true, false);
    let svc = open(
        &musync_subsonic::sign_in(with_password(&fake, "pw"))
            .await
            .unwrap(),
    )
    .await;
    let found = svc
        .search(&Track::new("get lucky", "Daft Punk"))
        .await
        .unwrap();
    assert_eq!(found[0].isrc.as_deref(), Some("USQX91300108"));
    let lists = svc.playlists().await.unwrap();
    for pid in [&smart, &theirs] {
        let p = lists.iter().find(|p| p.id.as_str() == pid).unwrap();
        assert!(!p.writable, "{p:?}");
        let before = fake.state().calls.len();
        let err = svc
            .add(&PlaylistId::new(pid.as_str()), &found)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::PermissionDenied, "{err}");
        assert_eq!(fake.state().calls.len(), before, "refused before sending");
    }
    assert_eq!(
        svc.tracks(&PlaylistId::new(theirs.as_str()), &NoProgress)
            .await
            .unwrap()
            .len(),
        1
    );
    // Starring twice is harmless here (Navidrome); musync sends only new ones anyway.
    let starred = PlaylistId::new("starred");
    svc.add(&starred, &found).await.unwrap();
    svc.add(&starred, &found).await.unwrap();
    let stars: Vec<bool> = fake
        .state()
        .calls
        .iter()
        .filter(|(m, _)| m == "star")
        .map(|_| true)
        .collect();
    assert_eq!(stars.len(), 1, "the second add sends nothing");
}

/// A server that accepts and never answers costs the read's attempts
/// once; every later call of the run fails at once, and no message
/// quotes a request URL.
#[tokio::test]
async fn a_hung_server_ends_the_run_quickly() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let svc = SubsonicService::connect(musync_subsonic::Connection {
        url,
        user: "alice".into(),
        secret: Secret::new("pw"),
        method: AuthMethod::Token,
        form_post: false,
        timing: Timing {
            timeout: Duration::from_millis(300),
            backoff: Duration::from_millis(10),
            attempts: 2,
        },
    })
    .unwrap();
    let started = std::time::Instant::now();
    let err = svc.playlists().await.expect_err("no answer");
    assert_eq!(err.kind, ErrorKind::Unavailable, "{err}");
    let shown = format!("{err} {:?}", err.hint);
    assert!(!shown.contains("/rest") && !shown.contains("t="), "{shown}");
    let err = svc.create_playlist("x").await.expect_err("still hung");
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
