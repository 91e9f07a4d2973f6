//! The in-browser transport: every request is a `fetch()` made by the
//! music host's own page in a headless Chromium, for when Amazon refuses
//! non-browser clients (research §1 2026-09, §3.3).
//!
//! On its first call it starts the browser (the sign-in's discovery,
//! `MUSYNC_BROWSER`; headless, so no display is needed; `--no-sandbox` only
//! as root) with a throw-away profile, gives it the stored cookies of the
//! music host, and loads the player page so the page's own scripts run
//! (cookies they set then travel with every request). Each request runs in
//! that page with `credentials: 'include'`. One browser per transport, so
//! per command; it is killed when the transport is dropped, on success and
//! on errors alike ([`Drop`] kills the process and waits for it).
//!
//! Retries, pacing and renewal mirror the direct transport: 429/5xx are
//! retried honouring `Retry-After`, one request at a time with the minimum
//! gap; an expired session re-reads `config.json` inside the page once,
//! and a guest answer there means "sign in again".

use crate::cookies;
use crate::error::{self, SERVICE, expired, protocol};
use crate::model as wire;
use crate::signin::{browser_config, find_browser, no_browser};
use crate::transport::{
    Call, ClientOptions, FetchedConfig, Session, Transport, WireRequest, wire_request,
};
use async_trait::async_trait;
use chromiumoxide::Page;
use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::network::CookieParam;
use futures::StreamExt;
use musync_core::{ErrorKind, Secret, ServiceError};
use musync_http::HttpResponse;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::instrument::WithSubscriber;

const LAUNCH_OP: &str = "starting the browser for Amazon Music";

/// The temporary profiles' name prefix.
const PROFILE_PREFIX: &str = "musync-amazon-";

/// Profiles older than this are leftovers of a command that was killed
/// (Ctrl-C reaches the browser too, but not the profile's removal).
const STALE_PROFILE: Duration = Duration::from_secs(24 * 3600);

/// Removes leftover profiles of killed commands from the temp directory.
fn remove_stale_profiles() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .to_string_lossy()
            .starts_with(PROFILE_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_PROFILE));
        if stale && std::fs::remove_dir_all(entry.path()).is_ok() {
            tracing::debug!(path = %entry.path().display(), "removed a stale browser profile");
        }
    }
}

/// A running headless browser with the player page open.
struct Live {
    browser: Browser,
    page: Page,
    handler: tokio::task::JoinHandle<()>,
    /// Removed after the browser is gone (field order: dropped last).
    _profile: tempfile::TempDir,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.handler.abort();
        kill(&mut self.browser);
        // The browser's helper processes outlive the main one for a moment
        // and may still write into the profile; remove it until it stays
        // gone (at most about two seconds).
        let profile = self._profile.path().to_owned();
        for _ in 0..40 {
            let _ = std::fs::remove_dir_all(&profile);
            if !profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Kills the browser process and reaps it, without an async runtime (so it
/// works in `Drop`), so the profile can be removed and nothing lingers.
fn kill(browser: &mut Browser) {
    if let Some(child) = browser.get_mut_child() {
        let _ = child.as_mut_inner().start_kill();
        for _ in 0..200 {
            if matches!(child.try_wait(), Ok(Some(_)) | Err(_)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// What the page's `fetch()` reported.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fetched {
    status: u16,
    body: String,
    retry_after: Option<String>,
}

/// Sends every call from inside a headless browser page.
pub(crate) struct BrowserTransport {
    session: Arc<Session>,
    options: ClientOptions,
    live: tokio::sync::OnceCell<Live>,
    /// One request at a time; when the last one started.
    pacing: tokio::sync::Mutex<Option<Instant>>,
}

impl BrowserTransport {
    pub fn new(session: Arc<Session>, options: ClientOptions) -> Self {
        BrowserTransport {
            session,
            options,
            live: tokio::sync::OnceCell::new(),
            pacing: tokio::sync::Mutex::new(None),
        }
    }

    /// The browser to start: the option, else [`find_browser`]; `None`
    /// when that names no file.
    fn executable(&self) -> Option<std::path::PathBuf> {
        self.options
            .browser
            .clone()
            .or_else(find_browser)
            .filter(|p| p.is_file())
    }

    /// Whether a browser could be started at all.
    pub fn available(&self) -> bool {
        self.executable().is_some()
    }

    async fn live(&self) -> Result<&Live, ServiceError> {
        self.live.get_or_try_init(|| self.launch()).await
    }

    async fn launch(&self) -> Result<Live, ServiceError> {
        let fail = |m: String| ServiceError::new(ErrorKind::Io, SERVICE, LAUNCH_OP, m);
        let exe = self.executable().ok_or_else(|| {
            let named = self.options.browser.clone().or_else(find_browser);
            let what = match named {
                Some(p) => format!(
                    "{} does not exist. MUSYNC_AMAZON_TRANSPORT=browser (or auto, when Amazon \
                     refuses direct requests) needs one.",
                    p.display()
                ),
                None => "MUSYNC_AMAZON_TRANSPORT=browser (or auto, when Amazon refuses direct \
                         requests) needs one."
                    .to_owned(),
            };
            no_browser(LAUNCH_OP, &what)
        })?;
        remove_stale_profiles();
        let profile = tempfile::Builder::new()
            .prefix(PROFILE_PREFIX)
            .tempdir()
            .map_err(|e| {
                fail("could not create a temporary browser profile".into()).with_source(e)
            })?;
        let config = browser_config(&exe, profile.path(), true).map_err(fail)?;
        let (mut browser, mut handler) = Browser::launch(config).await.map_err(|e| {
            fail(format!(
                "could not start the browser {}: {e}",
                exe.display()
            ))
        })?;
        // The DevTools connection logs every command and answer at TRACE,
        // cookies and tokens included: it runs without a subscriber.
        let handler = tokio::spawn(
            async move {
                while let Some(event) = handler.next().await {
                    if event.is_err() {
                        break;
                    }
                }
            }
            .with_subscriber(tracing::subscriber::NoSubscriber::default()),
        );
        // From here on, dropping `live` kills the browser.
        let page = match browser.new_page("about:blank").await {
            Ok(p) => p,
            Err(e) => {
                handler.abort();
                kill(&mut browser);
                return Err(fail(format!("the browser did not open a page: {e}")));
            }
        };
        let live = Live {
            browser,
            page,
            handler,
            _profile: profile,
        };
        self.open_player(&live).await?;
        tracing::info!(browser = %exe.display(), "Amazon Music requests now run inside a headless browser page");
        Ok(live)
    }

    /// Gives the browser the stored cookies and loads the player page.
    async fn open_player(&self, live: &Live) -> Result<(), ServiceError> {
        let s = &self.session;
        let https = s.host.starts_with("https://");
        let params: Vec<CookieParam> = {
            let all = s.cookies.read().expect("cookie lock");
            cookies::for_host(&all, &s.host_name)
                .into_iter()
                .filter_map(|c| {
                    CookieParam::builder()
                        .name(c.name.clone())
                        .value(c.value.expose())
                        .url(format!("{}/", s.host))
                        .path(c.path.clone())
                        .secure(c.secure && https)
                        .http_only(c.http_only)
                        .build()
                        .ok()
                })
                .collect()
        };
        let fail = |m: String| ServiceError::new(ErrorKind::Io, SERVICE, LAUNCH_OP, m);
        live.browser
            .set_cookies(params)
            .await
            .map_err(|e| fail(format!("the browser refused the stored cookies: {e}")))?;
        let url = format!("{}/", s.host);
        tokio::time::timeout(self.options.timeout, live.page.goto(url.as_str()))
            .await
            .map_err(|_| fail(format!("the player page {url} did not load in time")))?
            .map_err(|e| fail(format!("the player page {url} did not load: {e}")))?;
        let now = live.page.url().await.ok().flatten().unwrap_or_default();
        if now.contains("/ap/signin") || now.contains("/forceSignIn") {
            tracing::info!("the player page sent the browser to sign-in");
            return Err(expired(LAUNCH_OP));
        }
        Ok(())
    }

    /// One `fetch()` in the page.
    async fn fetch(&self, w: &WireRequest, op: &str) -> Result<HttpResponse, ServiceError> {
        let live = self.live().await?;
        {
            let mut last = self.pacing.lock().await;
            if let Some(at) = *last {
                let wait = self.options.min_interval.saturating_sub(at.elapsed());
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            *last = Some(Instant::now());
        }
        let headers: serde_json::Map<String, serde_json::Value> = w
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.expose().into()))
            .collect();
        let spec = serde_json::json!({
            "url": w.url, "method": w.method, "headers": headers, "body": w.body,
        });
        // The request (tokens included) only travels over the local
        // DevTools pipe; it is never logged.
        let js = Secret::new(format!(
            "async () => {{ const q = {spec}; try {{ \
               const r = await fetch(q.url, {{method: q.method, headers: q.headers, \
                 body: q.body === null ? undefined : q.body, credentials: 'include', \
                 cache: 'no-store'}}); \
               const body = await r.text(); \
               return {{status: r.status, body: body, retryAfter: r.headers.get('retry-after')}}; \
             }} catch (e) {{ return {{status: 0, body: String(e), retryAfter: null}}; }} }}"
        ));
        let evaluated = tokio::time::timeout(
            self.options.timeout,
            live.page.evaluate_function(js.expose()),
        )
        .await
        .map_err(|_| {
            ServiceError::new(
                ErrorKind::Unavailable,
                SERVICE,
                op,
                "Amazon Music did not answer in time (in the browser)",
            )
            .with_temporary(true)
        })?
        .map_err(|e| {
            ServiceError::new(
                ErrorKind::Io,
                SERVICE,
                op,
                format!(
                    "the browser page could not run the request: {}",
                    short(&e.to_string())
                ),
            )
        })?;
        let got: Fetched = evaluated.into_value().map_err(|_| {
            ServiceError::new(
                ErrorKind::Io,
                SERVICE,
                op,
                "the browser page returned no answer",
            )
        })?;
        if got.status == 0 {
            return Err(ServiceError::new(
                ErrorKind::Unavailable,
                SERVICE,
                op,
                format!(
                    "the request failed inside the browser: {}",
                    short(&got.body)
                ),
            )
            .with_temporary(true));
        }
        let mut resp = HttpResponse::new(got.status, got.body.into_bytes());
        if let Some(v) = got
            .retry_after
            .and_then(|v| reqwest::header::HeaderValue::from_str(&v).ok())
        {
            resp.headers.insert(reqwest::header::RETRY_AFTER, v);
        }
        Ok(resp)
    }

    /// Re-reads `config.json` inside the page (the page's cookies, renewed
    /// by its scripts, included).
    async fn renew(&self) -> Result<(), ServiceError> {
        let op = "renewing the session (config.json, in the browser)";
        let w = WireRequest {
            method: "GET",
            url: format!("{}/config.json?skipToken=false", self.session.host),
            headers: vec![("accept", Secret::new("application/json"))],
            body: None,
            music_host: true,
        };
        let resp = self.fetch(&w, op).await?;
        if resp.status == 401 || resp.status == 403 {
            return Err(expired(op));
        }
        let raw = resp.text();
        let config: wire::AppConfig = serde_json::from_str(&raw).map_err(|_| {
            protocol(op, "config.json was not the expected JSON").with_status(resp.status)
        })?;
        self.session.accept_renewal(
            op,
            FetchedConfig {
                raw: Secret::new(raw),
                config,
                set_cookies: Vec::new(),
            },
        )
    }
}

fn short(s: &str) -> String {
    s.chars().take(160).collect()
}

#[async_trait]
impl Transport for BrowserTransport {
    async fn call(&self, call: &Call, op: &str) -> Result<Vec<u8>, ServiceError> {
        let classify: musync_http::Classify = match call {
            Call::Legacy(..) => error::classify,
            Call::Graphql(..) => crate::graphql::classify,
            Call::Page(_) => error::classify_page,
        };
        if matches!(call, Call::Graphql(..)) && self.session.token_is_old(self.options.renew_after)
        {
            self.renew().await?;
        }
        let mut renewed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let w = wire_request(&self.session, call);
            let outcome = self.fetch(&w, op).await;
            let err = match outcome {
                Ok(resp) => match classify(SERVICE, op, &resp)
                    .or_else(|| musync_http::classify_status(SERVICE, op, &resp))
                {
                    None => return Ok(resp.body),
                    Some(e) => e,
                },
                Err(e) => e,
            };
            if err.kind == ErrorKind::AuthExpired && !renewed {
                renewed = true;
                tracing::info!(op, "session expired; renewing it once (in the browser)");
                self.renew().await?;
                attempt -= 1;
                continue;
            }
            if !err.temporary || attempt >= self.options.max_attempts {
                return Err(err.with_temporary(false));
            }
            let delay = match err.retry_after_s {
                Some(s) => Duration::from_secs(s.min(120)),
                None => self
                    .options
                    .base_backoff
                    .saturating_mul(1 << (attempt - 1).min(10))
                    .min(Duration::from_secs(30)),
            };
            tracing::warn!(op, attempt, delay_ms = delay.as_millis() as u64, error = %err, "temporary failure; retrying");
            tokio::time::sleep(delay).await;
        }
    }

    fn session(&self) -> Option<Arc<Session>> {
        Some(self.session.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookies::Cookie;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_transport_kills_the_browser_and_removes_its_profile() {
        if find_browser().is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install a browser"
            );
            return;
        }
        let fake = fake_amazon::FakeAmazon::start(fake_amazon::Library::sample()).await;
        let cookies = fake
            .session_cookies()
            .into_iter()
            .map(|(name, value)| Cookie {
                domain: "127.0.0.1".into(),
                include_subdomains: false,
                path: "/".into(),
                secure: false,
                http_only: false,
                expires: None,
                name,
                value: Secret::new(value),
            })
            .collect();
        let session = Session::new(
            fake.base_url(),
            None,
            cookies,
            wire::AppConfig::default(),
            None,
        )
        .unwrap();
        let transport = BrowserTransport::new(Arc::new(session), ClientOptions::default());
        let profile = transport
            .live()
            .await
            .expect("the browser starts")
            ._profile
            .path()
            .to_owned();
        // The browser's processes are the ones started with this profile.
        let running = || -> Vec<String> {
            std::fs::read_dir("/proc")
                .map(|d| d.flatten().collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .filter(|e| {
                    let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
                    let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
                    String::from_utf8_lossy(&cmd).contains(&*profile.to_string_lossy())
                        && !stat.contains(") Z")
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        };
        assert!(!running().is_empty(), "the browser runs with its profile");
        assert!(profile.is_dir());
        drop(transport);
        // The main process is reaped in `drop`; its helpers follow it.
        let mut left = running();
        for _ in 0..50 {
            if left.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            left = running();
        }
        assert!(left.is_empty(), "browser processes still run: {left:?}");
        assert!(!profile.exists(), "the profile was removed");
    }
}
