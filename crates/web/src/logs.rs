//! The wizard's live log: a `tracing` layer that keeps the latest events in
//! a bounded ring buffer, which the Logs panel and page poll.
//!
//! The CLI has already installed the process-wide subscriber (stderr,
//! `RUST_LOG`), so the wizard cannot add a layer to it. Instead every
//! background job and every request runs under [`Logs::dispatch`], a
//! dispatcher of our own: the ring buffer plus a stderr layer with the same
//! `RUST_LOG` default as the CLI, so nothing the terminal showed before is
//! lost.
//!
//! Secrets: the HTTP layer already redacts URLs and headers before logging;
//! as a second line of defence, fields whose *name* says secret (token, key,
//! cookie, password …) are recorded as `***`, and TRACE events (header
//! dumps) are never kept.

use serde::Serialize;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::{Dispatch, Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// One kept log event.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    /// Increasing number; pollers ask for entries after the last one seen.
    pub seq: u64,
    /// Milliseconds since the Unix epoch (the page shows local time).
    pub ms: u64,
    /// `ERROR`, `WARN`, `INFO` or `DEBUG`.
    pub level: &'static str,
    /// The module that logged it, e.g. `musync_http::client`.
    pub target: String,
    /// The message followed by its fields as `key=value`.
    pub message: String,
    /// A sentence for people (target [`musync_core::activity::TARGET`]);
    /// everything else is a technical line, hidden unless asked for.
    pub activity: bool,
}

impl LogEntry {
    /// `HH:MM:SS` in UTC, for the server-rendered page (scripts replace it
    /// with local time).
    pub fn utc_time(&self) -> String {
        let s = (self.ms / 1000) % 86_400;
        format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    }
}

/// The ring buffer. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Logs {
    entries: Mutex<VecDeque<LogEntry>>,
    next: AtomicU64,
    capacity: usize,
}

impl Logs {
    /// A buffer keeping the latest `capacity` events.
    pub fn new(capacity: usize) -> Arc<Logs> {
        Arc::new(Logs {
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
            next: AtomicU64::new(1),
            capacity: capacity.max(1),
        })
    }

    /// Appends an event, dropping the oldest when full.
    pub fn push(&self, level: &'static str, target: &str, message: String) {
        let seq = self.next.fetch_add(1, Ordering::SeqCst);
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(LogEntry {
            seq,
            ms,
            level,
            target: target.to_owned(),
            message,
            activity: target == musync_core::activity::TARGET,
        });
    }

    /// Entries with `seq > after`, oldest first, at most `limit`.
    pub fn since(&self, after: u64, limit: usize) -> Vec<LogEntry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let newer: Vec<&LogEntry> = entries.iter().filter(|e| e.seq > after).collect();
        let skip = newer.len().saturating_sub(limit);
        newer.into_iter().skip(skip).cloned().collect()
    }

    /// How many entries are kept right now.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when nothing was logged yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A dispatcher that records into this buffer and also writes warnings
    /// (or what `RUST_LOG` asks for) to stderr, like the CLI does.
    pub fn dispatch(self: &Arc<Self>) -> Dispatch {
        use tracing_subscriber::filter::{EnvFilter, filter_fn};
        let ring = RingLayer(self.clone()).with_filter(filter_fn(keep));
        let stderr_filter =
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
        let stderr = tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_target(false)
            .with_filter(stderr_filter);
        Dispatch::new(tracing_subscriber::registry().with(ring).with(stderr))
    }
}

/// What the ring keeps: INFO and above from anyone but the in-process
/// fakes, DEBUG from musync's own crates (one line per HTTP request).
fn keep(meta: &tracing::Metadata<'_>) -> bool {
    let target = meta.target();
    if target.starts_with("fake_") {
        return false;
    }
    let level = *meta.level();
    level <= Level::INFO || (level == Level::DEBUG && target.starts_with("musync"))
}

/// The layer that feeds a [`Logs`].
struct RingLayer(Arc<Logs>);

impl<S: Subscriber> Layer<S> for RingLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut visitor = Fields::default();
        event.record(&mut visitor);
        let level = match *meta.level() {
            Level::ERROR => "ERROR",
            Level::WARN => "WARN",
            Level::INFO => "INFO",
            Level::DEBUG => "DEBUG",
            Level::TRACE => return,
        };
        self.0.push(level, meta.target(), visitor.finish());
    }
}

/// Collects an event's message and fields into one line.
#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Fields {
    fn finish(self) -> String {
        match (self.message.is_empty(), self.rest.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.rest,
            (false, false) => format!("{} {}", self.message, self.rest),
        }
    }

    fn add(&mut self, field: &Field, value: &dyn std::fmt::Display) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value}");
            return;
        }
        if !self.rest.is_empty() {
            self.rest.push(' ');
        }
        if looks_secret(field.name()) {
            let _ = write!(self.rest, "{}=***", field.name());
        } else {
            let _ = write!(self.rest, "{}={value}", field.name());
        }
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.add(field, &value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        struct AsDisplay<'a>(&'a dyn std::fmt::Debug);
        impl std::fmt::Display for AsDisplay<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        self.add(field, &AsDisplay(value));
    }
}

/// Field names whose values must never be shown.
fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "sk"
        || [
            "token",
            "secret",
            "password",
            "cookie",
            "authorization",
            "session_key",
            "api_key",
        ]
        .iter()
        .any(|s| name.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_latest_entries_and_pages_by_sequence() {
        let logs = Logs::new(3);
        for i in 0..5 {
            logs.push("INFO", "musync_web", format!("event {i}"));
        }
        assert_eq!(logs.len(), 3);
        let all = logs.since(0, 100);
        let messages: Vec<&str> = all.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["event 2", "event 3", "event 4"]);
        let after = logs.since(all[1].seq, 100);
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].message, "event 4");
        assert_eq!(
            logs.since(0, 1)[0].message,
            "event 4",
            "a limit keeps the newest"
        );
    }

    #[test]
    fn records_events_under_its_dispatcher_with_secret_fields_masked() {
        let logs = Logs::new(10);
        let dispatch = logs.dispatch();
        tracing::dispatcher::with_default(&dispatch, || {
            tracing::info!(target: "musync_web", user = "alice", access_token = "abc123", "signed in");
            tracing::debug!(target: "musync_http::client", status = 200u16, "request");
            tracing::debug!(target: "hyper::proto", "noise");
            tracing::info!(target: "fake_lastfm", "the fake's own chatter");
            tracing::trace!(target: "musync_http::client", header = "cookie", "request header");
        });
        let entries = logs.since(0, 10);
        let lines: Vec<String> = entries
            .iter()
            .map(|e| format!("{} {} {}", e.level, e.target, e.message))
            .collect();
        assert_eq!(
            lines,
            [
                "INFO musync_web signed in user=alice access_token=***",
                "DEBUG musync_http::client request status=200",
            ]
        );
        assert!(!format!("{entries:?}").contains("abc123"));
    }

    #[test]
    fn sentences_for_people_are_told_apart_from_technical_lines() {
        let logs = Logs::new(10);
        tracing::dispatcher::with_default(&logs.dispatch(), || {
            musync_core::activity!("Reading Road trip and Favourites");
            tracing::debug!(target: "musync_http::client", status = 200u16, "request");
        });
        let entries = logs.since(0, 10);
        let kinds: Vec<(bool, &str)> = entries
            .iter()
            .map(|e| (e.activity, e.message.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (true, "Reading Road trip and Favourites"),
                (false, "request status=200")
            ]
        );
    }

    #[test]
    fn utc_time_is_hours_minutes_seconds() {
        let e = LogEntry {
            seq: 1,
            ms: (13 * 3600 + 5 * 60 + 9) * 1000 + 999,
            level: "INFO",
            target: String::new(),
            message: String::new(),
            activity: false,
        };
        assert_eq!(e.utc_time(), "13:05:09");
    }
}
