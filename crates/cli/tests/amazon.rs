//! Amazon Music end to end through its fake: cookies.txt sign-in, My Music
//! first in the playlist list, syncing from Amazon into a file, refusing to
//! sync into Amazon, and not one write request ever sent.

use crate::util::*;
use fake_amazon::{FakeAmazon, Library};

pub(crate) async fn signed_in(env: &mut Env, fake: &FakeAmazon) -> String {
    env.var("MUSYNC_AMAZON_URL", fake.base_url());
    let host = url_host(fake.base_url());
    let cookies = env.write("cookies.txt", &fake.cookies_txt(&host));
    let out = ok(env
        .run_async(&[
            "accounts",
            "add",
            "amazon",
            "--cookies",
            cookies.to_str().unwrap(),
            "--json",
        ])
        .await);
    json(&out)["id"].as_str().unwrap().to_owned()
}

fn url_host(base: &str) -> String {
    base.trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_is_read_from_and_never_written() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    assert!(id.starts_with("amazon-"), "{id}");

    let accounts = json(&ok(env.run_async(&["accounts", "list", "--json"]).await));
    assert_eq!(accounts[0]["read_only"], true);
    assert_eq!(accounts[0]["service"], "amazon");

    let playlists = json(&ok(env.run_async(&["playlists", &id, "--json"]).await));
    assert_eq!(playlists[0]["id"], "my-music");
    assert_eq!(playlists[0]["writable"], false);
    assert!(playlists.as_array().unwrap().len() > 1);

    let my_music = json(&ok(env
        .run_async(&["tracks", &format!("{id}:my-music"), "--json"])
        .await));
    let expected = fake.library().available_tracks().len();
    assert_eq!(my_music.as_array().unwrap().len(), expected);

    // Amazon → file works; file → Amazon is refused; both ways is one-way.
    let target = env.path("from-amazon.json");
    let synced = ok(env
        .run_async(&[
            "sync",
            &format!("{id}:my-music"),
            target.to_str().unwrap(),
            "--yes",
            "--json",
        ])
        .await);
    let v = json(&synced);
    // Every My Music song arrives once; a recording My Music holds twice
    // (album and compilation) is added once and the duplicate says why.
    let added = v["added"].as_u64().unwrap() as usize;
    let skipped: Vec<&serde_json::Value> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "skipped")
        .collect();
    assert_eq!(
        added + skipped.len(),
        expected,
        "{}",
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] != "skipped" && r["status"] != "added")
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        skipped
            .iter()
            .all(|r| r["reason"].as_str().unwrap().contains("same track")),
        "{skipped:?}"
    );
    let written = json(&ok(env
        .run_async(&["tracks", target.to_str().unwrap(), "--json"])
        .await));
    assert_eq!(written.as_array().unwrap().len(), added);
    let src = env.write(
        "src.csv",
        "Track Name,Artist Name(s)\nSomething New,Someone\n",
    );
    let refused = env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &format!("{id}:my-music"),
            "--direction",
            "to-right",
            "--yes",
        ])
        .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("Amazon Music is read-only in musync"),
        "{}",
        stderr(&refused)
    );
    let both = env
        .run_async(&[
            "sync",
            src.to_str().unwrap(),
            &format!("{id}:my-music"),
            "--yes",
            "--json",
        ])
        .await;
    assert!(both.status.success(), "{}", stderr(&both));
    assert!(
        json(&both)["notes"][0]
            .as_str()
            .unwrap()
            .contains("read-only")
    );

    for r in fake.requests() {
        if let Some(target) = r.target() {
            let op = target.rsplit('.').next().unwrap();
            assert!(
                op.starts_with("get") || op == "reportClientActions",
                "a non-read operation was sent to Amazon: {target}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_the_account_leaves_no_secret() {
    let fake = FakeAmazon::start(Library::sample()).await;
    let mut env = Env::new();
    let id = signed_in(&mut env, &fake).await;
    let secrets = env.data_dir().join("secrets.json");
    let before = read(&secrets);
    for v in fake.secret_values() {
        // Stored, so they are somewhere: but only in the 0600 secrets file.
        let db = std::fs::read(env.data_dir().join("musync.db")).unwrap();
        assert!(
            !String::from_utf8_lossy(&db).contains(&v),
            "a secret is in the database"
        );
    }
    assert!(before.contains(&id));
    ok(env.run_async(&["accounts", "remove", &id]).await);
    let after = std::fs::read_to_string(&secrets).unwrap_or_default();
    for v in fake.secret_values() {
        assert!(!after.contains(&v), "secret left behind after remove");
    }
}
