//! End-to-end tests of the `musync` binary: files in temp dirs, and every
//! streaming service through its fake server on 127.0.0.1.

mod util;

mod amazon;
mod files;
mod lastfm;
mod matching;
mod spotify;
mod transfer;
