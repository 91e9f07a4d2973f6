//! Browser sign-in for services whose only sign-in is a browser session
//! (YouTube Music): musync opens a Chromium-family window with a fresh
//! profile, the person signs in there (musync never sees a password), and
//! once the session cookies appear it takes every cookie over the DevTools
//! protocol (HttpOnly ones included) and closes the window. Machines
//! without a display export a Netscape `cookies.txt` instead, read by
//! [`parse_cookies_txt`].
//!
//! Cookie values are [`musync_core::Secret`]s: `Debug` output and logs
//! never show one.
#![warn(missing_docs)]

mod cookies;
mod find;
mod window;

pub use cookies::{Cookie, CookieFileError, parse_cookies_txt};
pub use find::{BROWSER_ENV, find_browser};
pub use window::{BrowserError, SignInWindow, wait_for_cookies};
