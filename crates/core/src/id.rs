//! Identifier newtypes, so an account id, a playlist id and a track id never blur.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps a string id.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

id_type!(
    /// An account known to musync, e.g. `amazon-A1B2C3D4E5` or `lastfm-alice`.
    AccountId
);
id_type!(
    /// A playlist inside one account, e.g. `my-music`, `loved`, a UUID, or a file path.
    PlaylistId
);
id_type!(
    /// A service's own id or URI of a track (an ASIN, `spotify:track:…`, a file path).
    TrackId
);
