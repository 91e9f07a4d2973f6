//! Spotify for musync: playlists and Liked Songs (read and write), search
//! by ISRC and by title/artist, new playlists, and sign-in with OAuth
//! authorization code + PKCE through a loopback redirect.
//!
//! Every musync user registers their own Spotify app, which runs in
//! development mode, so this crate follows the February 2026 rules for such
//! apps: playlist entries at `/playlists/{id}/items` (answers read with the
//! new `items`/`item` names and the old `tracks`/`track` ones), new
//! playlists via `POST /me/playlists`, Liked Songs saved via
//! `PUT /me/library?uris=` (40 per request) and read via `GET /me/tracks`,
//! searches of at most 10 results, and track listings only for playlists the
//! user owns or collaborates on.
//!
//! Cross-cutting HTTP behaviour (retries honouring `Retry-After`, 5xx
//! backoff, redacted logs, one token renewal on a 401) is the shared
//! `musync-http` layer's; this crate only describes requests and reads
//! Spotify's errors.
//!
//! ```no_run
//! # async fn demo(secrets: std::sync::Arc<dyn musync_core::SecretStore>) -> Result<(), musync_core::ServiceError> {
//! use musync_core::Service;
//! let mut opts = musync_spotify::SpotifySignIn::new("your-client-id");
//! opts.open_browser = false;
//! let new = musync_spotify::sign_in(opts).await?;
//! for (key, value) in &new.secrets {
//!     secrets.set(&new.account.id, key, value).expect("store");
//! }
//! let spotify = musync_spotify::SpotifyService::open(&new.account, secrets)?;
//! let playlists = spotify.playlists().await?; // "Liked Songs" first
//! # let _ = playlists; Ok(()) }
//! ```
#![warn(missing_docs)]
// `ServiceError` is core's one error type, returned by value across the
// `Service` trait; boxing it here alone would buy nothing.

mod auth;
mod client;
mod convert;
mod error;
mod model;
mod registry;
mod service;
mod token;

pub use auth::{SCOPES, SpotifySignIn, sign_in};
pub use registry::{CAPABILITIES, INFO, KIND};
pub use service::{LIKED_ID, LIKED_NAME, SpotifyService};

/// Default loopback port of the sign-in redirect: register
/// `http://127.0.0.1:8898/callback` as a Redirect URI of your Spotify app.
pub const DEFAULT_PORT: u16 = 8898;
/// The real Web API.
pub const DEFAULT_API_URL: &str = "https://api.spotify.com/v1";
/// The real accounts service.
pub const DEFAULT_ACCOUNTS_URL: &str = "https://accounts.spotify.com";
/// Most songs one `add` call takes (one `POST /playlists/{id}/items`);
/// Liked Songs adds are split into saves of 40 inside `add`.
pub const ADD_MAX_BATCH: usize = client::PLAYLIST_ADD_MAX;
