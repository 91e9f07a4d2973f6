//! Amazon Music's entry in musync's service registry (read-only).

use crate::{MY_MUSIC, URL_ENV};
use musync_core::{
    BoxFuture, Capabilities, Checked, NewAccount, OptionInfo, OptionInput, ServiceError,
    ServiceInfo, ServiceKind, SignInRequest,
};
use std::path::PathBuf;
use std::sync::Arc;

/// Amazon Music's short and display names.
pub const KIND: ServiceKind = ServiceKind::new("amazon", "Amazon Music");

/// Amazon Music is read-only in musync: it lists and reads, nothing else.
pub const CAPABILITIES: Capabilities = Capabilities {
    read_playlists: true,
    read_tracks: true,
    search: false,
    search_isrc: false,
    // GraphQL tracks carry ISRCs (legacy ones do not).
    track_isrc: true,
    add_tracks: false,
    add_unlisted: false,
    create_playlist: false,
    add_max_batch: None,
    remove_tracks: false,
    remove_max_batch: None,
    playlist_max_tracks: None,
    library_playlist: Some(MY_MUSIC),
};

/// Amazon Music in the registry.
pub static INFO: ServiceInfo = ServiceInfo {
    kind: KIND,
    description: "My Music and your own playlists, read-only (private web-player API)",
    sign_in_help: "A browser window opens at Amazon Music: sign in there (musync never sees \
                   your password). On a machine without a display, export a cookies.txt from \
                   a signed-in browser and give its path instead.",
    capabilities: CAPABILITIES,
    options: &[
        OptionInfo::text(
            "cookies",
            "a Netscape cookies.txt exported from a signed-in browser, instead of a window",
        )
        .input(OptionInput::Path),
        OptionInfo::env(
            "url",
            "the Amazon Music web host (default: the account's market)",
            URL_ENV,
            "https://music.amazon.com",
        ),
        OptionInfo::text(
            "browser",
            "the Chromium-family browser used for sign-in (default: detected)",
        )
        .input(OptionInput::Env)
        .with_env("MUSYNC_BROWSER"),
    ],
    playlist_link: None,
    sign_in: Some(sign_in),
    open: |account, secrets| {
        Ok(Arc::new(Checked(crate::AmazonService::open(
            account, secrets,
        )?)))
    },
};

fn sign_in(req: SignInRequest) -> BoxFuture<'static, Result<NewAccount, ServiceError>> {
    Box::pin(async move {
        // A host given with the request (the wizard's demo) wins over the
        // environment and the cookies' market.
        let host = req.value("url").map(str::to_owned);
        match req.value("cookies") {
            Some(path) => crate::sign_in_with_cookies(&PathBuf::from(path), host).await,
            None => {
                let defaults = match &host {
                    Some(host) => crate::BrowserSignIn::for_host(host),
                    None => crate::BrowserSignIn::default(),
                };
                crate::sign_in_with_browser(crate::BrowserSignIn {
                    timeout: req.timeout,
                    ..defaults
                })
                .await
            }
        }
    })
}
