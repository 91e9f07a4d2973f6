//! Headless Chromium for the end-to-end tests: launch with a private
//! profile, wait for conditions instead of sleeping, screenshots into
//! `artifacts/ui/`, and a clean shutdown (the process is also killed on
//! drop if a test panics).

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::{Page, ScreenshotParams};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long any wait may take before the test fails.
const WAIT: Duration = Duration::from_secs(20);

pub struct Chrome {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("MUSYNC_BROWSER") {
        return PathBuf::from(p);
    }
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if std::path::Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "the end-to-end tests need Chromium: apt-get update && apt-get install -y chromium \
         (or set MUSYNC_BROWSER to a Chromium-family browser)"
    );
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

impl Chrome {
    pub async fn launch() -> Chrome {
        let profile = tempfile::Builder::new()
            .prefix("musync-web-e2e-")
            .tempdir()
            .expect("profile dir");
        let mut builder = BrowserConfig::builder()
            .chrome_executable(chromium())
            .new_headless_mode()
            .user_data_dir(profile.path())
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(Duration::from_secs(20))
            .window_size(1280, 900)
            .viewport(Viewport {
                width: 1280,
                height: 900,
                ..Viewport::default()
            })
            .args([
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--lang=en-GB",
            ]);
        if is_root() {
            builder = builder.no_sandbox();
        }
        let (browser, mut handler) = Browser::launch(builder.build().expect("browser config"))
            .await
            .expect("Chromium starts");
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Chrome {
            browser,
            handler,
            _profile: profile,
        }
    }

    pub async fn page(&self, url: &str) -> Page {
        let page = self.browser.new_page(url).await.expect("a new tab");
        page.wait_for_navigation().await.expect("the page loads");
        page
    }

    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.close()).await;
        if tokio::time::timeout(Duration::from_secs(5), self.browser.wait())
            .await
            .is_err()
        {
            let _ = self.browser.kill().await;
        }
        self.handler.abort();
    }
}

/// Evaluates `expr` and reads its value.
pub async fn js<T: DeserializeOwned>(page: &Page, expr: &str) -> T {
    page.evaluate(expr)
        .await
        .unwrap_or_else(|e| panic!("evaluating {expr}: {e}"))
        .into_value()
        .unwrap_or_else(|e| panic!("reading the value of {expr}: {e}"))
}

/// Waits until `expr` is truthy (errors while a page navigates count as
/// not yet).
pub async fn until(page: &Page, what: &str, expr: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let ok = match page.evaluate(format!("!!({expr})")).await {
            Ok(v) => v.into_value::<bool>().unwrap_or(false),
            Err(_) => false,
        };
        if ok {
            return;
        }
        if Instant::now() > deadline {
            let text: String = page
                .evaluate("document.body ? document.body.innerText.slice(0, 3000) : ''")
                .await
                .ok()
                .and_then(|v| v.into_value().ok())
                .unwrap_or_default();
            panic!("timed out waiting for {what} ({expr}); the page says:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element matching `selector` and waits until the page it
/// leads to is loaded (a marker on the old page disappears).
pub async fn click_and_load(page: &Page, selector: &str) {
    page.evaluate("window.__musyncOld = true")
        .await
        .expect("mark the page");
    click(page, selector).await;
    until(
        page,
        &format!("the page after clicking {selector}"),
        "window.__musyncOld === undefined && document.readyState === 'complete'",
    )
    .await;
}

/// Clicks the element matching `selector`.
pub async fn click(page: &Page, selector: &str) {
    until(
        page,
        selector,
        &format!("document.querySelector({selector:?})"),
    )
    .await;
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("finding {selector}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {selector}: {e}"));
}

/// Picks `value` in the `<select>` `selector`, as a person would (change
/// event included).
pub async fn choose(page: &Page, selector: &str, value: &str) {
    let ok: bool = js(
        page,
        &format!(
            "(() => {{ const s = document.querySelector({selector:?}); \
             if (!s || ![...s.options].some(o => o.value === {value:?})) return false; \
             s.value = {value:?}; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
        ),
    )
    .await;
    assert!(ok, "{selector} has no option {value}");
}

/// Saves a full-page screenshot as `artifacts/ui/<name>.png`.
pub async fn screenshot(page: &Page, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/ui");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    // From the top: a full-page capture of a scrolled page leaves a gap.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        .await
        .expect("scroll to the top");
    page.save_screenshot(
        ScreenshotParams::builder().full_page(true).build(),
        dir.join(format!("{name}.png")),
    )
    .await
    .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
}
