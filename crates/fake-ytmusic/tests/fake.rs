//! The fake's own rules, seen by a raw HTTP client: authorisation checks,
//! paging, the dedupe rule, the creation throttle, cookie rotation and the
//! dead session.

use fake_ytmusic::{FakeYtMusic, Video, auth::sapisid_hash};
use serde_json::{Value, json};

struct Client {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Client {
    fn new(fake: &FakeYtMusic) -> Client {
        let st = fake.state();
        let cookie = st
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        Client {
            http: reqwest::Client::new(),
            base: fake.base_url().to_owned(),
            cookie,
        }
    }

    async fn post_raw(&self, path: &str, body: Value, signed: bool) -> reqwest::Response {
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            .to_string();
        let mut body = body;
        body["context"] =
            json!({"client": {"clientName": "WEB_REMIX", "clientVersion": "1.20261202.01.00"}});
        let mut req = self
            .http
            .post(format!("{}/youtubei/v1/{path}", self.base))
            .header("Cookie", &self.cookie)
            .header("Origin", &self.base)
            .header("X-Origin", &self.base)
            .header("X-Goog-AuthUser", "0")
            .json(&body);
        if signed {
            let hash = sapisid_hash(&ts, "fakeSAPISID/Asapisid0001", &self.base);
            req = req.header("Authorization", format!("SAPISIDHASH {ts}_{hash}"));
        }
        req.send().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let r = self.post_raw(path, body, true).await;
        assert!(r.status().is_success(), "{}", r.status());
        r.json().await.unwrap()
    }
}

fn logged_in(v: &Value) -> &str {
    v["responseContext"]["serviceTrackingParams"][1]["params"][0]["value"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn an_unsigned_request_is_refused_and_a_signed_one_served() {
    let fake = FakeYtMusic::start().await;
    let c = Client::new(&fake);
    let r = c
        .post_raw(
            "browse",
            json!({"browseId": "FEmusic_liked_playlists"}),
            false,
        )
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(fake.auth_failures(), vec!["no Authorization header"]);
    let v = c
        .post("browse", json!({"browseId": "FEmusic_liked_playlists"}))
        .await;
    assert_eq!(logged_in(&v), "1");
    let items = &v["contents"]["singleColumnBrowseResultsRenderer"]["tabs"][0]["tabRenderer"]["content"]
        ["sectionListRenderer"]["contents"][0]["gridRenderer"]["items"];
    assert_eq!(
        items.as_array().unwrap().len(),
        2,
        "New playlist + Liked Music"
    );
}

#[tokio::test]
async fn a_batch_with_a_duplicate_is_refused_whole() {
    let fake = FakeYtMusic::start().await;
    let a = fake.add_video(Video::song("A", &["X"], "Al", 100));
    let b = fake.add_video(Video::song("B", &["X"], "Al", 100));
    let p = fake.add_playlist("P", true, std::slice::from_ref(&a));
    let c = Client::new(&fake);
    let add = |v: &str| json!({"action": "ACTION_ADD_VIDEO", "addedVideoId": v});
    let v = c
        .post(
            "browse/edit_playlist",
            json!({"playlistId": p, "actions": [add(&b), add(&a)]}),
        )
        .await;
    assert_eq!(v["status"], "STATUS_FAILED");
    assert_eq!(fake.playlist_items(&p), vec![a.clone()]);
    let v = c
        .post(
            "browse/edit_playlist",
            json!({"playlistId": p, "actions": [add(&b)]}),
        )
        .await;
    assert_eq!(v["status"], "STATUS_SUCCEEDED");
    assert_eq!(fake.playlist_items(&p), vec![a, b]);
}

#[tokio::test]
async fn creation_is_throttled_and_cookies_rotate_and_sessions_die() {
    let fake = FakeYtMusic::start().await;
    fake.throttle_creation_after(1, 400);
    let c = Client::new(&fake);
    c.post("playlist/create", json!({"title": "One"})).await;
    let r = c
        .post_raw("playlist/create", json!({"title": "Two"}), true)
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("too many playlists"));

    fake.rotate_cookies_every(1);
    let r = c
        .post_raw(
            "browse",
            json!({"browseId": "FEmusic_liked_playlists"}),
            true,
        )
        .await;
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("SIDCC=AKEyXzrotated000001"))
    );
    // The old SIDCC is accepted once more, then the session is gone.
    c.post("browse", json!({"browseId": "FEmusic_liked_playlists"}))
        .await;
    let v = c
        .post("browse", json!({"browseId": "FEmusic_liked_playlists"}))
        .await;
    assert_eq!(logged_in(&v), "0");

    fake.set_signed_out(true);
    let v = Client::new(&fake)
        .post("browse", json!({"browseId": "VLLM"}))
        .await;
    assert_eq!(logged_in(&v), "0", "a dead session answers 200, signed out");
}
