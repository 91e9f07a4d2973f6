//! The wizard over plain HTTP against the demo fakes, Amazon Music →
//! Spotify: unlinking a pair (remembered), the read-only side listed as
//! such, an uncertain row decided by hand, a bad choice refused without
//! writes, exactly the chosen tracks arriving at Spotify, the reports.

use super::util::*;
use musync_store::Decision;

const AMAZON: &str = "amazon-A1DEMO2LISTENER";
const ROAD_TRIP: &str = "6f1c8a52-demo-4c1e-9d0a-road00000001";

/// The review row index (`row-N`) of the song with this title.
fn row_of(review: &str, title: &str) -> String {
    let at = review
        .find(&format!("<span class=\"title\">{title}</span>"))
        .unwrap_or_else(|| panic!("{title} is not in the review"));
    let before = &review[..at];
    let row = before.rfind("data-row=\"").expect("row attribute") + 10;
    let end = before[row..].find('"').expect("end") + row;
    format!("row-{}", &before[row..end])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_to_spotify_over_http_with_unlink_review_and_reports() {
    let run = demo().await;
    let spotify = &run.demo().unwrap().spotify;
    let mix = run.demo().unwrap().spotify_playlist.clone();
    let before = spotify.playlist_items(&mix);
    let c = client();
    let base = run.base_url.as_str();
    let csrf = run.state().csrf_token().to_owned();
    let first = c.get(&run.url_with_token).send().await.unwrap();
    assert_eq!(first.url().path(), "/compare");

    // Step 1.
    let fields = [
        ("left_source", AMAZON),
        ("left_playlist", ROAD_TRIP),
        ("right_source", "spotify-demo"),
        ("right_playlist", mix.as_str()),
    ];
    let page = post(&c, &format!("{base}/compare"), &csrf, &fields)
        .await
        .text()
        .await
        .unwrap();
    let page = finish_job(&c, base, &page, "/compare").await;
    assert_eq!(page.matches("class=\"track both\"").count(), 4, "two pairs");
    // Wonderwall is paired; unlink it.
    let left_at = page
        .find("id=\"l-11\" data-peer=\"r-1\"")
        .expect("Wonderwall pairs l-11 with r-1");
    assert!(page[left_at..].contains("Wonderwall"));
    let r = post(
        &c,
        &format!("{base}/compare/unlink"),
        &csrf,
        &[("i", "11"), ("j", "1")],
    )
    .await;
    assert_eq!(r.url().path(), "/compare");
    let page = r.text().await.unwrap();
    assert_eq!(page.matches("class=\"track both\"").count(), 2);
    assert!(page.contains("<li class=\"track only\" id=\"l-11\""));
    let unlinked = run.state().store().unlinked().unwrap();
    assert!(!unlinked.is_empty());
    assert!(
        unlinked
            .iter()
            .all(|(a, b)| a.contains("wonderwall") && b.contains("wonderwall")),
        "{unlinked:?}"
    );
    // Remembered: a new comparison keeps them apart.
    let page = post(&c, &format!("{base}/compare"), &csrf, &fields)
        .await
        .text()
        .await
        .unwrap();
    let page = finish_job(&c, base, &page, "/compare").await;
    assert_eq!(page.matches("class=\"track both\"").count(), 2);

    // Step 2.
    let page = post(&c, &format!("{base}/review/start"), &csrf, &[])
        .await
        .text()
        .await
        .unwrap();
    let review = finish_job(&c, base, &page, "/review").await;
    // The songs only in Spotify go nowhere: Amazon Music is read-only.
    assert!(
        review.contains(
            "3 songs only in Spotify: Road trip mix, not searched: Amazon Music is read-only in musync."
        ),
        "{review}"
    );
    // issue 12: said once, not again as a note above the list.
    assert_eq!(
        review
            .matches("Amazon Music is read-only in musync")
            .count(),
        1,
        "the read-only notice appears once"
    );
    for song in ["Take On Me", "Blinding Lights"] {
        assert!(
            review.contains(&format!("<span class=\"title\">{song}</span>")),
            "{song}"
        );
    }
    let get_lucky = row_of(&review, "Get Lucky");
    let karma = row_of(&review, "Karma Police");
    let row_html = &review[review.find(&format!("name=\"{get_lucky}\"")).unwrap()..];
    let row_html = &row_html[..row_html.find("</tr>").unwrap()];
    assert!(
        row_html.contains("<option value=\"skip\" selected>Skip this time"),
        "uncertain: nothing preselected"
    );
    assert!(row_html.contains("Get Lucky - Radio Edit"));
    assert!(
        !row_html.contains("exact"),
        "Spotify only adds tracks of its catalogue"
    );

    // A choice that does not exist changes nothing.
    let target_ref = format!("spotify-demo:{mix}");
    let r = post(
        &c,
        &format!("{base}/review"),
        &csrf,
        &[
            (karma.as_str(), "dont"),
            (get_lucky.as_str(), "c99"),
            ("go", "sync"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("`c99` is not a choice for Daft Punk, Pharrell Williams - Get Lucky")
    );
    assert!(
        run.state()
            .store()
            .decisions_for(&target_ref)
            .unwrap()
            .is_empty()
    );
    assert_eq!(spotify.playlist_items(&mix), before);

    // Decide and sync.
    let r = post(
        &c,
        &format!("{base}/review"),
        &csrf,
        &[
            (karma.as_str(), "dont"),
            (get_lucky.as_str(), "c0"),
            ("go", "sync"),
        ],
    )
    .await;
    assert_eq!(r.url().path(), "/sync");
    let page = r.text().await.unwrap();
    // The sync may finish before its page is drawn: then the page shows
    // the results (and the job that made them) instead of a job panel.
    let (sync_job, done) = match attr_after(&page, "data-job=", "data-job") {
        Some(id) => (id.to_owned(), finish_job(&c, base, &page, "/sync").await),
        None => (
            attr_after(&page, "data-sync-job=", "data-sync-job")
                .expect("the finished page names its job")
                .to_owned(),
            page.clone(),
        ),
    };
    assert!(done.contains("<h2 id=\"summary-h\">Done</h2>"));

    let report: serde_json::Value = c
        .get(format!("{base}/sync/report.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in [
        "results",
        "added",
        "would_add",
        "skipped",
        "not_found",
        "failed",
        "notes",
    ] {
        assert!(report.get(key).is_some(), "the CLI's report has {key}");
    }
    let results = report["results"].as_array().unwrap();
    // The live rows the page polled are the report's rows, one per song.
    let live: serde_json::Value = c
        .get(format!("{base}/api/jobs/{sync_job}?after=0"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(live["new_rows"].as_array().unwrap().len(), results.len());
    let last: serde_json::Value = c
        .get(format!(
            "{base}/api/jobs/{sync_job}?after={}",
            results.len() - 1
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(last["new_rows"].as_array().unwrap().len(), 1);
    let added: Vec<String> = results
        .iter()
        .filter(|r| r["status"] == "added")
        .map(|r| r["target"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(report["added"], added.len());
    assert!(added.len() >= 5, "{report}");
    let mut expected = before.clone();
    expected.extend(added.iter().cloned());
    assert_eq!(
        spotify.playlist_items(&mix),
        expected,
        "exactly the chosen tracks, in order"
    );
    let by_title = |t: &str| {
        results
            .iter()
            .find(|r| r["source"]["title"] == t)
            .unwrap_or_else(|| panic!("{t}"))
    };
    assert_eq!(by_title("Get Lucky")["status"], "added");
    assert_eq!(
        by_title("Get Lucky")["target"]["title"],
        "Get Lucky - Radio Edit"
    );
    assert_eq!(by_title("Karma Police")["status"], "skipped");
    assert_eq!(
        by_title("Karma Police")["reason"],
        "don't sync (remembered)"
    );
    assert_eq!(
        by_title("Wonderwall")["status"],
        "skipped",
        "already there: never added twice"
    );
    assert_eq!(by_title("Ça plane pour moi")["status"], "not_found");
    assert!(
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("read-only"))
    );

    // Answers given by a person are remembered.
    let decisions = run.state().store().decisions_for(&target_ref).unwrap();
    assert_eq!(decisions.len(), 2, "{decisions:?}");
    assert!(decisions.values().any(|d| *d == Decision::DontSync));
    assert!(
        decisions
            .values()
            .any(|d| matches!(d, Decision::Chosen(t) if t.title == "Get Lucky - Radio Edit"))
    );

    let csv = c
        .get(format!("{base}/sync/report.csv"))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + results.len());
    assert!(csv.contains("skipped,Amazon Music: Road trip,Spotify: Road trip mix,Karma Police,Radiohead,OK Computer,,,,don't sync (remembered)"));

    // issue 10: a plan runs once. Back from step 3 leads to step 1 (which
    // reads both sides again), and posting "Sync" again adds nothing.
    let runs_before = run.state().store().runs(50).unwrap().len();
    let back = c.get(format!("{base}/review")).send().await.unwrap();
    assert_eq!(back.url().path(), "/compare");
    let again = post(&c, &format!("{base}/review"), &csrf, &[("go", "sync")]).await;
    assert_eq!(again.url().path(), "/compare");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        run.state().store().runs(50).unwrap().len(),
        runs_before,
        "no second run"
    );
    run.shutdown().await.unwrap();
}

/// Polls job `id` until it shows an address to open.
async fn wait_url(c: &reqwest::Client, base: &str, id: &str) -> String {
    for _ in 0..400 {
        let v: serde_json::Value = c
            .get(format!("{base}/api/jobs/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(url) = v["job"]["url"].as_str() {
            return url.to_owned();
        }
        assert_eq!(v["job"]["state"], "running", "{v}");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("job {id} never showed an address");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_run_in_the_background_and_show_the_address_to_open() {
    let run = demo().await;
    let demo_fakes = run.demo().unwrap();
    let c = client();
    let base = run.base_url.as_str();
    let csrf = run.state().csrf_token().to_owned();
    c.get(&run.url_with_token).send().await.unwrap();
    let store = run.state().store();

    // Last.fm: the page shows the approval address and waits in the background.
    post(
        &c,
        &format!("{base}/accounts/remove"),
        &csrf,
        &[("id", "lastfm-demo")],
    )
    .await;
    assert!(store.account(&"lastfm-demo".into()).unwrap().is_none());
    let page = post(
        &c,
        &format!("{base}/accounts/add/lastfm"),
        &csrf,
        &[
            ("api-key", fake_lastfm::DEMO_API_KEY),
            ("api-secret", fake_lastfm::DEMO_API_SECRET),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("Signing in to Last.fm"));
    let id = attr_after(&page, "data-job=", "data-job")
        .unwrap()
        .to_owned();
    let url = wait_url(&c, base, &id).await;
    assert!(
        url.starts_with(&demo_fakes.lastfm.auth_url()) && url.contains("token="),
        "{url}"
    );
    let status = wait_job(&c, base, &id).await;
    assert_eq!(status["job"]["state"], "done", "{status}");
    assert!(store.account(&"lastfm-demo".into()).unwrap().is_some());
    let lists: serde_json::Value = c
        .get(format!("{base}/api/playlists?source=lastfm-demo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        lists["playlists"][0]["id"], "loved",
        "the new sign-in works"
    );

    // Spotify: the test is the person who opens the address and agrees.
    post(
        &c,
        &format!("{base}/accounts/remove"),
        &csrf,
        &[("id", "spotify-demo")],
    )
    .await;
    let page = post(
        &c,
        &format!("{base}/accounts/add/spotify"),
        &csrf,
        &[("client-id", fake_spotify::TEST_CLIENT_ID)],
    )
    .await
    .text()
    .await
    .unwrap();
    let id = attr_after(&page, "data-job=", "data-job")
        .unwrap()
        .to_owned();
    let url = wait_url(&c, base, &id).await;
    assert!(
        url.starts_with(&format!("{}/authorize?", demo_fakes.spotify.accounts_url())),
        "{url}"
    );
    let person = reqwest::Client::new();
    let consent = person.get(&url).send().await.unwrap().text().await.unwrap();
    let link = consent
        .split('"')
        .find(|part| part.starts_with("/authorize/decide?") && part.ends_with("approve=true"))
        .expect("an Agree link");
    let back = person
        .get(format!("{}{link}", demo_fakes.spotify.accounts_url()))
        .send()
        .await
        .unwrap();
    assert!(
        back.status().is_success(),
        "the loopback page answers: {}",
        back.status()
    );
    let status = wait_job(&c, base, &id).await;
    assert_eq!(status["job"]["state"], "done", "{status}");
    assert!(store.account(&"spotify-demo".into()).unwrap().is_some());
    // issue 12: once done, the card no longer asks to allow musync.
    let accounts = text(&c, &format!("{base}/accounts")).await;
    assert!(accounts.contains("<span class=\"badge done\">done</span>"));
    assert!(
        accounts.contains("<div class=\"open-url\" data-url hidden>"),
        "the sign-in address is hidden once done"
    );

    // Amazon from a cookies.txt.
    let dir = tempfile::tempdir().unwrap();
    let cookies = dir.path().join("cookies.txt");
    std::fs::write(&cookies, demo_fakes.amazon.cookies_txt("127.0.0.1")).unwrap();
    post(
        &c,
        &format!("{base}/accounts/remove"),
        &csrf,
        &[("id", AMAZON)],
    )
    .await;
    let page = post(
        &c,
        &format!("{base}/accounts/add/amazon"),
        &csrf,
        &[("cookies", cookies.to_str().unwrap())],
    )
    .await
    .text()
    .await
    .unwrap();
    let id = attr_after(&page, "data-job=", "data-job")
        .unwrap()
        .to_owned();
    assert_eq!(wait_job(&c, base, &id).await["job"]["state"], "done");
    assert!(store.account(&AMAZON.into()).unwrap().is_some());

    // A failed sign-in says why on the accounts page and stores nothing.
    let before = store.accounts().unwrap().len();
    let page = post(
        &c,
        &format!("{base}/accounts/add/lastfm"),
        &csrf,
        &[
            ("api-key", fake_lastfm::DEMO_API_KEY),
            ("api-secret", "not-the-secret"),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    let id = attr_after(&page, "data-job=", "data-job")
        .unwrap()
        .to_owned();
    let status = wait_job(&c, base, &id).await;
    assert_eq!(status["job"]["state"], "failed");
    let error = status["job"]["error"].as_str().unwrap().to_owned();
    assert!(error.starts_with("Last.fm: "), "{error}");
    let accounts = text(&c, &format!("{base}/accounts")).await;
    assert!(
        accounts.contains(&error.replace('\'', "&#39;")) || accounts.contains(&error),
        "the reason is shown"
    );
    assert_eq!(store.accounts().unwrap().len(), before);
    run.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_service_shows_what_went_wrong_and_what_to_do() {
    let run = demo().await;
    run.demo()
        .unwrap()
        .amazon
        .set_mode(fake_amazon::Mode::Expired { status: 401 });
    let c = client();
    let base = run.base_url.as_str();
    let csrf = run.state().csrf_token().to_owned();
    c.get(&run.url_with_token).send().await.unwrap();
    let page = post(
        &c,
        &format!("{base}/compare"),
        &csrf,
        &[
            ("left_source", AMAZON),
            ("left_playlist", ROAD_TRIP),
            ("right_source", "lastfm-demo"),
            ("right_playlist", "loved"),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    let id = attr_after(&page, "data-job=", "data-job")
        .unwrap()
        .to_owned();
    let status = wait_job(&c, base, &id).await;
    assert_eq!(status["job"]["state"], "failed", "{status}");
    let error = status["job"]["error"].as_str().unwrap();
    assert!(error.starts_with("Amazon Music: "), "{error}");
    let hint = status["job"]["hint"].as_str().expect("a remedy");
    assert!(hint.contains("musync accounts add amazon"), "{hint}");
    let page = text(&c, &format!("{base}/compare")).await;
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("What to do: "));
    assert!(
        !page.contains("class=\"list-pane\""),
        "no lists without both playlists"
    );
    run.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_demo_the_wizard_uses_the_data_dir_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("musync");
    let run = musync_web::start(musync_web::UiOptions {
        data_dir: data.clone(),
        port: 0,
        open_browser: false,
        demo: false,
    })
    .await
    .expect("starts");
    assert!(run.demo().is_none());
    assert!(
        data.join(musync_store::DB_FILE).is_file(),
        "the user's state database"
    );
    assert!(run.url_with_token.starts_with("http://127.0.0.1:"));
    assert!(
        run.url_with_token
            .ends_with(&format!("/?token={}", run.token))
    );
    let c = client();
    let page = c.get(&run.url_with_token).send().await.unwrap();
    assert_eq!(page.url().path(), "/accounts", "no accounts yet");
    let body = page.text().await.unwrap();
    assert!(!body.contains("Demo mode"));
    let base = run.base_url.clone();
    run.shutdown().await.expect("clean shutdown");
    assert!(
        c.get(format!("{base}/accounts")).send().await.is_err(),
        "nothing listens any more"
    );
}

/// issue 12 item 5: an unlink and a remembered "Don't sync" can be taken
/// back in the wizard; forgetting on the review page asks about the song
/// again at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlinks_and_remembered_answers_can_be_taken_back() {
    let run = demo().await;
    let mix = run.demo().unwrap().spotify_playlist.clone();
    let c = client();
    let base = run.base_url.as_str();
    let csrf = run.state().csrf_token().to_owned();
    c.get(&run.url_with_token).send().await.unwrap();
    let fields = [
        ("left_source", AMAZON),
        ("left_playlist", ROAD_TRIP),
        ("right_source", "spotify-demo"),
        ("right_playlist", mix.as_str()),
    ];
    let compare = async || {
        let page = post(&c, &format!("{base}/compare"), &csrf, &fields)
            .await
            .text()
            .await
            .unwrap();
        finish_job(&c, base, &page, "/compare").await
    };
    compare().await;

    // Unlink Wonderwall, then take it back.
    let pair = [("i", "11"), ("j", "1")];
    let page = post(&c, &format!("{base}/compare/unlink"), &csrf, &pair)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(page.matches("class=\"track both\"").count(), 2);
    assert!(page.contains("aria-label=\"Relink Wonderwall with Wonderwall\""));
    // Remembered: the next comparison offers the relink too.
    let page = compare().await;
    assert!(page.contains("action=\"/compare/relink\""), "{page}");
    let page = post(&c, &format!("{base}/compare/relink"), &csrf, &pair)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches("class=\"track both\"").count(),
        4,
        "paired again"
    );
    assert!(!page.contains("action=\"/compare/relink\""));
    assert!(run.state().store().unlinked().unwrap().is_empty());
    let r = post(&c, &format!("{base}/compare/relink"), &csrf, &pair).await;
    assert_eq!(r.status(), 400, "not unlinked any more");

    // Say "Don't sync" to Karma Police and sync.
    let page = post(&c, &format!("{base}/review/start"), &csrf, &[])
        .await
        .text()
        .await
        .unwrap();
    let review = finish_job(&c, base, &page, "/review").await;
    let karma = row_of(&review, "Karma Police");
    let r = post(
        &c,
        &format!("{base}/review"),
        &csrf,
        &[(karma.as_str(), "dont"), ("go", "sync")],
    )
    .await;
    let page = r.text().await.unwrap();
    if attr_after(&page, "data-job=", "data-job").is_some() {
        finish_job(&c, base, &page, "/sync").await;
    }
    let target = format!("spotify-demo:{mix}");
    let remembered = run.state().store().decisions_for(&target).unwrap();
    assert_eq!(remembered.len(), 1, "{remembered:?}");
    let key = remembered.keys().next().unwrap().clone();

    // The decisions page lists it, even after the sync.
    let page = text(&c, &format!("{base}/decisions")).await;
    assert!(page.contains("Going into Spotify: Road trip mix"), "{page}");
    assert!(page.contains("<td>Radiohead - Karma Police</td>"), "{page}");
    assert!(page.contains("<td>Don't sync</td>"), "{page}");

    // On the review page the remembered row has its own Forget.
    compare().await;
    let page = post(&c, &format!("{base}/review/start"), &csrf, &[])
        .await
        .text()
        .await
        .unwrap();
    let review = finish_job(&c, base, &page, "/review").await;
    let karma_row = &review[review
        .find("<span class=\"title\">Karma Police</span>")
        .unwrap()..];
    let karma_row = &karma_row[..karma_row.find("</tr>").unwrap()];
    assert!(karma_row.contains("remembered"), "{karma_row}");
    assert!(karma_row.contains(">Forget</button>"), "{karma_row}");
    // Keep a choice made on the page across the new search.
    let get_lucky = row_of(&review, "Get Lucky");
    post(
        &c,
        &format!("{base}/review"),
        &csrf,
        &[(get_lucky.as_str(), "c0"), ("go", "confident")],
    )
    .await;

    let r = post(
        &c,
        &format!("{base}/decisions/forget"),
        &csrf,
        &[
            ("target", target.as_str()),
            ("key", key.as_str()),
            ("next", "/review"),
        ],
    )
    .await;
    assert_eq!(r.url().path(), "/review");
    let page = r.text().await.unwrap();
    assert!(page.contains("Forgot 1 remembered answer;"), "{page}");
    assert!(
        run.state()
            .store()
            .decisions_for(&target)
            .unwrap()
            .is_empty()
    );
    let review = finish_job(&c, base, &page, "/review").await;
    let karma = row_of(&review, "Karma Police");
    assert!(
        review.contains(&format!("name=\"{karma}\"")),
        "Karma Police is a question again"
    );
    let get_lucky = row_of(&review, "Get Lucky");
    let row_html = &review[review.find(&format!("name=\"{get_lucky}\"")).unwrap()..];
    let row_html = &row_html[..row_html.find("</select>").unwrap()];
    assert!(
        row_html.contains("<option value=\"c0\" selected"),
        "the choice made before the new search is kept"
    );

    // Forgetting what is not remembered says so and changes nothing.
    let r = post(
        &c,
        &format!("{base}/decisions/forget"),
        &csrf,
        &[("target", target.as_str()), ("key", key.as_str())],
    )
    .await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("forgotten already?"));
    run.shutdown().await.unwrap();
}
