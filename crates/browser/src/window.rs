//! The sign-in window: a Chromium-family browser with a fresh temporary
//! profile, opened at a service's page, watched until the person has
//! signed in, then closed. The profile is deleted whatever happens.

use crate::Cookie;
use chromiumoxide::browser::{Browser, BrowserConfig};
use futures::StreamExt;
use musync_core::Secret;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why no session came out of the window.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// No Chromium-family browser was found.
    #[error(
        "no Chromium-family browser found (Chromium, Chrome, Edge or Brave); install one or set \
         MUSYNC_BROWSER to its path"
    )]
    NoBrowser,
    /// The browser did not start or stopped answering.
    #[error("the browser {0}")]
    Failed(String),
    /// The person closed the window first.
    #[error("the browser window was closed before sign-in finished; nothing was stored")]
    Closed,
    /// The time allowed ran out.
    #[error("sign-in did not finish within {0} s; nothing was stored")]
    TimedOut(u64),
}

/// How to run the window.
#[derive(Debug)]
pub struct SignInWindow {
    /// The executable; `None` finds one ([`crate::find_browser`]).
    pub browser: Option<PathBuf>,
    /// Where the window opens.
    pub start_url: String,
    /// How long the person has.
    pub timeout: Duration,
    /// No visible window (tests only).
    pub headless: bool,
    /// How often the window is checked.
    pub poll_interval: Duration,
    /// Receives the DevTools WebSocket address once the browser runs, so a
    /// test can act as the person.
    pub devtools_url: Option<tokio::sync::oneshot::Sender<String>>,
}

impl SignInWindow {
    /// A visible window at `start_url` for ten minutes.
    pub fn new(start_url: impl Into<String>) -> Self {
        SignInWindow {
            browser: None,
            start_url: start_url.into(),
            timeout: Duration::from_secs(600),
            headless: false,
            poll_interval: Duration::from_millis(500),
            devtools_url: None,
        }
    }
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Opens the window and waits until `ready(page_urls, cookies)` says the
/// person is signed in; returns every cookie of the browser then.
pub async fn wait_for_cookies(
    mut opts: SignInWindow,
    ready: impl Fn(&[String], &[Cookie]) -> bool,
) -> Result<Vec<Cookie>, BrowserError> {
    let exe = opts
        .browser
        .take()
        .or_else(crate::find_browser)
        .ok_or(BrowserError::NoBrowser)?;
    let profile = tempfile::Builder::new()
        .prefix("musync-signin-")
        .tempdir()
        .map_err(|e| BrowserError::Failed(format!("profile could not be created: {e}")))?;
    let mut builder = BrowserConfig::builder()
        .chrome_executable(&exe)
        .user_data_dir(profile.path())
        .launch_timeout(Duration::from_secs(30))
        .request_timeout(Duration::from_secs(20))
        .viewport(None)
        // Our own flags: no automation banner, no background traffic.
        .disable_default_args()
        .args([
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-breakpad",
            "--password-store=basic",
            "--use-mock-keychain",
        ]);
    builder = if opts.headless {
        builder.new_headless_mode().arg("--disable-gpu")
    } else {
        builder.with_head()
    };
    if is_root() {
        builder = builder.no_sandbox();
    }
    let config = builder.build().map_err(BrowserError::Failed)?;
    let (mut browser, mut handler) = Browser::launch(config)
        .await
        .map_err(|e| BrowserError::Failed(format!("{} did not start: {e}", exe.display())))?;
    let connected = Arc::new(AtomicBool::new(true));
    let flag = connected.clone();
    let events = tokio::spawn(async move {
        while let Some(event) = handler.next().await {
            if event.is_err() {
                break;
            }
        }
        flag.store(false, Ordering::SeqCst);
    });
    if let Some(tx) = opts.devtools_url.take() {
        let _ = tx.send(browser.websocket_address().clone());
    }
    let outcome = watch(&browser, &connected, &opts, &ready).await;
    if connected.load(Ordering::SeqCst) {
        let _ = tokio::time::timeout(Duration::from_secs(5), browser.close()).await;
    }
    if !matches!(
        tokio::time::timeout(Duration::from_secs(5), browser.wait()).await,
        Ok(Ok(_))
    ) {
        let _ = browser.kill().await;
    }
    events.abort();
    drop(browser);
    drop(profile);
    outcome
}

async fn watch(
    browser: &Browser,
    connected: &AtomicBool,
    opts: &SignInWindow,
    ready: &impl Fn(&[String], &[Cookie]) -> bool,
) -> Result<Vec<Cookie>, BrowserError> {
    tokio::time::timeout(
        Duration::from_secs(30),
        browser.new_page(opts.start_url.as_str()),
    )
    .await
    .map_err(|_| BrowserError::Failed("did not open the sign-in page".into()))?
    .map_err(|e| BrowserError::Failed(format!("did not open the sign-in page: {e}")))?;
    let deadline = Instant::now() + opts.timeout;
    loop {
        if !connected.load(Ordering::SeqCst) {
            return Err(BrowserError::Closed);
        }
        if Instant::now() >= deadline {
            return Err(BrowserError::TimedOut(opts.timeout.as_secs()));
        }
        let mut urls = Vec::new();
        if let Ok(pages) = browser.pages().await {
            for page in pages {
                if let Ok(Some(url)) = page.url().await {
                    urls.push(url);
                }
            }
        }
        if let Ok(all) = browser.get_cookies().await {
            let cookies: Vec<Cookie> = all
                .into_iter()
                .map(|c| Cookie {
                    include_subdomains: c.domain.starts_with('.'),
                    domain: c.domain,
                    path: c.path,
                    secure: c.secure,
                    http_only: c.http_only,
                    expires: (!c.session).then_some(c.expires as i64),
                    name: c.name,
                    value: Secret::new(c.value),
                })
                .collect();
            if ready(&urls, &cookies) {
                tracing::info!(
                    cookies = cookies.len(),
                    "signed in; took the browser's cookies"
                );
                return Ok(cookies);
            }
        } else if !connected.load(Ordering::SeqCst) {
            return Err(BrowserError::Closed);
        }
        tokio::time::sleep(opts.poll_interval).await;
    }
}
