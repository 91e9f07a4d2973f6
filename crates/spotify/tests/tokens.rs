//! Token renewal: before a call when expired, on a 401, persisted, and a
//! refused renewal turned into "sign in again".

use crate::util::{self, now_s};
use musync_core::{ErrorKind, Service, Track};

#[tokio::test]
async fn an_expired_token_is_renewed_before_the_call_and_stored() {
    let s = util::setup_with_expiry(-10).await;
    let (old_access, old_refresh) = (s.secret("access_token"), s.secret("refresh_token"));
    s.svc.playlists().await.unwrap();

    let reqs = s.fake.requests();
    assert_eq!(reqs[0].path, "/api/token", "renewed first: {reqs:?}");
    assert!(
        reqs.iter().all(|r| r.status != 401),
        "no request was sent with the old token"
    );
    assert_ne!(s.secret("access_token"), old_access);
    assert_ne!(
        s.secret("refresh_token"),
        old_refresh,
        "the rotated refresh token is stored"
    );
    let exp: u64 = s.secret("expires_at").parse().unwrap();
    assert!(exp > now_s() + 3000);
}

#[tokio::test]
async fn a_401_renews_once_and_retries() {
    let mut s = util::setup().await;
    s.fake.state().expire_access_tokens();
    let old_access = s.secret("access_token");
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists[0].id.as_str(), "liked");

    let statuses: Vec<(String, u16)> = s
        .fake
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.status))
        .collect();
    assert_eq!(statuses[0], ("/v1/me/tracks".into(), 401));
    assert_eq!(statuses[1], ("/api/token".into(), 200));
    assert_eq!(statuses[2], ("/v1/me/tracks".into(), 200));
    assert_eq!(
        statuses.iter().filter(|(p, _)| p == "/api/token").count(),
        1
    );
    assert_ne!(s.secret("access_token"), old_access);

    // A new run starts from the stored tokens without renewing again.
    s.reopen();
    let before = s.fake.requests().len();
    s.svc.playlists().await.unwrap();
    assert!(
        s.fake.requests()[before..]
            .iter()
            .all(|r| r.path != "/api/token")
    );
}

#[tokio::test]
async fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let s = util::setup_with_expiry(-10).await;
    s.fake.state().rotate_refresh_tokens = false;
    let old_refresh = s.secret("refresh_token");
    s.svc.playlists().await.unwrap();
    assert_eq!(s.secret("refresh_token"), old_refresh);
}

#[tokio::test]
async fn a_refused_refresh_asks_to_sign_in_again() {
    let s = util::setup().await;
    {
        let mut st = s.fake.state();
        st.expire_access_tokens();
        st.revoke_refresh_tokens();
    }
    let err = s.svc.playlists().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(err.to_string().contains("Spotify sign-in expired"), "{err}");
    assert_eq!(
        err.hint.as_deref(),
        Some("sign in again: musync accounts add spotify --client-id musync-test-client")
    );
    assert!(err.is_fatal_for_run());
}

#[tokio::test]
async fn concurrent_calls_after_expiry_renew_once() {
    let s = util::setup_with_expiry(-10).await;
    let t = Track::new("Hurt", "Johnny Cash");
    let calls = (0..6).map(|_| s.svc.search(&t));
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(s.fake.state().requests_to("/api/token").len(), 1);
}

#[tokio::test]
async fn missing_secrets_fail_on_open_with_the_sign_in_hint() {
    let fake = fake_spotify::FakeSpotify::start().await;
    let account = util::account(&fake, "bob");
    let store = std::sync::Arc::new(musync_core::MemorySecretStore::new());
    let err = musync_spotify::SpotifyService::open(&account, store).unwrap_err();
    assert_eq!(err.kind, ErrorKind::AuthExpired);
    assert!(
        err.hint
            .unwrap()
            .contains("musync accounts add spotify --client-id musync-test-client")
    );
}

#[tokio::test]
async fn short_lived_tokens_keep_working_across_expiry_without_renewing_every_call() {
    let s = util::setup_with_expiry(-10).await;
    s.fake.state().token_lifetime = std::time::Duration::from_secs(2);
    let t = Track::new("Hurt", "Johnny Cash");
    for _ in 0..4 {
        s.svc.search(&t).await.unwrap();
    }
    assert_eq!(s.fake.state().requests_to("/api/token").len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    s.svc.search(&t).await.unwrap();
    s.svc.search(&t).await.unwrap();
    let st = s.fake.state();
    assert_eq!(st.requests_to("/api/token").len(), 2);
    assert!(
        st.requests.iter().all(|r| r.status != 401),
        "renewed before it expired"
    );
}
