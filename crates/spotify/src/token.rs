//! Spotify's token endpoint (`POST {accounts}/api/token`) in the shared
//! OAuth-PKCE pieces of `musync-oauth`, which also keep the live tokens of
//! an account (renewal before expiry and on a 401, in turns with other
//! musync runs, stored after renewal, a refused refresh remembered).
//! Spotify may or may not send a new refresh token; when it does, the old
//! one may stop working, so it is stored at once.

use crate::error::{classify_token, sign_in_hint};
use musync_core::ServiceError;
use musync_oauth::{EndpointConfig, TokenEndpoint};

/// Renew this many seconds before the token's stated expiry.
const RENEW_MARGIN_S: u64 = 60;

/// The accounts service's token endpoint for the app `client_id`.
pub(crate) fn endpoint(accounts_url: &str, client_id: &str) -> Result<TokenEndpoint, ServiceError> {
    TokenEndpoint::new(EndpointConfig {
        service: "Spotify",
        token_url: format!("{}/api/token", accounts_url.trim_end_matches('/')),
        client_id: client_id.to_owned(),
        classify: classify_token,
        scope: None,
        sign_in_hint: sign_in_hint(client_id),
        renew_margin_s: RENEW_MARGIN_S,
    })
}
