//! Last.fm method signatures (`api_sig`).
//!
//! Last.fm authenticates a call by an MD5 over its parameters: every
//! parameter except `format` and `callback`, sorted by name, each written as
//! name immediately followed by value (UTF-8, not URL-encoded), then the
//! application's shared secret; the digest goes in as lower-case hex.

use md5::{Digest, Md5};
use musync_core::Secret;

/// The `api_sig` for `params` signed with `secret`.
pub(crate) fn api_sig(params: &[(&str, String)], secret: &Secret) -> String {
    let mut signed: Vec<&(&str, String)> = params
        .iter()
        .filter(|(name, _)| !matches!(*name, "format" | "callback" | "api_sig"))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(b.0));
    let mut hasher = Md5::new();
    for (name, value) in signed {
        hasher.update(name.as_bytes());
        hasher.update(value.as_bytes());
    }
    hasher.update(secret.expose().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn signs_sorted_name_value_pairs_then_the_secret() {
        // `printf 'api_keyKEYmethodauth.getTokenSECRET' | md5sum`
        let sig = api_sig(
            &p(&[
                ("method", "auth.getToken"),
                ("format", "json"),
                ("api_key", "KEY"),
            ]),
            &Secret::new("SECRET"),
        );
        assert_eq!(sig, "66ee63a18da3c919f987b342697d913c");
    }

    #[test]
    fn order_of_input_does_not_matter_and_values_are_raw_utf8() {
        let secret = Secret::new("s3cr3t");
        let a = api_sig(
            &p(&[
                ("track", "Jóga"),
                ("artist", "Björk"),
                ("method", "track.love"),
            ]),
            &secret,
        );
        let b = api_sig(
            &p(&[
                ("method", "track.love"),
                ("artist", "Björk"),
                ("track", "Jóga"),
                ("format", "json"),
            ]),
            &secret,
        );
        assert_eq!(a, b);
        // `printf 'artistBjörkmethodtrack.lovetrackJógas3cr3t' | md5sum`
        assert_eq!(a, "f228c8dabe4931b65c397a98bac222a6");
    }
}
