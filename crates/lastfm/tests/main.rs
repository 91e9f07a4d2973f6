//! Integration tests of the Last.fm client against the stateful fake in
//! `fake-lastfm`, over real sockets on 127.0.0.1.

mod util;

mod auth;
mod behaviour;
mod errors;
mod logs;
mod read;
mod search;
mod write;
