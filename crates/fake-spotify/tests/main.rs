//! The fake's own rules over raw HTTP: what a client that breaks them gets.

use fake_spotify::{Catalogue, FakeSpotify, TEST_CLIENT_ID};
use serde_json::Value;

async fn setup() -> (FakeSpotify, String, reqwest::Client) {
    let fake = FakeSpotify::start().await;
    fake.add_user("alice", None);
    let (access, _) = fake.issue_tokens("alice");
    (fake, access, reqwest::Client::new())
}

async fn message(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap();
    (
        status,
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn batch_limits_are_enforced_and_nothing_is_written_over_them() {
    let (fake, access, http) = setup().await;
    fake.set_catalogue(Catalogue::generated(120));
    let uris = fake.state().catalogue.uris();
    let id = fake.add_playlist("alice", "P", &[]);
    let add = |n: usize| {
        http.post(format!("{}/playlists/{id}/items", fake.api_url()))
            .bearer_auth(&access)
            .json(&serde_json::json!({"uris": &uris[..n]}))
            .send()
    };
    let (status, msg) = message(add(101).await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(msg.contains("maximum of 100"), "{msg}");
    assert!(fake.playlist_items(&id).is_empty());
    assert_eq!(add(100).await.unwrap().status(), 201);
    assert_eq!(fake.playlist_items(&id), uris[..100].to_vec());

    let save = |n: usize| {
        http.put(format!("{}/me/library", fake.api_url()))
            .query(&[("uris", uris[..n].join(","))])
            .bearer_auth(&access)
            .body("")
            .send()
    };
    let (status, msg) = message(save(41).await.unwrap()).await;
    assert_eq!((status, msg.contains("at most 40")), (400, true), "{msg}");
    assert!(fake.liked("alice").is_empty());
    assert_eq!(save(40).await.unwrap().status(), 200);
    assert_eq!(fake.liked("alice").len(), 40);
}

#[tokio::test]
async fn removed_endpoints_answer_403_and_limits_400() {
    let (fake, access, http) = setup().await;
    let id = fake.add_playlist("alice", "P", &[]);
    for (method, path) in [
        ("GET", format!("/playlists/{id}/tracks")),
        ("POST", format!("/playlists/{id}/tracks")),
        ("PUT", "/me/tracks".to_owned()),
        ("POST", "/users/alice/playlists".to_owned()),
        ("GET", "/tracks?ids=a,b".to_owned()),
    ] {
        let req = http.request(method.parse().unwrap(), format!("{}{path}", fake.api_url()));
        let resp = req.bearer_auth(&access).send().await.unwrap();
        assert_eq!(resp.status(), 403, "{method} {path}");
    }
    let resp = http
        .get(format!("{}/playlists/{id}/items?limit=51", fake.api_url()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(message(resp).await, (400, "Invalid limit".to_owned()));
}

#[tokio::test]
async fn pages_link_to_the_next_page_on_the_requests_host() {
    let (fake, access, http) = setup().await;
    fake.set_catalogue(Catalogue::generated(45));
    let uris = fake.state().catalogue.uris();
    let id = fake.add_playlist("alice", "P", &uris);
    let mut url = format!("{}/playlists/{id}/items?limit=20", fake.api_url());
    let mut got = Vec::new();
    loop {
        let page: Value = http
            .get(&url)
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 45);
        for item in page["items"].as_array().unwrap() {
            got.push(item["item"]["uri"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&fake.api_url()), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(got, uris);
}

#[tokio::test]
async fn the_token_endpoint_checks_the_pkce_verifier_and_expires_tokens() {
    let (fake, access, http) = setup().await;
    // A code issued for a known challenge, redeemed with the wrong verifier.
    fake.state().authorize = fake_spotify::AuthorizeMode::AutoApprove("alice".into());
    let verifier = "a".repeat(50);
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()))
    };
    let redirect = "http://127.0.0.1:9/callback";
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let code_for = |c: String| {
        let url = url::Url::parse_with_params(
            &format!("{}/authorize", fake.accounts_url()),
            [
                ("client_id", TEST_CLIENT_ID),
                ("response_type", "code"),
                ("redirect_uri", redirect),
                ("code_challenge_method", "S256"),
                ("code_challenge", c.as_str()),
                ("state", "s1"),
            ],
        )
        .unwrap();
        let no_redirects = no_redirects.clone();
        async move {
            let resp = no_redirects.get(url).send().await.unwrap();
            let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
            assert_eq!(
                loc.query_pairs().find(|(k, _)| k == "state").unwrap().1,
                "s1"
            );
            loc.query_pairs()
                .find(|(k, _)| k == "code")
                .unwrap()
                .1
                .into_owned()
        }
    };
    let exchange = |code: String, verifier: String| {
        http.post(format!("{}/api/token", fake.accounts_url()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("client_id", TEST_CLIENT_ID),
                ("code_verifier", verifier.as_str()),
            ])
            .send()
    };
    let resp = exchange(code_for(challenge.clone()).await, "b".repeat(50))
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    let code = code_for(challenge).await;
    let resp = exchange(code.clone(), verifier.clone()).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert!(body["refresh_token"].is_string() && body["expires_in"] == 3600);
    // A code works once.
    assert_eq!(exchange(code, verifier).await.unwrap().status(), 400);

    fake.state().expire_access_tokens();
    let resp = http
        .get(format!("{}/me", fake.api_url()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        message(resp).await,
        (401, "The access token expired".to_owned())
    );
}

#[tokio::test]
async fn rate_limit_mode_sends_retry_after_then_recovers() {
    let (fake, access, http) = setup().await;
    {
        let mut st = fake.state();
        st.fail_with_429 = 2;
        st.retry_after_s = 7;
    }
    let get = || {
        http.get(format!("{}/me", fake.api_url()))
            .bearer_auth(&access)
            .send()
    };
    for _ in 0..2 {
        let resp = get().await.unwrap();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "7");
    }
    assert_eq!(get().await.unwrap().status(), 200);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 200]);
}
