//! "Move everything" and the review inbox in headless Chromium against the
//! demo fakes: Amazon Music → Spotify previewed (the fake unchanged), then
//! moved with one uncertain song chosen by hand; a saved sync run, its
//! question answered in the inbox, applied by the next run. Screenshots at
//! 1280 and 800 px go to `artifacts/ui/`.

use super::browser::*;
use super::util::{demo, finish_job, post};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use fake_spotify::FakeSpotify;
use musync_store::SavedPair;

const AMAZON: &str = "amazon-A1DEMO2LISTENER";
const ROAD_TRIP: &str = "6f1c8a52-demo-4c1e-9d0a-road00000001";

/// Every Spotify playlist (name and items) and the liked songs.
fn spotify_now(fake: &FakeSpotify) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let ids: Vec<(String, String)> = fake
        .state()
        .playlists
        .values()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    let mut lists: Vec<(String, Vec<String>)> = ids
        .into_iter()
        .map(|(id, name)| (name, fake.playlist_items(&id)))
        .collect();
    lists.sort();
    (lists, fake.liked(musync_web::demo::DEMO_USER))
}

/// Screenshots at 1280 px, then 800 px wide (and back).
async fn shots(page: &Page, name: &str) {
    screenshot(page, &format!("{name}-1280")).await;
    let narrow = SetDeviceMetricsOverrideParams::new(800, 900, 1.0, false);
    page.execute(narrow).await.expect("800 px");
    screenshot(page, &format!("{name}-800")).await;
    let wide = SetDeviceMetricsOverrideParams::new(1280, 900, 1.0, false);
    page.execute(wide).await.expect("1280 px");
}

/// Waits until no job on the page runs.
async fn settled(page: &Page, what: &str, marker: &str) {
    until(
        page,
        what,
        &format!("document.querySelector({marker:?}) && !document.querySelector('[data-job][data-state=running]')"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_everything_from_amazon_to_spotify_in_chromium() {
    let run = demo().await;
    let fake = &run.demo().expect("demo").spotify;
    let before = spotify_now(fake);
    let chrome = Chrome::launch().await;
    let page = chrome.page(&run.url_with_token).await;
    until(&page, "the wizard", "location.pathname === '/compare'").await;
    click_and_load(&page, "a.move-link").await;
    choose(&page, "#source", AMAZON).await;
    choose(&page, "#target", "spotify-demo").await;
    click_and_load(&page, "#move-list").await;
    settled(&page, "the playlist pairs", "#move-pairs").await;
    let pairs: String = js(&page, "document.getElementById('move-pairs').innerText").await;
    assert!(pairs.contains("Road trip"), "{pairs}");
    assert!(pairs.contains("library → library"), "{pairs}");
    shots(&page, "move-pairs").await;

    // The preview: the review, the results, and Spotify untouched.
    click_and_load(&page, "#move-preview").await;
    settled(&page, "the review", "#move-review").await;
    let uncertain: usize = js(
        &page,
        "document.querySelectorAll('#move-review select').length",
    )
    .await;
    assert!(uncertain > 0, "the demo has uncertain songs");
    shots(&page, "move-review").await;
    click_and_load(&page, "#move-run").await;
    settled(&page, "the preview's results", "#move-results").await;
    let head: String = js(&page, "document.getElementById('moved-h').innerText").await;
    assert_eq!(head, "Preview done — nothing was written");
    let would: u64 = js(
        &page,
        "+document.querySelector('[data-count=added]').innerText",
    )
    .await;
    assert!(would > 0);
    assert_eq!(spotify_now(fake), before, "a preview writes nothing");
    shots(&page, "move-preview-results").await;

    // For real, choosing the first candidate of Road trip's first uncertain song.
    click_and_load(&page, "#move-for-real").await;
    settled(&page, "the review", "#move-review").await;
    let choice: String = js(&page, "(() => { const road = [...document.querySelectorAll('#move-review section')].find(x => x.querySelector('h2').innerText.startsWith('Road trip')); const s = road.querySelector('select'); s.value = 'c0'; return s.options[0].text; })()").await;
    let chosen_title = choice.split(" — ").next().unwrap().to_owned();
    // One rate-limited answer holds the run for a moment: the live view.
    fake.faults()
        .fail_next(musync_testkit::Fault::RateLimited(Some(3)), 1);
    click_and_load(&page, "#move-run").await;
    if js::<bool>(
        &page,
        "!!document.querySelector('[data-job][data-state=running]')",
    )
    .await
    {
        let bars: usize = js(
            &page,
            "document.querySelectorAll('[data-bars] .bar').length",
        )
        .await;
        assert!(bars >= 2, "overall and per-playlist bars");
        shots(&page, "move-running").await;
    }
    settled(&page, "the results", "#move-results").await;
    let added: u64 = js(
        &page,
        "+document.querySelector('[data-count=added]').innerText",
    )
    .await;
    assert!(added > 0);
    let failed: u64 = js(
        &page,
        "+document.querySelector('[data-count=failed]').innerText",
    )
    .await;
    assert_eq!(failed, 0);
    shots(&page, "move-results").await;
    let (lists, _) = spotify_now(fake);
    let road = lists
        .iter()
        .find(|(name, _)| name == "Road trip")
        .expect("Road trip was created in Spotify");
    assert!(!road.1.is_empty());
    let catalogue_has = |title: &str| {
        let st = fake.state();
        road.1.iter().any(|uri| {
            st.catalogue
                .tracks
                .iter()
                .any(|t| &t.uri() == uri && t.name == title)
        })
    };
    assert!(
        catalogue_has(&chosen_title),
        "{chosen_title} was added as chosen"
    );
    chrome.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_syncs_question_is_answered_in_the_inbox_in_chromium() {
    let run = demo().await;
    let demo_ = run.demo().expect("demo");
    let mix = demo_.spotify_playlist.clone();
    run.state()
        .store()
        .add_pair(&SavedPair {
            name: "road-trip".into(),
            left: format!("{AMAZON}:{ROAD_TRIP}"),
            right: format!("spotify-demo:{mix}"),
            direction: "to-right".into(),
            removals: "keep".into(),
            created_ms: 1,
            last_run_ms: None,
            last_result: None,
        })
        .unwrap();
    let chrome = Chrome::launch().await;
    let page = chrome.page(&run.url_with_token).await;
    until(&page, "the wizard", "location.pathname === '/compare'").await;
    page.goto(format!("{}/saved", run.base_url)).await.unwrap();
    until(
        &page,
        "the saved syncs",
        "document.querySelector('tr[data-pair]')",
    )
    .await;
    click_and_load(&page, "tr[data-pair='road-trip'] button[type=submit]").await;
    until(
        &page,
        "the pending questions",
        "document.querySelector('[data-pending] a')",
    )
    .await;
    let waiting = run.state().store().pending_count("road-trip").unwrap();
    assert!(waiting > 0, "the demo leaves uncertain songs for a person");
    click_and_load(&page, "[data-pending] a").await;
    until(&page, "the inbox", "document.getElementById('inbox-form')").await;
    shots(&page, "inbox").await;
    // The first question: its first candidate.
    let title: String = js(&page, "(() => { const r = document.querySelector('[data-question=\"0\"] input[value=c0]'); r.click(); return r.closest('li').querySelector('.title').innerText; })()").await;
    click_and_load(&page, "#inbox-save").await;
    until(&page, "the notice", "document.querySelector('.alert.ok')").await;
    let notice: String = js(&page, "document.querySelector('.alert.ok').innerText").await;
    assert!(notice.contains("1 answer saved"), "{notice}");
    assert_eq!(
        run.state().store().pending_count("road-trip").unwrap(),
        waiting - 1
    );
    shots(&page, "inbox-answered").await;

    // The next run adds the chosen song and does not ask again.
    page.goto(format!("{}/saved", run.base_url)).await.unwrap();
    until(
        &page,
        "the saved syncs",
        "document.querySelector('tr[data-pair]')",
    )
    .await;
    click_and_load(&page, "tr[data-pair='road-trip'] button[type=submit]").await;
    let st_titles: Vec<String> = {
        let items = demo_.spotify.playlist_items(&mix);
        let st = demo_.spotify.state();
        items
            .iter()
            .filter_map(|uri| {
                st.catalogue
                    .tracks
                    .iter()
                    .find(|t| &t.uri() == uri)
                    .map(|t| t.name.clone())
            })
            .collect()
    };
    assert!(st_titles.contains(&title), "{title} in {st_titles:?}");
    assert_eq!(
        run.state().store().pending_count("road-trip").unwrap(),
        waiting - 1,
        "never asked again"
    );
    chrome.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_this_sync_after_the_three_steps_in_chromium() {
    let run = demo().await;
    let mix = run.demo().expect("demo").spotify_playlist.clone();
    // The three steps over HTTP (the wizard is one per server), then the
    // report page in Chromium.
    let c = super::util::client();
    c.get(&run.url_with_token).send().await.unwrap();
    let (base, csrf) = (run.base_url.clone(), run.state().csrf_token().to_owned());
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
    finish_job(&c, &base, &page, "/compare").await;
    let page = post(&c, &format!("{base}/review/start"), &csrf, &[])
        .await
        .text()
        .await
        .unwrap();
    finish_job(&c, &base, &page, "/review").await;
    let page = post(&c, &format!("{base}/review"), &csrf, &[("go", "sync")])
        .await
        .text()
        .await
        .unwrap();
    finish_job(&c, &base, &page, "/sync").await;

    let chrome = Chrome::launch().await;
    let page = chrome.page(&run.url_with_token).await;
    until(&page, "the wizard", "location.pathname === '/compare'").await;
    page.goto(format!("{base}/sync")).await.unwrap();
    until(
        &page,
        "the save form",
        "document.getElementById('save-sync')",
    )
    .await;
    shots(&page, "save-this-sync").await;
    js::<bool>(
        &page,
        "(() => { document.getElementById('save-name').value = 'road-trip'; return true; })()",
    )
    .await;
    let offered: String = js(&page, "document.getElementById('save-direction').value").await;
    assert_eq!(
        offered, "to-right",
        "Amazon Music is read-only: one way is offered first"
    );
    click_and_load(&page, "#save-sync").await;
    until(
        &page,
        "the saved syncs",
        "document.querySelector('tr[data-pair=\"road-trip\"]')",
    )
    .await;
    let pair = run
        .state()
        .store()
        .pair("road-trip")
        .unwrap()
        .expect("saved");
    assert_eq!(pair.left, format!("{AMAZON}:{ROAD_TRIP}"));
    assert_eq!(pair.right, format!("spotify-demo:{mix}"));
    assert_eq!(pair.direction, "to-right");
    shots(&page, "saved-after-save").await;
    chrome.close().await;
}
