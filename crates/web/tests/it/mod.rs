mod browser;
mod e2e;
mod flow;
mod http;
mod util;
