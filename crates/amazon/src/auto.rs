//! `MUSYNC_AMAZON_TRANSPORT=auto`: direct requests first, the in-browser
//! transport once Amazon answers the signed-in session as a guest (renewal
//! got the signed-out config) or refuses the client (401/403 that renewal
//! did not cure). The switch is logged once and lasts for the command.
//!
//! When the browser, too, finds the session signed out, the session really
//! expired and the direct transport's "sign in again" error is returned.
//! Without a browser the direct error stands, with a logged note on how to
//! get the in-browser transport.

use crate::browser::BrowserTransport;
use crate::transport::{Call, DirectTransport, Session, Transport};
use async_trait::async_trait;
use musync_core::{ErrorKind, ServiceError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Direct first, the browser when Amazon refuses direct requests.
pub(crate) struct AutoTransport {
    direct: DirectTransport,
    browser: BrowserTransport,
    switched: AtomicBool,
    /// Whether the "no browser" note was logged.
    noted: AtomicBool,
}

/// Whether a direct failure looks like Amazon refusing the client rather
/// than the surface: a guest config on renewal (no status), or 401/403.
fn refused(e: &ServiceError) -> bool {
    e.kind == ErrorKind::AuthExpired && matches!(e.status, None | Some(401) | Some(403))
}

impl AutoTransport {
    pub fn new(direct: DirectTransport, browser: BrowserTransport) -> Self {
        AutoTransport {
            direct,
            browser,
            switched: AtomicBool::new(false),
            noted: AtomicBool::new(false),
        }
    }
}

#[async_trait]
impl Transport for AutoTransport {
    async fn call(&self, call: &Call, op: &str) -> Result<Vec<u8>, ServiceError> {
        if self.switched.load(Ordering::SeqCst) {
            return self.browser.call(call, op).await;
        }
        let err = match self.direct.call(call, op).await {
            Ok(body) => return Ok(body),
            Err(e) if refused(&e) => e,
            Err(e) => return Err(e),
        };
        if !self.browser.available() {
            if !self.noted.swap(true, Ordering::SeqCst) {
                tracing::warn!(
                    "Amazon Music treated musync's direct requests as signed out. If you signed in \
                     recently, Amazon may be refusing non-browser clients: install Chromium or set \
                     MUSYNC_BROWSER so musync can send its requests from a browser page"
                );
            }
            return Err(err);
        }
        if !self.switched.swap(true, Ordering::SeqCst) {
            tracing::warn!(
                "Amazon Music answered the signed-in session as a guest or refused musync's \
                 direct requests; switching to the in-browser transport for this command"
            );
        }
        match self.browser.call(call, op).await {
            // Signed out in a real page too: the session really expired.
            Err(e) if e.kind == ErrorKind::AuthExpired && e.status.is_none() => Err(err),
            other => other,
        }
    }

    fn session(&self) -> Option<Arc<Session>> {
        self.direct.session()
    }
}
