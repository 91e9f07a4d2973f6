//! Signing in to TIDAL as a desktop app (RFC 8252, RFC 7636): OAuth 2.1
//! authorization code with PKCE (S256) on the login host, the code
//! exchanged on the auth host, and the answer received by a one-shot
//! loopback listener on `127.0.0.1` — or, where the browser cannot reach
//! that listener (another machine, SSH), by the person pasting the address
//! the browser ended on. The pasted line is read from standard input, a
//! terminal or a pipe alike. `state` ties either answer to this sign-in.
//!
//! musync asks only for third-party scopes; `r_usr`/`w_usr` belong to
//! TIDAL's own apps. Each person registers their own app at
//! developer.tidal.com with the redirect URI `http://127.0.0.1:8898/callback`.

use crate::model as wire;
use crate::token::{TokenEndpoint, TokenSet};
use crate::{DEFAULT_API_URL, DEFAULT_AUTH_URL, DEFAULT_LOGIN_URL, DEFAULT_PORT, SCOPES};
use base64::Engine;
use musync_core::{Account, AccountId, ErrorKind, NewAccount, Secret, ServiceError};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const OP: &str = "signing in";

/// Options of [`sign_in`]. Start from [`TidalSignIn::new`].
pub struct TidalSignIn {
    /// The Client ID of the person's own TIDAL developer app.
    pub client_id: String,
    /// Loopback port of the redirect URI (`0` picks a free one: tests only).
    pub port: u16,
    /// Open the address in the default browser (failure is not fatal).
    pub open_browser: bool,
    /// Also accept the final address pasted on standard input.
    pub accept_paste: bool,
    /// API base (with `/v2`).
    pub api_url: String,
    /// Login host (`{login}/authorize`).
    pub login_url: String,
    /// Auth host (`{auth}/v1/oauth2/token`).
    pub auth_url: String,
    /// How long to wait for the answer.
    pub timeout: Duration,
    /// Called with the authorization address, always.
    pub on_url: Box<dyn Fn(&str) + Send + Sync>,
}

impl TidalSignIn {
    /// Defaults: [`DEFAULT_PORT`], open the browser, accept a pasted
    /// address, endpoints from `MUSYNC_TIDAL_*` or the real hosts, five
    /// minutes, the address printed on stderr.
    pub fn new(client_id: impl Into<String>) -> Self {
        TidalSignIn {
            client_id: client_id.into(),
            port: DEFAULT_PORT,
            open_browser: true,
            accept_paste: true,
            api_url: musync_http::endpoint("MUSYNC_TIDAL_API_URL", DEFAULT_API_URL),
            login_url: musync_http::endpoint("MUSYNC_TIDAL_LOGIN_URL", DEFAULT_LOGIN_URL),
            auth_url: musync_http::endpoint("MUSYNC_TIDAL_AUTH_URL", DEFAULT_AUTH_URL),
            timeout: Duration::from_secs(300),
            on_url: Box::new(|url| {
                eprintln!("Open this address in a browser to sign in to TIDAL:\n  {url}")
            }),
        }
    }
}

/// A PKCE verifier (64 unreserved characters) and its S256 challenge.
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
    ServiceError::new(kind, "TIDAL", OP, message)
}

/// The authorization address.
pub(crate) fn authorize_url(
    login_url: &str,
    client_id: &str,
    redirect_uri: &str,
    challenge: &str,
    state: &str,
) -> Result<String, ServiceError> {
    let login = login_url.trim_end_matches('/');
    url::Url::parse_with_params(
        &format!("{login}/authorize"),
        [
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("scope", SCOPES),
            ("code_challenge_method", "S256"),
            ("code_challenge", challenge),
            ("state", state),
        ],
    )
    .map(|u| u.to_string())
    .map_err(|e| {
        err(
            ErrorKind::InvalidInput,
            format!("the TIDAL login URL {login:?} is not valid ({e})"),
        )
    })
}

/// Signs a person in and returns the account (`tidal-<user id>`) with its
/// tokens as secrets (`access_token`, `refresh_token`, `expires_at`).
pub async fn sign_in(opts: TidalSignIn) -> Result<NewAccount, ServiceError> {
    if opts.client_id.trim().is_empty() {
        return Err(err(
            ErrorKind::InvalidInput,
            "a Client ID is needed: create an app at developer.tidal.com and pass its Client ID \
             with --client-id",
        ));
    }
    let listener = match TcpListener::bind(("127.0.0.1", opts.port)).await {
        Ok(l) => Some(l),
        Err(e) if opts.accept_paste => {
            tracing::warn!(port = opts.port, error = %e, "cannot listen on the loopback port; only a pasted address will do");
            eprintln!(
                "musync cannot listen on 127.0.0.1:{} ({e}); after approving, paste the address \
                 the browser shows.",
                opts.port
            );
            None
        }
        Err(e) => {
            return Err(err(
                ErrorKind::Io,
                format!(
                    "could not listen on 127.0.0.1:{} for TIDAL's answer ({e}); close what uses \
                     that port, or pick another with --port and register \
                     http://127.0.0.1:PORT/callback in your app",
                    opts.port
                ),
            ));
        }
    };
    let port = match &listener {
        Some(l) => l
            .local_addr()
            .map_err(|e| err(ErrorKind::Io, format!("the loopback listener failed: {e}")))?
            .port(),
        None => opts.port,
    };
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let (verifier, challenge) = pkce_pair();
    let state = Alphanumeric.sample_string(&mut rand::rng(), 32);
    let url = authorize_url(
        &opts.login_url,
        &opts.client_id,
        &redirect_uri,
        &challenge,
        &state,
    )?;

    (opts.on_url)(&url);
    if opts.accept_paste {
        eprintln!(
            "If the browser cannot reach this computer's 127.0.0.1 (another machine, SSH), \
             paste the address it ends on here and press Enter."
        );
    }
    if opts.open_browser
        && let Err(e) = musync_http::open_in_browser(&url)
    {
        tracing::warn!(error = %e, "could not open a browser; open the printed address by hand");
    }
    let code = wait_for_code(
        listener,
        opts.accept_paste,
        state,
        opts.timeout,
        &redirect_uri,
    )
    .await?;

    let endpoint = TokenEndpoint::new(&opts.auth_url, &opts.client_id)?;
    let tokens = endpoint
        .exchange_code(&code, &redirect_uri, &verifier)
        .await?;
    let me = current_user(&opts.api_url, &tokens).await?;
    let country = me
        .attributes
        .country
        .clone()
        .filter(|c| c.len() == 2)
        .unwrap_or_else(|| "US".to_owned());
    tracing::info!(user = %me.id, %country, "signed in to TIDAL");

    let mut settings =
        serde_json::json!({"user_id": me.id, "client_id": opts.client_id, "country": country});
    for (key, value, default) in [
        ("api_url", &opts.api_url, DEFAULT_API_URL),
        ("login_url", &opts.login_url, DEFAULT_LOGIN_URL),
        ("auth_url", &opts.auth_url, DEFAULT_AUTH_URL),
    ] {
        if value.trim_end_matches('/') != default {
            settings[key] = serde_json::json!(value);
        }
    }
    let name = me
        .attributes
        .username
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| me.id.clone());
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(format!("tidal-{}", me.id)),
            service: crate::KIND.into(),
            name,
            settings,
        },
        secrets: tokens.secrets(),
    })
}

/// `GET /users/me` with the new token.
async fn current_user(api_url: &str, tokens: &TokenSet) -> Result<wire::Resource, ServiceError> {
    let op = "reading the signed-in user";
    let http = musync_http::Client::builder("TIDAL")
        .classify(crate::error::classify_api)
        .build()?;
    let url = format!("{}/users/me", api_url.trim_end_matches('/'));
    let resp = http
        .send(op, |c| {
            c.get(&url)
                .bearer_auth(tokens.access.expose())
                .header(reqwest::header::ACCEPT, crate::client::MEDIA_TYPE)
        })
        .await?;
    let doc: wire::Document<wire::Resource> = resp.json("TIDAL", op)?;
    if doc.data.id.trim().is_empty() || doc.data.id.contains(':') {
        return Err(err(
            ErrorKind::Protocol,
            "TIDAL sent a user without a usable id",
        ));
    }
    Ok(doc.data)
}

/// What one answer (a loopback request or a pasted line) said.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    Code(String),
    WrongState,
    Denied(String),
    Malformed,
}

/// Reads the answer from the query of the redirect address.
pub(crate) fn read_answer(query: &str, state: &str) -> Answer {
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
    if got_state.as_deref() != Some(state) {
        Answer::WrongState
    } else if let Some(e) = error {
        Answer::Denied(e)
    } else if let Some(c) = code.filter(|c| !c.is_empty()) {
        Answer::Code(c)
    } else {
        Answer::Malformed
    }
}

/// The query of a pasted line: a full address, or just its `?…` part.
pub(crate) fn pasted_query(line: &str) -> Option<&str> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let query = match line.split_once('?') {
        Some((_, q)) => q,
        None => line,
    };
    let query = query.split('#').next().unwrap_or(query);
    (query.contains("code=") || query.contains("error=")).then_some(query)
}

/// Lines of standard input, read by one thread for the whole process (a
/// blocking read cannot be cancelled; the thread ends at end of input).
fn stdin_lines() -> &'static tokio::sync::Mutex<mpsc::UnboundedReceiver<String>> {
    static LINES: OnceLock<tokio::sync::Mutex<mpsc::UnboundedReceiver<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let (tx, rx) = mpsc::unbounded_channel();
        let spawned = std::thread::Builder::new()
            .name("musync-tidal-paste".into())
            .spawn(move || {
                let mut line = String::new();
                while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                    if tx.send(std::mem::take(&mut line)).is_err() {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot read pasted addresses");
        }
        tokio::sync::Mutex::new(rx)
    })
}

fn answer_error(answer: Answer, redirect_uri: &str) -> ServiceError {
    match answer {
        Answer::Code(_) => unreachable!("a code is not an error"),
        Answer::WrongState => err(
            ErrorKind::InvalidInput,
            "the answer does not belong to this sign-in (state mismatch); nothing was saved: \
             start the sign-in again",
        ),
        Answer::Denied(reason) if reason == "access_denied" => err(
            ErrorKind::PermissionDenied,
            "the sign-in was cancelled in the browser (access_denied): musync needs you to allow \
             access to read and update your playlists and favourites",
        ),
        Answer::Denied(reason) => err(
            ErrorKind::PermissionDenied,
            format!(
                "TIDAL refused the sign-in ({reason}); check that your app at developer.tidal.com \
                 lists the redirect URI {redirect_uri} and the scopes {SCOPES}"
            ),
        ),
        Answer::Malformed => err(
            ErrorKind::Protocol,
            "the answer held no sign-in code; start the sign-in again",
        ),
    }
}

/// Waits for the first answer from the loopback listener or a pasted
/// line, until the time is up. Pasted lines that are not an answer are
/// ignored (a stray Enter).
async fn wait_for_code(
    listener: Option<TcpListener>,
    accept_paste: bool,
    state: String,
    timeout: Duration,
    redirect_uri: &str,
) -> Result<String, ServiceError> {
    let state = Arc::new(state);
    let (tx, mut rx) = mpsc::channel::<Answer>(4);
    let deadline = tokio::time::Instant::now() + timeout;
    // Another sign-in already reading pastes keeps them; this one still
    // gets its loopback answer.
    let mut lines = if accept_paste {
        stdin_lines().try_lock().ok()
    } else {
        None
    };
    loop {
        tokio::select! {
            accepted = async { listener.as_ref().expect("guarded").accept().await }, if listener.is_some() => {
                let Ok((stream, _)) = accepted else { continue };
                tokio::spawn(handle_connection(stream, state.clone(), tx.clone()));
            }
            line = async { lines.as_mut().expect("guarded").recv().await }, if lines.is_some() => {
                match line {
                    None => lines = None, // end of input: the loopback may still answer
                    Some(line) => {
                        if let Some(q) = pasted_query(&line) {
                            match read_answer(q, &state) {
                                Answer::Code(c) => return Ok(c),
                                other => return Err(answer_error(other, redirect_uri)),
                            }
                        }
                    }
                }
            }
            Some(answer) = rx.recv() => {
                return match answer {
                    Answer::Code(c) => Ok(c),
                    other => Err(answer_error(other, redirect_uri)),
                };
            }
            _ = tokio::time::sleep_until(deadline) => {
                return Err(err(
                    ErrorKind::Unavailable,
                    format!(
                        "timed out after {} s waiting for the browser to come back to {redirect_uri}; \
                         start the sign-in again, and check that this exact address is a redirect \
                         URI of your TIDAL app",
                        timeout.as_secs().max(1)
                    ),
                )
                .with_temporary(false));
            }
        }
    }
}

const PAGE_OK: &str = "<!doctype html><meta charset=utf-8><title>musync</title>\
<h1>Signed in to TIDAL</h1><p>You can close this tab and go back to musync.</p>";
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
    let answer = read_answer(query, &state);
    let (status, page) = match &answer {
        Answer::Code(_) => ("200 OK", PAGE_OK),
        Answer::Denied(_) => ("200 OK", PAGE_DENIED),
        Answer::WrongState | Answer::Malformed => ("400 Bad Request", PAGE_BAD),
    };
    let _ = respond(&mut stream, status, page).await;
    let _ = tx.send(answer).await;
}

/// Reads the request head and returns the target of a GET.
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
    fn pkce_follows_rfc_7636() {
        let (verifier, challenge) = pkce_pair();
        assert_eq!(challenge, s256(verifier.expose()));
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_authorize_address_has_state_and_only_third_party_scopes() {
        let u = authorize_url(
            "https://login.tidal.com/",
            "cid",
            "http://127.0.0.1:8898/callback",
            "ch",
            "st",
        )
        .unwrap();
        let u = url::Url::parse(&u).unwrap();
        assert_eq!(u.path(), "/authorize");
        let get = |k: &str| {
            u.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        assert_eq!(get("state").as_deref(), Some("st"));
        assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
        let scope = get("scope").unwrap();
        assert!(scope.contains("playlists.write") && scope.contains("collection.write"));
        assert!(
            !scope.contains("r_usr") && !scope.contains("w_usr"),
            "{scope}"
        );
    }

    #[test]
    fn pasted_addresses_are_read_with_their_state() {
        let q = pasted_query("  http://127.0.0.1:8898/callback?code=abc&state=s1\n").unwrap();
        assert_eq!(read_answer(q, "s1"), Answer::Code("abc".into()));
        assert_eq!(read_answer(q, "other"), Answer::WrongState);
        let q = pasted_query("?error=access_denied&state=s1").unwrap();
        assert_eq!(read_answer(q, "s1"), Answer::Denied("access_denied".into()));
        assert!(pasted_query("\n").is_none());
        assert!(pasted_query("hello").is_none());
    }
}
