//! The router without a socket (`Router::oneshot`): the token/cookie
//! exchange, 403s (no cookie, wrong token, foreign Host), CSRF and origin
//! checks, every page rendering, and bad input refused without writes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use musync_core::{Account, AccountId, MemorySecretStore, Secret, SecretStore};
use musync_store::Store;
use musync_web::AppState;
use std::sync::Arc;
use tower::ServiceExt;

const PORT: u16 = 4321;
const HOST: &str = "127.0.0.1:4321";

struct Env {
    state: AppState,
    secrets: Arc<MemorySecretStore>,
    dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("data")).expect("store");
    let secrets = Arc::new(MemorySecretStore::new());
    let state = AppState::new(store, secrets.clone(), PORT);
    Env {
        state,
        secrets,
        dir,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(state: &AppState, req: Request<Body>) -> Reply {
    let resp = musync_web::router(state.clone())
        .oneshot(req)
        .await
        .expect("the router answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(state: &AppState, uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, HOST)
        .header(header::COOKIE, state.session_cookie())
        .body(Body::empty())
        .expect("request")
}

fn post_form(state: &AppState, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::COOKIE, state.session_cookie())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, format!("http://{HOST}"))
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn the_token_becomes_a_strict_httponly_cookie_and_leaves_the_address() {
    let e = env();
    let req = Request::get(format!("/compare?token={}&tab=2", e.state.token()))
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = send(&e.state, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/compare?tab=2");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with(&format!("musync_{PORT}=")), "{cookie}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{part} missing in {cookie}");
    }
    assert!(
        !cookie.contains(e.state.token()),
        "the cookie is not the URL token"
    );
    assert_eq!(r.headers["referrer-policy"], "same-origin");

    // The cookie alone now opens pages.
    let pair = cookie.split(';').next().unwrap();
    let req = Request::get("/accounts")
        .header(header::HOST, HOST)
        .header(header::COOKIE, pair)
        .body(Body::empty())
        .unwrap();
    let r = send(&e.state, req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Accounts</h1>"));
    assert!(
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_eq!(r.headers["x-frame-options"], "DENY");
}

#[tokio::test]
async fn without_the_cookie_or_with_a_wrong_token_everything_is_403() {
    let e = env();
    for uri in [
        "/",
        "/accounts",
        "/compare",
        "/logs",
        "/assets/app.js",
        "/api/logs",
        "/api/jobs/1",
    ] {
        let req = Request::get(uri)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap();
        let r = send(&e.state, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(
            r.body.contains("?token="),
            "{uri}: the page says what to open"
        );
    }
    let req = Request::get("/?token=not-the-token")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = send(&e.state, req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.headers.get(header::SET_COOKIE).is_none());

    let req = Request::get("/accounts")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("musync_{PORT}=forged"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&e.state, req).await.status, StatusCode::FORBIDDEN);

    // A POST without the cookie changes nothing, even with the CSRF token.
    let req = Request::post("/accounts/file")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "_csrf={}&path=/tmp/x.m3u8",
            e.state.csrf_token()
        )))
        .unwrap();
    assert_eq!(send(&e.state, req).await.status, StatusCode::FORBIDDEN);
    assert!(e.state.store().accounts().unwrap().is_empty());
}

#[tokio::test]
async fn a_foreign_host_is_refused_even_with_cookie_and_token() {
    let e = env();
    for host in [
        "evil.example:4321",
        "127.0.0.1:9999",
        "localhost",
        "127.0.0.1.evil.example:4321",
    ] {
        let req = Request::get("/accounts")
            .header(header::HOST, host)
            .header(header::COOKIE, e.state.session_cookie())
            .body(Body::empty())
            .unwrap();
        let r = send(&e.state, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{host}");
        assert!(
            r.body.contains("only answers to 127.0.0.1 and localhost"),
            "{host}"
        );
        let req = Request::get(format!("/?token={}", e.state.token()))
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let r = send(&e.state, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{host} with the token");
        assert!(
            r.headers.get(header::SET_COOKIE).is_none(),
            "{host}: no cookie handed out"
        );
    }
    let req = Request::get("/accounts")
        .header(header::HOST, format!("localhost:{PORT}"))
        .header(header::COOKIE, e.state.session_cookie())
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&e.state, req).await.status,
        StatusCode::OK,
        "localhost is fine"
    );
}

#[tokio::test]
async fn posts_need_the_csrf_token_and_the_same_origin() {
    let e = env();
    let playlist = e.dir.path().join("mix.m3u8");
    let path = playlist.display().to_string();
    let csrf = e.state.csrf_token().to_owned();

    let refused = [
        post_form(&e.state, "/accounts/file", &[("path", &path)]),
        post_form(
            &e.state,
            "/accounts/file",
            &[("_csrf", "wrong"), ("path", &path)],
        ),
        {
            let mut r = post_form(
                &e.state,
                "/accounts/file",
                &[("_csrf", &csrf), ("path", &path)],
            );
            r.headers_mut()
                .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
            r
        },
        {
            let mut r = post_form(
                &e.state,
                "/accounts/file",
                &[("_csrf", &csrf), ("path", &path)],
            );
            r.headers_mut()
                .insert("sec-fetch-site", "cross-site".parse().unwrap());
            r
        },
        {
            let mut r = post_form(
                &e.state,
                "/accounts/file",
                &[("_csrf", &csrf), ("path", &path)],
            );
            r.headers_mut()
                .insert("x-csrf-token", "wrong".parse().unwrap());
            r
        },
    ];
    for (n, req) in refused.into_iter().enumerate() {
        let r = send(&e.state, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "case {n}");
        assert!(
            r.body.contains("security token") || r.body.contains("other web sites"),
            "case {n}: {}",
            r.body
        );
    }
    assert!(
        e.state.store().accounts().unwrap().is_empty(),
        "nothing was stored"
    );

    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/accounts/file",
            &[("_csrf", &csrf), ("path", &path)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/accounts?added=mix.m3u8");
    let accounts = e.state.store().accounts().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].service, musync_files::KIND);
    assert_eq!(accounts[0].settings["path"], path.as_str());
    assert!(
        !playlist.exists(),
        "a missing file is created by the first sync, not now"
    );
}

#[tokio::test]
async fn bad_playlist_paths_are_refused_with_the_reason_and_nothing_is_stored() {
    let e = env();
    let csrf = e.state.csrf_token().to_owned();
    let garbage = e.dir.path().join("broken.json");
    std::fs::write(&garbage, "{ this is not json").unwrap();
    let cases = [
        ("", "Type the path of a playlist file."),
        ("/tmp/notes.txt", "is not a playlist file musync knows"),
        ("/nonexistent-dir/sub/mix.m3u8", "/nonexistent-dir/sub"),
        (garbage.to_str().unwrap(), "broken.json"),
    ];
    for (path, expected) in cases {
        let r = send(
            &e.state,
            post_form(
                &e.state,
                "/accounts/file",
                &[("_csrf", &csrf), ("path", path)],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            r.body.contains(expected),
            "{path}: expected {expected:?} in the page"
        );
        assert!(
            r.body.contains("role=\"alert\""),
            "{path}: shown as an alert"
        );
        assert!(
            r.body.contains(&format!("value=\"{path}\"")),
            "{path}: the typed path is kept"
        );
    }
    assert!(e.state.store().accounts().unwrap().is_empty());
}

#[tokio::test]
async fn removing_asks_first_then_forgets_the_account_and_its_secrets() {
    let e = env();
    let id = AccountId::new("lastfm-alice");
    e.state
        .store()
        .upsert_account(&Account {
            id: id.clone(),
            service: musync_core::ServiceName("lastfm".into()),
            name: "alice".into(),
            settings: serde_json::json!({"username": "alice"}),
        })
        .unwrap();
    e.secrets
        .set(&id, "session_key", &Secret::new("sk-123"))
        .unwrap();

    let r = send(&e.state, get(&e.state, "/accounts")).await;
    assert!(r.body.contains("lastfm-alice") && r.body.contains("Remove…"));
    assert!(!r.body.contains("sk-123"));

    let r = send(&e.state, get(&e.state, "/accounts/remove?id=lastfm-alice")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Remove alice?"));
    assert!(r.body.contains("deletes its stored sign-in"));
    assert_eq!(
        e.state.store().accounts().unwrap().len(),
        1,
        "asking removes nothing"
    );

    let csrf = e.state.csrf_token().to_owned();
    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/accounts/remove",
            &[("_csrf", &csrf), ("id", "lastfm-alice")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(e.state.store().accounts().unwrap().is_empty());
    assert!(e.secrets.is_empty(), "its secrets are gone");

    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/accounts/remove",
            &[("_csrf", &csrf), ("id", "lastfm-alice")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("there is no account `lastfm-alice`"));
}

#[tokio::test]
async fn every_page_renders_with_labels_and_the_step_bar() {
    let e = env();
    let r = send(&e.state, get(&e.state, "/")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/accounts", "no accounts yet");

    let r = send(&e.state, get(&e.state, "/accounts")).await;
    assert_eq!(r.status, StatusCode::OK);
    for needle in [
        "<label for=\"lastfm-api-key\">",
        "<label for=\"file-path\">",
        "name=\"_csrf\"",
        "aria-label=\"Wizard steps\"",
        "No accounts yet",
    ] {
        assert!(r.body.contains(needle), "accounts page lacks {needle}");
    }
    assert!(!r.body.contains("Demo mode"), "not a demo");

    let r = send(&e.state, get(&e.state, "/compare")).await;
    assert_eq!(r.status, StatusCode::OK);
    for needle in [
        "<label for=\"left-source\">",
        "<label for=\"right-playlist\">",
        "Add an account",
        "aria-current=\"page\"",
    ] {
        assert!(r.body.contains(needle), "compare page lacks {needle}");
    }

    let r = send(&e.state, get(&e.state, "/review")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "nothing compared yet");
    assert_eq!(r.headers[header::LOCATION], "/compare");

    let r = send(&e.state, get(&e.state, "/sync")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nothing has been synced yet."));

    let r = send(&e.state, get(&e.state, "/sync/report.json")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("there is no report"));

    let r = send(&e.state, get(&e.state, "/logs")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Logs</h1>"));

    for (uri, kind) in [
        ("/assets/app.css", "text/css"),
        ("/assets/app.js", "text/javascript"),
    ] {
        let r = send(&e.state, get(&e.state, uri)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
        assert!(r.body.len() > 1000, "{uri} is the embedded asset");
    }

    let r = send(&e.state, get(&e.state, "/api/jobs/99")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(&e.state, get(&e.state, "/api/playlists?source=nobody")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("there is no account `nobody`"));
}

#[tokio::test]
async fn comparing_needs_two_different_playlists_of_known_accounts() {
    let e = env();
    let csrf = e.state.csrf_token().to_owned();
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("left_source", "a")],
            "Choose an account on both sides first.",
        ),
        (
            &[
                ("left_source", "a"),
                ("right_source", "a"),
                ("left_playlist", "p"),
                ("right_playlist", "p"),
            ],
            "Both sides are the same playlist",
        ),
        (
            &[
                ("left_source", "a"),
                ("right_source", "b"),
                ("left_playlist", "p"),
                ("right_playlist", "q"),
            ],
            "there is no account `a`",
        ),
    ];
    for (fields, expected) in cases {
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let r = send(&e.state, post_form(&e.state, "/compare", &all)).await;
        assert!(r.status.is_client_error(), "{expected}: {}", r.status);
        assert!(r.body.contains(expected), "expected {expected:?}");
    }
    let r = send(&e.state, get(&e.state, "/compare")).await;
    assert!(!r.body.contains("data-job="), "no job was started");
}

#[tokio::test]
async fn the_saved_syncs_page_lists_runs_and_removes_pairs() {
    let e = env();
    let r = send(&e.state, get(&e.state, "/saved")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No saved syncs yet"), "{}", r.body);

    let left = e.dir.path().join("l.m3u8");
    std::fs::write(&left, "#EXTM3U\n#EXTINF:1,Band - Song\n/m/s.mp3\n").unwrap();
    let right = e.dir.path().join("r.m3u8");
    e.state
        .store()
        .add_pair(&musync_store::SavedPair {
            name: "nightly".into(),
            left: left.display().to_string(),
            right: right.display().to_string(),
            direction: "both".into(),
            removals: "keep".into(),
            created_ms: 0,
            last_run_ms: None,
            last_result: None,
        })
        .unwrap();
    let r = send(&e.state, get(&e.state, "/saved")).await;
    assert!(
        r.body.contains("nightly") && r.body.contains("never"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Run now") && r.body.contains("Remove"));

    let csrf = e.state.csrf_token().to_owned();
    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/saved/run",
            &[("_csrf", &csrf), ("name", "nightly")],
        ),
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert!(
        std::fs::read_to_string(&right)
            .unwrap()
            .contains("Band - Song")
    );
    let r = send(&e.state, get(&e.state, "/saved")).await;
    assert!(
        r.body.contains("1 added, 0 removed, 0 failed"),
        "{}",
        r.body
    );

    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/saved/remove",
            &[("_csrf", &csrf), ("name", "nope")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(
        &e.state,
        post_form(
            &e.state,
            "/saved/remove",
            &[("_csrf", &csrf), ("name", "nightly")],
        ),
    )
    .await;
    assert!(r.status.is_redirection());
    assert!(e.state.store().pairs().unwrap().is_empty());
}

/// issue 10: the demo is built from the registry: every service with a
/// fake has a ready account whose playlists list, and the others are named
/// with a reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_an_account_for_every_registry_entry_with_a_fake() {
    let run = super::util::demo().await;
    let accounts = run.state().store().accounts().unwrap();
    for info in musync_services::SERVICES {
        let name = info.kind.as_str();
        let skipped = musync_web::demo::NOT_IN_DEMO
            .iter()
            .find(|(n, _)| *n == name);
        let account = accounts.iter().find(|a| a.service.as_str() == name);
        match (skipped, account) {
            (Some((_, why)), _) => assert!(!why.is_empty(), "{name}"),
            (None, Some(a)) => {
                let service =
                    musync_services::open_account(a, run.state().secrets().clone()).expect("opens");
                let lists = service.playlists().await.expect("its playlists list");
                assert!(!lists.is_empty(), "{name} has playlists in the demo");
                assert!(!a.name.contains("127.0.0.1"), "{name} is named {}", a.name);
            }
            (None, None) => panic!("the demo has no {name} account and does not say why"),
        }
    }
    for kind in ["tidal", "ytmusic", "subsonic"] {
        assert!(
            accounts.iter().any(|a| a.service.as_str() == kind),
            "{kind} in the demo"
        );
    }
    run.shutdown().await.unwrap();
}
