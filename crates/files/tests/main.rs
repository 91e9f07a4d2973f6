//! Integration tests of `musync-files` through its public API: the
//! `Service` impl, bad input of every format, and write → read round trips.

#[path = "it/bad_input.rs"]
mod bad_input;
#[path = "it/corpus.rs"]
mod corpus;
#[path = "it/hostile.rs"]
mod hostile;
#[path = "it/perf.rs"]
mod perf;
#[path = "it/round_trip.rs"]
mod round_trip;
#[path = "it/service.rs"]
mod service;
#[path = "it/util.rs"]
mod util;
