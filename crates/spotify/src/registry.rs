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
    remove_tracks: true,
    remove_max_batch: Some(crate::client::PLAYLIST_ADD_MAX),
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
    playlist_link: Some(playlist_id_from_link),
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

/// The playlist id in `https://open.spotify.com/playlist/ID[?si=…]` (with or
/// without a locale segment such as `intl-de/`) or `spotify:playlist:ID`.
pub fn playlist_id_from_link(text: &str) -> Option<String> {
    let text = text.trim();
    let id = if let Some(rest) = text.strip_prefix("spotify:playlist:") {
        rest
    } else {
        let rest = text
            .strip_prefix("https://open.spotify.com/")
            .or_else(|| text.strip_prefix("http://open.spotify.com/"))?;
        let rest = match rest.split_once('/') {
            Some((first, tail)) if first.starts_with("intl-") => tail,
            _ => rest,
        };
        rest.strip_prefix("playlist/")?
    };
    let id = id.split(['?', '#', '/']).next().unwrap_or("");
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::playlist_id_from_link as link;

    #[test]
    fn share_links_and_uris_name_the_playlist() {
        let id = Some("37i9dQZF1DXcBWIGoYBM5M".to_owned());
        assert_eq!(
            link("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M"),
            id
        );
        assert_eq!(
            link("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M?si=ab12"),
            id
        );
        assert_eq!(
            link("https://open.spotify.com/intl-de/playlist/37i9dQZF1DXcBWIGoYBM5M"),
            id
        );
        assert_eq!(link("spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"), id);
        assert_eq!(
            link("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"),
            None
        );
        assert_eq!(link("spotify-bob:liked"), None);
    }
}
