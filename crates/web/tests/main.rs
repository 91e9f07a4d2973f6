//! musync-web's integration tests: handlers through `Router::oneshot`
//! (security, pages, bad input), the wizard over HTTP against the demo
//! fakes, and the whole wizard in headless Chromium.

mod it;
