//! The fake's own contract: bootstrap endpoints, sign-in, the legacy API's
//! validation order and its answers, checked with a plain HTTP client so
//! the fake stays faithful independently of musync's client.

use fake_amazon::{FakeAmazon, Library, Mode};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PLAYLISTS: &str = "com.amazon.musicplaylist.model.MusicPlaylistService.";
const CIRRUS: &str = "com.amazon.cirrus.libraryservice.v3.CirrusLibraryServiceExternalV3.";

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn cookie_header(fake: &FakeAmazon) -> String {
    fake.session_cookies()
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn config(fake: &FakeAmazon, cookie: Option<&str>) -> Value {
    let mut req = http().get(format!("{}/config.json?skipToken=false", fake.base_url()));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap().json().await.unwrap()
}

/// A legacy call with everything right, then `tweak` applied.
async fn call(
    fake: &FakeAmazon,
    path: &str,
    target: &str,
    body: Value,
    tweak: impl FnOnce(&mut Headers, &mut Value),
) -> (StatusCode, Value) {
    let cookie = cookie_header(fake);
    let cfg = config(fake, Some(&cookie)).await;
    let mut body = body;
    body["customerId"] = cfg["customerId"].clone();
    let mut headers: Headers = vec![
        ("cookie", cookie),
        ("content-type", "application/json".into()),
        ("content-encoding", "amz-1.0".into()),
        ("x-amz-target", target.into()),
        ("csrf-token", cfg["csrf"]["token"].as_str().unwrap().into()),
        ("csrf-rnd", cfg["csrf"]["rnd"].as_str().unwrap().into()),
        ("csrf-ts", cfg["csrf"]["ts"].as_str().unwrap().into()),
    ];
    tweak(&mut headers, &mut body);
    let mut req = http().post(format!("{}{path}", fake.base_url()));
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let resp = req.body(body.to_string()).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

type Headers = Vec<(&'static str, String)>;

/// Replaces header `name` (every request sets each header once).
fn set(headers: &mut Headers, name: &'static str, value: &str) {
    for (n, v) in headers.iter_mut() {
        if *n == name {
            *v = value.to_owned();
        }
    }
}

fn owned(offset: u64, size: u64) -> Value {
    json!({"entryOffset": offset, "pageSize": size})
}

#[tokio::test]
async fn config_json_is_signed_in_or_guest() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let signed = config(&fake, Some(&cookie_header(&fake))).await;
    assert_eq!(signed["customerId"], "A1SAMPLE2CUSTOMER");
    assert_eq!(signed["siteRegion"], "EU");
    assert!(signed["accessToken"].as_str().unwrap().starts_with("Atna|"));
    let guest = config(&fake, None).await;
    assert_eq!(guest["customerId"], "");
    assert_eq!(guest["accessToken"], "");
    assert!(!guest["csrf"]["token"].as_str().unwrap().is_empty());
    assert!(!guest["deviceId"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn the_player_page_has_the_inline_config_or_redirects_to_sign_in() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let page = http()
        .get(format!("{}/", fake.base_url()))
        .header("cookie", cookie_header(&fake))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("window.amznMusic = {appConfig: {accessToken: \"Atna|"));
    assert!(page.contains("customerId: \"A1SAMPLE2CUSTOMER\""));
    assert!(page.contains("ssr: false"));
    let out = http()
        .get(format!("{}/", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::FOUND);
    assert!(
        out.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/ap/signin")
    );
    let force = http()
        .get(format!("{}/forceSignIn", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert!(
        force.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/ap/signin")
    );
}

#[tokio::test]
async fn the_sign_in_form_sets_http_only_cookies_for_the_right_password_only() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let url = format!("{}/ap/signin", fake.base_url());
    let wrong = http()
        .post(&url)
        .form(&[("email", FakeAmazon::EMAIL), ("password", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::OK);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Your password is incorrect")
    );
    let right = http()
        .post(&url)
        .form(&[
            ("email", FakeAmazon::EMAIL),
            ("password", FakeAmazon::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::FOUND);
    let set: Vec<String> = right
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(set.len(), 5);
    assert!(
        set.iter()
            .any(|c| c.starts_with("at-main=") && c.contains("HttpOnly"))
    );
    assert!(
        set.iter()
            .any(|c| c.starts_with("session-id=") && !c.contains("HttpOnly"))
    );
    let cookie = set
        .iter()
        .map(|c| c.split(';').next().unwrap())
        .collect::<Vec<_>>()
        .join("; ");
    assert_eq!(
        config(&fake, Some(&cookie)).await["customerId"],
        "A1SAMPLE2CUSTOMER"
    );
}

#[tokio::test]
async fn legacy_calls_are_validated_in_order() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let target = format!("{PLAYLISTS}getOwnedPlaylistsInLibrary");
    let path = "/EU/api/playlists/";
    let ok = call(&fake, path, &target, owned(0, 10), |_, _| {}).await;
    assert_eq!(ok.0, StatusCode::OK);
    assert_eq!(ok.1["playlists"].as_array().unwrap().len(), 4);
    // 1. cookie
    let (s, _) = call(&fake, path, &target, owned(0, 10), |h, _| {
        set(h, "cookie", "at-main=x")
    })
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // 2. csrf
    let (s, _) = call(&fake, path, &target, owned(0, 10), |h, _| {
        set(h, "csrf-token", "forged")
    })
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // 3. encoding
    let (s, _) = call(&fake, path, &target, owned(0, 10), |h, _| {
        set(h, "content-encoding", "gzip")
    })
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // 4. target
    let (s, body) = call(
        &fake,
        path,
        &format!("{PLAYLISTS}deletePlaylist"),
        owned(0, 1),
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body["__type"]
            .as_str()
            .unwrap()
            .ends_with("#UnknownOperationException")
    );
    // 5. customer
    let (s, _) = call(&fake, path, &target, owned(0, 10), |_, b| {
        b["customerId"] = json!("SOMEONE-ELSE")
    })
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // 6. region
    let (s, _) = call(
        &fake,
        "/NA/api/playlists/",
        &target,
        owned(0, 10),
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The old alias path works too; the withdrawn form API is gone.
    let (s, _) = call(
        &fake,
        "/cloudplayer/playlists/",
        &target,
        owned(0, 10),
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let gone = http()
        .post(format!("{}/cirrus/", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::GONE);
}

#[tokio::test]
async fn csrf_forbidden_and_expired_modes_answer_their_statuses() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let target = format!("{PLAYLISTS}getOwnedPlaylistsInLibrary");
    fake.set_mode(Mode::CsrfForbidden);
    let (s, _) = call(
        &fake,
        "/EU/api/playlists/",
        &target,
        owned(0, 10),
        |h, _| set(h, "csrf-token", "stale"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let cookie = cookie_header(&fake);
    fake.set_mode(Mode::Expired { status: 400 });
    let (s, _) = call(
        &fake,
        "/EU/api/playlists/",
        &target,
        owned(0, 10),
        |h, _| set(h, "cookie", &cookie),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(config(&fake, Some(&cookie)).await["customerId"], "");
}

#[tokio::test]
async fn playlists_by_id_returns_requested_fields_and_errors_for_unknown_ids() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let lib = fake.library();
    let road = &lib.playlists[0];
    let body = json!({"playlistIds": [road.id, "missing"], "requestedMetadata": ["title", "duration", "asin"]});
    let (s, v) = call(
        &fake,
        "/EU/api/playlists/",
        &format!("{PLAYLISTS}getPlaylistsByIdV2"),
        body,
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["errors"][0]["playlistId"], "missing");
    let tracks = v["playlists"][0]["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), road.tracks.len());
    let first = &tracks[0]["metadata"]["requestedMetadata"];
    assert_eq!(first["title"], road.tracks[0].title.as_str());
    assert!(first.get("artistName").is_none(), "only requested keys");
}

#[tokio::test]
async fn get_tracks_validates_sort_keys_and_tokens_and_pages() {
    let fake = FakeAmazon::start(Library::generated(250)).await;
    let target = format!("{CIRRUS}getTracks");
    let path = "/EU/api/cirrus/v3/";
    let base = json!({
        "filterList": [{"attributeName": "status", "comparisonType": "EQUALS", "attributeValue": "AVAILABLE"}],
        "attributeList": ["title"], "sortOrder": {"sort": "title", "order": "ASC"}, "maxResults": 100});
    let mut bad_sort = base.clone();
    bad_sort["sortOrder"]["sort"] = json!("duration");
    assert_eq!(
        call(&fake, path, &target, bad_sort, |_, _| {}).await.0,
        StatusCode::BAD_REQUEST
    );
    let mut bad_token = base.clone();
    bad_token["nextToken"] = json!("not-a-token");
    assert_eq!(
        call(&fake, path, &target, bad_token, |_, _| {}).await.0,
        StatusCode::BAD_REQUEST
    );
    let mut seen = 0;
    let mut body = base.clone();
    loop {
        let (s, v) = call(&fake, path, &target, body.clone(), |_, _| {}).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["totalCount"], 245);
        seen += v["resultList"].as_array().unwrap().len();
        match v.get("nextToken") {
            Some(t) => body["nextToken"] = t.clone(),
            None => break,
        }
    }
    assert_eq!(seen, 245);
}

#[tokio::test]
async fn counted_failures_run_out_and_requests_are_recorded() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let target = format!("{PLAYLISTS}getOwnedPlaylistsInLibrary");
    fake.set_mode(Mode::RateLimited {
        requests: 1,
        retry_after_s: 2,
    });
    let cookie = cookie_header(&fake);
    let first = http()
        .post(format!("{}/EU/api/playlists/", fake.base_url()))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.headers()["retry-after"], "2");
    let (s, _) = call(
        &fake,
        "/EU/api/playlists/",
        &target,
        owned(0, 10),
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    fake.set_mode(Mode::ServerError {
        requests: 1,
        status: 503,
    });
    assert_eq!(
        call(
            &fake,
            "/EU/api/playlists/",
            &target,
            owned(0, 10),
            |_, _| {}
        )
        .await
        .0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let reqs = fake.requests();
    let last = reqs.last().unwrap();
    assert_eq!(last.target(), Some(target.as_str()));
    assert_eq!(last.header("content-encoding"), Some("amz-1.0"));
    assert_eq!(last.json()["pageSize"], 10);
}

/// A GraphQL call with the ready session's token and the bundle's key,
/// then `tweak` applied to the headers.
async fn gql(
    fake: &FakeAmazon,
    body: Value,
    tweak: impl FnOnce(&mut Vec<(&'static str, String)>),
) -> (StatusCode, Value) {
    use base64::Engine;
    let cfg = config(fake, Some(&cookie_header(fake))).await;
    let claims = json!({"deviceId": cfg["deviceId"], "deviceType": cfg["deviceType"],
                        "access_token": cfg["accessToken"]});
    let auth = format!(
        "AmznMusic {}",
        base64::engine::general_purpose::STANDARD.encode(claims.to_string())
    );
    let mut headers = vec![
        ("authorization", auth),
        ("x-api-key", fake.api_key()),
        ("content-type", "application/json".to_owned()),
    ];
    tweak(&mut headers);
    let mut req = http().post(fake.graphql_url());
    for (n, v) in headers {
        req = req.header(n, v);
    }
    let resp = req.body(body.to_string()).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn library_query(cursor: Option<&str>) -> Value {
    json!({"operationName": "LibraryTracks",
           "query": "query LibraryTracks($cursor: String, $limit: Int) { user { tracks(limit: $limit, cursor: $cursor) { edges { node { id isrc } } pageInfo { hasNextPage token } } } }",
           "variables": {"limit": 100, "cursor": cursor}})
}

#[tokio::test]
async fn graphql_checks_the_key_then_the_token_and_pages_smaller_than_asked() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let (s, _) = gql(&fake, library_query(None), |h| {
        h.retain(|(n, _)| *n != "x-api-key")
    })
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body) = gql(&fake, library_query(None), |h| {
        h[0].1 = "AmznMusic bm90IGpzb24=".into();
    })
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    fake.set_graphql_expired_status(200);
    let (s, body) = gql(&fake, library_query(None), |h| h[0].1 = "Bearer x".into()).await;
    assert_eq!(
        (s, body["errors"][0]["message"].as_str()),
        (StatusCode::OK, Some("Unauthorized"))
    );
    // Pages: 37 although 100 were asked; the token walks to the end.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let (s, body) = gql(&fake, library_query(cursor.as_deref()), |_| {}).await;
        assert_eq!(s, StatusCode::OK);
        let conn = &body["data"]["user"]["tracks"];
        let n = conn["edges"].as_array().unwrap().len();
        assert!(n <= 37);
        seen += n;
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        cursor = Some(conn["pageInfo"]["token"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen, fake.library().available_tracks().len());
}

#[tokio::test]
async fn graphql_refuses_mutations_and_unknown_operations() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let (s, _) = gql(
        &fake,
        json!({"operationName": "CreatePlaylist", "query": "mutation CreatePlaylist { createPlaylist(title: \"x\") { id } }"}),
        |_| {},
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, body) = gql(
        &fake,
        json!({"operationName": "Nope", "query": "query Nope { nope }"}),
        |_| {},
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Cannot query field")
    );
    fake.set_mode(Mode::GraphqlGone);
    let (s, _) = gql(&fake, library_query(None), |_| {}).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn browser_only_mode_wants_the_cookie_the_page_script_sets() {
    let fake = FakeAmazon::start(Library::sample()).await;
    fake.set_mode(Mode::BrowserOnly);
    let cookie = cookie_header(&fake);
    // Valid session cookies alone: the guest config.
    assert_eq!(config(&fake, Some(&cookie)).await["customerId"], "");
    // The page carries a script computing the proof, not the proof itself.
    let page = http()
        .get(format!("{}/", fake.base_url()))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let nonce = page
        .split("var n=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the proof script")
        .to_owned();
    let proof: String = nonce.chars().rev().collect();
    assert!(!page.contains(&proof));
    let with_proof = format!("{cookie}; hornet-proof={proof}");
    assert_ne!(config(&fake, Some(&with_proof)).await["customerId"], "");
    // The bundle holds the GraphQL key.
    let bundle = http()
        .get(format!("{}/assets/hornet.js", fake.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(bundle.contains(&fake.api_key()));
    // The legacy surface gone: 404.
    fake.set_mode(Mode::LegacyGone);
    let (s, _) = call(
        &fake,
        "/EU/api/playlists/",
        &format!("{PLAYLISTS}getOwnedPlaylistsInLibrary"),
        owned(0, 10),
        |_, _| {},
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
