//! musync's command line: the CLI definition (args.rs) plus glue to the
//! engine, the store and the services. Nothing here decides what syncs.

mod args;
mod commands;
mod ctx;
mod output;
mod progress;
mod review;

use std::process::ExitCode;

/// A sync holds millions of small strings and lists, built and freed on
/// several threads: mimalloc returns freed memory to the system where
/// glibc's per-thread arenas keep it (`scripts/bench-million.sh`, two
/// million-row CSVs: peak RSS 1.39 GB with glibc, 1.07 GB with mimalloc,
/// 0.98 GB with its purge delay at 0).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (the sys crate
/// exports no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system at once instead of after a
/// second: a sync frees one large phase's structures just before the next
/// phase builds its own, so a delay adds the two at the peak.
fn purge_freed_memory_at_once() {
    // SAFETY: mimalloc's option setter is a plain store, not thread-safe,
    // and this runs first in main, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// An error that is the user's typing, not a failure: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() -> ExitCode {
    purge_freed_memory_at_once();
    let cli = <args::Cli as clap::Parser>::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            if let Some(hint) = hint_of(&err) {
                eprintln!("hint: {hint}");
            }
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The remedy attached to a service error anywhere in the chain.
fn hint_of(err: &anyhow::Error) -> Option<String> {
    err.chain()
        .find_map(|e| e.downcast_ref::<musync_core::ServiceError>())
        .and_then(|e| e.hint.clone())
}

/// Logging to stderr, above any progress bars. Sentences for people (see
/// `musync_core::activity`) print as plain lines: warnings (waits, retries)
/// always, what musync is doing with `-v`. Technical lines show from
/// warnings up, musync's own details with `-vv`; `RUST_LOG` sets them
/// exactly.
fn init_logging(verbose: u8) {
    use musync_core::activity::TARGET;
    use tracing_subscriber::filter::{EnvFilter, LevelFilter, Targets};
    use tracing_subscriber::prelude::*;

    let sentences = Targets::new().with_target(
        TARGET,
        if verbose == 0 {
            LevelFilter::WARN
        } else {
            LevelFilter::INFO
        },
    );
    let technical = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(if verbose >= 2 {
            "warn,musync=debug"
        } else {
            "warn"
        })
    });
    let not_sentences = tracing_subscriber::filter::filter_fn(|meta| meta.target() != TARGET);
    let plain = tracing_subscriber::fmt::layer()
        .with_writer(|| progress::LogWriter)
        .without_time()
        .with_level(false)
        .with_target(false)
        .with_filter(sentences);
    let detailed = tracing_subscriber::fmt::layer()
        .with_writer(|| progress::LogWriter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .with_filter(technical)
        .with_filter(not_sentences);
    tracing_subscriber::registry()
        .with(plain)
        .with(detailed)
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_option_is_mimallocs_purge_delay() {
        // Only mimalloc 3's purge delay starts at 1000 ms: a wrong index
        // would set some other option to 0.
        // SAFETY: reads and stores of mimalloc's option table; this test
        // is the only code in the test binary that touches it.
        unsafe {
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            }
        }
        purge_freed_memory_at_once();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            0
        );
    }
}
