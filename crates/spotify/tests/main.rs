//! Integration tests of musync-spotify against the stateful fake Spotify.

mod read;
mod resilience;
mod search;
mod signin;
mod sync;
mod tokens;
mod util;
mod write;
