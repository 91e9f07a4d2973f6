//! TIDAL's token endpoint (`POST {auth}/v1/oauth2/token`) in the shared
//! OAuth-PKCE pieces of `musync-oauth`, which also keep the live tokens of
//! an account (renewal before expiry and on a 401, in turns with other
//! musync runs, stored after renewal, a refused refresh remembered so a
//! whole sync makes at most one such token request). TIDAL wants the
//! scopes again with both grants; its refresh answer usually carries no
//! new refresh token, and the old one is kept.

use crate::SCOPES;
use crate::error::{classify_token, sign_in_hint};
use musync_core::ServiceError;
use musync_oauth::{EndpointConfig, TokenEndpoint};

/// Renew this many seconds before the stated expiry (a quarter of the
/// lifetime for short-lived tokens).
const RENEW_MARGIN_S: u64 = 120;

/// The auth host's token endpoint for the app `client_id`.
pub(crate) fn endpoint(auth_url: &str, client_id: &str) -> Result<TokenEndpoint, ServiceError> {
    TokenEndpoint::new(EndpointConfig {
        service: "TIDAL",
        token_url: format!("{}/v1/oauth2/token", auth_url.trim_end_matches('/')),
        client_id: client_id.to_owned(),
        classify: classify_token,
        scope: Some(SCOPES),
        sign_in_hint: sign_in_hint(client_id),
        renew_margin_s: RENEW_MARGIN_S,
    })
}
