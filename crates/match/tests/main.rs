//! Integration tests of musync-match: the public API on hand-written cases,
//! properties over generated tracks, and the dev-set regression.

mod dev_set;
mod properties;
mod rules;
