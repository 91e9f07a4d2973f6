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
//! The PKCE pair, the listener (with the paste), and the code exchange are
//! the shared ones of `musync-oauth`.

use crate::model as wire;
use crate::{DEFAULT_API_URL, DEFAULT_AUTH_URL, DEFAULT_LOGIN_URL, DEFAULT_PORT, SCOPES};
use musync_core::{Account, AccountId, ErrorKind, NewAccount, ServiceError};
use musync_oauth::{TokenSet, WaitFor, pkce_pair, random_state, wait_for_code};
use std::time::Duration;
use tokio::net::TcpListener;

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
    let state = random_state();
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
    let code = wait_for_code(WaitFor {
        listener,
        accept_paste: opts.accept_paste,
        state,
        timeout: opts.timeout,
        service: "TIDAL",
    })
    .await
    .map_err(|refusal| {
        let app_help = format!(
            "your app at developer.tidal.com lists the redirect URI {redirect_uri} and the \
             scopes {SCOPES}"
        );
        refusal.into_error("TIDAL", OP, &redirect_uri, &app_help)
    })?;

    let endpoint = crate::token::endpoint(&opts.auth_url, &opts.client_id)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
