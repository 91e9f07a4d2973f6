//! The Logs page: every operation the wizard ran, newest at the bottom,
//! updated live.

use super::{Chrome, page};
use crate::logs::LogEntry;
use maud::{Markup, html};

/// The log page with the entries kept so far.
pub fn render(chrome: &Chrome, entries: &[LogEntry]) -> Markup {
    let content = html! {
        div.page-head {
            h1 { "Logs" }
            p.lede { "What musync is doing: reading, searching, adding, waiting for a service. Secrets are never written here." }
        }
        section.card {
            div.toolbar {
                label.check { input #log-technical type="checkbox" data-show-technical; " Show technical details (requests, modules)" }
                label.check { input #log-follow type="checkbox" checked data-follow; " Follow new entries" }
            }
            ol.loglines.full.hide-technical data-logs data-after=(entries.last().map(|e| e.seq).unwrap_or(0)) aria-live="polite" aria-relevant="additions" {
                @for e in entries { (line(e)) }
            }
            @if entries.is_empty() { p.empty data-logs-empty { "Nothing logged yet." } }
        }
    };
    page(chrome, "Logs", content)
}

/// One log line (the same markup `app.js` builds for new ones): a sentence
/// for people, or a technical line with its level and module.
pub fn line(e: &LogEntry) -> Markup {
    let kind = if e.activity { "activity" } else { "technical" };
    html! {
        li class={"log " (kind) " " (e.level.to_ascii_lowercase())} data-seq=(e.seq) {
            time data-ms=(e.ms) { (e.utc_time()) }
            @if !e.activity {
                span.level { (e.level) }
                span.target { (e.target) }
            }
            span.msg { (e.message) }
        }
    }
}
