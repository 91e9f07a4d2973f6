//! Last.fm's entry in musync's service registry.

use crate::{API_URL_ENV, AUTH_URL_ENV, DEFAULT_API_URL, DEFAULT_AUTH_URL, LOVED};
use musync_core::{
    BoxFuture, Capabilities, Checked, NewAccount, OptionInfo, OptionInput, ServiceError,
    ServiceInfo, ServiceKind, SignInRequest,
};
use std::sync::Arc;

/// Last.fm's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("lastfm", "Last.fm");

/// What Last.fm can do in musync: loves are one call per song.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: true,
    search_isrc: false,
    track_isrc: false,
    add_tracks: true,
    add_unlisted: true,
    create_playlist: false,
    add_max_batch: Some(1),
    remove_tracks: true,
    remove_max_batch: Some(1),
    playlist_max_tracks: None,
    library_playlist: Some(LOVED),
};

/// Last.fm in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "loved tracks (read and write) and recent tracks (read)",
    sign_in_help: "Create a free API account at last.fm/api/account/create and give its key and \
                   shared secret; musync then shows an address where you allow it.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text("api-key", "your Last.fm API account's API key")
            .required()
            .with_env("MUSYNC_LASTFM_API_KEY"),
        OptionInfo::text("api-secret", "your Last.fm API account's shared secret")
            .required()
            .secret()
            .with_env("MUSYNC_LASTFM_API_SECRET"),
        OptionInfo::text(
            "no-browser",
            "print the approval address without opening a browser",
        )
        .input(OptionInput::Flag),
        OptionInfo::env("api-url", "Last.fm API root", API_URL_ENV, DEFAULT_API_URL),
        OptionInfo::env(
            "auth-url",
            "Last.fm approval page",
            AUTH_URL_ENV,
            DEFAULT_AUTH_URL,
        ),
    ],
    playlist_link: None,
    sign_in: Some(sign_in),
    open: |account, secrets| {
        Ok(Arc::new(Checked(crate::LastfmService::open(
            account, secrets,
        )?)))
    },
};

fn sign_in(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    Box::pin(async move {
        let api_key = req.required_value("api-key")?.to_owned();
        let api_secret = req.required_secret("api-secret")?.clone();
        let open_browser = req.open_browser();
        let defaults = crate::LastfmSignIn::new(api_key, api_secret);
        // Endpoints given with the request (the wizard's demo) win over
        // the environment.
        let api_url = req
            .value("api-url")
            .map_or(defaults.api_url.clone(), str::to_owned);
        let auth_url = req
            .value("auth-url")
            .map_or(defaults.auth_url.clone(), str::to_owned);
        crate::sign_in(crate::LastfmSignIn {
            api_url,
            auth_url,
            open_browser,
            timeout: req.timeout,
            on_url: req.on_url,
            ..defaults
        })
        .await
    })
}
