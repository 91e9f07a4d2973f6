//! Tokens: renewed before expiry and on a 401, the old refresh token kept
//! when TIDAL sends none, renewed tokens persisted, and a revoked sign-in
//! reported as "sign in again" after one token request.

use crate::util::*;
use musync_core::{ErrorKind, NoProgress, PlaylistId, Service};

#[tokio::test]
async fn an_expiring_token_is_renewed_first_and_the_refresh_token_kept() {
    let s = setup_in("GB", 10).await;
    let (old_access, old_refresh) = (s.secret("access_token"), s.secret("refresh_token"));
    s.svc.playlists().await.unwrap();
    assert_eq!(s.fake.state().token_requests, 1);
    assert_ne!(
        s.secret("access_token"),
        old_access,
        "the new token is stored"
    );
    assert_eq!(
        s.secret("refresh_token"),
        old_refresh,
        "TIDAL sent none: kept"
    );
    assert!(s.secret("expires_at").parse::<u64>().unwrap() > now_s() + 3000);
    s.svc.playlists().await.unwrap();
    assert_eq!(s.fake.state().token_requests, 1, "renewed once");
}

#[tokio::test]
async fn a_401_mid_run_renews_once_and_goes_on() {
    let s = setup().await;
    s.fake.state().expire_access_tokens();
    let lists = s.svc.playlists().await.unwrap();
    assert_eq!(lists[0].id.as_str(), "liked");
    assert_eq!(s.fake.state().token_requests, 1);
}

#[tokio::test]
async fn a_revoked_sign_in_says_sign_in_again_without_asking_repeatedly() {
    let s = setup().await;
    {
        let mut st = s.fake.state();
        st.expire_access_tokens();
        st.revoke_refresh_tokens();
    }
    let e = s.svc.playlists().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::AuthExpired);
    let said = format!("{e} {}", e.hint.clone().unwrap_or_default());
    assert!(
        said.contains("musync accounts add tidal --client-id"),
        "{said}"
    );
    for _ in 0..3 {
        let e = s
            .svc
            .tracks(&PlaylistId::new("liked"), &NoProgress)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::AuthExpired);
    }
    assert_eq!(s.fake.state().token_requests, 1, "at most 3; one is enough");
}
