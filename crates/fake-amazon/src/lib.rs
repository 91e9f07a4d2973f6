//! A stateful fake of Amazon Music's web player, for tests and demo mode.
//!
//! Real Amazon Music cannot be reached from tests (and has no public API), so
//! musync's Amazon client is tested against this server. It follows what
//! public projects observed of the real one (see the research notes, §10):
//!
//! - `GET|POST /config.json?skipToken=false`: the signed-in session config, or
//!   the guest shape (empty `customerId` and `accessToken`) without a valid
//!   session cookie;
//! - `GET /` and `/my/library`: an HTML page with the inline JS literal
//!   `window.amznMusic = {appConfig: {…}, ssr: false}` (unquoted keys), or a
//!   302 to the sign-in page when signed out;
//! - `GET /forceSignIn` → `/ap/signin`, an HTML form whose POST sets the
//!   session cookies (`session-id`, `ubid-main`, `at-main`, `sess-at-main`,
//!   `at-main-music`; the `at-*` ones HttpOnly) and redirects to `/`;
//! - the legacy JSON-RPC API on `/{NA|EU|FE}/api/playlists/` and
//!   `/{NA|EU|FE}/api/cirrus/v3/` (plus the old aliases `/cloudplayer/playlists/`
//!   and `/cirrus/v3/`), validated in the order the research lists: session
//!   cookie, csrf triple, `Content-Encoding: amz-1.0` + JSON, `X-Amz-Target`,
//!   body `customerId`, region prefix;
//! - the Firefly GraphQL host on its own port ([`FakeAmazon::graphql_url`]):
//!   `AmznMusic` authorization, the bundle's `x-api-key`, cursor paging
//!   with pages smaller than asked, `errors[]` for expired tokens;
//! - `GET /assets/hornet.js`: the player's bundle, the only place holding
//!   the GraphQL API key;
//! - switchable failure [`Mode`]s (legacy gone, GraphQL gone, browser-only
//!   …) and a record of every request on both hosts.
//!
//! The fake writes its own JSON; it shares no types with the client.

mod graphql;
mod library;
mod server;

pub use library::{Library, LibraryPlaylist, LibraryTrack, Market};
pub use server::{FakeAmazon, Mode, RecordedRequest};
