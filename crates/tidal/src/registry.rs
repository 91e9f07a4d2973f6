//! TIDAL's entry in musync's service registry.

use crate::{DEFAULT_API_URL, DEFAULT_AUTH_URL, DEFAULT_LOGIN_URL, LIKED_ID};
use musync_core::{
    BoxFuture, Capabilities, Checked, NewAccount, OptionInfo, OptionInput, ServiceError,
    ServiceInfo, ServiceKind, SignInRequest,
};
use std::sync::Arc;

/// TIDAL's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("tidal", "TIDAL");

/// What TIDAL can do in musync.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: true,
    search_isrc: true,
    track_isrc: true,
    add_tracks: true,
    add_unlisted: false,
    create_playlist: true,
    add_max_batch: Some(crate::client::WRITE_MAX),
    remove_tracks: true,
    remove_max_batch: Some(crate::client::WRITE_MAX),
    playlist_max_tracks: None,
    library_playlist: Some(LIKED_ID),
};

/// TIDAL in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "your playlists and favourite tracks (read and write), on TIDAL's official API",
    sign_in_help: "Register an app at developer.tidal.com with the redirect URI \
                   http://127.0.0.1:PORT/callback (port 8898 unless you choose another) and the \
                   scopes playlists.read playlists.write collection.read collection.write \
                   search.read user.read, and give its client id; musync then shows an address \
                   where you allow it. If the browser cannot reach this computer, paste the \
                   address it ends on.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text("client-id", "the client id of your TIDAL developer app")
            .required()
            .with_env("MUSYNC_TIDAL_CLIENT_ID"),
        OptionInfo::text("port", "loopback port of the redirect address")
            .input(OptionInput::Port)
            .default_value("8898"),
        OptionInfo::text(
            "no-browser",
            "print the sign-in address without opening a browser",
        )
        .input(OptionInput::Flag),
        OptionInfo::env(
            "api-url",
            "TIDAL API root (with /v2)",
            "MUSYNC_TIDAL_API_URL",
            DEFAULT_API_URL,
        ),
        OptionInfo::env(
            "login-url",
            "TIDAL login host (authorize page)",
            "MUSYNC_TIDAL_LOGIN_URL",
            DEFAULT_LOGIN_URL,
        ),
        OptionInfo::env(
            "auth-url",
            "TIDAL auth host (token endpoint)",
            "MUSYNC_TIDAL_AUTH_URL",
            DEFAULT_AUTH_URL,
        ),
    ],
    playlist_link: Some(crate::playlist_id_from_link),
    sign_in: Some(sign_in),
    open: |account, secrets| {
        Ok(Arc::new(Checked(crate::TidalService::open(
            account, secrets,
        )?)))
    },
};

fn sign_in(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    Box::pin(async move {
        let defaults = crate::TidalSignIn::new(req.required_value("client-id")?);
        let port = req.port("port")?.unwrap_or(defaults.port);
        let open_browser = req.open_browser();
        // Front ends without a terminal (the wizard) switch the pasted
        // address off with the `no-paste` flag; the CLI keeps it.
        let accept_paste = !req.flag("no-paste");
        // Endpoints given with the request (the wizard's demo) win over
        // the environment.
        let pick =
            |name: &str, default: &String| req.value(name).map_or(default.clone(), str::to_owned);
        let api_url = pick("api-url", &defaults.api_url);
        let login_url = pick("login-url", &defaults.login_url);
        let auth_url = pick("auth-url", &defaults.auth_url);
        crate::sign_in(crate::TidalSignIn {
            port,
            api_url,
            login_url,
            auth_url,
            open_browser,
            accept_paste,
            timeout: req.timeout,
            on_url: req.on_url,
            ..defaults
        })
        .await
    })
}
