//! OAuth tokens: the token endpoint (code exchange and refresh) and the
//! live tokens of one account.
//!
//! [`Tokens`] renews the access token before a call when its expiry is
//! near and, through the shared layer's [`SessionRefresh`], on a 401.
//! Renewals are serialised: concurrent calls that all find the token
//! expired renew it once. Another musync process may renew the same
//! account: renewals take turns through the secret store's account lock and
//! re-read the stored tokens first, so a single-use refresh token is never
//! spent twice. A renewed set is stored at once (a rotated refresh token
//! invalidates the old one). A refused refresh (revoked access) is
//! remembered: every later call of the run fails at once with "sign in
//! again" instead of asking the token endpoint again.

use async_trait::async_trait;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use musync_http::{Classify, Client, SessionRefresh};
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Secret store key of the access token.
pub const KEY_ACCESS: &str = "access_token";
/// Secret store key of the refresh token.
pub const KEY_REFRESH: &str = "refresh_token";
/// Secret store key of the access token's expiry (Unix seconds).
pub const KEY_EXPIRES: &str = "expires_at";

/// Lifetime assumed when the token endpoint states none.
const DEFAULT_LIFETIME_S: u64 = 3600;

/// Seconds since the Unix epoch.
pub fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An access/refresh token pair and when the access token expires.
#[derive(Clone)]
pub struct TokenSet {
    /// Sent as `Authorization: Bearer`.
    pub access: Secret,
    /// Spent to get a new access token.
    pub refresh: Secret,
    /// Unix seconds.
    pub expires_at: u64,
    /// Lifetime the token endpoint gave, when this set came from it.
    pub lifetime_s: Option<u64>,
}

impl TokenSet {
    /// Seconds before `expires_at` at which to renew: `margin_s`, or a
    /// quarter of the lifetime for short-lived tokens, so they are not
    /// renewed before every call.
    fn margin_s(&self, margin_s: u64) -> u64 {
        self.lifetime_s.map_or(margin_s, |l| (l / 4).min(margin_s))
    }

    /// The secrets to store, by key.
    pub fn secrets(&self) -> Vec<(String, Secret)> {
        vec![
            (KEY_ACCESS.to_owned(), self.access.clone()),
            (KEY_REFRESH.to_owned(), self.refresh.clone()),
            (
                KEY_EXPIRES.to_owned(),
                Secret::new(self.expires_at.to_string()),
            ),
        ]
    }
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// How one service's token endpoint is reached and spoken of.
pub struct EndpointConfig {
    /// Display name (`Spotify`), for errors and logs.
    pub service: &'static str,
    /// The full token URL (`…/api/token`, `…/v1/oauth2/token`).
    pub token_url: String,
    /// The Client ID of the person's own app.
    pub client_id: String,
    /// Reads the endpoint's OAuth errors (`invalid_grant` → sign in again).
    pub classify: Classify,
    /// A `scope` sent with both grants, where the service wants it.
    pub scope: Option<&'static str>,
    /// How to sign in again (`musync accounts add …`).
    pub sign_in_hint: String,
    /// Renew this many seconds before the stated expiry, so a request never
    /// leaves with a token that dies on the way.
    pub renew_margin_s: u64,
}

/// A service's token endpoint (`POST` form, public client).
pub struct TokenEndpoint {
    http: Client,
    cfg: EndpointConfig,
}

impl TokenEndpoint {
    /// The endpoint described by `cfg`.
    pub fn new(cfg: EndpointConfig) -> Result<Self, ServiceError> {
        Ok(TokenEndpoint {
            http: Client::builder(cfg.service)
                .classify(cfg.classify)
                .build()?,
            cfg,
        })
    }

    /// The service's display name.
    pub fn service(&self) -> &'static str {
        self.cfg.service
    }

    /// Posts a token request once: a code is single-use and a refresh may
    /// rotate the refresh token, so a blind resend could fail where the
    /// first attempt had succeeded.
    async fn post(
        &self,
        op: &str,
        mut form: Vec<(&str, &str)>,
        old_refresh: Option<&Secret>,
    ) -> Result<TokenSet, ServiceError> {
        form.push(("client_id", self.cfg.client_id.as_str()));
        if let Some(scope) = self.cfg.scope {
            form.push(("scope", scope));
        }
        let url = &self.cfg.token_url;
        let resp = self.http.send_once(op, |c| c.post(url).form(&form)).await?;
        let t: TokenResponse = resp.json(self.cfg.service, op)?;
        let refresh = match (t.refresh_token, old_refresh) {
            (Some(r), _) if !r.is_empty() => Secret::new(r),
            (_, Some(old)) => old.clone(),
            _ => {
                return Err(ServiceError::new(
                    ErrorKind::Protocol,
                    self.cfg.service,
                    op,
                    format!(
                        "{}'s token endpoint sent no refresh token",
                        self.cfg.service
                    ),
                ));
            }
        };
        let lifetime = t.expires_in.unwrap_or(DEFAULT_LIFETIME_S);
        Ok(TokenSet {
            access: Secret::new(t.access_token),
            refresh,
            expires_at: now_s() + lifetime,
            lifetime_s: Some(lifetime),
        })
    }

    /// Exchanges an authorization code (PKCE) for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &Secret,
    ) -> Result<TokenSet, ServiceError> {
        let form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ];
        self.post("exchanging the sign-in code", form, None)
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    // Here a refused grant means the code or the verifier
                    // did not match, not an old sign-in.
                    e.kind = ErrorKind::InvalidInput;
                    e.message = format!(
                        "{} refused the sign-in code ({}); start the sign-in again",
                        self.cfg.service, e.message
                    );
                    e.hint = None;
                }
                e
            })
    }

    /// Renews the access token with `refresh`; keeps `refresh` when the
    /// answer carries no new one.
    pub async fn refresh(&self, refresh: &Secret) -> Result<TokenSet, ServiceError> {
        let form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.expose()),
        ];
        self.post("renewing the sign-in", form, Some(refresh))
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    let s = self.cfg.service;
                    e.message = format!(
                        "{s} sign-in expired or was revoked: {s} no longer accepts the saved \
                         refresh token"
                    );
                    e.hint = Some(self.cfg.sign_in_hint.clone());
                }
                e
            })
    }
}

/// The live tokens of one account.
pub struct Tokens {
    current: Mutex<TokenSet>,
    /// Set once the token endpoint refused the refresh token.
    refused: Mutex<Option<ServiceError>>,
    renewing: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    endpoint: TokenEndpoint,
    account: AccountId,
    secrets: Arc<dyn SecretStore>,
}

impl Tokens {
    /// Live tokens starting from `set`.
    pub fn new(
        set: TokenSet,
        endpoint: TokenEndpoint,
        account: AccountId,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        Tokens {
            current: Mutex::new(set),
            refused: Mutex::new(None),
            renewing: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            endpoint,
            account,
            secrets,
        }
    }

    /// The tokens stored for `account`; an unreadable expiry counts as
    /// expired (renewing once is cheap). Fails with the sign-in hint when
    /// there are none, and names the secret store when it cannot be read.
    pub fn open(
        endpoint: TokenEndpoint,
        account: &AccountId,
        secrets: Arc<dyn SecretStore>,
        op: &str,
    ) -> Result<Self, ServiceError> {
        let service = endpoint.service();
        let read = |key: &str| {
            secrets.get(account, key).map_err(|e| {
                ServiceError::new(
                    ErrorKind::Io,
                    service,
                    op,
                    format!(
                        "could not read the saved sign-in from the {} secret store: {e}",
                        secrets.backend()
                    ),
                )
            })
        };
        let (Some(access), Some(refresh)) = (read(KEY_ACCESS)?, read(KEY_REFRESH)?) else {
            return Err(ServiceError::new(
                ErrorKind::AuthExpired,
                service,
                op,
                format!("no saved {service} sign-in for {account}"),
            )
            .with_hint(endpoint.cfg.sign_in_hint.clone()));
        };
        let expires_at = read(KEY_EXPIRES)?
            .and_then(|s| s.expose().trim().parse::<u64>().ok())
            .unwrap_or(0);
        let set = TokenSet {
            access,
            refresh,
            expires_at,
            lifetime_s: None,
        };
        Ok(Tokens::new(set, endpoint, account.clone(), secrets))
    }

    /// The access token to send now.
    pub fn access(&self) -> Secret {
        self.current.lock().expect("token lock").access.clone()
    }

    fn expiring(&self) -> bool {
        let t = self.current.lock().expect("token lock");
        t.expires_at <= now_s() + t.margin_s(self.endpoint.cfg.renew_margin_s)
    }

    /// The error of a refresh token already refused in this run.
    fn refused(&self) -> Option<ServiceError> {
        self.refused.lock().expect("token lock").as_ref().map(copy)
    }

    /// Renews the access token first when it has expired or is about to;
    /// fails at once when the refresh token was refused earlier in the run.
    pub async fn ensure_fresh(&self) -> Result<(), ServiceError> {
        if let Some(e) = self.refused() {
            return Err(e);
        }
        if !self.expiring() {
            return Ok(());
        }
        let _guard = self.renewing.lock().await;
        if !self.expiring() {
            return Ok(()); // renewed by a concurrent call while we waited
        }
        self.renew_locked().await
    }

    /// Renews unless another renewal finished while we waited for the lock.
    async fn renew(&self) -> Result<(), ServiceError> {
        let seen = self.generation.load(Ordering::SeqCst);
        let _guard = self.renewing.lock().await;
        if self.generation.load(Ordering::SeqCst) != seen {
            return Ok(());
        }
        self.renew_locked().await
    }

    async fn renew_locked(&self) -> Result<(), ServiceError> {
        if let Some(e) = self.refused() {
            return Err(e);
        }
        let service = self.endpoint.service();
        // Another musync process may be renewing this account too. Take
        // turns, then read the stored tokens again: when that process
        // already renewed them, use its tokens (a single-use refresh token
        // must not be spent twice).
        let secrets = self.secrets.clone();
        let account = self.account.clone();
        let _turn = tokio::task::spawn_blocking(move || secrets.lock_account(&account))
            .await
            .ok()
            .and_then(Result::ok);
        if let Some(stored) = self.stored_fresh_tokens() {
            tracing::info!(account = %self.account, service, "using the token another musync run renewed");
            *self.current.lock().expect("token lock") = stored;
            self.generation.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        let refresh = self.current.lock().expect("token lock").refresh.clone();
        let fresh = match self.endpoint.refresh(&refresh).await {
            Ok(fresh) => fresh,
            Err(e) => {
                if e.kind == ErrorKind::AuthExpired {
                    *self.refused.lock().expect("token lock") = Some(copy(&e));
                }
                return Err(e);
            }
        };
        tracing::info!(account = %self.account, service, "renewed the access token");
        for (key, value) in fresh.secrets() {
            if let Err(e) = self.secrets.set(&self.account, &key, &value) {
                // The renewed token still works for this run; the next run
                // may have to sign in again if the refresh token rotated.
                tracing::warn!(account = %self.account, service, key, backend = self.secrets.backend(),
                    error = %e, "could not store the renewed token");
            }
        }
        *self.current.lock().expect("token lock") = fresh;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// The stored tokens, when they differ from ours and are not about to
    /// expire (another process renewed them).
    fn stored_fresh_tokens(&self) -> Option<TokenSet> {
        let get = |key: &str| self.secrets.get(&self.account, key).ok().flatten();
        let access = get(KEY_ACCESS)?;
        let refresh = get(KEY_REFRESH)?;
        let expires_at: u64 = get(KEY_EXPIRES)?.expose().parse().ok()?;
        let ours = self.current.lock().expect("token lock").access.clone();
        let set = TokenSet {
            access,
            refresh,
            expires_at,
            lifetime_s: None,
        };
        let margin = set.margin_s(self.endpoint.cfg.renew_margin_s);
        (set.access.expose() != ours.expose() && set.expires_at > now_s() + margin).then_some(set)
    }

    /// What the shared HTTP layer calls once when a request gets a 401.
    pub fn session_refresh(self: &Arc<Self>) -> Arc<dyn SessionRefresh> {
        Arc::new(Renew(self.clone()))
    }
}

/// `e` without its source (sources need not be `Clone`), final.
fn copy(e: &ServiceError) -> ServiceError {
    let mut again = ServiceError::new(e.kind, e.service.clone(), e.op.clone(), e.message.clone())
        .with_temporary(false);
    again.hint = e.hint.clone();
    again.status = e.status;
    again
}

/// The shared layer's renewal hook for one account's [`Tokens`].
struct Renew(Arc<Tokens>);

#[async_trait]
impl SessionRefresh for Renew {
    async fn refresh(&self) -> Result<(), ServiceError> {
        self.0.renew().await
    }
}
