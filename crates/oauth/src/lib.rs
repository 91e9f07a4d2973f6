//! OAuth 2 authorization code with PKCE (RFC 7636) for desktop sign-ins
//! (RFC 8252), shared by the services that sign in that way (Spotify,
//! TIDAL). Each service keeps its own words (names, hints, what to check in
//! its developer dashboard); the mechanics live here once:
//!
//! - [`pkce`]: the code verifier, its S256 challenge and the `state` value.
//! - [`loopback`]: the one-shot redirect listener on `127.0.0.1` (and, where
//!   the browser cannot reach it, an address pasted on standard input),
//!   answering the browser with a small page and handing back the code or
//!   the reason there is none.
//! - [`token`]: the token endpoint (code exchange, refresh), and the live
//!   tokens of one account: renewed before they expire and on a 401, once
//!   for concurrent calls, in turns with other musync processes (re-reading
//!   what another process stored), stored after renewal, and a refused
//!   refresh remembered for the rest of the run.
#![warn(missing_docs)]

pub mod loopback;
pub mod pkce;
pub mod token;

pub use loopback::{Refusal, WaitFor, wait_for_code};
pub use pkce::{pkce_pair, random_state, s256};
pub use token::{
    EndpointConfig, KEY_ACCESS, KEY_EXPIRES, KEY_REFRESH, TokenEndpoint, TokenSet, Tokens, now_s,
};
