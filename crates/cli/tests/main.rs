//! End-to-end tests of the `musync` binary: files in temp dirs, and every
//! streaming service through its fake server on 127.0.0.1.

mod util;

mod amazon;
mod concurrency;
mod crash;
mod fatal;
mod files;
mod hostile;
mod lastfm;
mod matching;
mod mpd;
mod orphans;
mod probes;
mod pty;
mod review_pty;
mod saved;
mod spotify;
mod subsonic;
mod transfer;
mod ytmusic;
