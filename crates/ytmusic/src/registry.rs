//! YouTube Music's entry in musync's service registry.

use crate::service::{ADD_MAX_BATCH, LIKED_ID, PLAYLIST_MAX};
use crate::{DEFAULT_URL, URL_ENV};
use musync_core::{
    BoxFuture, Capabilities, Checked, NewAccount, OptionInfo, OptionInput, ServiceError,
    ServiceInfo, ServiceKind, SignInRequest,
};
use std::path::PathBuf;
use std::sync::Arc;

/// YouTube Music's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("ytmusic", "YouTube Music");

/// What YouTube Music can do in musync.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: true,
    search_isrc: false,
    track_isrc: false,
    add_tracks: true,
    add_unlisted: false,
    create_playlist: true,
    add_max_batch: Some(ADD_MAX_BATCH),
    remove_tracks: true,
    remove_max_batch: Some(ADD_MAX_BATCH),
    playlist_max_tracks: Some(PLAYLIST_MAX),
    library_playlist: Some(LIKED_ID),
};

/// YouTube Music in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "your playlists and Liked Music (read and write; the web app's private API)",
    sign_in_help: "A browser window opens at YouTube Music: sign in there (musync keeps the \
                   session cookies, never your password). On a machine without a display, \
                   export a cookies.txt from a browser signed in at music.youtube.com and give \
                   its path instead. Sessions can end within hours; musync then asks you to \
                   sign in again.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text(
            "cookies",
            "a Netscape cookies.txt exported from a browser signed in at music.youtube.com, instead of a window",
        )
        .input(OptionInput::Path),
        OptionInfo::env("url", "the YouTube Music web host", URL_ENV, DEFAULT_URL),
        OptionInfo::text(
            "browser",
            "the Chromium-family browser used for sign-in (default: detected)",
        )
        .input(OptionInput::Env)
        .with_env(musync_browser::BROWSER_ENV),
    ],
    playlist_link: Some(crate::playlist_id_from_link),
    sign_in: Some(sign_in),
    open: |account, secrets| {
        Ok(Arc::new(Checked(crate::YtMusicService::open(
            account, secrets,
        )?)))
    },
};

fn sign_in(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    Box::pin(async move {
        // A host given with the request (the wizard's demo) wins over the
        // environment.
        let base = req
            .value("url")
            .map(str::to_owned)
            .unwrap_or_else(|| musync_http::endpoint(URL_ENV, DEFAULT_URL));
        let base = base.trim_end_matches('/').to_owned();
        let options = crate::ClientOptions::default();
        match req.value("cookies") {
            Some(path) => crate::sign_in_with_cookies(&PathBuf::from(path), &base, options).await,
            None => {
                let mut window = musync_browser::SignInWindow::new(base.clone());
                window.timeout = req.timeout;
                (req.on_url)(&base);
                crate::sign_in_with_browser(window, &base, options).await
            }
        }
    })
}
