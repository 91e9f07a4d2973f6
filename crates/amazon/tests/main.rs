//! Integration tests of the Amazon Music client against the fake Amazon
//! host (`fake-amazon`), bound to 127.0.0.1 by each test.

mod bench;
mod browser;
mod graphql;
mod logs;
mod modes;
mod reading;
mod signin;
mod transport;
mod util;
