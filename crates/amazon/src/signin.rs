//! Signing in: in a real browser window, or from an exported cookies.txt.
//!
//! Browser: musync starts a Chromium-family browser (Chromium, Chrome, Edge,
//! Brave; `MUSYNC_BROWSER` overrides) with a fresh temporary profile at
//! Amazon's sign-in page. The user signs in there, captcha and two-step codes
//! included; musync never sees the password. It polls the window: once a
//! page is on the music host and an in-page `fetch('/config.json')` (falling
//! back to `window.amznMusic.appConfig`) reports a customer id, it takes the
//! config, every cookie including HttpOnly ones (over the DevTools protocol),
//! the page's host (the account's market) and the browser's User-Agent, and
//! closes the window. A closed window or the time limit ends it with an
//! error, and nothing is stored.
//!
//! cookies.txt: the market host comes from the cookie domains (or
//! `MUSYNC_AMAZON_URL`), the config from `GET /config.json` with the cookies.

use crate::cookies::{self, Cookie};
use crate::error::{SERVICE, SIGN_IN_HINT};
use crate::model as wire;
use crate::transport::{self, ClientOptions, Session};
use chromiumoxide::browser::{Browser, BrowserConfig};
use futures::StreamExt;
use musync_core::{Account, AccountId, ErrorKind, NewAccount, Secret, ServiceError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tracing::instrument::WithSubscriber;

/// Options of [`sign_in_with_browser`].
#[derive(Debug)]
pub struct BrowserSignIn {
    /// The browser executable; `None` detects one ([`find_browser`]).
    pub browser: Option<PathBuf>,
    /// Where the window starts, e.g. `https://music.amazon.com/forceSignIn`.
    pub start_url: String,
    /// How long the user has to sign in.
    pub timeout: Duration,
    /// No visible window (tests only: a person cannot sign in headless).
    pub headless: bool,
    /// Receives the browser's DevTools WebSocket URL once it runs, so a test
    /// can act as the user in the window.
    pub devtools_url: Option<tokio::sync::oneshot::Sender<String>>,
    /// How often the window is checked.
    pub poll_interval: Duration,
}

impl BrowserSignIn {
    /// Sign-in at `{host}/forceSignIn`, 10 minutes, a visible window.
    pub fn for_host(host: &str) -> Self {
        BrowserSignIn {
            browser: None,
            start_url: format!("{}/forceSignIn", host.trim_end_matches('/')),
            timeout: Duration::from_secs(600),
            headless: false,
            devtools_url: None,
            poll_interval: Duration::from_millis(500),
        }
    }
}

impl Default for BrowserSignIn {
    /// Sign-in at `MUSYNC_AMAZON_URL`, else music.amazon.com (which sends
    /// the user on to their own market after sign-in).
    fn default() -> Self {
        Self::for_host(&musync_http::endpoint(
            crate::URL_ENV,
            "https://music.amazon.com",
        ))
    }
}

/// Browser names looked up on `PATH`, most likely first.
const BROWSER_NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "brave-browser",
    "brave",
];

/// The browser to sign in with: `MUSYNC_BROWSER` when set, else the first
/// Chromium-family browser on `PATH` or in the usual macOS and Windows
/// install locations.
pub fn find_browser() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MUSYNC_BROWSER")
        && !p.trim().is_empty()
    {
        return Some(PathBuf::from(p.trim()));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in BROWSER_NAMES {
            for candidate in [dir.join(name), dir.join(format!("{name}.exe"))] {
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
        }
    }
    let mut known: Vec<PathBuf> = [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    for var in ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"] {
        if let Some(base) = std::env::var_os(var) {
            let base = PathBuf::from(base);
            known.push(base.join(r"Google\Chrome\Application\chrome.exe"));
            known.push(base.join(r"Microsoft\Edge\Application\msedge.exe"));
            known.push(base.join(r"BraveSoftware\Brave-Browser\Application\brave.exe"));
            known.push(base.join(r"Chromium\Application\chrome.exe"));
        }
    }
    known.into_iter().find(|p| p.is_file())
}

const BROWSER_OP: &str = "signing in with the browser";

fn browser_error(message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorKind::Io, SERVICE, BROWSER_OP, message)
}

/// Whether musync runs as root, where Chromium's sandbox cannot start.
pub(crate) fn is_root() -> bool {
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

/// What the page reported: the config JSON and where it came from.
#[derive(serde::Deserialize)]
struct Captured {
    raw: String,
    source: String,
}

/// Runs in the page: the signed-in config, or null while signed out.
const CAPTURE_JS: &str = r#"async () => {
  try {
    const r = await fetch('/config.json?skipToken=false',
      {credentials: 'include', headers: {'Accept': 'application/json'}});
    if (r.ok) {
      const raw = await r.text();
      try {
        const c = JSON.parse(raw);
        if (c && c.customerId) return {raw: raw, source: 'config.json'};
      } catch (e) {}
    }
  } catch (e) {}
  const a = window.amznMusic && window.amznMusic.appConfig;
  if (a && a.customerId) return {raw: JSON.stringify(a), source: 'appConfig'};
  return null;
}"#;

/// The launch settings shared by sign-in and the in-browser transport: a
/// fresh profile, no first-run or background traffic, headless or not, and
/// `--no-sandbox` only as root (where Chromium's sandbox cannot start).
pub(crate) fn browser_config(
    exe: &Path,
    profile: &Path,
    headless: bool,
) -> Result<BrowserConfig, String> {
    let mut builder = BrowserConfig::builder()
        .chrome_executable(exe)
        .user_data_dir(profile)
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
            "--disable-client-side-phishing-detection",
            "--metrics-recording-only",
            "--password-store=basic",
            "--use-mock-keychain",
        ]);
    builder = if headless {
        builder.new_headless_mode().arg("--disable-gpu")
    } else {
        builder.with_head()
    };
    if is_root() {
        builder = builder.no_sandbox();
    }
    builder.build()
}

/// The error when no browser is installed, for sign-in and the in-browser
/// transport alike; never "session expired".
pub(crate) fn no_browser(op: &str, need: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Io,
        SERVICE,
        op,
        format!(
            "no Chromium-family browser found (Chromium, Chrome, Edge or Brave); {need} \
             Install Chromium (e.g. `apt install chromium`, `brew install --cask chromium`) or set \
             MUSYNC_BROWSER to the path of a Chrome, Chromium, Edge or Brave executable"
        ),
    )
    .with_hint("set MUSYNC_BROWSER=/path/to/chromium")
}

/// Opens a browser window for the user to sign in, then captures the
/// session. Nothing is stored here: the caller stores the returned
/// [`NewAccount`].
pub async fn sign_in_with_browser(mut opts: BrowserSignIn) -> Result<NewAccount, ServiceError> {
    let exe = opts.browser.take().or_else(find_browser).ok_or_else(|| {
        browser_error(
            "no Chromium-family browser found (Chromium, Chrome, Edge or Brave); install one, \
             set MUSYNC_BROWSER to its path, or sign in with a cookies.txt",
        )
        .with_hint("musync accounts add amazon --cookies cookies.txt")
    })?;
    let profile = tempfile::Builder::new()
        .prefix("musync-signin-")
        .tempdir()
        .map_err(|e| {
            browser_error("could not create a temporary browser profile").with_source(e)
        })?;
    let config = browser_config(&exe, profile.path(), opts.headless).map_err(browser_error)?;
    let (mut browser, mut handler) = Browser::launch(config).await.map_err(|e| {
        browser_error(format!(
            "could not start the browser {}: {e}",
            exe.display()
        ))
    })?;
    let connected = Arc::new(AtomicBool::new(true));
    let flag = connected.clone();
    // The DevTools connection logs every command and answer at TRACE,
    // cookies included: it runs without a subscriber.
    let handler_task = tokio::spawn(
        async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    break;
                }
            }
            flag.store(false, Ordering::SeqCst);
        }
        .with_subscriber(tracing::subscriber::NoSubscriber::default()),
    );
    if let Some(tx) = opts.devtools_url.take() {
        let _ = tx.send(browser.websocket_address().clone());
    }
    let outcome = capture(&browser, &connected, &opts).await;
    // Always close the window and remove the profile, whatever happened.
    if connected.load(Ordering::SeqCst) {
        let _ = tokio::time::timeout(Duration::from_secs(5), browser.close()).await;
    }
    let exited = tokio::time::timeout(Duration::from_secs(5), browser.wait()).await;
    if !matches!(exited, Ok(Ok(_))) {
        let _ = browser.kill().await;
    }
    handler_task.abort();
    drop(browser);
    drop(profile);
    outcome
}

/// Polls the window until signed in, then gathers the session.
async fn capture(
    browser: &Browser,
    connected: &AtomicBool,
    opts: &BrowserSignIn,
) -> Result<NewAccount, ServiceError> {
    let start_host = url::Url::parse(&opts.start_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .ok_or_else(|| browser_error(format!("{:?} is not a web address", opts.start_url)))?;
    let opened = tokio::time::timeout(
        Duration::from_secs(30),
        browser.new_page(opts.start_url.as_str()),
    )
    .await
    .map_err(|_| browser_error("the browser did not open the sign-in page"))?;
    let closed = || {
        ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            BROWSER_OP,
            "the browser window was closed before sign-in finished; nothing was stored",
        )
        .with_hint(SIGN_IN_HINT)
    };
    if let Err(e) = opened {
        // A window closed right away fails the page opening itself; the
        // connection's end shows shortly after.
        for _ in 0..20 {
            if !connected.load(Ordering::SeqCst) {
                return Err(closed());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        return Err(browser_error(format!(
            "the browser did not open the sign-in page: {e}"
        )));
    }
    let deadline = Instant::now() + opts.timeout;
    loop {
        if !connected.load(Ordering::SeqCst) {
            return Err(closed());
        }
        if Instant::now() >= deadline {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                BROWSER_OP,
                format!(
                    "sign-in did not finish within {} s; nothing was stored. Try again, or sign in with a cookies.txt",
                    opts.timeout.as_secs()
                ),
            )
            .with_hint(SIGN_IN_HINT));
        }
        let pages = match browser.pages().await {
            Ok(p) => p,
            Err(_) if !connected.load(Ordering::SeqCst) => return Err(closed()),
            Err(_) => Vec::new(),
        };
        for page in pages {
            let Ok(Some(url)) = page.url().await else {
                continue;
            };
            let Ok(parsed) = url::Url::parse(&url) else {
                continue;
            };
            let Some(host) = parsed.host_str() else {
                continue;
            };
            if !(host == start_host || host.starts_with("music.amazon.")) {
                continue;
            }
            let found =
                tokio::time::timeout(Duration::from_secs(10), page.evaluate_function(CAPTURE_JS))
                    .await;
            let Ok(Ok(result)) = found else {
                continue; // navigating, or slow: try again next round
            };
            let Ok(Some(captured)) = result.into_value::<Option<Captured>>() else {
                continue;
            };
            let origin = parsed.origin().ascii_serialization();
            tracing::info!(source = %captured.source, host = %origin, "Amazon Music sign-in detected");
            let config: wire::AppConfig = serde_json::from_str(&captured.raw)
                .map_err(|_| browser_error("the page's session config was not readable JSON"))?;
            let all = browser
                .get_cookies()
                .await
                .map_err(|e| browser_error(format!("could not read the browser's cookies: {e}")))?;
            let cookies: Vec<Cookie> = all
                .into_iter()
                .filter(|c| {
                    let d = c.domain.trim_start_matches('.');
                    d.contains("amazon.") || d == host
                })
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
            tracing::info!(
                cookies = cookies.len(),
                "captured the browser's Amazon cookies"
            );
            let user_agent = browser.user_agent().await.ok();
            return new_account(
                &origin,
                Secret::new(captured.raw),
                &config,
                &cookies,
                user_agent,
            );
        }
        tokio::time::sleep(opts.poll_interval).await;
    }
}

/// Signs in from a Netscape cookies.txt (or musync's stored JSON) at
/// `cookies_txt`. The host is `host_override`, else `MUSYNC_AMAZON_URL`,
/// else the market the cookies belong to.
pub async fn sign_in_with_cookies(
    cookies_txt: &Path,
    host_override: Option<String>,
) -> Result<NewAccount, ServiceError> {
    let op = "signing in with cookies";
    let text = tokio::fs::read_to_string(cookies_txt).await.map_err(|e| {
        ServiceError::new(
            ErrorKind::Io,
            SERVICE,
            op,
            format!("could not read {}", cookies_txt.display()),
        )
        .with_source(e)
    })?;
    let cookies = cookies::parse_stored(&text).map_err(|mut e| {
        e.message = format!("{}: {}", cookies_txt.display(), e.message);
        e
    })?;
    let host = host_override
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            std::env::var(crate::URL_ENV)
                .ok()
                .filter(|h| !h.trim().is_empty())
        })
        .or_else(|| cookies::market_host(&cookies))
        .ok_or_else(|| {
            ServiceError::new(
                ErrorKind::InvalidInput,
                SERVICE,
                op,
                "none of these cookies is Amazon's; export them from music.amazon.<your country> \
                 while signed in (or set MUSYNC_AMAZON_URL)",
            )
        })?;
    let host = host.trim().trim_end_matches('/').to_owned();
    let session = Arc::new(Session::new(
        &host,
        None,
        cookies,
        wire::AppConfig::default(),
        None,
    )?);
    let client = transport::config_client(&ClientOptions::default())?;
    let not_signed_in = || {
        ServiceError::new(
            ErrorKind::AuthExpired,
            SERVICE,
            op,
            "these cookies are not signed in to Amazon Music (expired, or from another market)",
        )
        .with_hint("export fresh cookies from the Amazon Music page while signed in, or run `musync accounts add amazon` to sign in with the browser")
    };
    let fetched = match transport::fetch_config(&client, &session, op).await {
        Ok(f) => f,
        Err(e) if e.kind == ErrorKind::AuthExpired => return Err(not_signed_in()),
        Err(e) => return Err(e),
    };
    if fetched.config.customer_id.text().is_none() {
        return Err(not_signed_in());
    }
    let mut cookies = session.cookies.read().expect("cookie lock").clone();
    let host_name = url::Url::parse(&host)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    cookies::apply_set_cookies(&mut cookies, &host_name, &fetched.set_cookies);
    new_account(&host, fetched.raw, &fetched.config, &cookies, None)
}

/// The account to store for a signed-in session.
fn new_account(
    host: &str,
    raw_config: Secret,
    config: &wire::AppConfig,
    cookies: &[Cookie],
    user_agent: Option<String>,
) -> Result<NewAccount, ServiceError> {
    let customer = config
        .customer_id
        .text()
        .ok_or_else(|| browser_error("the session config has no customer id"))?;
    let safe: String = customer
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let shown_host = url::Url::parse(host)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| host.to_owned());
    let mut settings = serde_json::json!({
        "host": host,
        "siteRegion": config.site_region.text(),
        "musicTerritory": config.music_territory.text(),
        "marketplaceId": config.marketplace_id.text(),
    });
    if let Some(ua) = user_agent {
        settings["userAgent"] = ua.into();
    }
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(format!("amazon-{safe}")),
            service: crate::KIND.into(),
            name: format!("Amazon Music ({shown_host})"),
            settings,
        },
        secrets: vec![
            ("cookies".to_owned(), cookies::to_stored(cookies)),
            ("config".to_owned(), raw_config),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_override_wins() {
        // Only this test touches MUSYNC_BROWSER in this binary.
        unsafe { std::env::set_var("MUSYNC_BROWSER", "/opt/custom/chrome") };
        assert_eq!(find_browser(), Some(PathBuf::from("/opt/custom/chrome")));
        unsafe { std::env::remove_var("MUSYNC_BROWSER") };
    }

    #[test]
    fn accounts_are_named_after_customer_and_market() {
        let config: wire::AppConfig = serde_json::from_str(
            r#"{"customerId":"A1B2C3","siteRegion":"EU","musicTerritory":"GB","marketplaceId":"A1F83G8C2ARO7P"}"#,
        )
        .unwrap();
        let acc = new_account(
            "https://music.amazon.co.uk",
            Secret::new("{}"),
            &config,
            &[],
            Some("UA".into()),
        )
        .unwrap();
        assert_eq!(acc.account.id.as_str(), "amazon-A1B2C3");
        assert_eq!(acc.account.name, "Amazon Music (music.amazon.co.uk)");
        assert_eq!(acc.account.settings["siteRegion"], "EU");
        assert_eq!(acc.account.settings["userAgent"], "UA");
        let keys: Vec<&str> = acc.secrets.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["cookies", "config"]);
    }
}
