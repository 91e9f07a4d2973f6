//! Last.fm desktop sign-in: get a request token (`auth.getToken`), send the
//! user to the approval page, poll `auth.getSession` until they approve
//! (Last.fm answers error 14 until then), and hand back the account with its
//! secrets: API key, shared secret and the session key, which does not
//! expire until the user revokes it.

use crate::client::{LastfmClient, LastfmTuning, SERVICE};
use crate::error::lastfm_code;
use crate::{API_URL_ENV, AUTH_URL_ENV, DEFAULT_API_URL, DEFAULT_AUTH_URL};
use musync_core::{Account, AccountId, ErrorKind, NewAccount, Secret, ServiceError};
use std::fmt;
use std::time::{Duration, Instant};

/// How to sign in; start from [`LastfmSignIn::new`].
pub struct LastfmSignIn {
    /// The application's API key (from https://www.last.fm/api/accounts).
    pub api_key: String,
    /// The application's shared secret.
    pub api_secret: Secret,
    /// The API root (`MUSYNC_LASTFM_API_URL` or [`DEFAULT_API_URL`]).
    pub api_url: String,
    /// The approval page (`MUSYNC_LASTFM_AUTH_URL` or [`DEFAULT_AUTH_URL`]).
    pub auth_url: String,
    /// Pause between two `auth.getSession` polls.
    pub poll_interval: Duration,
    /// Give up when the user has not approved within this time.
    pub timeout: Duration,
    /// Open the approval page in the default browser.
    pub open_browser: bool,
    /// Always called once with the approval URL, so the user can open it
    /// by hand (no browser, a remote machine, the opener failed).
    pub on_url: Box<dyn Fn(&str) + Send + Sync>,
}

impl LastfmSignIn {
    /// Sign-in settings with the endpoints taken from the environment (or
    /// the real Last.fm), a poll every 3 s, a 10 minute limit, the browser
    /// opened, and the URL printed on stderr.
    pub fn new(api_key: impl Into<String>, api_secret: Secret) -> Self {
        LastfmSignIn {
            api_key: api_key.into(),
            api_secret,
            api_url: musync_http::endpoint(API_URL_ENV, DEFAULT_API_URL),
            auth_url: musync_http::endpoint(AUTH_URL_ENV, DEFAULT_AUTH_URL),
            poll_interval: Duration::from_secs(3),
            timeout: Duration::from_secs(600),
            open_browser: true,
            on_url: Box::new(|url| {
                eprintln!(
                    "Approve musync on Last.fm by opening this address in a browser:\n  {url}"
                )
            }),
        }
    }
}

impl fmt::Debug for LastfmSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LastfmSignIn")
            .field("api_key", &"***")
            .field("api_secret", &self.api_secret)
            .field("api_url", &self.api_url)
            .field("auth_url", &self.auth_url)
            .field("poll_interval", &self.poll_interval)
            .field("timeout", &self.timeout)
            .field("open_browser", &self.open_browser)
            .finish_non_exhaustive()
    }
}

const OP: &str = "signing in";

/// Runs the desktop sign-in and returns the account `lastfm-<username>`
/// with the secrets `api_key`, `api_secret` and `session_key` to store.
///
/// The approval URL is `{auth_url}?api_key=…&token=…`; it is always passed to
/// `on_url`, and opened in the browser when `open_browser` is set (failing
/// to open it is not an error).
pub async fn sign_in(opts: LastfmSignIn) -> Result<NewAccount, ServiceError> {
    let api_key = opts.api_key.trim().to_owned();
    if api_key.is_empty() || opts.api_secret.expose().trim().is_empty() {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            OP,
            "both the API key and the shared secret are needed",
        )
        .with_hint(
            "create an API account at https://www.last.fm/api/account/create, then: \
             musync accounts add lastfm --api-key KEY --api-secret SECRET",
        ));
    }
    let api_secret = Secret::new(opts.api_secret.expose().trim());
    let client = LastfmClient::new(
        opts.api_url.clone(),
        Secret::new(api_key.clone()),
        api_secret.clone(),
        LastfmTuning::default(),
    )?;
    let token = client.get_token().await?;
    let url = approval_url(&opts.auth_url, &api_key, &token)?;
    (opts.on_url)(&url);
    if opts.open_browser
        && let Err(e) = musync_http::open_in_browser(&url)
    {
        tracing::warn!(error = %e, "could not open a browser; open the printed address by hand");
    }

    let deadline = Instant::now() + opts.timeout;
    let (name, session_key) = loop {
        match client.get_session(&token).await {
            Ok(session) => break session,
            Err(e) if lastfm_code(&e) == Some(14) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(not_approved_in_time(opts.timeout));
                }
                tracing::debug!("not approved on Last.fm yet; asking again shortly");
                tokio::time::sleep(opts.poll_interval.min(deadline - now)).await;
            }
            Err(e) => return Err(e),
        }
    };

    let mut settings = serde_json::json!({ "username": name });
    if opts.api_url != DEFAULT_API_URL {
        settings["api_url"] = serde_json::Value::String(opts.api_url.clone());
    }
    tracing::info!(user = %name, "signed in to Last.fm");
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(format!("lastfm-{name}")),
            service: crate::KIND.into(),
            name,
            settings,
        },
        secrets: vec![
            ("api_key".to_owned(), Secret::new(api_key)),
            ("api_secret".to_owned(), api_secret),
            ("session_key".to_owned(), session_key),
        ],
    })
}

/// `{auth_url}?api_key=KEY&token=TOKEN`, keeping any query the base has.
fn approval_url(auth_url: &str, api_key: &str, token: &Secret) -> Result<String, ServiceError> {
    let mut url = url::Url::parse(auth_url).map_err(|e| {
        ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            OP,
            format!("the approval page address {auth_url:?} is not a URL ({e})"),
        )
        .with_hint("check MUSYNC_LASTFM_AUTH_URL")
    })?;
    url.query_pairs_mut()
        .append_pair("api_key", api_key)
        .append_pair("token", token.expose());
    Ok(url.to_string())
}

fn not_approved_in_time(timeout: Duration) -> ServiceError {
    let secs = timeout.as_secs();
    let took = if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} minute{}", secs / 60, if secs == 60 { "" } else { "s" })
    } else {
        format!("{:.1} seconds", timeout.as_secs_f64())
    };
    ServiceError::new(
        ErrorKind::PermissionDenied,
        SERVICE,
        OP,
        format!("musync was not approved on Last.fm within {took}; nothing was stored"),
    )
    .with_hint(
        "run musync accounts add lastfm --api-key KEY --api-secret SECRET again \
         and press \"Yes, allow access\" on the Last.fm page",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_url_carries_key_and_token() {
        let u = approval_url("https://www.last.fm/api/auth/", "KEY", &Secret::new("TOK")).unwrap();
        assert_eq!(u, "https://www.last.fm/api/auth/?api_key=KEY&token=TOK");
        let bad = approval_url("not a url", "K", &Secret::new("T")).unwrap_err();
        assert_eq!(bad.kind, ErrorKind::InvalidInput);
        assert!(bad.message.contains("not a URL"));
    }

    #[test]
    fn timeout_message_names_the_wait() {
        let e = not_approved_in_time(Duration::from_secs(600));
        assert!(e.message.contains("within 10 minutes"), "{}", e.message);
        assert!(e.hint.unwrap().contains("musync accounts add lastfm"));
        let short = not_approved_in_time(Duration::from_millis(300));
        assert!(
            short.message.contains("within 0.3 seconds"),
            "{}",
            short.message
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let opts = LastfmSignIn::new("0123abcd", Secret::new("topsecret"));
        let shown = format!("{opts:?}");
        assert!(
            !shown.contains("0123abcd") && !shown.contains("topsecret"),
            "{shown}"
        );
    }
}
