//! Integration tests of musync-tidal against the stateful fake TIDAL.

mod read;
mod search;
mod signin;
mod tokens;
mod util;
mod write;
