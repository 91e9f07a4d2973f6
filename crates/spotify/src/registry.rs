//! Spotify's entry in musync's service registry.

use crate::{DEFAULT_ACCOUNTS_URL, DEFAULT_API_URL, LIKED_ID};
use musync_core::{
    BoxFuture, Capabilities, Checked, NewAccount, OptionInfo, OptionInput, ServiceError,
    ServiceInfo, ServiceKind, SignInRequest,
};
use std::sync::Arc;

/// Spotify's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("spotify", "Spotify");

/// What Spotify can do in musync.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: true,
    search_isrc: true,
    track_isrc: true,
    add_tracks: true,
    add_unlisted: false,
    create_playlist: true,
    add_max_batch: Some(crate::client::PLAYLIST_ADD_MAX),
    remove_tracks: false,
    remove_max_batch: None,
    playlist_max_tracks: Some(10_000),
    library_playlist: Some(LIKED_ID),
};

/// Spotify in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "your playlists and Liked Songs (read and write)",
    sign_in_help: "Register an app in Spotify's developer dashboard with the redirect URI \
                   http://127.0.0.1:PORT/callback (port 8898 unless you choose another) and \
                   give its client id; musync then shows an address where you allow it.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text("client-id", "the client id of your Spotify app")
            .required()
            .with_env("MUSYNC_SPOTIFY_CLIENT_ID"),
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
            "Spotify Web API root",
            "MUSYNC_SPOTIFY_API_URL",
            DEFAULT_API_URL,
        ),
        OptionInfo::env(
            "accounts-url",
            "Spotify accounts service",
            "MUSYNC_SPOTIFY_ACCOUNTS_URL",
            DEFAULT_ACCOUNTS_URL,
        ),
    ],
    sign_in: Some(sign_in),
    open: |account, secrets| {
        Ok(Arc::new(Checked(crate::SpotifyService::open(
            account, secrets,
        )?)))
    },
};

fn sign_in(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    Box::pin(async move {
        let defaults = crate::SpotifySignIn::new(req.required_value("client-id")?);
        let port = req.port("port")?.unwrap_or(defaults.port);
        let open_browser = req.open_browser();
        // Endpoints given with the request (the wizard's demo) win over
        // the environment.
        let api_url = req
            .value("api-url")
            .map_or(defaults.api_url.clone(), str::to_owned);
        let accounts_url = req
            .value("accounts-url")
            .map_or(defaults.accounts_url.clone(), str::to_owned);
        crate::sign_in(crate::SpotifySignIn {
            port,
            api_url,
            accounts_url,
            open_browser,
            timeout: req.timeout,
            on_url: req.on_url,
            ..defaults
        })
        .await
    })
}
