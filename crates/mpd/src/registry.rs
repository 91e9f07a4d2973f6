//! MPD's entry in musync's service registry, and sign-in: connect, send
//! the password when given, check that stored playlists can be read.

use crate::service::MpdService;
use crate::{DEFAULT_HOST, DEFAULT_PORT, MAX_BATCH};
use musync_core::{
    Account, AccountId, BoxFuture, Capabilities, Checked, ErrorKind, NewAccount, OptionInfo,
    OptionInput, Secret, ServiceError, ServiceInfo, ServiceKind, SignInRequest,
};
use std::sync::Arc;
use std::time::Duration;

/// MPD's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("mpd", "MPD");

/// What MPD can do in musync.
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
    library_playlist: None,
};

/// MPD in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "MPD stored playlists (read and write; songs must be in MPD's database)",
    sign_in_help: "Give MPD's host and port (default MPD_HOST/MPD_PORT, then 127.0.0.1:6600); \
                   if mpd.conf sets a password, pipe it in with --password-stdin.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text("host", "the host MPD listens on")
            .with_env("MPD_HOST")
            .default_value(DEFAULT_HOST),
        OptionInfo::text("port", "MPD's TCP port")
            .input(OptionInput::Port)
            .with_env("MPD_PORT")
            .default_value("6600"),
        OptionInfo::text("password", "MPD password")
            .secret()
            .input(OptionInput::Stdin),
    ],
    playlist_link: None,
    sign_in: Some(sign_in_request),
    open: |account, secrets| Ok(Arc::new(Checked(MpdService::open(account, secrets)?))),
};

/// What a sign-in needs.
#[derive(Clone, Debug)]
pub struct MpdSignIn {
    /// Host name or address (`PASSWORD@HOST`, as in `MPD_HOST`, also works).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The password, when mpd.conf sets one.
    pub password: Option<Secret>,
    /// How long to wait for an answer.
    pub timeout: Duration,
}

fn sign_in_request(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    let opts = (|| {
        Ok::<_, ServiceError>(MpdSignIn {
            host: req.value("host").unwrap_or(DEFAULT_HOST).to_owned(),
            port: req.port("port")?.unwrap_or(DEFAULT_PORT),
            password: req.secret("password").cloned(),
            timeout: Duration::from_secs(20),
        })
    })();
    Box::pin(async move { sign_in(opts?).await })
}

/// Signs in: checks that MPD answers and accepts the password.
pub async fn sign_in(opts: MpdSignIn) -> Result<NewAccount, ServiceError> {
    let (mut password, host) = match opts.host.rsplit_once('@') {
        Some((p, h)) if !p.is_empty() => (Some(Secret::new(p)), h.to_owned()),
        _ => (None, opts.host.clone()),
    };
    if let Some(p) = &opts.password {
        password = Some(Secret::new(p.expose().trim_end_matches(['\n', '\r'])));
    }
    if host.starts_with('/') || host.starts_with('@') {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            "MPD",
            "signing in",
            format!("musync talks to MPD over TCP, not a local socket ({host})"),
        )
        .with_hint("give --host 127.0.0.1 and MPD's port (bind_to_address/port in mpd.conf)"));
    }
    let svc = MpdService::connect(&host, opts.port, password.clone(), opts.timeout);
    svc.check().await?;
    let id = format!("mpd-{}-{}", host.replace(':', "_"), opts.port);
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(id),
            service: KIND.into(),
            name: format!("MPD at {host}:{}", opts.port),
            settings: serde_json::json!({ "host": host, "port": opts.port }),
        },
        secrets: password
            .into_iter()
            .map(|p| ("password".to_owned(), p))
            .collect(),
    })
}
