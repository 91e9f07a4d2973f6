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
//! exactly, hence a fixed default port.

use crate::model as wire;
use crate::token::{TokenEndpoint, TokenSet};
use crate::{DEFAULT_ACCOUNTS_URL, DEFAULT_API_URL, DEFAULT_PORT};
use base64::Engine;
use musync_core::{Account, AccountId, ErrorKind, NewAccount, Secret, ServiceError};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

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

/// A PKCE code verifier (64 unreserved characters, within RFC 7636's
/// 43–128) and its S256 challenge.
pub(crate) fn pkce_pair() -> (Secret, String) {
    let verifier = Alphanumeric.sample_string(&mut rand::rng(), 64);
    let challenge = s256(&verifier);
    (Secret::new(verifier), challenge)
}

/// BASE64URL(SHA256(verifier)) without padding.
pub(crate) fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
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
    let state = Alphanumeric.sample_string(&mut rand::rng(), 32);
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
    let code = wait_for_code(listener, state, opts.timeout, &redirect_uri).await?;

    let endpoint = TokenEndpoint::new(&opts.accounts_url, &opts.client_id)?;
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

/// What one request to the loopback listener said.
enum Answer {
    Code(String),
    WrongState,
    Denied(String),
    Malformed,
}

/// Serves the loopback listener until `/callback` is hit (other paths, such
/// as `/favicon.ico`, get a 404) or the time is up.
async fn wait_for_code(
    listener: TcpListener,
    state: String,
    timeout: Duration,
    redirect_uri: &str,
) -> Result<String, ServiceError> {
    let state = Arc::new(state);
    let (tx, mut rx) = mpsc::channel::<Answer>(4);
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                // One task per connection: a browser's idle pre-connection
                // must not hold up the real request.
                tokio::spawn(handle_connection(stream, state.clone(), tx.clone()));
            }
            Some(answer) = rx.recv() => {
                return match answer {
                    Answer::Code(code) => Ok(code),
                    Answer::WrongState => Err(err(
                        ErrorKind::InvalidInput,
                        "the browser came back with an answer that does not belong to this \
                         sign-in (state mismatch); nothing was saved: start the sign-in again",
                    )),
                    Answer::Denied(reason) if reason == "access_denied" => Err(err(
                        ErrorKind::PermissionDenied,
                        "the sign-in was cancelled in the browser (access_denied): musync needs \
                         you to click \"Agree\" to read and update your playlists",
                    )),
                    Answer::Denied(reason) => Err(err(
                        ErrorKind::PermissionDenied,
                        format!("Spotify refused the sign-in ({reason}); check that the app's \
                                 Redirect URIs include {redirect_uri}"),
                    )),
                    Answer::Malformed => Err(err(
                        ErrorKind::Protocol,
                        "the browser came back without a sign-in code; start the sign-in again",
                    )),
                };
            }
            _ = tokio::time::sleep_until(deadline) => {
                return Err(err(
                    ErrorKind::Unavailable,
                    format!(
                        "timed out after {} s waiting for the browser to come back to {redirect_uri}; \
                         start the sign-in again, and check that this exact address is among your \
                         Spotify app's Redirect URIs",
                        timeout.as_secs().max(1)
                    ),
                )
                .with_temporary(false));
            }
        }
    }
}

const PAGE_OK: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>Signed in to Spotify</h1><p>You can close this tab and go back to musync.</p>";
const PAGE_DENIED: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>Sign-in cancelled</h1><p>musync was not given access. You can close this tab.</p>";
const PAGE_BAD: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>This sign-in answer was refused</h1><p>It does not belong to the sign-in musync is \
waiting for. Close this tab and start the sign-in again.</p>";

async fn handle_connection(mut stream: TcpStream, state: Arc<String>, tx: mpsc::Sender<Answer>) {
    let Some(target) = read_request_target(&mut stream).await else {
        return;
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    if path != "/callback" {
        let _ = respond(
            &mut stream,
            "404 Not Found",
            "<!doctype html><title>Not found</title>",
        )
        .await;
        return;
    }
    let mut code = None;
    let mut got_state = None;
    let mut error = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "code" => code = Some(v.into_owned()),
            "state" => got_state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            _ => {}
        }
    }
    let answer = if got_state.as_deref() != Some(state.as_str()) {
        Answer::WrongState
    } else if let Some(e) = error {
        Answer::Denied(e)
    } else if let Some(c) = code.filter(|c| !c.is_empty()) {
        Answer::Code(c)
    } else {
        Answer::Malformed
    };
    let (status, page) = match &answer {
        Answer::Code(_) => ("200 OK", PAGE_OK),
        Answer::Denied(_) => ("200 OK", PAGE_DENIED),
        Answer::WrongState | Answer::Malformed => ("400 Bad Request", PAGE_BAD),
    };
    let _ = respond(&mut stream, status, page).await;
    let _ = tx.send(answer).await;
}

/// Reads the request head and returns the request target of a GET.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.len() > 16 * 1024 {
                return Some(());
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let head = String::from_utf8_lossy(&buf);
    let line = head.lines().next()?;
    let mut parts = line.split_whitespace();
    if parts.next()? != "GET" {
        return None;
    }
    parts.next().map(str::to_owned)
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_pair_follows_rfc_7636() {
        let (verifier, challenge) = pkce_pair();
        assert!((43..=128).contains(&verifier.expose().len()));
        assert_eq!(challenge, s256(verifier.expose()));
        assert_eq!(challenge.len(), 43, "SHA-256 in unpadded base64url");
        assert!(!challenge.contains('='));
        // RFC 7636 appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_ne!(pkce_pair().0, verifier, "a new verifier every time");
    }
}
