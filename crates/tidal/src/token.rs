//! OAuth tokens of one account: the access token to send, renewal with the
//! refresh token (before a call when the expiry is near, and on a 401
//! through the shared layer's [`SessionRefresh`]), and persisting renewed
//! tokens so the next run starts signed in.
//!
//! TIDAL's refresh answer usually carries no new refresh token: the old one
//! is kept. A refused refresh (revoked access) is remembered, so every
//! later call fails at once with "sign in again" instead of asking the
//! auth host again: a whole sync makes at most one such token request.

use crate::error::sign_in_hint;
use crate::model as wire;
use async_trait::async_trait;
use musync_core::{AccountId, ErrorKind, Secret, SecretStore, ServiceError};
use musync_http::{Client, SessionRefresh};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Renew this many seconds before the stated expiry (a quarter of the
/// lifetime for short-lived tokens).
const EXPIRY_MARGIN_S: u64 = 120;

pub(crate) const KEY_ACCESS: &str = "access_token";
pub(crate) const KEY_REFRESH: &str = "refresh_token";
pub(crate) const KEY_EXPIRES: &str = "expires_at";

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
    pub lifetime_s: Option<u64>,
}

impl TokenSet {
    fn margin_s(&self) -> u64 {
        self.lifetime_s
            .map_or(EXPIRY_MARGIN_S, |l| (l / 4).min(EXPIRY_MARGIN_S))
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

/// The auth host's token endpoint (`POST {auth}/v1/oauth2/token`).
pub(crate) struct TokenEndpoint {
    http: Client,
    url: String,
    pub client_id: String,
}

impl TokenEndpoint {
    pub fn new(auth_url: &str, client_id: &str) -> Result<Self, ServiceError> {
        Ok(TokenEndpoint {
            http: Client::builder("TIDAL")
                .classify(crate::error::classify_token)
                .build()?,
            url: format!("{}/v1/oauth2/token", auth_url.trim_end_matches('/')),
            client_id: client_id.to_owned(),
        })
    }

    /// Posts a token request once: a code is single-use and a refresh may
    /// rotate the refresh token, so a blind resend could fail where the
    /// first attempt had succeeded (429 is still waited out).
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
        let t: wire::TokenResponse = resp.json("TIDAL", op)?;
        let refresh = match (t.refresh_token, old_refresh) {
            (Some(r), _) if !r.is_empty() => Secret::new(r),
            (_, Some(old)) => old.clone(),
            _ => {
                return Err(ServiceError::new(
                    ErrorKind::Protocol,
                    "TIDAL",
                    op,
                    "the auth service sent no refresh token",
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
            ("client_id", self.client_id.as_str()),
            ("code", code),
            ("code_verifier", verifier.expose()),
            ("redirect_uri", redirect_uri),
            ("scope", crate::SCOPES),
        ];
        self.post("exchanging the sign-in code", &form, None)
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    // Here a refused grant means the code or verifier did
                    // not match, not an old sign-in.
                    e.kind = ErrorKind::InvalidInput;
                    e.message = format!(
                        "TIDAL refused the sign-in code ({}); start the sign-in again",
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
            ("client_id", self.client_id.as_str()),
            ("refresh_token", refresh.expose()),
            ("scope", crate::SCOPES),
        ];
        self.post("renewing the sign-in", &form, Some(refresh))
            .await
            .map_err(|mut e| {
                if e.kind == ErrorKind::AuthExpired {
                    e.message = "TIDAL sign-in expired or was revoked: TIDAL no longer accepts \
                                 the saved refresh token"
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
    renewing: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    /// Set when the refresh token was refused: the message to repeat.
    dead: Mutex<Option<(String, Option<u16>)>>,
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
            renewing: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            dead: Mutex::new(None),
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

    fn dead_error(&self) -> Option<ServiceError> {
        let dead = self.dead.lock().expect("token lock");
        dead.as_ref().map(|(message, status)| {
            let mut e = ServiceError::new(
                ErrorKind::AuthExpired,
                "TIDAL",
                "renewing the sign-in",
                message.clone(),
            )
            .with_hint(sign_in_hint(&self.endpoint.client_id));
            e.status = *status;
            e
        })
    }

    /// Renews the access token first when it has expired or is about to.
    pub async fn ensure_fresh(&self) -> Result<(), ServiceError> {
        if let Some(e) = self.dead_error() {
            return Err(e);
        }
        if !self.expiring() {
            return Ok(());
        }
        let _guard = self.renewing.lock().await;
        if !self.expiring() {
            return Ok(());
        }
        self.renew_locked().await
    }

    /// Renews unless another renewal finished while we waited.
    async fn renew(&self) -> Result<(), ServiceError> {
        let seen = self.generation.load(Ordering::SeqCst);
        let _guard = self.renewing.lock().await;
        if self.generation.load(Ordering::SeqCst) != seen {
            return Ok(());
        }
        self.renew_locked().await
    }

    async fn renew_locked(&self) -> Result<(), ServiceError> {
        if let Some(e) = self.dead_error() {
            return Err(e);
        }
        let refresh = self.current.lock().expect("token lock").refresh.clone();
        let fresh = match self.endpoint.refresh(&refresh).await {
            Ok(f) => f,
            Err(e) => {
                if e.kind == ErrorKind::AuthExpired {
                    *self.dead.lock().expect("token lock") = Some((e.message.clone(), e.status));
                }
                return Err(e);
            }
        };
        tracing::info!(account = %self.account, "renewed the TIDAL access token");
        for (key, value) in fresh.secrets() {
            if let Err(e) = self.secrets.set(&self.account, &key, &value) {
                tracing::warn!(account = %self.account, key, backend = self.secrets.backend(),
                    error = %e, "could not store the renewed TIDAL token");
            }
        }
        *self.current.lock().expect("token lock") = fresh;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The shared layer calls this once when a request gets a 401.
pub(crate) struct Renew(pub Arc<Tokens>);

#[async_trait]
impl SessionRefresh for Renew {
    async fn refresh(&self) -> Result<(), ServiceError> {
        self.0.renew().await
    }
}
