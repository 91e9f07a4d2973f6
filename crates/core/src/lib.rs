//! musync's domain: tracks, playlists, service capabilities, errors and the one
//! [`Service`] trait every music service (Amazon Music, Last.fm, Spotify, local
//! files …) implements.
//!
//! Nothing here knows a particular service or does I/O. Services convert their
//! wire formats into these types at their edge; the engine, the CLI and the web
//! wizard only ever see these.
#![warn(missing_docs)]

mod account;
pub mod activity;
mod capability;
mod checked;
mod error;
mod id;
mod playlist;
mod progress;
mod registry;
mod secret;
mod service;
mod track;

pub use account::{Account, AccountLock, MemorySecretStore, NewAccount, SecretStore};
pub use capability::Capabilities;
pub use checked::Checked;
pub use error::{ErrorKind, ServiceError};
pub use id::{AccountId, PlaylistId, TrackId};
pub use playlist::{Playlist, PlaylistEntry};
pub use progress::{NoProgress, Progress};
pub use registry::{
    BoxFuture, OnUrl, OpenFn, OptionInfo, OptionInput, ServiceInfo, SignInFn, SignInRequest,
};
pub use secret::Secret;
pub use service::{Service, ServiceKind, ServiceName};
pub use track::{Text, Track, split_artists, title_without_featuring};

// The activity macros reach `tracing` through this path, so crates using
// them need no `tracing` dependency of their own.
#[doc(hidden)]
pub use tracing as __tracing;
