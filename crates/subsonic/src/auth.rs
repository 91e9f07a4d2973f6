//! How musync proves who it is to a Subsonic server: the md5 token with a
//! fresh salt (API 1.13+), the hex-encoded password (`p=enc:`, for servers
//! that refuse tokens: Supysonic, LMS, LDAP users), or an OpenSubsonic API
//! key (`apiKey`, sent without `u`). The method that worked at sign-in is
//! kept in the account's settings.

use md5::{Digest, Md5};
use musync_core::Secret;
use serde::{Deserialize, Serialize};

/// One way of sending credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// `t=md5(password+salt)&s=salt`.
    Token,
    /// `p=enc:HEX`.
    Password,
    /// `apiKey=KEY` (OpenSubsonic `apiKeyAuthentication`), no `u`.
    ApiKey,
}

impl AuthMethod {
    /// The name stored in settings.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Token => "token",
            AuthMethod::Password => "password",
            AuthMethod::ApiKey => "api_key",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<AuthMethod> {
        match s {
            "token" => Some(AuthMethod::Token),
            "password" => Some(AuthMethod::Password),
            "api_key" => Some(AuthMethod::ApiKey),
            _ => None,
        }
    }
}

/// Lower-case hex of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `md5(password + salt)` as 32 lower-case hex characters.
pub fn token(password: &str, salt: &str) -> String {
    let mut h = Md5::new();
    h.update(password.as_bytes());
    h.update(salt.as_bytes());
    hex(&h.finalize())
}

/// A new random salt (12 hex characters; the spec asks for at least 6).
pub fn salt() -> String {
    format!("{:012x}", rand::random::<u64>() & 0xFFFF_FFFF_FFFF)
}

/// The credential parameters of one request.
pub fn params(method: AuthMethod, user: &str, secret: &Secret) -> Vec<(&'static str, String)> {
    match method {
        AuthMethod::ApiKey => vec![("apiKey", secret.expose().to_owned())],
        AuthMethod::Token => {
            let s = salt();
            vec![
                ("u", user.to_owned()),
                ("t", token(secret.expose(), &s)),
                ("s", s),
            ]
        }
        AuthMethod::Password => vec![
            ("u", user.to_owned()),
            ("p", format!("enc:{}", hex(secret.expose().as_bytes()))),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_the_specs_example() {
        assert_eq!(
            token("sesame", "c19b2d"),
            "26719a1196d2a940705a59634eb18eab"
        );
    }

    #[test]
    fn each_method_sends_its_parameters_only() {
        let secret = Secret::new("sésame");
        let p = params(AuthMethod::Password, "joe", &secret);
        assert_eq!(p[1], ("p", "enc:73c3a97361 6d65".replace(' ', "")));
        let t = params(AuthMethod::Token, "joe", &secret);
        assert_eq!(
            t.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            ["u", "t", "s"]
        );
        assert_ne!(
            params(AuthMethod::Token, "joe", &secret)[2],
            t[2],
            "a new salt each time"
        );
        let k = params(AuthMethod::ApiKey, "joe", &secret);
        assert_eq!(k.len(), 1, "no `u` with an API key");
        for m in [AuthMethod::Token, AuthMethod::Password, AuthMethod::ApiKey] {
            assert_eq!(AuthMethod::parse(m.as_str()), Some(m));
        }
    }
}
