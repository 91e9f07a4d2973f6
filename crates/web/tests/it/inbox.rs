//! The review inbox over HTTP: questions of saved syncs shown with their
//! numbered candidates, answers stored as remembered decisions exactly as
//! `musync review` stores them (and the question gone), skip keeping a
//! question, and bad answers refused with a message and nothing written.

use super::util::*;
use musync_core::Track;
use musync_store::{Decision, PendingQuestion, SavedPair, Store};

const TARGET: &str = "spotify-demo:mix";

fn question(key: &str, title: &str, candidates: &[&str]) -> PendingQuestion {
    let candidates: Vec<serde_json::Value> = candidates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({
                "track": Track::new(*t, "Nirvana").with_id(format!("sp:{i}:{key}")),
                "score": 0.6 - i as f32 * 0.1,
                "reason": "title differs",
            })
        })
        .collect();
    PendingQuestion {
        pair: "nightly".into(),
        from: "left".into(),
        source_key: key.into(),
        target_ref: TARGET.into(),
        source: Track::new(title, "Nirvana"),
        candidates: serde_json::Value::Array(candidates),
        unlisted: false,
    }
}

fn seed(store: &Store) {
    store
        .add_pair(&SavedPair {
            name: "nightly".into(),
            left: "amazon:road".into(),
            right: TARGET.into(),
            direction: "to-right".into(),
            removals: "keep".into(),
            created_ms: 1,
            last_run_ms: None,
            last_result: None,
        })
        .unwrap();
    store
        .replace_pending(
            "nightly",
            &[
                question("k1", "Lithium", &["Lithium - Live", "Lithium (Remastered)"]),
                question("k2", "Polly", &["Polly - Unplugged"]),
            ],
        )
        .unwrap();
}

fn id(key: &str) -> String {
    serde_json::json!(["nightly", "left", key]).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_remembered_like_musync_review_and_bad_ones_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (run, c) = local(dir.path()).await;
    let store = run.state().store();
    seed(store);
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());

    let saved = text(&c, &format!("{base}/saved")).await;
    assert!(
        saved.contains("href=\"/saved/inbox?pair=nightly\">2 to answer"),
        "{saved}"
    );
    let inbox = text(&c, &format!("{base}/saved/inbox?pair=nightly")).await;
    for shown in [
        "Lithium - Live",
        "Lithium (Remastered)",
        "Polly - Unplugged",
        "2 waiting",
        "Don't sync (remember)",
    ] {
        assert!(inbox.contains(shown), "{shown}: {inbox}");
    }
    assert!(
        inbox.contains("<span class=\"num\">2</span>"),
        "numbered from 1"
    );

    let unknown = c
        .get(format!("{base}/saved/inbox?pair=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("there is no saved sync named 'nope'")
    );

    let refused = |fields: Vec<(&'static str, String)>| {
        let c = c.clone();
        let (base, csrf) = (base.clone(), csrf.clone());
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = post(&c, &format!("{base}/saved/inbox"), &csrf, &f).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // k2 answered well, k1 out of range: nothing is stored.
    let (status, body) = refused(vec![
        ("q0", id("k2")),
        ("a0", "c0".into()),
        ("q1", id("k1")),
        ("a1", "c2".into()),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains(
            "`c2` is not an answer for Nirvana - Lithium (2 candidates); nothing was saved"
        ),
        "{body}"
    );
    let (status, body) = refused(vec![("q0", id("k1")), ("a0", "exact".into())]).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = refused(vec![("q0", id("k9")), ("a0", "c0".into())]).await;
    assert_eq!(status, 400);
    assert!(body.contains("answered meanwhile"), "{body}");
    assert_eq!(
        store.pending_count("nightly").unwrap(),
        2,
        "nothing answered"
    );
    assert_eq!(
        store.decision("k2", TARGET).unwrap(),
        None,
        "nothing remembered"
    );

    // The second candidate for Lithium; Polly skipped this time.
    let page = post(
        &c,
        &format!("{base}/saved/inbox"),
        &csrf,
        &[
            ("pair", "nightly"),
            ("q0", &id("k1")),
            ("a0", "c1"),
            ("q1", &id("k2")),
            ("a1", "skip"),
        ],
    )
    .await;
    assert_eq!(page.url().path(), "/saved/inbox");
    let page = page.text().await.unwrap();
    assert!(page.contains("1 answer saved"), "{page}");
    assert!(
        !page.contains("Lithium - Live"),
        "answered: gone from the inbox"
    );
    assert!(page.contains("Polly - Unplugged"), "skipped: still asked");
    let chosen = Track::new("Lithium (Remastered)", "Nirvana").with_id("sp:1:k1");
    assert_eq!(
        store.decision("k1", TARGET).unwrap(),
        Some(Decision::Chosen(chosen))
    );

    let page = post(
        &c,
        &format!("{base}/saved/inbox"),
        &csrf,
        &[("q0", &id("k2")), ("a0", "dont")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("Nothing to review"), "{page}");
    assert_eq!(
        store.decision("k2", TARGET).unwrap(),
        Some(Decision::DontSync)
    );
    assert_eq!(store.pending_count("nightly").unwrap(), 0);
}
