//! The Subsonic entry in musync's service registry, and sign-in: check the
//! address and credentials with `ping` (token first, the password where
//! the server refuses tokens, or an API key), read the OpenSubsonic
//! extensions, and keep what worked in the account's settings.

use crate::auth::AuthMethod;
use crate::client::{Timing, host_port, rest_url};
use crate::service::{Connection, SubsonicService};
use crate::{MAX_BATCH, STARRED_ID};
use musync_core::{
    Account, AccountId, BoxFuture, Capabilities, Checked, ErrorKind, NewAccount, OptionInfo,
    OptionInput, Secret, ServiceError, ServiceKind, SignInRequest,
};
use std::sync::Arc;

/// Subsonic's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("subsonic", "Subsonic");

/// What a Subsonic server can do in musync.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: true,
    search_isrc: false,
    track_isrc: false,
    add_tracks: true,
    add_unlisted: false,
    create_playlist: true,
    add_max_batch: Some(MAX_BATCH),
    remove_tracks: true,
    remove_max_batch: Some(MAX_BATCH),
    playlist_max_tracks: None,
    library_playlist: Some(STARRED_ID),
};

/// Subsonic in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "a Subsonic/OpenSubsonic server (Navidrome, Gonic, Airsonic, Supysonic, Ampache, LMS …): your playlists and starred songs (read and write)",
    sign_in_help: "Give the server's base address (musync adds /rest/) and your user name; the \
                   password, or an API key where the server issues them (OpenSubsonic), is read \
                   from standard input (--password-stdin or --api-key-stdin), never from the \
                   command line, and kept in musync's secret store.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text(
            "url",
            "the server's base address, e.g. https://music.example.org",
        )
        .required(),
        OptionInfo::text("user", "your user name on the server").required(),
        OptionInfo::text("password", "password")
            .secret()
            .input(OptionInput::Stdin),
        OptionInfo::text("api-key", "API key")
            .secret()
            .input(OptionInput::Stdin),
    ],
    playlist_link: None,
    sign_in: Some(sign_in_request),
    open: |account, secrets| Ok(Arc::new(Checked(SubsonicService::open(account, secrets)?))),
};

use musync_core::ServiceInfo;

/// What a sign-in needs.
#[derive(Clone)]
pub struct SubsonicSignIn {
    /// The server's base address.
    pub url: String,
    /// The user name (the API key's owner wins when the server says).
    pub user: String,
    /// The password (trailing line ending removed) …
    pub password: Option<Secret>,
    /// … or an OpenSubsonic API key.
    pub api_key: Option<Secret>,
    /// Timeouts and retries.
    pub timing: Timing,
}

fn sign_in_request(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    let opts = (|| {
        Ok::<_, ServiceError>(SubsonicSignIn {
            url: req.required_value("url")?.to_owned(),
            user: req.required_value("user")?.to_owned(),
            password: req.secret("password").cloned(),
            api_key: req.secret("api-key").cloned(),
            timing: Timing::default(),
        })
    })();
    Box::pin(async move { sign_in(opts?).await })
}

/// A line ending left on a secret read from a pipe is not part of it.
fn trimmed(s: &Secret) -> Secret {
    Secret::new(s.expose().trim_end_matches(['\n', '\r']))
}

/// Signs in: the account to store, with its password or API key.
pub async fn sign_in(opts: SubsonicSignIn) -> Result<NewAccount, ServiceError> {
    let op = "signing in";
    let rest = rest_url(&opts.url)
        .map_err(|m| ServiceError::new(ErrorKind::InvalidInput, "Subsonic", op, m))?;
    let (secret, method, key) = match (&opts.api_key, &opts.password) {
        (Some(k), _) => (trimmed(k), AuthMethod::ApiKey, "api_key"),
        (None, Some(p)) => (trimmed(p), AuthMethod::Token, "password"),
        (None, None) => {
            return Err(ServiceError::new(
                ErrorKind::InvalidInput,
                "Subsonic",
                op,
                "musync needs the password (or an API key)",
            )
            .with_hint(
                "pipe it in: musync accounts add subsonic --url URL --user NAME --password-stdin",
            ));
        }
    };
    if secret.expose().is_empty() {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            "Subsonic",
            op,
            "the password is empty",
        ));
    }
    let mut base = rest.clone();
    base.set_path(rest.path().trim_end_matches('/').trim_end_matches("rest"));
    let base = base.as_str().trim_end_matches('/').to_owned();
    let svc = SubsonicService::connect(Connection {
        url: base.clone(),
        user: opts.user.clone(),
        secret: secret.clone(),
        method,
        form_post: false,
        timing: opts.timing,
    })?;
    svc.ping().await?;
    let user = if method == AuthMethod::ApiKey {
        svc.key_owner().await.unwrap_or_else(|_| opts.user.clone())
    } else {
        opts.user.clone()
    };
    let extensions = svc.extensions().await?;
    let learned = svc.auth_method();
    let server = host_port(&rest).replace(':', "-");
    let id = format!("subsonic-{}@{server}", user.replace(':', "_"));
    tracing::info!(account = %id, auth = learned.as_str(), "signed in to a Subsonic server");
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(id),
            service: KIND.into(),
            name: format!("{user} on {}", host_port(&rest)),
            settings: serde_json::json!({
                "url": base,
                "user": user,
                "auth": learned.as_str(),
                "extensions": extensions,
            }),
        },
        secrets: vec![(key.to_owned(), secret)],
    })
}
