//! "Move everything": choose two libraries (accounts or folders), see the
//! playlist pairs (reused, created, skipped), one review of every
//! uncertain song, live progress per playlist and overall, then the
//! results per playlist (✔ added, ❒ skipped or not found, ✖ failed).

use super::review::candidate_label;
use super::sync::row as result_row;
use super::{Chrome, job_panel, page, track};
use crate::jobs::{JobState, JobStatus};
use crate::moving::{Moved, Paired, Planned, asks};
use crate::report::ResultRow;
use crate::sources::Source;
use maud::{Markup, html};
use musync_engine::transfer::Pairing;
use musync_engine::{Action, Answer};

/// What the first page shows.
pub struct Start<'a> {
    /// Accounts to choose from (playlist files are not libraries).
    pub accounts: &'a [Source],
    /// The last form: (source, target, library).
    pub form: Option<&'a (String, String, bool)>,
    /// The pairing job while it runs or when it failed.
    pub job: Option<&'a JobStatus>,
    /// The pairs, once listed.
    pub paired: Option<&'a Paired>,
}

fn heading(lede: &str) -> Markup {
    html! {
        div.page-head {
            h1 { "Move everything" }
            p.lede { (lede) }
        }
    }
}

/// The form and, once listed, the playlist pairs.
pub fn start(chrome: &Chrome, v: &Start<'_>) -> Markup {
    let (source, target, library) = match v.form {
        Some((s, t, l)) => (s.as_str(), t.as_str(), *l),
        None => ("", "", true),
    };
    let running = v.job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        (heading("Every playlist of one account or folder into the playlist of the same name in another: reused when it exists, created when missing, your library into its library. A preview shows what would happen and writes nothing."))
        form.card.picker method="post" action="/move" {
            (chrome.csrf_field())
            div.panes {
                (side(v.accounts, "source", "From", source))
                (side(v.accounts, "target", "To", target))
            }
            div.actions {
                label.check { input type="checkbox" name="library" value="yes" checked[library]; " Move the library too (liked or loved songs, My Music)" }
                button #move-list type="submit" { "List the playlists →" }
            }
        }
        @if let Some(job) = v.job { (job_panel(chrome, job, "/move")) }
        @if !running { @if let Some(p) = v.paired { (pairs(chrome, p)) } }
    };
    page(chrome, "Move everything", content)
}

/// One side's account menu and folder field.
fn side(accounts: &[Source], name: &str, legend: &str, chosen: &str) -> Markup {
    let is_account = accounts.iter().any(|a| a.account.id.as_str() == chosen);
    let folder_id = format!("{name}-folder");
    html! {
        fieldset.pane {
            legend { (legend) }
            label for=(name) { "Account" }
            select id=(name) name=(name) {
                option value="" selected[!is_account] { "— a folder (type it below) —" }
                @for a in accounts {
                    option value=(a.account.id) selected[a.account.id.as_str() == chosen] {
                        (a.label()) @if a.read_only { " (read-only)" }
                    }
                }
            }
            label for=(folder_id) { "or a folder of playlist files" }
            input id=(folder_id) type="text" name=(folder_id.replace('-', "_")) value=[(!is_account && !chosen.is_empty()).then_some(chosen)] placeholder="e.g. ~/music-backup/";
        }
    }
}

/// What happens to one source playlist, before anything runs.
fn what(p: &Pairing) -> (&'static str, String) {
    if let Some(why) = p.skipped.as_ref().or(p.failed.as_ref()) {
        return ("skipped", format!("skipped: {why}"));
    }
    let library = if p.library {
        "library → library: "
    } else {
        ""
    };
    match &p.target {
        Some(t) if p.created => ("created", format!("{library}new playlist “{}”", t.name)),
        Some(t) => ("reused", format!("{library}into the existing “{}”", t.name)),
        None => (
            "created",
            format!("{library}a new playlist “{}” is created", p.target_name),
        ),
    }
}

fn badge(kind: &str) -> Markup {
    html! {
        @match kind {
            "reused" => span.badge.done { "reused" },
            "created" => span.badge.remembered { "new" },
            _ => span.badge.ro { "skipped" },
        }
    }
}

fn pairs(chrome: &Chrome, p: &Paired) -> Markup {
    let moving = p.pairings.iter().filter(|x| x.moves()).count();
    html! {
        section.card aria-labelledby="pairs-h" {
            h2 #pairs-h { (p.source.label) " → " (p.target.label) }
            @if p.pairings.is_empty() {
                p.empty { "There is no playlist to move." }
            } @else {
                p.summary {
                    span.pill { (p.pairings.len()) " playlists" }
                    span.pill.both { (moving) " move" }
                    @let skipped = p.pairings.len() - moving;
                    @if skipped > 0 { span.pill.warn { (skipped) " skipped" } }
                }
                table.pairs #move-pairs {
                    thead { tr { th scope="col" { "Playlist" } th.count scope="col" { "Songs" } th scope="col" { "Goes to" } } }
                    tbody {
                        @for x in &p.pairings {
                            @let (kind, text) = what(x);
                            tr class={"pair " (kind)} data-pair=(x.source.name) {
                                td { strong { (x.source.name) } @if x.library { " " span.badge { "library" } } }
                                td.count { @if let Some(n) = x.source.track_count { (n) } @else { "—" } }
                                td { (badge(kind)) " " (text) }
                            }
                        }
                    }
                }
            }
            @if moving > 0 {
                form method="post" action="/move/plan" {
                    (chrome.csrf_field())
                    div.actions {
                        button.secondary #move-preview type="submit" name="mode" value="dry" { "Preview (writes nothing)" }
                        button #move-go type="submit" name="mode" value="move" { "Move everything →" }
                    }
                }
                p.muted.small { "Moving creates the missing playlists first, then searches every song; you review the uncertain ones before anything is added." }
            }
        }
    }
}

/// The one review of every uncertain song, or the planning job.
pub fn review(chrome: &Chrome, job: Option<&JobStatus>, planned: Option<&Planned>) -> Markup {
    let running = job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        (heading("Every song musync was not sure about, from all playlists, on one page. Choose once; then the adds run unattended."))
        @if let Some(job) = job { (job_panel(chrome, job, "/move")) }
        @if !running {
            @match planned {
                Some(planned) => (review_form(chrome, planned)),
                None => div.actions { a.button.secondary href="/move" { "← Back" } },
            }
        }
    };
    page(chrome, "Move everything: review", content)
}

fn review_form(chrome: &Chrome, planned: &Planned) -> Markup {
    let uncertain = planned.uncertain();
    let count = |f: &dyn Fn(&Action) -> bool| -> usize {
        planned
            .pairs
            .iter()
            .flat_map(|p| p.plan.items.iter())
            .filter(|i| f(&i.action))
            .count()
    };
    let adds = count(&|a| matches!(a, Action::Add(_)));
    let missing = count(&|a| matches!(a, Action::NotFound(_)));
    html! {
        @if planned.dry_run {
            div.alert.info role="note" { p { strong { "Preview:" } " nothing is created or added, and your answers are not remembered." } }
        }
        form #move-review method="post" action="/move/review" {
            (chrome.csrf_field())
            p.summary {
                span.pill { (planned.pairs.len()) " playlists" }
                span.pill.both { (adds) " confident" }
                span.pill.warn { (uncertain) " to check" }
                @if missing > 0 { span.pill.only { (missing) " not found" } }
            }
            @if uncertain == 0 {
                div.card { p { "No song needs you: every match is confident or nothing was found." } }
            }
            @for (p, pair) in planned.pairs.iter().enumerate() {
                @if pair.plan.needs_review().count() > 0 {
                    @let pairing = &planned.pairings[pair.pairing];
                    section.card aria-labelledby={"rv-" (p)} {
                        h2 id={"rv-" (p)} { (pairing.source.name) span.muted { " → " (pairing.target.as_ref().map_or(pairing.target_name.as_str(), |t| t.name.as_str())) } }
                        table.review {
                            thead { tr { th scope="col" { "Song" } th scope="col" { "What to add" } th scope="col" { "Best match" } } }
                            tbody {
                                @for (i, item) in pair.plan.items.iter().enumerate() {
                                    @if asks(item) {
                                        @let name = format!("s{p}-{i}");
                                        @let chosen = pair.answers[i].unwrap_or(Answer::Skip);
                                        tr.row.uncertain data-song=(name) {
                                            td.song { (track(&item.source)) }
                                            td.choice {
                                                label.sr-only for=(name) { "What to add for " (item.source.label()) }
                                                select id=(name) name=(name) {
                                                    @for (n, c) in item.candidates.iter().enumerate() {
                                                        option value=(Answer::Candidate(n).token()) selected[chosen == Answer::Candidate(n)] { (candidate_label(c)) }
                                                    }
                                                    @if pair.unlisted(item) {
                                                        option value=(Answer::Exact.token()) selected[chosen == Answer::Exact] { "Add with the source's exact name" }
                                                    }
                                                    option value=(Answer::Skip.token()) selected[chosen == Answer::Skip] { "Skip this time" }
                                                    option value=(Answer::DontSync.token()) selected[chosen == Answer::DontSync] { "Don't sync (remember)" }
                                                    option value=(Answer::NotAvailable.token()) selected[chosen == Answer::NotAvailable] { "Not available (remember)" }
                                                }
                                            }
                                            td.why {
                                                @if let Some(best) = item.candidates.first() {
                                                    span.score.warn { (format!("{:.2}", best.score)) } " "
                                                    span.reason { (best.reason) }
                                                    br;
                                                    span.muted.small { (best.track.title) " — " (best.track.artist) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.actions.sticky {
                button.secondary type="submit" name="go" value="back" { "← Back" }
                button #move-run type="submit" name="go" value="run" {
                    @if planned.dry_run { "Show the preview →" } @else { "Add the songs →" }
                }
            }
        }
    }
}

/// The run with live progress, then the results per playlist.
pub fn run(
    chrome: &Chrome,
    job: Option<&JobStatus>,
    rows: &[ResultRow],
    moved: Option<&Moved>,
) -> Markup {
    let running = job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        (heading("Each playlist runs as a one-way sync; songs already there are left alone."))
        @if let Some(job) = job {
            @if job.state != JobState::Done {
                (job_panel(chrome, job, "/move"))
                section.card aria-labelledby="live-h" {
                    h2 #live-h { "Songs so far" }
                    ol.results.live data-rows aria-live="polite" aria-relevant="additions" {
                        @for r in rows { (result_row(r)) }
                    }
                }
            }
        }
        @if !running {
            // Which job made these results, for its progress over the API.
            @if let Some(job) = job { span hidden data-move-job=(job.id) {} }
            @match moved {
                Some(m) => (results(chrome, m)),
                None => div.actions { a.button.secondary href="/move" { "← Move everything" } },
            }
        }
    };
    page(chrome, "Move everything: results", content)
}

fn results(chrome: &Chrome, m: &Moved) -> Markup {
    let r = &m.report;
    html! {
        section.card.summary-card aria-labelledby="moved-h" {
            h2 #moved-h { @if m.dry_run { "Preview done — nothing was written" } @else { "Done" } }
            p.muted { (m.source) " → " (m.target) }
            ul.stats role="list" {
                li.stat.added { span.n data-count="added" { (r.added) } span { @if m.dry_run { "✔ would be added" } @else { "✔ added" } } }
                li.stat.skipped { span.n data-count="skipped" { (r.skipped) } span { "❒ skipped" } }
                li.stat.not-found { span.n data-count="not_found" { (r.not_found) } span { "❒ not found" } }
                li.stat.failed.some[r.failed > 0] { span.n data-count="failed" { (r.failed) } span { "✖ failed" } }
            }
            table.pairs #move-results {
                thead { tr {
                    th scope="col" { "Playlist" } th scope="col" { "Into" }
                    th scope="col" { @if m.dry_run { "✔ would add" } @else { "✔ added" } } th scope="col" { "❒ skipped" } th scope="col" { "❒ not found" } th scope="col" { "✖ failed" }
                } }
                tbody {
                    @for (row, (source, target)) in r.playlists.iter().zip(&m.names) {
                        tr data-result=(source) {
                            td { strong { (source) } }
                            td { (target) @if row.created { " " span.badge.remembered { @if m.dry_run { "would be new" } @else { "new" } } }
                                @if let Some(n) = &row.note { p.small.muted { (n) } } }
                            td data-n="added" { (row.added) }
                            td { (row.skipped) }
                            td { (row.not_found) }
                            td.error-text[row.failed > 0] { (row.failed) }
                        }
                    }
                }
            }
            div.actions {
                a.button.secondary href="/move" { "← Move everything" }
                @if m.dry_run {
                    form method="post" action="/move/plan" {
                        (chrome.csrf_field())
                        button #move-for-real type="submit" name="mode" value="move" { "Move for real →" }
                    }
                }
            }
        }
        @for p in &m.playlists {
            @if !p.rows.is_empty() {
                details.card {
                    summary { strong { (p.source) } " → " (p.target) span.muted { " (" (p.rows.len()) " songs)" } }
                    ol.results { @for x in &p.rows { (result_row(x)) } }
                }
            }
        }
    }
}
