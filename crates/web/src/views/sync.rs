//! Step 3: the sync running with live per-song progress, then the results
//! grouped by outcome (✔ added, ❒ skipped or not found, ✖ failed with the
//! reason), a summary and the report as JSON and CSV.

use super::{Chrome, job_panel, page};
use crate::jobs::{JobState, JobStatus};
use crate::report::ResultRow;
use crate::wizard::Finished;
use maud::{Markup, html};

/// Everything step 3 shows.
pub struct View<'a> {
    /// The sync job, while it runs or if it stopped early.
    pub job: Option<&'a JobStatus>,
    /// Rows so far (live) or of the stopped job.
    pub rows: &'a [ResultRow],
    /// The finished sync.
    pub finished: Option<&'a Finished>,
    /// The references to offer "Save this sync" for.
    pub save: Option<super::save_sync::SaveOffer>,
}

/// The sync page.
pub fn render(chrome: &Chrome, v: &View<'_>) -> Markup {
    let running = v.job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        div.page-head {
            h1 { span.stepno { "Step 3" } " Sync" }
        }
        @if let Some(job) = v.job {
            @if job.state != JobState::Done {
                (job_panel(chrome, job, "/sync"))
                section.card aria-labelledby="live-h" {
                    h2 #live-h { "Songs so far" }
                    ol.results.live data-rows aria-live="polite" aria-relevant="additions" {
                        @for r in v.rows { (row(r)) }
                    }
                }
            }
        }
        @if !running {
            // Which job produced these results, for the live-rows API even
            // when the sync finished before this page was drawn.
            @if let Some(job) = v.job {
                span hidden data-sync-job=(job.id) {}
            }
            @match v.finished {
                Some(f) => {
                    (results(f))
                    @if let Some(offer) = &v.save { (super::save_sync::form(chrome, offer)) }
                },
                None => @if v.job.is_none() {
                    div.card {
                        p { "Nothing has been synced yet." }
                        div.actions { a.button.secondary href="/review" { "← Back to step 2" } }
                    }
                } @else {
                    div.actions {
                        a.button.secondary href="/review" { "← Back to step 2" }
                        a.button href="/compare" { "Compare again" }
                    }
                },
            }
        }
    };
    page(chrome, "Step 3: sync", content)
}

/// One live or final row.
pub fn row(r: &ResultRow) -> Markup {
    html! {
        li class={"result " (r.status)} {
            span.symbol aria-hidden="true" { (r.symbol) }
            span.sr-only { (status_words(r.status)) ": " }
            span.what {
                strong { (r.source) }
                " → " (r.to)
                @if let Some(t) = &r.target { span.muted { " as " (t) } }
            }
            @if let Some(reason) = &r.reason { span.reason { (reason) } }
        }
    }
}

fn status_words(status: &str) -> &'static str {
    match status {
        "added" => "Added",
        "would_add" => "Would add",
        "skipped" => "Skipped",
        "not_found" => "Not found",
        _ => "Failed",
    }
}

fn results(f: &Finished) -> Markup {
    let r = &f.report;
    let rows: Vec<ResultRow> = r
        .results
        .iter()
        .map(|x| ResultRow::new(x, &f.left, &f.right))
        .collect();
    let group = |status: &str| {
        rows.iter()
            .filter(|x| x.status == status)
            .collect::<Vec<_>>()
    };
    let groups = [
        ("added", "✔ Added"),
        ("failed", "✖ Failed"),
        ("not_found", "❒ Not found"),
        ("skipped", "❒ Skipped"),
    ];
    html! {
        section.card.summary-card aria-labelledby="summary-h" {
            h2 #summary-h { "Done" }
            p.muted { (f.left) " ⇄ " (f.right) }
            ul.stats role="list" {
                li.stat.added { span.n data-count="added" { (r.added) } span { "✔ added" } }
                li.stat.skipped { span.n data-count="skipped" { (r.skipped) } span { "❒ skipped" } }
                li.stat.not-found { span.n data-count="not_found" { (r.not_found) } span { "❒ not found" } }
                li.stat.failed.some[r.failed > 0] { span.n data-count="failed" { (r.failed) } span { "✖ failed" } }
            }
            @for note in &r.notes { p.note { "Note: " (note) } }
            div.actions {
                a.button.secondary href="/sync/report.json" download="musync-report.json" { "Download JSON" }
                a.button.secondary href="/sync/report.csv" download="musync-report.csv" { "Download CSV" }
                a.button href="/compare" { "Compare again" }
            }
        }
        @for (status, title) in groups {
            @let list = group(status);
            @if !list.is_empty() {
                section.card aria-labelledby={"g-" (status)} {
                    h2 id={"g-" (status)} { (title) " (" (list.len()) ")" }
                    ol.results { @for x in list { (row(x)) } }
                }
            }
        }
        @if rows.is_empty() {
            div.card { p { "There was nothing to add." } }
        }
        div.actions {
            a.button.secondary href="/review" { "← Back to step 2" }
            a.button.secondary href="/decisions" { "Remembered answers…" }
        }
    }
}
