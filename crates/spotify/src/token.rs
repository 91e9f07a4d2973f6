//! OAuth tokens of one account: the current access token, renewal with the
//! refresh token (before a call when `expires_at` is near, and on a 401
//! through the shared layer's [`SessionRefresh`]), and persisting renewed
//! tokens to the secret store so the next run starts signed in.
//!
//! Renewals are serialised: concurrent calls that all find the token
//! expired renew it once. Spotify may or may not send a new refresh token;
//! when it does, the old one may stop working, so it is stored at once.

use crate::error::sign_in_hint;
use crate::model as wire;
use async_trait::async_trait;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use musync_http::{Client, SessionRefresh};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Renew this many seconds before the token's stated expiry, so a request
/// never leaves with a token that dies on the way; a quarter of the
/// lifetime for short-lived tokens, so they are not renewed before every
/// call.
const EXPIRY_MARGIN_S: u64 = 60;

/// Secret store keys.
pub(crate) const KEY_ACCESS: &str = "access_token";
pub(crate) const KEY_REFRESH: &str = "refresh_token";
pub(crate) const KEY_EXPIRES: &str = "expires_at";

/// Seconds since the Unix epoch.
pub(crate) fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An access/refresh token pair and when the access token expires.
#[derive(Clone)]
pub(crate) struct TokenSet {
    pub access: Secret,
    pub refresh: Secret,
    /// Unix seconds.
    pub expires_at: u64,
    /// Lifetime the accounts service gave, when this set came from it.
    pub lifetime_s: Option<u64>,
}

impl TokenSet {
    /// Seconds before `expires_at` at which to renew.
    fn margin_s(&self) -> u64 {
        self.lifetime_s
            .map_or(EXPIRY_MARGIN_S, |l| (l / 4).min(EXPIRY_MARGIN_S))
    }
}

impl TokenSet {
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

/// The accounts-service client (`POST {accounts}/api/token`).
pub(crate) struct TokenEndpoint {
    pub http: Client,
    pub url: String,
    pub client_id: String,
}

impl TokenEndpoint {
    pub fn new(accounts_url: &str, client_id: &str) -> Result<Self, ServiceError> {
        Ok(TokenEndpoint {
            http: Client::builder("Spotify")
                .classify(crate::error::classify_token)
                .build()?,
            url: format!("{}/api/token", accounts_url.trim_end_matches('/')),
            client_id: client_id.to_owned(),
        })
    }

    /// Posts a token request. Sent once: a code is single-use and a
    /// refresh may rotate the refresh token, so a blind resend could fail
    /// where the first attempt had succeeded.
    async fn post(
        &self,
        op: &str,
        form: &[(&str, &str)],
        old_refresh: Option<&Secret>,
    ) -> Result<TokenSet, ServiceError> {
        let resp = self
            .http
            .send_once(op, |c| c.post(&self.url).form(form))
            .await?;
        let t: wire::TokenResponse = resp.json("Spotify", op)?;
        let refresh = match (t.refresh_token, old_refresh) {
            (Some(r), _) if !r.is_empty() => Secret::new(r),
            (_, Some(old)) => old.clone(),
            _ => {
                return Err(ServiceError::new(
                    ErrorKind::Protocol,
                    "Spotify",
                    op,
                    "the accounts service sent no refresh token",
                ));
            }
        };
        let lifetime = t.expires_in.unwrap_or(3600);
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
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", self.client_id.as_str()),
            ("code_verifier", verifier.expose()),
        ];
        self.post("exchanging the sign-in code", &form, None)
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    // At this point a refused grant means the code or the
                    // verifier did not match, not an old sign-in.
                    e.kind = ErrorKind::InvalidInput;
                    e.message = format!(
                        "Spotify refused the sign-in code ({}); start the sign-in again",
                        e.message
                    );
                    e.hint = None;
                }
                e
            })
    }

    /// Renews the access token.
    pub async fn refresh(&self, refresh: &Secret) -> Result<TokenSet, ServiceError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        self.post("renewing the sign-in", &form, Some(refresh))
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    e.message = "Spotify sign-in expired: Spotify no longer accepts the saved \
                                 refresh token"
                        .to_owned();
                    e.hint = Some(sign_in_hint(&self.client_id));
                }
                e
            })
    }
}

/// The live tokens of one account.
pub(crate) struct Tokens {
    current: Mutex<TokenSet>,
    /// Set once the accounts service refused the refresh token.
    refused: Mutex<Option<ServiceError>>,
    renewing: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    endpoint: TokenEndpoint,
    account: AccountId,
    secrets: Arc<dyn SecretStore>,
}

impl Tokens {
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

    /// The access token to send now.
    pub fn access(&self) -> Secret {
        self.current.lock().expect("token lock").access.clone()
    }

    fn expiring(&self) -> bool {
        let t = self.current.lock().expect("token lock");
        t.expires_at <= now_s() + t.margin_s()
    }

    /// Renews the access token first when it has expired or is about to.
    pub async fn ensure_fresh(&self) -> Result<(), ServiceError> {
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
        // A refused refresh token is refused for good: every later call of
        // this run fails at once instead of asking the accounts service
        // again.
        if let Some(e) = self.refused.lock().expect("token lock").as_ref() {
            return Err(refused_again(e));
        }
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
            tracing::info!(account = %self.account, "using the Spotify token another musync run renewed");
            *self.current.lock().expect("token lock") = stored;
            self.generation.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        let refresh = self.current.lock().expect("token lock").refresh.clone();
        let fresh = match self.endpoint.refresh(&refresh).await {
            Ok(fresh) => fresh,
            Err(e) => {
                if e.kind == ErrorKind::AuthExpired {
                    *self.refused.lock().expect("token lock") = Some(refused_again(&e));
                }
                return Err(e);
            }
        };
        tracing::info!(account = %self.account, "renewed the Spotify access token");
        for (key, value) in fresh.secrets() {
            if let Err(e) = self.secrets.set(&self.account, &key, &value) {
                // The renewed token still works for this run; the next run
                // may have to sign in again if the refresh token rotated.
                tracing::warn!(account = %self.account, key, backend = self.secrets.backend(), error = %e,
                    "could not store the renewed Spotify token");
            }
        }
        *self.current.lock().expect("token lock") = fresh;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl Tokens {
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
        (set.access.expose() != ours.expose() && set.expires_at > now_s() + set.margin_s())
            .then_some(set)
    }
}

/// The error of a refresh token Spotify already refused in this run.
fn refused_again(e: &ServiceError) -> ServiceError {
    let mut again = ServiceError::new(e.kind, e.service.clone(), e.op.clone(), e.message.clone())
        .with_temporary(false);
    again.hint = e.hint.clone();
    again
}

/// The shared layer calls this once when a request gets a 401.
pub(crate) struct Renew(pub Arc<Tokens>);

#[async_trait]
impl SessionRefresh for Renew {
    async fn refresh(&self) -> Result<(), ServiceError> {
        self.0.renew().await
    }
}
