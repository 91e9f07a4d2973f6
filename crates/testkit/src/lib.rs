//! Test support shared by every musync service.
//!
//! - [`Faults`]: the one set of fault switches every fake takes (an expired
//!   sign-in, 429 with and without `Retry-After`, 5xx bursts, an answer of
//!   the wrong shape), plus the page size the fake serves and a recorder of
//!   every request it received. A fake installs [`Faults::layer`] in front
//!   of its API routes with a function that renders each fault the way the
//!   real service does.
//! - [`Harness`] and [`behaviour_suite!`]: one set of tests run against
//!   every service through its fake, each case chosen from the service's
//!   declared capabilities (OpenDAL's behaviour tests, rclone's fstests).
//!   A service joins with a harness and one line.
//! - [`serve`]: runs a fake's router on its bound listener until the
//!   returned [`Served`] is dropped.

mod faults;
mod serve;
pub mod suite;

pub use faults::{Fault, FaultLayer, Faults, Recorded, Render};
pub use serve::{Served, serve};
pub use suite::{Harness, Song, library_only};
