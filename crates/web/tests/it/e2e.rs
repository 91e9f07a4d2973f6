//! The whole wizard in headless Chromium against the demo's fake services:
//! token enforcement, accounts, compare (colours, peers), review (defaults,
//! filter, bulk accept, don't sync, exact name), back navigation, sync with
//! exactly the chosen adds arriving at the fake, reports, the log, a second
//! pass that does not ask again; and cancelling or leaving a search.

use super::browser::*;
use super::util::demo;
use std::time::Duration;

const AMAZON: &str = "amazon-A1DEMO2LISTENER";
const ROAD_TRIP: &str = "6f1c8a52-demo-4c1e-9d0a-road00000001";

/// The `<select>` of the review row whose song has this title.
fn row_select(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('tr.row')].find(r => r.querySelector('.song .title').textContent === {title:?})"
    )
}

async fn compare_road_trip_with(page: &chromiumoxide::Page, right: &str, playlist: &str) {
    until(
        page,
        "the account menus",
        "document.querySelectorAll('#left-source option').length > 1",
    )
    .await;
    choose(page, "#left-source", AMAZON).await;
    until(
        page,
        "Amazon's playlists",
        &format!("document.querySelector('#left-playlist option[value=\"{ROAD_TRIP}\"]')"),
    )
    .await;
    choose(page, "#left-playlist", ROAD_TRIP).await;
    choose(page, "#right-source", right).await;
    until(
        page,
        "the right playlists",
        &format!("document.querySelector('#right-playlist option[value=\"{playlist}\"]')"),
    )
    .await;
    choose(page, "#right-playlist", playlist).await;
    until(
        page,
        "the Compare button",
        "!document.getElementById('compare-btn').disabled",
    )
    .await;
    click_and_load(page, "#compare-btn").await;
    until(
        page,
        "the compared lists",
        "document.querySelector('.list-pane') && !document.querySelector('[data-job][data-state=running]')",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_wizard_from_amazon_to_lastfm_in_chromium() {
    let run = demo().await;
    let fake = &run.demo().expect("demo mode").lastfm;
    let loved_before = fake.loved("demo");
    let base = run.base_url.clone();

    // A foreign Host (DNS rebinding) is refused on the real socket too.
    let foreign = reqwest::Client::new()
        .get(format!("{base}/?token={}", run.token))
        .header("Host", format!("rebind.example:{}", run.state().port()))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(foreign.status(), 403);

    let chrome = Chrome::launch().await;
    let page = chrome.page(&format!("{base}/compare")).await;
    let text: String = js(&page, "document.body.innerText").await;
    assert!(
        text.contains("403 Forbidden") && text.contains("?token="),
        "{text}"
    );

    // The token becomes a cookie and leaves the address bar.
    page.goto(run.url_with_token.as_str())
        .await
        .expect("open the printed URL");
    until(
        &page,
        "the wizard after the token",
        "location.pathname === '/compare'",
    )
    .await;
    assert_eq!(js::<String>(&page, "location.search").await, "");
    assert_eq!(
        js::<String>(&page, "document.cookie").await,
        "",
        "the cookie is HttpOnly"
    );
    let banner: String = js(&page, "document.querySelector('.demo-banner').innerText").await;
    assert!(banner.contains("Demo mode: fake services, nothing real is changed."));

    // Accounts.
    page.goto(format!("{base}/accounts"))
        .await
        .expect("accounts");
    until(
        &page,
        "the account list",
        "document.querySelector('table.accounts')",
    )
    .await;
    let rows: Vec<String> = js(
        &page,
        "[...document.querySelectorAll('table.accounts tbody tr')].map(r => r.innerText)",
    )
    .await;
    // Amazon, Last.fm, Spotify, Subsonic, TIDAL, YouTube Music and the file.
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("Amazon Music") && r.contains("READ-ONLY")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Playlist file") && r.contains("Demo playlist.m3u8"))
    );
    screenshot(&page, "01-accounts").await;

    // Step 1: compare Amazon's road trip with the loved tracks.
    click_and_load(&page, "a.button[href='/compare']").await;
    compare_road_trip_with(&page, "lastfm-demo", "loved").await;
    let left_count: usize = js(
        &page,
        "document.querySelectorAll('.list-pane')[0].querySelectorAll('li.track').length",
    )
    .await;
    assert_eq!(left_count, 16);
    let greens: Vec<String> = js(&page, "[...document.querySelectorAll('.list-pane')[0].querySelectorAll('li.track.both .title')].map(t => t.textContent)").await;
    assert_eq!(greens, ["Karma Police", "Teardrop"]);
    let reds: usize = js(
        &page,
        "document.querySelectorAll('.list-pane')[0].querySelectorAll('li.track.only').length",
    )
    .await;
    assert_eq!(reds, 14);
    // A green song leads to its peer.
    click(&page, "#l-2 button.peer").await;
    let peer: String = js(&page, "document.getElementById('l-2').dataset.peer").await;
    until(&page, "the peer highlighted and focused", &format!(
        "document.getElementById('{peer}').classList.contains('highlight') && document.getElementById('{peer}').contains(document.activeElement)"
    )).await;
    let peer_title: String = js(
        &page,
        &format!("document.querySelector('#{peer} .title').textContent"),
    )
    .await;
    assert_eq!(peer_title, "Karma Police");
    screenshot(&page, "02-compare").await;

    // Step 2: review.
    click_and_load(&page, "#next-review").await;
    until(&page, "the review table", "document.getElementById('review-table') && !document.querySelector('[data-job][data-state=running]')").await;
    let rows: usize = js(&page, "document.querySelectorAll('tr.row').length").await;
    assert_eq!(rows, 14, "every song only in Amazon's playlist");
    // Nothing found: "No songs found", never the exact name preselected.
    let brightside = row_select("Mr. Brightside");
    assert_eq!(
        js::<String>(
            &page,
            &format!("{brightside}.querySelector('select').value")
        )
        .await,
        "skip"
    );
    let labels: Vec<String> = js(
        &page,
        &format!("[...{brightside}.querySelectorAll('option')].map(o => o.textContent)"),
    )
    .await;
    assert_eq!(
        labels,
        [
            "Add with the source's exact name",
            "No songs found — skip",
            "Don't sync (remember)",
            "Not available (remember)"
        ]
    );
    // A confident match is preselected, with score and reason shown.
    let hurt = row_select("Hurt");
    assert_eq!(
        js::<String>(&page, &format!("{hurt}.querySelector('select').value")).await,
        "c0"
    );
    let why: String = js(
        &page,
        &format!("{hurt}.querySelector('[data-why]').innerText"),
    )
    .await;
    assert!(
        why.starts_with("0.") && why.contains("same artist and title"),
        "{why}"
    );
    // The filter shows only the uncertain rows.
    click(&page, "#only-uncertain").await;
    until(&page, "the filter", "[...document.querySelectorAll('tr.row')].filter(r => r.offsetParent !== null).length === document.querySelectorAll('tr.row.uncertain').length").await;
    click(&page, "#only-uncertain").await;
    until(
        &page,
        "all rows again",
        "[...document.querySelectorAll('tr.row')].every(r => r.offsetParent !== null)",
    )
    .await;
    // Bulk accept, then this person's own choices.
    choose(
        &page,
        &format!(
            "#{}",
            js::<String>(&page, &format!("{hurt}.querySelector('select').id")).await
        ),
        "skip",
    )
    .await;
    click_and_load(&page, "button[value=confident]").await;
    until(
        &page,
        "the bulk notice",
        "document.querySelector('.alert.ok')",
    )
    .await;
    // issue 12: "Accept all confident" never overwrites a person's choice.
    assert_eq!(
        js::<String>(&page, &format!("{hurt}.querySelector('select').value")).await,
        "skip",
        "the person's skip is kept"
    );
    let notice: String = js(&page, "document.querySelector('.alert.ok').textContent").await;
    assert!(
        notice.contains("Kept your own choice for 1 song."),
        "{notice}"
    );
    let hurt_id: String = js(&page, &format!("{hurt}.querySelector('select').id")).await;
    let brightside_id: String =
        js(&page, &format!("{brightside}.querySelector('select').id")).await;
    choose(&page, &format!("#{hurt_id}"), "dont").await;
    choose(&page, &format!("#{brightside_id}"), "exact").await;
    screenshot(&page, "03-review").await;

    // Back to step 1 keeps the lists; forward again keeps the choices.
    click_and_load(&page, "button[value=back]").await;
    until(
        &page,
        "step 1 again",
        "location.pathname === '/compare' && document.querySelector('li.track.both')",
    )
    .await;
    until(&page, "the remembered picks", &format!("document.getElementById('left-playlist').value === '{ROAD_TRIP}' && document.getElementById('right-playlist').value === 'loved'")).await;
    click_and_load(&page, "#next-review").await;
    until(
        &page,
        "the review table",
        "document.getElementById('review-table')",
    )
    .await;
    assert_eq!(
        js::<String>(
            &page,
            &format!("document.getElementById('{hurt_id}').value")
        )
        .await,
        "dont"
    );
    assert_eq!(
        js::<String>(
            &page,
            &format!("document.getElementById('{brightside_id}').value")
        )
        .await,
        "exact"
    );
    let chosen: Vec<String> = js(&page, "[...document.querySelectorAll('tr.row select')].filter(s => /^c\\d+$|^exact$/.test(s.value)).map(s => s.closest('tr').querySelector('.song .title').textContent)").await;
    assert!(chosen.contains(&"Mr. Brightside".to_owned()) && !chosen.contains(&"Hurt".to_owned()));
    let count: String = js(
        &page,
        "document.querySelector('[data-add-count]').textContent",
    )
    .await;
    assert_eq!(count, format!("{} songs will be added", chosen.len()));

    // Step 3: sync.
    click_and_load(&page, "#sync-btn").await;
    until(
        &page,
        "the results",
        "document.querySelector('.summary-card')",
    )
    .await;
    let added: usize = js(
        &page,
        "parseInt(document.querySelector('[data-count=added]').textContent, 10)",
    )
    .await;
    assert_eq!(added, chosen.len());
    screenshot(&page, "04-sync").await;
    // The log drawer on every page shows the operations live.
    click(&page, "#logdrawer summary").await;
    until(&page, "log lines in the drawer", "[...document.querySelectorAll('#logdrawer .log .msg')].some(m => m.textContent.includes('sync finished'))").await;
    let report: serde_json::Value =
        js(&page, "fetch('/sync/report.json').then(r => r.json())").await;
    assert_eq!(report["added"], chosen.len());
    let added_titles: Vec<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "added")
        .map(|r| r["source"]["title"].as_str().unwrap().to_owned())
        .collect();
    let mut want = chosen.clone();
    want.sort();
    let mut got = added_titles.clone();
    got.sort();
    assert_eq!(got, want, "the report lists exactly the chosen songs");
    // The fake received exactly those loves, nothing else.
    let loved_now = fake.loved("demo");
    assert_eq!(&loved_now[..loved_before.len()], &loved_before[..]);
    let mut new_loves: Vec<String> = loved_now[loved_before.len()..]
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    new_loves.sort();
    let mut want_loves: Vec<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "added")
        .map(|r| r["target"]["title"].as_str().unwrap().to_owned())
        .collect();
    want_loves.sort();
    assert_eq!(new_loves, want_loves);
    assert_eq!(fake.calls_to("track.love").len(), chosen.len());
    assert!(
        loved_now.contains(&("The Killers".to_owned(), "Mr. Brightside".to_owned())),
        "the exact name"
    );
    let csv: String = js(&page, "fetch('/sync/report.csv').then(r => r.text())").await;
    assert!(csv.starts_with("Status,From,To,Title"));
    assert_eq!(
        csv.lines().count(),
        1 + report["results"].as_array().unwrap().len()
    );

    // The log tells the work in sentences, technical lines behind a
    // switch, never a secret.
    click_and_load(&page, "a.logs-link").await;
    until(
        &page,
        "the sync told in a sentence",
        "document.body.innerText.includes('Finished adding to')",
    )
    .await;
    let hidden: bool = js(
        &page,
        "!document.body.innerText.includes('musync_web') && !document.body.innerText.includes('sync finished')",
    )
    .await;
    assert!(hidden, "technical lines are hidden until asked for");
    screenshot(&page, "05-logs").await;
    js::<bool>(
        &page,
        "document.getElementById('log-technical').click(), true",
    )
    .await;
    until(
        &page,
        "technical lines shown",
        "document.body.innerText.includes('sync finished')",
    )
    .await;
    let log_text: String = js(&page, "document.body.innerText").await;
    for secret in run.demo().unwrap().amazon.secret_values() {
        assert!(!log_text.contains(&secret), "a secret in the log");
    }
    assert!(!log_text.contains(fake_lastfm::DEMO_API_SECRET));

    // Second pass: what was added is green now, and "don't sync" is not
    // asked again.
    page.goto(format!("{base}/compare")).await.expect("compare");
    until(&page, "the picks", &format!("document.getElementById('right-playlist').value === 'loved' && document.getElementById('left-playlist').value === '{ROAD_TRIP}'")).await;
    click_and_load(&page, "#compare-btn").await;
    until(&page, "the new comparison", "document.querySelector('.list-pane') && !document.querySelector('[data-job][data-state=running]')").await;
    let greens: usize = js(
        &page,
        "document.querySelectorAll('.list-pane')[0].querySelectorAll('li.track.both').length",
    )
    .await;
    assert_eq!(greens, 2 + chosen.len());
    click_and_load(&page, "#next-review").await;
    until(&page, "the second review", "document.getElementById('review-table') && !document.querySelector('[data-job][data-state=running]')").await;
    let hurt_row: String = js(&page, &format!("{hurt}.innerText")).await;
    assert!(
        // The badge is upper-cased by CSS; innerText follows the styles
        // only once they have applied.
        hurt_row.to_lowercase().contains("remembered") && hurt_row.contains("don't sync"),
        "{hurt_row}"
    );
    assert!(
        js::<bool>(&page, &format!("{hurt}.querySelector('select') === null")).await,
        "not asked again"
    );
    assert!(
        js::<bool>(&page, &format!("{brightside} === undefined")).await,
        "added songs are no longer missing"
    );
    screenshot(&page, "06-review-second-pass").await;

    // A stale or foreign token is refused even with a good cookie.
    page.goto(format!("{base}/?token=not-the-token"))
        .await
        .expect("navigate");
    let text: String = js(&page, "document.body.innerText").await;
    assert!(text.contains("403 Forbidden"), "{text}");

    chrome.close().await;
    run.shutdown().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_or_leaving_stops_the_search_in_chromium() {
    let run = demo().await;
    let fake = &run.demo().expect("demo mode").lastfm;
    let chrome = Chrome::launch().await;
    let page = chrome.page(&run.url_with_token).await;
    until(&page, "the wizard", "location.pathname === '/compare'").await;
    compare_road_trip_with(&page, "lastfm-demo", "loved").await;

    // Slow searches: the page shows live progress, and Cancel stops them.
    fake.set_mode(fake_lastfm::Mode::Slow(Duration::from_millis(700)));
    click_and_load(&page, "#next-review").await;
    until(
        &page,
        "the search progress",
        "document.querySelector('[data-job][data-state=running] progress')",
    )
    .await;
    until(&page, "a first result", "document.querySelector('[data-bars] .count') && /^[1-9]/.test(document.querySelector('[data-bars] .count').textContent)").await;
    screenshot(&page, "03-review-searching").await;
    click_and_load(&page, "[data-job] button.secondary").await;
    until(
        &page,
        "the cancelled search",
        "document.body.innerText.includes('Cancelled.')",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    let searched = fake.calls_to("track.search").len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        fake.calls_to("track.search").len(),
        searched,
        "no search after cancelling"
    );
    assert!(searched < 14, "stopped early: {searched} of 14 searched");

    // Leaving step 2 for step 1 stops a running search too.
    click_and_load(&page, "form[action='/review/start'] button").await;
    until(
        &page,
        "a new search",
        "document.querySelector('[data-job][data-state=running]')",
    )
    .await;
    let job: String = js(&page, "document.querySelector('[data-job]').dataset.job").await;
    click_and_load(&page, "a[href='/compare']").await;
    let state: String = js(
        &page,
        &format!("fetch('/api/jobs/{job}').then(r => r.json()).then(j => j.job.state)"),
    )
    .await;
    assert_eq!(state, "cancelled");
    assert!(
        js::<bool>(&page, "!!document.querySelector('li.track.both')").await,
        "step 1 kept its lists"
    );

    // A sign-in waits in the background with the address to open, and
    // can be cancelled.
    page.goto(format!("{}/accounts", run.base_url))
        .await
        .expect("accounts");
    click_and_load(&page, "form[action='/accounts/add/spotify'] button").await;
    until(
        &page,
        "the address to open",
        "document.querySelector('[data-job][data-state=running] [data-url]:not([hidden]) a')",
    )
    .await;
    let href: String = js(&page, "document.querySelector('[data-url] a').href").await;
    let accounts_url = run.demo().unwrap().spotify.accounts_url();
    assert!(
        href.starts_with(&format!("{accounts_url}/authorize?")),
        "{href}"
    );
    screenshot(&page, "01-accounts-signing-in").await;
    click_and_load(&page, "[data-job] button.secondary").await;
    until(
        &page,
        "the cancelled sign-in",
        "document.querySelector('[data-job][data-state=cancelled]')",
    )
    .await;

    chrome.close().await;
    run.shutdown().await.expect("clean shutdown");
}

/// issue 10: after a finished sync, neither "Back to step 2" then Sync nor
/// the Sync button of a page left open (a second tab, a double click)
/// adds a song a second time: the target file holds each song once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncing_again_never_adds_a_song_twice_in_chromium() {
    let run = demo().await;
    let base = run.base_url.clone();
    let file = run.demo().expect("demo mode").playlist_file.clone();
    let file_account = run
        .state()
        .store()
        .accounts()
        .unwrap()
        .into_iter()
        .find(|a| a.service.as_str() == "file")
        .expect("the demo's playlist file")
        .id
        .to_string();
    let reference = file.display().to_string();

    let chrome = Chrome::launch().await;
    let page = chrome.page(&format!("{base}/compare")).await;
    page.goto(run.url_with_token.as_str())
        .await
        .expect("open the printed URL");
    until(&page, "the wizard", "location.pathname === '/compare'").await;
    compare_road_trip_with(&page, &file_account, &reference).await;
    click_and_load(&page, "#next-review").await;
    until(&page, "the review table", "document.getElementById('review-table') && !document.querySelector('[data-job][data-state=running]')").await;

    // The review form as a page left open would send it (a second tab, a
    // double click): kept in window.name, which outlives navigations.
    js::<bool>(
        &page,
        "(() => { const f = new FormData(document.getElementById('review-form')); \
         f.set('go', 'sync'); window.name = JSON.stringify([...f.entries()]); return true; })()",
    )
    .await;

    click_and_load(&page, "#sync-btn").await;
    until(
        &page,
        "the results",
        "document.querySelector('.summary-card')",
    )
    .await;
    let added: usize = js(
        &page,
        "parseInt(document.querySelector('[data-count=added]').textContent, 10)",
    )
    .await;
    assert!(added > 0, "the first sync adds songs");
    let after_first = std::fs::read_to_string(&file).unwrap();

    // The stale page's Sync: back to step 1, nothing run.
    js::<bool>(
        &page,
        "(() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/review'; \
         for (const [k, v] of JSON.parse(window.name)) { const i = document.createElement('input'); \
         i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); } \
         document.body.appendChild(f); window.__musyncOld = true; f.submit(); return true; })()",
    )
    .await;
    until(
        &page,
        "step 1 after the stale Sync",
        "!window.__musyncOld && location.pathname === '/compare'",
    )
    .await;
    page.goto(format!("{base}/sync"))
        .await
        .expect("step 3 again");
    until(
        &page,
        "the results again",
        "document.querySelector('.summary-card')",
    )
    .await;

    // Back to step 2, then Sync: step 2 is gone with the plan that ran, so
    // the person compares again, which reads the file as it is now.
    click_and_load(&page, "a.button[href='/review']").await;
    until(
        &page,
        "step 1",
        "location.pathname === '/compare' && document.getElementById('compare-btn')",
    )
    .await;
    click_and_load(&page, "#compare-btn").await;
    until(&page, "the new comparison", "document.querySelector('.list-pane') && !document.querySelector('[data-job][data-state=running]')").await;
    if js::<bool>(&page, "document.getElementById('next-review') !== null").await {
        click_and_load(&page, "#next-review").await;
        until(&page, "the second review", "!document.querySelector('[data-job][data-state=running]') && (document.getElementById('sync-btn') || document.querySelector('.card .actions'))").await;
        if js::<bool>(&page, "document.getElementById('sync-btn') !== null").await {
            click_and_load(&page, "#sync-btn").await;
            until(
                &page,
                "the second results",
                "document.querySelector('.summary-card')",
            )
            .await;
            let again: usize = js(
                &page,
                "parseInt(document.querySelector('[data-count=added]').textContent, 10)",
            )
            .await;
            assert_eq!(again, 0, "nothing is added a second time");
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, after_first, "the file is as the first sync left it");
    let entries: Vec<&str> = text.lines().filter(|l| l.starts_with("#EXTINF")).collect();
    let mut unique = entries.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), entries.len(), "each song once:\n{text}");
    assert!(entries.len() >= 4 + added, "{text}");

    chrome.close().await;
    run.shutdown().await.expect("clean shutdown");
}
