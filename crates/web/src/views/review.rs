//! Step 2: every song one side lacks, with what musync found for it in the
//! other service. Per song a menu: the ranked candidates (the best one
//! preselected only when confident), "add as it is" where the target is a
//! file (nothing to search: the song goes in with its id), "add with the
//! source's exact name" where another target takes any track, skip, "don't
//! sync" and "not available" (both remembered). Remembered rows are shown,
//! not asked.
//! Songs whose target is read-only are listed as such, never searched.

use super::{Chrome, job_panel, page, read_only_badge, track};
use crate::jobs::{JobState, JobStatus};
use crate::wizard::{Choice, Review};
use maud::{Markup, html};
use musync_engine::Session;
use musync_engine::{Action, Candidate, PlanItem, SideName};

/// Everything step 2 shows.
pub struct View<'a> {
    /// Step 1's result.
    pub compared: &'a Session,
    /// The searched plan and choices, once the search is done.
    pub review: Option<&'a Review>,
    /// The search job while it runs, or when it failed or was cancelled.
    pub job: Option<&'a JobStatus>,
    /// A status line after a bulk action.
    pub notice: Option<String>,
}

/// The review page.
pub fn render(chrome: &Chrome, v: &View<'_>) -> Markup {
    let running = v.job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        div.page-head {
            h1 { span.stepno { "Step 2" } " Review the missing songs" }
            p.lede { "musync searched each missing song in the other service (a playlist file takes it as it is). Check the uncertain ones, then sync." }
        }
        @if let Some(n) = &v.notice { div.alert.ok role="status" { p { (n) } } }
        @if let Some(job) = v.job { (job_panel(chrome, job, "/review")) }
        @if !running {
            @match v.review {
                Some(review) => (table(chrome, v.compared, review)),
                None => {
                    div.card {
                        p { "The search has not run (or was cancelled)." }
                        div.actions {
                            a.button.secondary href="/compare" { "← Back to step 1" }
                            form method="post" action="/review/start" {
                                (chrome.csrf_field())
                                button type="submit" { "Search the missing songs" }
                            }
                        }
                    }
                }
            }
        }
    };
    page(chrome, "Step 2: review", content)
}

fn table(chrome: &Chrome, c: &Session, review: &Review) -> Markup {
    let items = &review.plan.items;
    let confident = items
        .iter()
        .zip(&review.choices)
        .filter(|(i, ch)| ch.is_some() && is_sure(i))
        .count();
    let uncertain = review.uncertain();
    let settled = review.choices.iter().filter(|c| c.is_none()).count();
    let adds = review
        .choices
        .iter()
        .filter(|c| matches!(c, Some(Choice::Candidate(_) | Choice::Exact)))
        .count();
    // A read-only target is explained once, by its list below; the plan's
    // note saying the same is not repeated.
    let read_only: Vec<String> = [c.left(), c.right()]
        .iter()
        .filter_map(|s| s.read_only_reason())
        .collect();
    let notes = review
        .plan
        .notes
        .iter()
        .filter(|n| !read_only.iter().any(|r| n.starts_with(r.as_str())));
    html! {
        @for note in notes { div.alert.info role="note" { p { (note) } } }
        (read_only_lists(c))
        @if items.is_empty() {
            div.card {
                p { "Nothing to add: every missing song goes to a read-only side." }
                div.actions { a.button.secondary href="/compare" { "← Back to step 1" } }
            }
        } @else {
            form #review-form method="post" action="/review" {
                (chrome.csrf_field())
                div.toolbar {
                    p.summary {
                        span.pill { (items.len()) " missing" }
                        span.pill.both { (confident) " confident" }
                        span.pill.warn { (uncertain) " to check" }
                        @if settled > 0 { span.pill { (settled) " remembered" } }
                    }
                    label.check {
                        input #only-uncertain type="checkbox" data-filter-uncertain;
                        " Show only uncertain songs"
                    }
                    button.secondary type="submit" name="go" value="confident" title="Pick the best match for every song musync is sure about, except where you chose yourself" { "Accept all confident" }
                    a.small href="/decisions" { "Remembered answers…" }
                }
                table.review #review-table {
                    caption.sr-only { "Missing songs and what to add for each" }
                    thead {
                        tr {
                            th scope="col" { "Song" }
                            th scope="col" { "Goes to" }
                            th scope="col" { "What to add" }
                            th scope="col" { "Match" }
                        }
                    }
                    tbody {
                        @for (idx, (item, choice)) in items.iter().zip(&review.choices).enumerate() {
                            (row(c, idx, item, *choice))
                        }
                    }
                }
                div.actions.sticky {
                    button.secondary type="submit" name="go" value="back" { "← Back to step 1" }
                    p.muted data-add-count { (super::count(adds, "song", "songs")) " will be added" }
                    button #sync-btn type="submit" name="go" value="sync" { "Sync →" }
                }
            }
            // Outside the review form (forms do not nest); each remembered
            // row's Forget button names its form.
            @for (idx, item) in items.iter().enumerate().filter(|(i, _)| review.choices[*i].is_none()) {
                form id={"forget-" (idx)} method="post" action="/decisions/forget" hidden {
                    (chrome.csrf_field())
                    input type="hidden" name="target" value=(c.target(item.from).reference);
                    input type="hidden" name="key" value=(item.source_key);
                    input type="hidden" name="next" value="/review";
                }
            }
        }
    }
}

/// A row musync needs no one to check: a confident best candidate, or a
/// song the target takes as it is (a file).
fn is_sure(item: &PlanItem) -> bool {
    item.taken_as_is() || item.candidates.first().is_some_and(|b| b.confident)
}

fn row(c: &Session, idx: usize, item: &PlanItem, choice: Option<Choice>) -> Markup {
    let target = c.target(item.from);
    let unlisted = target.service.capabilities().add_unlisted;
    let best = item.candidates.first();
    let as_is = item.taken_as_is();
    let class = match (&item.action, choice) {
        (_, None) => "settled",
        (Action::Review, _) => "uncertain",
        (Action::Failed(_), _) => "failed",
        _ if is_sure(item) => "confident",
        _ if item.candidates.is_empty() => "none",
        _ => "uncertain",
    };
    let select_id = format!("row-{idx}");
    html! {
        tr class={"row " (class)} data-row=(idx) {
            td.song { (track(&item.source)) }
            td.to { (target.label) }
            @match choice {
                None => {
                    td.choice colspan="2" {
                        span.badge.remembered { "remembered" } " " (settled_text(item)) " "
                        button.link.small type="submit" form={"forget-" (idx)} aria-label={"Forget the remembered answer for " (item.source.label())} title="musync asks about this song again" { "Forget" }
                    }
                }
                Some(choice) => {
                    td.choice {
                        label.sr-only for=(select_id) { "What to add for " (item.source.label()) }
                        select id=(select_id) name=(select_id) data-confident=[best.filter(|b| b.confident).map(|_| Choice::Candidate(0).token())] {
                            @for (n, cand) in item.candidates.iter().enumerate() {
                                option value=(Choice::Candidate(n).token()) selected[choice == Choice::Candidate(n)] data-score=(format!("{:.2}", cand.score)) data-reason=(cand.reason) {
                                    (candidate_label(cand))
                                }
                            }
                            @if as_is {
                                option value=(Choice::Exact.token()) selected[choice == Choice::Exact] data-reason="the target takes the song as it is" {
                                    "Add as it is"
                                }
                            } @else if unlisted {
                                option value=(Choice::Exact.token()) selected[choice == Choice::Exact] data-reason="the source's own title and artist" {
                                    "Add with the source's exact name"
                                }
                            }
                            option value=(Choice::Skip.token()) selected[choice == Choice::Skip] {
                                @if item.candidates.is_empty() && !as_is { "No songs found — skip" } @else { "Skip this time" }
                            }
                            option value=(Choice::DontSync.token()) selected[choice == Choice::DontSync] { "Don't sync (remember)" }
                            option value=(Choice::NotAvailable.token()) selected[choice == Choice::NotAvailable] { "Not available (remember)" }
                        }
                        @if let Action::Failed(why) = &item.action { p.small.error-text { (why) } }
                    }
                    td.why data-why {
                        @match best {
                            Some(b) => {
                                span.score.ok[b.confident].warn[!b.confident] { (format!("{:.2}", b.score)) }
                                " " span.reason { (b.reason) }
                            }
                            None if as_is => span.muted { "taken as it is" },
                            None => span.muted { @if matches!(item.action, Action::Failed(_)) { "search failed" } @else { "nothing found" } },
                        }
                    }
                }
            }
        }
    }
}

pub(crate) fn candidate_label(c: &Candidate) -> String {
    let mut s = format!("{} — {}", c.track.title, c.track.artist);
    if let Some(album) = &c.track.album {
        s.push_str(&format!(" · {album}"));
    }
    s.push_str(&format!(
        " ({:.2}{})",
        c.score,
        if c.confident { ", confident" } else { "" }
    ));
    s
}

fn settled_text(item: &PlanItem) -> String {
    match &item.action {
        Action::Skip(why) | Action::NotFound(why) | Action::Failed(why) => {
            why.trim_end_matches(" (remembered)").to_owned()
        }
        Action::Add(t) => format!("add {} (your earlier choice)", t.label()),
        Action::Review => "to review".to_owned(),
    }
}

/// Songs that stay where they are because their target is read-only.
fn read_only_lists(c: &Session) -> Markup {
    let groups: Vec<(SideName, String, &Vec<usize>)> = [
        (SideName::Left, &c.comparison().diff.only_left),
        (SideName::Right, &c.comparison().diff.only_right),
    ]
    .into_iter()
    .filter(|(_, only)| !only.is_empty())
    .filter_map(|(from, only)| {
        c.target(from)
            .read_only_reason()
            .map(|reason| (from, reason, only))
    })
    .collect();
    html! {
        @for (from, reason, only) in groups {
            @let (source, target, tracks) = match from {
                SideName::Left => (&c.left().label, &c.right().label, &c.comparison().left),
                SideName::Right => (&c.right().label, &c.left().label, &c.comparison().right),
            };
            details.card.readonly {
                summary {
                    (read_only_badge()) " " (super::count(only.len(), "song", "songs")) " only in " (source) ", not searched: " (reason) "."
                }
                p.muted { "musync never writes to " (target) ", so these songs stay only in " (source) "." }
                ul.plain {
                    @for &i in only.iter() {
                        @if let Some(t) = tracks.get(i) { li { (track(t)) " " span.badge.ro { "not searched" } } }
                    }
                }
            }
        }
    }
}
