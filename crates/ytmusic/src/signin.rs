//! Signing in: from a Netscape cookies.txt, or in a browser window at
//! music.youtube.com (musync never sees the password). Either way the
//! session is checked (`account/account_menu`) before anything is
//! returned: a signed-out session is an error and nothing is kept.

use crate::client::ClientOptions;
use crate::error::{SERVICE, SIGN_IN_HINT};
use crate::service::YtMusicService;
use crate::session::{COOKIES_KEY, session_cookies, to_stored};
use musync_browser::{BrowserError, Cookie, SignInWindow};
use musync_core::{Account, AccountId, ErrorKind, NewAccount, ServiceError};
use std::path::Path;

const OP: &str = "signing in";

fn host_of(base: &str) -> String {
    url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// Signs in with the cookies of a Netscape cookies.txt: every youtube.com
/// cookie (HttpOnly lines included) goes to `base`; other domains' are
/// ignored.
pub async fn sign_in_with_cookies(
    path: &Path,
    base: &str,
    options: ClientOptions,
) -> Result<NewAccount, ServiceError> {
    let text = tokio::fs::read_to_string(path).await.map_err(|e| {
        ServiceError::new(
            ErrorKind::Io,
            SERVICE,
            OP,
            format!("could not read {}: {e}", path.display()),
        )
    })?;
    let all = musync_browser::parse_cookies_txt(&text).map_err(|e| {
        ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            OP,
            format!("{}: {e}", path.display()),
        )
    })?;
    let cookies = session_cookies(all, &host_of(base));
    if cookies.is_empty() {
        return Err(ServiceError::new(
            ErrorKind::InvalidInput,
            SERVICE,
            OP,
            format!(
                "{}: none of these cookies is YouTube's; export them from music.youtube.com while signed in",
                path.display()
            ),
        ));
    }
    check_session(base, cookies, options).await
}

/// Whether the window holds a signed-in YouTube session: a page back on
/// the music host, and the session cookies set.
fn signed_in(host: &str, urls: &[String], cookies: &[Cookie]) -> bool {
    let on_host = urls.iter().any(|u| host_of(u) == host);
    let ours = |c: &&Cookie| c.is_under("youtube.com") || c.bare_domain() == host;
    let has = |name: &str| {
        cookies
            .iter()
            .filter(ours)
            .any(|c| c.name == name && !c.value.expose().is_empty())
    };
    on_host && (has("SAPISID") || has("__Secure-3PAPISID")) && (has("__Secure-3PSID") || has("SID"))
}

/// Opens a browser window at `base` (music.youtube.com), waits until the
/// person has signed in, and takes the session.
pub async fn sign_in_with_browser(
    mut window: SignInWindow,
    base: &str,
    options: ClientOptions,
) -> Result<NewAccount, ServiceError> {
    let host = host_of(base);
    if window.start_url.is_empty() {
        window.start_url = base.to_owned();
    }
    let all = musync_browser::wait_for_cookies(window, |urls, cookies| {
        signed_in(&host, urls, cookies)
    })
    .await
    .map_err(|e| {
        let kind = match e {
            BrowserError::Closed | BrowserError::TimedOut(_) => ErrorKind::InvalidInput,
            _ => ErrorKind::Io,
        };
        ServiceError::new(kind, SERVICE, "signing in with the browser", e.to_string()).with_hint(
            "musync accounts add ytmusic --cookies cookies.txt (exported from a signed-in browser)",
        )
    })?;
    check_session(base, session_cookies(all, &host), options).await
}

/// Asks YouTube Music who this is; a signed-out session fails with "sign
/// in again" and nothing is returned to store.
async fn check_session(
    base: &str,
    cookies: Vec<Cookie>,
    options: ClientOptions,
) -> Result<NewAccount, ServiceError> {
    let probe = YtMusicService::connect(
        base,
        "0".into(),
        cookies,
        None,
        AccountId::new("ytmusic-new"),
        options,
    )?;
    let (name, handle) = probe.whoami().await.map_err(|mut e| {
        if e.kind == ErrorKind::AuthExpired {
            e.message = "these cookies are signed out (YouTube Music answered as to a visitor); \
                         sign in at music.youtube.com and export them again; nothing was stored"
                .to_owned();
            e.hint = Some(SIGN_IN_HINT.to_owned());
        }
        e
    })?;
    let user: String = handle
        .as_deref()
        .unwrap_or(&name)
        .trim_start_matches('@')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let user = if user.is_empty() {
        "me".to_owned()
    } else {
        user
    };
    let shown = match &handle {
        Some(h) if !name.is_empty() => format!("{name} ({h})"),
        Some(h) => h.clone(),
        None => name.clone(),
    };
    let mut settings = serde_json::json!({"auth_user": "0"});
    if base.trim_end_matches('/') != crate::DEFAULT_URL {
        settings["url"] = base.trim_end_matches('/').into();
    }
    Ok(NewAccount {
        account: Account {
            id: AccountId::new(format!("ytmusic-{user}")),
            service: crate::KIND.into(),
            name: format!("YouTube Music: {shown}"),
            settings,
        },
        // The cookies as they are after the check (it may have rotated some).
        secrets: vec![(COOKIES_KEY.to_owned(), to_stored(&probe.cookies()))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_done_once_back_on_the_music_host_with_session_cookies() {
        let c = musync_browser::parse_cookies_txt(
            ".youtube.com\tTRUE\t/\tTRUE\t0\tSAPISID\ts\n.youtube.com\tTRUE\t/\tTRUE\t0\t__Secure-3PSID\tx\n",
        )
        .unwrap();
        let home = vec!["https://music.youtube.com/".to_owned()];
        assert!(signed_in("music.youtube.com", &home, &c));
        let google = vec!["https://accounts.google.com/signin".to_owned()];
        assert!(!signed_in("music.youtube.com", &google, &c));
        assert!(!signed_in("music.youtube.com", &home, &c[..1]));
    }
}
