//! The fake enforces what the research lists, checked over real HTTP.

use fake_tidal::{
    AuthorizeMode, Bucket, Catalogue, CatalogueTrack, FakeTidal, MEDIA_TYPE, TEST_CLIENT_ID,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn signed_in() -> (FakeTidal, String) {
    let fake = FakeTidal::start().await;
    fake.add_user("42", "alice", "GB");
    let (access, _) = fake.issue_tokens("42");
    (fake, access)
}

async fn get(fake: &FakeTidal, token: &str, path_and_query: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .get(format!("{}{path_and_query}", fake.api_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn write(
    fake: &FakeTidal,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", fake.api_url()))
        .bearer_auth(token)
        .header("content-type", MEDIA_TYPE)
        .body(body.to_string());
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn authorize_url(fake: &FakeTidal, scope: &str, state: &str) -> String {
    url::Url::parse_with_params(
        &format!("{}/authorize", fake.login_url()),
        [
            ("response_type", "code"),
            ("client_id", TEST_CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1:8898/callback"),
            ("scope", scope),
            ("code_challenge_method", "S256"),
            ("code_challenge", CHALLENGE),
            ("state", state),
        ],
    )
    .unwrap()
    .to_string()
}

fn location(r: &reqwest::Response) -> url::Url {
    url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap()
}

fn param(u: &url::Url, k: &str) -> Option<String> {
    u.query_pairs()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn pkce_sign_in_checks_state_scopes_and_the_verifier() {
    let fake = FakeTidal::start().await;
    fake.add_user("42", "alice", "GB");
    fake.state().authorize = AuthorizeMode::AutoApprove("42".into());
    let http = no_redirects();

    // Internal scopes are refused, with the state echoed.
    let r = http
        .get(authorize_url(&fake, "r_usr w_usr", "s1"))
        .send()
        .await
        .unwrap();
    let back = location(&r);
    assert_eq!(param(&back, "error").as_deref(), Some("invalid_scope"));
    assert_eq!(param(&back, "state").as_deref(), Some("s1"));

    let r = http
        .get(authorize_url(&fake, "playlists.read user.read", "s2"))
        .send()
        .await
        .unwrap();
    let back = location(&r);
    assert_eq!(param(&back, "state").as_deref(), Some("s2"));
    let code = param(&back, "code").unwrap();
    let token = format!("{}/v1/oauth2/token", fake.auth_url());
    let form = |verifier: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("client_id", TEST_CLIENT_ID.to_owned()),
            ("code", code.clone()),
            ("code_verifier", verifier.to_owned()),
            ("redirect_uri", "http://127.0.0.1:8898/callback".to_owned()),
        ]
    };
    let bad = http
        .post(&token)
        .form(&form(&"x".repeat(43)))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // Codes are single-use: the failed attempt spent it; start again.
    let r = http
        .get(authorize_url(&fake, "playlists.read user.read", "s3"))
        .send()
        .await
        .unwrap();
    let code = param(&location(&r), "code").unwrap();
    let ok: Value = http
        .post(&token)
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", TEST_CLIENT_ID),
            ("code", &code),
            ("code_verifier", VERIFIER),
            ("redirect_uri", "http://127.0.0.1:8898/callback"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = ok["access_token"].as_str().unwrap();
    let refresh = ok["refresh_token"].as_str().unwrap().to_owned();
    let (status, me) = get(&fake, access, "/users/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["data"]["attributes"]["country"], "GB");
    // Scopes hold: no collection.read in this token.
    let (status, _) = get(
        &fake,
        access,
        "/userCollectionTracks/me/relationships/items",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A refresh answers without a new refresh token; the old one works on.
    let refreshed: Value = http
        .post(&token)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", TEST_CLIENT_ID),
            ("refresh_token", &refresh),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(refreshed["access_token"].is_string());
    assert!(refreshed.get("refresh_token").is_none());
    fake.state().revoke_refresh_tokens();
    let revoked = http
        .post(&token)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", TEST_CLIENT_ID),
            ("refresh_token", &refresh),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::BAD_REQUEST);
    let body: Value = revoked.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn listings_come_in_cursor_pages_with_relative_next_links() {
    let (fake, token) = signed_in().await;
    fake.set_catalogue(Catalogue::generated(45));
    let ids: Vec<String> = fake
        .state()
        .catalogue
        .tracks
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let pl = fake.add_playlist("42", "Big", &ids);
    let mut next = Some(format!(
        "/playlists/{pl}/relationships/items?countryCode=GB&include=items,items.artists"
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(path) = next {
        let (status, d) = get(&fake, &token, &path).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        pages += 1;
        for item in d["data"].as_array().unwrap() {
            assert!(item["meta"]["itemId"].is_string());
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        let included = d["included"].as_array().unwrap();
        assert!(included.iter().any(|r| r["type"] == "artists"));
        next = d["links"]["next"].as_str().map(str::to_owned);
        if let Some(n) = &next {
            assert!(
                n.starts_with("/playlists/"),
                "relative to the API base: {n}"
            );
            assert!(d["links"]["meta"]["nextCursor"].is_string());
        }
    }
    assert_eq!(pages, 3, "pages of 20");
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn bad_filters_includes_and_too_many_values_are_400() {
    let (fake, token) = signed_in().await;
    let (status, d) = get(&fake, &token, "/tracks?filter[bogus]=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let detail = d["errors"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("filter[isrc]"),
        "lists the valid ones: {detail}"
    );
    let many: String = (0..101)
        .map(|i| format!("filter[isrc]=QZ{i:010}&"))
        .collect();
    let (status, _) = get(&fake, &token, &format!("/tracks?{many}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get(
        &fake,
        &token,
        "/tracks?filter[isrc]=X&include=albums.artists.tracks.albums",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn isrc_batches_answer_one_track_each_and_search_needs_include() {
    let (fake, token) = signed_in().await;
    let (status, d) = get(
        &fake,
        &token,
        "/tracks?filter[isrc]=GBAYE9700106&filter[isrc]=USSM10804548&filter[isrc]=NOPE00000000&include=artists,albums",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let titles: Vec<&str> = d["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["attributes"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Karma Police", "Halo"]);
    assert!(d["links"].get("next").is_none());

    let (_, bare) = get(&fake, &token, "/searchResults?filter[query]=Karma%20Police").await;
    assert!(
        bare["data"]["relationships"]["tracks"]
            .get("data")
            .is_none()
    );
    assert!(bare.get("included").is_none());
    let (_, full) = get(
        &fake,
        &token,
        "/searchResults?filter[query]=Karma%20Police&include=tracks",
    )
    .await;
    assert_eq!(
        full["data"]["relationships"]["tracks"]["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Region: Lose Yourself is not streamable in Japan.
    let (_, jp) = get(
        &fake,
        &token,
        "/tracks?filter[isrc]=USIR10211559&countryCode=JP",
    )
    .await;
    assert!(jp["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn writes_check_media_type_size_and_replay_idempotent_requests() {
    let (fake, token) = signed_in().await;
    let pl = fake.add_playlist("42", "Mine", &[]);
    let karma = fake
        .state()
        .catalogue
        .find("Karma Police", "Radiohead")
        .unwrap()
        .id
        .clone();
    let path = format!("/playlists/{pl}/relationships/items");
    // application/json, or the media type with a charset: 415.
    for ct in [
        "application/json",
        "application/vnd.api+json; charset=utf-8",
    ] {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", fake.api_url()))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(json!({"data": [{"type": "tracks", "id": karma}]}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
    }
    let too_many: Vec<Value> = (0..51)
        .map(|_| json!({"type": "tracks", "id": karma}))
        .collect();
    let (status, _) = write(
        &fake,
        &token,
        reqwest::Method::POST,
        &path,
        &json!({"data": too_many}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let body = json!({"data": [{"type": "tracks", "id": karma}, {"type": "tracks", "id": "999"}]});
    let (status, first) = write(
        &fake,
        &token,
        reqwest::Method::POST,
        &path,
        &body,
        Some("k1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(first["meta"]["skipped"][0]["id"], "999");
    let (status, replay) = write(
        &fake,
        &token,
        reqwest::Method::POST,
        &path,
        &body,
        Some("k1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(replay, first, "the replay answers what the first did");
    assert_eq!(
        fake.playlist_tracks(&pl),
        vec![karma.clone()],
        "applied once"
    );
    let other = json!({"data": [{"type": "tracks", "id": karma}]});
    let (status, _) = write(
        &fake,
        &token,
        reqwest::Method::POST,
        &path,
        &other,
        Some("k1"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Removal by item id.
    let item = first["data"][0]["meta"]["itemId"].as_str().unwrap();
    let del = json!({"data": [{"type": "tracks", "id": karma, "meta": {"itemId": item}}]});
    let (status, _) = write(
        &fake,
        &token,
        reqwest::Method::DELETE,
        &path,
        &del,
        Some("k2"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(fake.playlist_tracks(&pl).is_empty());
}

#[tokio::test]
async fn adding_an_existing_favourite_fails_the_whole_call() {
    let (fake, token) = signed_in().await;
    let c = fake.state().catalogue.clone();
    let a = c.find("Halo", "Beyoncé").unwrap().id.clone();
    let b = c.find("Mr. Brightside", "The Killers").unwrap().id.clone();
    fake.state().add_favourites("42", std::slice::from_ref(&a));
    let path = "/userCollectionTracks/me/relationships/items";
    let body = json!({"data": [{"type": "tracks", "id": b}, {"type": "tracks", "id": a}]});
    let (status, _) = write(&fake, &token, reqwest::Method::POST, path, &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(fake.favourites("42"), vec![a.clone()], "nothing added");
    let body = json!({"data": [{"type": "tracks", "id": b}]});
    let (status, _) = write(&fake, &token, reqwest::Method::POST, path, &body, None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(fake.favourites("42"), vec![b, a]);
}

#[tokio::test]
async fn the_token_bucket_answers_429_with_retry_after() {
    let (fake, token) = signed_in().await;
    fake.state().bucket = Some(Bucket::new(2, 1));
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..3 {
        let r = reqwest::Client::new()
            .get(format!("{}/users/me", fake.api_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        assert!(r.headers().contains_key("x-ratelimit-remaining"));
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
        }
    }
    assert_eq!(statuses, vec![200, 200, 429]);
    assert_eq!(retry_after.as_deref(), Some("1"));
}

#[tokio::test]
async fn versions_and_durations_are_served_as_tidal_does() {
    let (fake, token) = signed_in().await;
    let mut c = Catalogue::default();
    c.push(CatalogueTrack::new("Song", &["A"], "B", 3725, "QZX000000001").with_version("Live"));
    fake.set_catalogue(c);
    let (_, d) = get(&fake, &token, "/tracks?filter[isrc]=QZX000000001").await;
    let attrs = &d["data"][0]["attributes"];
    assert_eq!(attrs["version"], "Live");
    assert_eq!(attrs["duration"], "PT1H2M5S");
}
