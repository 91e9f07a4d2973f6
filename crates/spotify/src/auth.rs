//! Signing in to Spotify the way a desktop app should (RFC 8252 and
//! RFC 7636): authorization code with PKCE (S256) and a one-shot loopback
//! listener on `127.0.0.1`, so no client secret is needed and the code never
//! leaves the machine.
//!
//! The listener is bound before the URL is shown, so the browser can never
//! come back to a port nobody listens on. The `state` parameter ties the
//! answer to this sign-in; any other answer is refused. Each user registers
//! their own Spotify app (development mode) with the redirect URI
//! `http://127.0.0.1:8898/callback` ([`DEFAULT_PORT`]), which must match
//! exactly, hence a fixed default port. The PKCE pair, the listener and the
//! code exchange are the shared ones of `musync-oauth`.

use crate::model as wire;
use crate::{DEFAULT_ACCOUNTS_URL, DEFAULT_API_URL, DEFAULT_PORT};
use musync_core::{Account, AccountId, ErrorKind, NewAccount, ServiceError};
use musync_oauth::{TokenSet, WaitFor, pkce_pair, random_state, wait_for_code};
use std::time::Duration;
use tokio::net::TcpListener;

/// Permissions musync asks for: read every playlist (private and
/// collaborative ones too), change playlists, read and change Liked Songs.
pub const SCOPES: &str = "playlist-read-private playlist-read-collaborative \
playlist-modify-private playlist-modify-public user-library-read user-library-modify";

const OP: &str = "signing in";

/// Options of [`sign_in`]. Start from [`SpotifySignIn::new`].
pub struct SpotifySignIn {
    /// The Client ID of the user's own Spotify app.
    pub client_id: String,
    /// Loopback port of the redirect URI (`0` picks a free one: tests only,
    /// as Spotify requires the exact registered URI).
    pub port: u16,
    /// Open the URL in the default browser (failure is not fatal).
    pub open_browser: bool,
    /// Web API base URL.
    pub api_url: String,
    /// Accounts service base URL.
    pub accounts_url: String,
    /// How long to wait for the browser to come back.
    pub timeout: Duration,
    /// Called with the authorization URL, always (print it: the browser may
    /// not open, e.g. over SSH).
    pub on_url: Box<dyn Fn(&str) + Send + Sync>,
}

impl SpotifySignIn {
    /// Defaults: [`DEFAULT_PORT`], open the browser, endpoints from
    /// `MUSYNC_SPOTIFY_API_URL` / `MUSYNC_SPOTIFY_ACCOUNTS_URL` or the real
    /// service, 5 minutes to answer, the URL printed on stderr.
    pub fn new(client_id: impl Into<String>) -> Self {
        SpotifySignIn {
            client_id: client_id.into(),
            port: DEFAULT_PORT,
            open_browser: true,
            api_url: musync_http::endpoint("MUSYNC_SPOTIFY_API_URL", DEFAULT_API_URL),
            accounts_url: musync_http::endpoint(
                "MUSYNC_SPOTIFY_ACCOUNTS_URL",
                DEFAULT_ACCOUNTS_URL,
            ),
            timeout: Duration::from_secs(300),
            on_url: Box::new(|url| {
                eprintln!("Open this address in a browser to sign in to Spotify:\n  {url}")
            }),
        }
    }
}

fn err(kind: ErrorKind, message: impl Into<String>) -> ServiceError {
    ServiceError::new(kind, "Spotify", OP, message)
}

/// Signs a user in and returns the account to remember (`spotify-<user
/// id>`) with its tokens as secrets (`access_token`, `refresh_token`,
/// `expires_at`).
pub async fn sign_in(opts: SpotifySignIn) -> Result<NewAccount, ServiceError> {
    if opts.client_id.trim().is_empty() {
        return Err(err(
            ErrorKind::InvalidInput,
            "a Client ID is needed: create an app in the Spotify developer dashboard and pass \
             its Client ID with --client-id",
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|e| {
            err(
                ErrorKind::Io,
                format!(
                    "could not listen on 127.0.0.1:{} for Spotify's answer ({e}); close what \
                     uses that port, or pick another with --port and add \
                     http://127.0.0.1:PORT/callback to your app's Redirect URIs",
                    opts.port
                ),
            )
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| err(ErrorKind::Io, format!("the loopback listener failed: {e}")))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let (verifier, challenge) = pkce_pair();
    let state = random_state();
    let accounts = opts.accounts_url.trim_end_matches('/');
    let url = url::Url::parse_with_params(
        &format!("{accounts}/authorize"),
        [
            ("client_id", opts.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_challenge_method", "S256"),
            ("code_challenge", challenge.as_str()),
            ("state", state.as_str()),
            ("scope", SCOPES),
        ],
    )
    .map_err(|e| {
        err(
            ErrorKind::InvalidInput,
            format!("the Spotify accounts URL {accounts:?} is not valid ({e})"),
        )
    })?
    .to_string();

    (opts.on_url)(&url);
    if opts.open_browser
        && let Err(e) = musync_http::open_in_browser(&url)
    {
        tracing::warn!(error = %e, "could not open a browser; open the printed address by hand");
    }
    let code = wait_for_code(WaitFor {
        listener: Some(listener),
        accept_paste: false,
        state,
        timeout: opts.timeout,
        service: "Spotify",
    })
    .await
    .map_err(|refusal| {
        refusal.into_error(
            "Spotify",
            OP,
            &redirect_uri,
            "this exact address is among your Spotify app's Redirect URIs",
        )
    })?;

    let endpoint = crate::token::endpoint(&opts.accounts_url, &opts.client_id)?;
    let tokens = endpoint
        .exchange_code(&code, &redirect_uri, &verifier)
        .await?;
    let me = current_user(&opts.api_url, &tokens).await?;
    tracing::info!(user = %me.id, "signed in to Spotify");

    let mut settings = serde_json::json!({"user_id": me.id, "client_id": opts.client_id});
    // Remember non-default endpoints (a proxy, the demo fake) so the account
    // keeps working without the environment variables.
    if opts.api_url.trim_end_matches('/') != DEFAULT_API_URL {
        settings["api_url"] = serde_json::json!(opts.api_url);
    }
    if accounts != DEFAULT_ACCOUNTS_URL {
        settings["accounts_url"] = serde_json::json!(opts.accounts_url);
    }
    let name = me
        .display_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| me.id.clone());
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(format!("spotify-{}", me.id)),
            service: crate::KIND.into(),
            name,
            settings,
        },
        secrets: tokens.secrets(),
    })
}

/// `GET /me` with a fresh token.
async fn current_user(api_url: &str, tokens: &TokenSet) -> Result<wire::User, ServiceError> {
    let http = musync_http::Client::builder("Spotify")
        .classify(crate::error::classify_api)
        .build()?;
    let url = format!("{}/me", api_url.trim_end_matches('/'));
    let resp = http
        .send("reading the signed-in user", |c| {
            c.get(&url).bearer_auth(tokens.access.expose())
        })
        .await?;
    resp.json("Spotify", "reading the signed-in user")
}
