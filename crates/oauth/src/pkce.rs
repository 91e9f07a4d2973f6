//! PKCE (RFC 7636): a code verifier and its S256 challenge, and the
//! `state` value that ties a redirect to one sign-in.

use base64::Engine;
use musync_core::Secret;
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

/// A code verifier (64 unreserved characters, within RFC 7636's 43–128)
/// and its S256 challenge.
pub fn pkce_pair() -> (Secret, String) {
    let verifier = Alphanumeric.sample_string(&mut rand::rng(), 64);
    let challenge = s256(&verifier);
    (Secret::new(verifier), challenge)
}

/// BASE64URL(SHA256(verifier)) without padding.
pub fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A fresh `state` value (32 letters and digits).
pub fn random_state() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_pair_follows_rfc_7636() {
        let (verifier, challenge) = pkce_pair();
        assert!((43..=128).contains(&verifier.expose().len()));
        assert_eq!(challenge, s256(verifier.expose()));
        assert_eq!(challenge.len(), 43, "SHA-256 in unpadded base64url");
        assert!(!challenge.contains('='));
        // RFC 7636 appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_ne!(pkce_pair().0, verifier, "a new verifier every time");
        let state = random_state();
        assert_eq!(state.len(), 32);
        assert_ne!(random_state(), state);
    }
}
