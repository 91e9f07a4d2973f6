//! "Save this sync" at the end of the three steps, over HTTP with two
//! playlist files: the form carries both references, saving stores the
//! pair as `musync pairs add` does, and a duplicate name, a bad name or a
//! bad direction is refused with a message and nothing stored. On the way,
//! step 2 shows a file's songs as taken as they are, and the sync carries
//! each song's URI into the other file without remembering an answer.

use super::util::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_synced_pair_is_saved_once_and_bad_input_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    csv_playlist(
        &a,
        &[
            ("Mr. Brightside", "The Killers"),
            ("Karma Police", "Radiohead"),
        ],
    );
    csv_playlist(&b, &[("Karma Police", "Radiohead")]);
    // Where the song is (its URI) goes with it into the other file.
    let with_uri = std::fs::read_to_string(&a)
        .unwrap()
        .replace(",Mr. Brightside,", "spotify:track:mb,Mr. Brightside,");
    std::fs::write(&a, with_uri).unwrap();
    let (run, c) = local(dir.path()).await;
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());
    for path in [&a, &b] {
        let p = path.display().to_string();
        post(&c, &format!("{base}/accounts/file"), &csrf, &[("path", &p)]).await;
    }
    let store = run.state().store();
    let accounts = store.accounts().unwrap();
    let id = |name: &str| {
        accounts
            .iter()
            .find(|x| x.name == name)
            .unwrap()
            .id
            .to_string()
    };
    let playlist = |source: String| {
        let c = c.clone();
        let base = base.clone();
        async move {
            let v: serde_json::Value = c
                .get(format!("{base}/api/playlists?source={source}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["playlists"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    let (la, lb) = (id("a.csv"), id("b.csv"));
    let (pa, pb) = (playlist(la.clone()).await, playlist(lb.clone()).await);

    // The three steps.
    let fields = [
        ("left_source", la.as_str()),
        ("left_playlist", &pa),
        ("right_source", &lb),
        ("right_playlist", &pb),
    ];
    let page = post(&c, &format!("{base}/compare"), &csrf, &fields)
        .await
        .text()
        .await
        .unwrap();
    finish_job(&c, &base, &page, "/compare").await;
    let page = post(&c, &format!("{base}/review/start"), &csrf, &[])
        .await
        .text()
        .await
        .unwrap();
    let review = finish_job(&c, &base, &page, "/review").await;
    // A file is not searched: the song is taken as it is, not "not found".
    assert!(review.contains("taken as it is"), "{review}");
    assert!(review.contains(">Add as it is<"), "{review}");
    assert!(!review.contains("nothing found"), "{review}");
    assert!(review.contains("1 confident"), "{review}");
    let page = post(&c, &format!("{base}/review"), &csrf, &[("go", "sync")])
        .await
        .text()
        .await
        .unwrap();
    let report = finish_job(&c, &base, &page, "/sync").await;
    assert!(report.contains("Save this sync"), "{report}");
    assert!(
        store
            .decisions_for(&musync_engine::file_reference(&b))
            .unwrap()
            .is_empty(),
        "taking a song as it is remembers nothing"
    );
    assert!(
        std::fs::read_to_string(&b)
            .unwrap()
            .contains("spotify:track:mb,Mr. Brightside,The Killers"),
        "the song keeps its URI"
    );
    assert!(
        report.contains("<option value=\"both\" selected>"),
        "two writable files: both ways first"
    );
    let left = attr_after(&report, "name=\"left\"", "value")
        .unwrap()
        .to_owned();
    let right = attr_after(&report, "name=\"right\"", "value")
        .unwrap()
        .to_owned();
    assert_eq!(
        (left.as_str(), right.as_str()),
        (a.to_str().unwrap(), b.to_str().unwrap())
    );

    let save = |name: &'static str, direction: &'static str| {
        let c = c.clone();
        let (base, csrf, left, right) = (base.clone(), csrf.clone(), left.clone(), right.clone());
        async move {
            let f = [
                ("name", name),
                ("left", &left),
                ("right", &right),
                ("direction", direction),
                ("removals", "keep"),
            ];
            let r = post(&c, &format!("{base}/saved/add"), &csrf, &f).await;
            (
                r.status().as_u16(),
                r.url().path().to_owned(),
                r.text().await.unwrap(),
            )
        }
    };
    let (status, path, page) = save("road-trip", "to-right").await;
    assert_eq!((status, path.as_str()), (200, "/saved"), "{page}");
    assert!(page.contains("data-pair=\"road-trip\""), "{page}");
    let pairs = store.pairs().unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (pairs[0].left.as_str(), pairs[0].right.as_str()),
        (left.as_str(), right.as_str())
    );
    assert_eq!(
        (pairs[0].direction.as_str(), pairs[0].removals.as_str()),
        ("to-right", "keep")
    );

    let (status, _, page) = save("road-trip", "both").await;
    assert_eq!(status, 409);
    assert!(
        page.contains("a saved sync named &#39;road-trip&#39; already exists; nothing was saved")
            || page.contains("a saved sync named 'road-trip' already exists; nothing was saved"),
        "{page}"
    );
    let (status, _, page) = save("", "both").await;
    assert_eq!(status, 400);
    assert!(page.contains("is empty"), "{page}");
    let (status, _, page) = save("other", "sideways").await;
    assert_eq!(status, 400);
    assert!(page.contains("`sideways` is not a direction"), "{page}");
    let pairs = store.pairs().unwrap();
    assert_eq!(pairs.len(), 1, "nothing else stored");
    assert_eq!(
        pairs[0].direction, "to-right",
        "the duplicate changed nothing"
    );
}
