//! "Move everything" over HTTP with folders (the simplest fakes): the
//! pairs (reused, created), a preview that writes nothing, the real move,
//! a second move that adds nothing, and bad input refused without writes.

use super::util::*;
use std::path::Path;

/// Every file of `dir` with its content, sorted.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Walks pairs → plan (`mode`) → review → run; returns the results page.
async fn move_all(
    c: &reqwest::Client,
    base: &str,
    csrf: &str,
    src: &str,
    dst: &str,
    mode: &str,
    runs: usize,
) -> String {
    let pairs = list_pairs(c, base, csrf, &[("library", "yes")], src, dst).await;
    assert!(pairs.contains("id=\"move-pairs\""), "{pairs}");
    plan_and_run(c, base, csrf, mode, runs).await
}

/// Chooses folder `src` → folder `dst` (plus `extra` fields) and waits for
/// the listed pairs; the pairs page.
async fn list_pairs(
    c: &reqwest::Client,
    base: &str,
    csrf: &str,
    extra: &[(&str, &str)],
    src: &str,
    dst: &str,
) -> String {
    let mut form = vec![("source_folder", src), ("target_folder", dst)];
    form.extend_from_slice(extra);
    let page = post(c, &format!("{base}/move"), csrf, &form)
        .await
        .text()
        .await
        .unwrap();
    finish_job(c, base, &page, "/move").await
}

/// From the listed pairs: plan (`mode`) → review → run; the results page.
async fn plan_and_run(
    c: &reqwest::Client,
    base: &str,
    csrf: &str,
    mode: &str,
    runs: usize,
) -> String {
    let page = post(c, &format!("{base}/move/plan"), csrf, &[("mode", mode)])
        .await
        .text()
        .await
        .unwrap();
    let review = finish_job(c, base, &page, "/move/review").await;
    assert!(review.contains("id=\"move-review\""), "{review}");
    let page = post(c, &format!("{base}/move/review"), csrf, &[("go", "run")])
        .await
        .text()
        .await
        .unwrap();
    let id = attr_after(&page, "data-move-job=", "data-move-job")
        .or_else(|| attr_after(&page, "data-job=", "data-job"))
        .expect("the run's job id");
    let job = wait_job(c, base, id).await;
    // Progress: one bar overall, then one per playlist, each complete.
    let bars = job["job"]["bars"].as_array().expect("bars");
    assert_eq!(bars[0]["label"], "Playlists done", "{job}");
    assert_eq!(bars[0]["done"], bars[0]["total"], "{job}");
    assert_eq!(
        bars.len(),
        1 + runs,
        "overall + one per playlist run: {job}"
    );
    assert!(bars[1..].iter().all(|b| b["done"] == b["total"]), "{job}");
    text(c, &format!("{base}/move/run")).await
}

/// The number in the results' `data-count` cell for `what`.
fn count(page: &str, what: &str) -> String {
    let at = page
        .find(&format!("data-count=\"{what}\">"))
        .unwrap_or_else(|| panic!("no {what} count"))
        + format!("data-count=\"{what}\">").len();
    page[at..].split('<').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_moves_into_a_folder_after_a_preview_that_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dst) = (dir.path().join("src"), dir.path().join("dst"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&dst).unwrap();
    csv_playlist(
        &src.join("Road Trip.csv"),
        &[
            ("Mr. Brightside", "The Killers"),
            ("Karma Police", "Radiohead"),
            ("Teardrop", "Massive Attack"),
        ],
    );
    csv_playlist(
        &src.join("Chill.csv"),
        &[("Glory Box", "Portishead"), ("Jóga", "Björk")],
    );
    csv_playlist(&dst.join("Chill.csv"), &[("Glory Box", "Portishead")]);
    let (run, c) = local(dir.path()).await;
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());
    let (src_s, dst_s) = (src.display().to_string(), dst.display().to_string());

    // The pairs: Chill reused, Road Trip created.
    let pairs = list_pairs(&c, &base, &csrf, &[], &src_s, &dst_s).await;
    let row = |name: &str| {
        let at = pairs
            .find(&format!("data-pair=\"{name}\""))
            .unwrap_or_else(|| panic!("{name}: {pairs}"));
        pairs[at..at + pairs[at..].find("</tr>").unwrap()].to_owned()
    };
    assert!(row("Chill").contains("reused"), "{}", row("Chill"));
    assert!(
        row("Road Trip").contains("a new playlist “Road Trip” is created"),
        "{}",
        row("Road Trip")
    );

    // The preview: counts, and not one byte written.
    let before = snapshot(&dst);
    let preview = move_all(&c, &base, &csrf, &src_s, &dst_s, "dry", 2).await;
    assert!(
        preview.contains("Preview done — nothing was written"),
        "{preview}"
    );
    assert_eq!(count(&preview, "added"), "4", "3 new + Jóga");
    assert!(preview.contains("would be new"));
    assert_eq!(snapshot(&dst), before, "a preview writes nothing");

    // For real: Road Trip created in source order, Jóga appended to Chill.
    let done = move_all(&c, &base, &csrf, &src_s, &dst_s, "move", 2).await;
    assert!(done.contains(">Done<"), "{done}");
    assert_eq!(count(&done, "added"), "4");
    assert_eq!(count(&done, "failed"), "0");
    let files = snapshot(&dst);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Chill.csv", "Road Trip.csv"]);
    let road = &files[1].1;
    let order: Vec<usize> = ["Mr. Brightside", "Karma Police", "Teardrop"]
        .iter()
        .map(|t| road.find(t).unwrap_or_else(|| panic!("{t} in {road}")))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "source order: {road}"
    );
    assert_eq!(
        files[0].1.matches("Glory Box").count(),
        1,
        "existing songs untouched"
    );
    assert!(files[0].1.contains("Jóga"));

    // Again: nothing left to add, nothing created twice.
    let again = move_all(&c, &base, &csrf, &src_s, &dst_s, "move", 2).await;
    assert_eq!(count(&again, "added"), "0", "{again}");
    assert_eq!(snapshot(&dst), files);
}

/// A playlist that cannot be read stops alone: the others move, its row
/// says which playlist and what to do, and nothing is written into it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_playlist_that_cannot_be_read_fails_alone_and_the_others_move() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dst) = (dir.path().join("src"), dir.path().join("dst"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&dst).unwrap();
    csv_playlist(
        &src.join("Road Trip.csv"),
        &[
            ("Mr. Brightside", "The Killers"),
            ("Karma Police", "Radiohead"),
        ],
    );
    csv_playlist(&src.join("Chill.csv"), &[("Glory Box", "Portishead")]);
    csv_playlist(&dst.join("Chill.csv"), &[("Jóga", "Björk")]);
    let (run, c) = local(dir.path()).await;
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());
    let (src_s, dst_s) = (src.display().to_string(), dst.display().to_string());
    list_pairs(&c, &base, &csrf, &[], &src_s, &dst_s).await;

    // Between the listing and the move, the target's Chill becomes
    // something musync cannot read.
    let broken = "\u{0}\u{1}PK not a playlist\n";
    std::fs::write(dst.join("Chill.csv"), broken).unwrap();
    let done = plan_and_run(&c, &base, &csrf, "move", 1).await;
    assert_eq!(count(&done, "added"), "2", "{done}");
    assert_eq!(count(&done, "failed"), "1", "{done}");
    assert!(done.contains("Chill"), "{done}");
    assert!(
        done.contains("run the same transfer again to retry it"),
        "says what to do: {done}"
    );
    assert_eq!(
        std::fs::read_to_string(dst.join("Chill.csv")).unwrap(),
        broken,
        "nothing written into the unreadable playlist"
    );
    let road = std::fs::read_to_string(dst.join("Road Trip.csv")).unwrap();
    assert!(road.contains("Mr. Brightside") && road.contains("Karma Police"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_choices_are_refused_with_a_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    csv_playlist(
        &src.join("Road Trip.csv"),
        &[("Mr. Brightside", "The Killers")],
    );
    let dst = dir.path().join("not-yet");
    let (run, c) = local(dir.path()).await;
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());
    let (src_s, dst_s) = (src.display().to_string(), dst.display().to_string());
    let refused = |fields: Vec<(&'static str, String)>, url: &'static str| {
        let c = c.clone();
        let (base, csrf) = (base.clone(), csrf.clone());
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = post(&c, &format!("{base}{url}"), &csrf, &f).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };

    let (status, body) = refused(vec![("target_folder", dst_s.clone())], "/move").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Choose the source account, or type a folder."),
        "{body}"
    );
    let (status, body) = refused(
        vec![
            ("source_folder", src_s.clone()),
            ("target_folder", src_s.clone()),
        ],
        "/move",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("the same"), "{body}");
    let (status, body) = refused(
        vec![
            ("source", "nobody".into()),
            ("target_folder", dst_s.clone()),
        ],
        "/move",
    )
    .await;
    assert_eq!(status, 404);
    assert!(body.contains("there is no account `nobody`"), "{body}");
    let (status, body) = refused(vec![("mode", "move".into())], "/move/plan").await;
    assert_eq!(status, 400);
    assert!(body.contains("Choose what to move first"), "{body}");
    let (status, body) = refused(vec![("go", "run".into())], "/move/review").await;
    assert_eq!(status, 400);
    assert!(body.contains("There is nothing to review"), "{body}");

    // Planned (preview), then answers that do not fit.
    list_pairs(&c, &base, &csrf, &[], &src_s, &dst_s).await;
    let (status, body) = refused(vec![("mode", "everything".into())], "/move/plan").await;
    assert_eq!(status, 400);
    assert!(body.contains("`everything` is not a way to move"), "{body}");
    let page = post(&c, &format!("{base}/move/plan"), &csrf, &[("mode", "move")])
        .await
        .text()
        .await
        .unwrap();
    finish_job(&c, &base, &page, "/move/review").await;
    let created = snapshot(&dst);
    assert_eq!(
        created.len(),
        1,
        "moving creates the target first: {created:?}"
    );
    let (status, body) = refused(
        vec![("s0-7", "c0".into()), ("go", "run".into())],
        "/move/review",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("not in this review (s0-7)"), "{body}");
    let (status, _) = refused(vec![("go", "sideways".into())], "/move/review").await;
    assert_eq!(status, 400);
    assert_eq!(snapshot(&dst), created, "refused answers add nothing");
    // The review is still there to answer.
    assert!(
        text(&c, &format!("{base}/move/review"))
            .await
            .contains("move-review")
    );
}
