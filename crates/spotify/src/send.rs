//! A local work-around until `musync-http` is fixed: its `send` and
//! `send_once` futures hold the request builder as `&dyn Fn(..)` — without
//! `+ Sync` — across `.await`, which makes those futures `!Send`, so they
//! cannot be awaited inside `Service` methods (whose futures must be
//! `Send`). Nothing else in them is `!Send`.
//!
//! The wrappers here accept only builders that are `Send + Sync`, which is
//! exactly what makes the erased reference safe to move between threads,
//! and assert `Send` for the future. Remove this module once the shared
//! layer takes `&(dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Sync)`.

use musync_core::ServiceError;
use musync_http::{Client, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

struct AssertSend<F>(F);

// SAFETY: only constructed below around `Client::send`/`send_once` futures
// whose builder is `Send + Sync`; the sole `!Send` part of those futures is
// a `&dyn Fn` pointing at that builder, and a shared reference to a `Sync`
// value may cross threads.
unsafe impl<F> Send for AssertSend<F> {}

impl<F: Future> Future for AssertSend<F> {
    type Output = F::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: structural pinning of the only field; it is never moved.
        unsafe { self.map_unchecked_mut(|s| &mut s.0) }.poll(cx)
    }
}

/// [`Client::send`] with a `Send` future.
pub(crate) async fn send<B>(
    client: &Client,
    op: &str,
    build: B,
) -> Result<HttpResponse, ServiceError>
where
    B: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync,
{
    AssertSend(client.send(op, build)).await
}

/// [`Client::send_once`] with a `Send` future.
pub(crate) async fn send_once<B>(
    client: &Client,
    op: &str,
    build: B,
) -> Result<HttpResponse, ServiceError>
where
    B: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync,
{
    AssertSend(client.send_once(op, build)).await
}
