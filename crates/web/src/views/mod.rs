//! Server-rendered HTML (maud): the page shell shared by every page and
//! small pieces (tracks, badges, job progress) the step pages reuse. Pages
//! work without scripts where they can; `app.js` adds live progress, the
//! playlist menus, peer highlighting and the live log.

pub mod accounts;
pub mod compare;
pub mod decisions;
pub mod inbox;
pub mod logs;
pub mod move_all;
pub mod review;
pub mod save_sync;
pub mod saved;
pub mod sync;

use crate::jobs::{JobState, JobStatus};
use crate::state::AppState;
use maud::{DOCTYPE, Markup, html};
use musync_core::Track;

/// Which page is showing (for the step bar and `aria-current`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Accounts.
    Accounts,
    /// Step 1.
    Compare,
    /// Step 2.
    Review,
    /// Step 3.
    Sync,
    /// The log page.
    Logs,
    /// Saved syncs (`musync run` pairs).
    Saved,
    /// Move everything (a whole library).
    Move,
    /// Remembered answers.
    Decisions,
}

/// What the page shell needs to know.
pub struct Chrome {
    csrf: String,
    demo: bool,
    step: Step,
    can_review: bool,
    can_sync: bool,
}

impl Chrome {
    /// The shell for `step` in the wizard's current state.
    pub fn new(app: &AppState, step: Step) -> Chrome {
        let w = app.wizard();
        Chrome {
            csrf: app.csrf_token().to_owned(),
            demo: app.demo().is_some(),
            step,
            can_review: w.compared.is_some(),
            can_sync: w.review.is_some() || w.finished.is_some() || w.sync_job.is_some(),
        }
    }

    /// The hidden CSRF field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="_csrf" value=(self.csrf); }
    }
}

/// The page shell: header with the steps, the demo banner, the content,
/// and the log drawer.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
    let step = |s: Step, n: &str, label: &str, href: &str, enabled: bool| {
        html! {
            li.step.current[chrome.step == s] {
                @if enabled {
                    a href=(href) aria-current=[(chrome.step == s).then_some("page")] {
                        @if !n.is_empty() { span.num aria-hidden="true" { (n) } }
                        (label)
                    }
                } @else {
                    span.disabled aria-disabled="true" {
                        @if !n.is_empty() { span.num aria-hidden="true" { (n) } }
                        (label)
                    }
                }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(chrome.csrf);
                title { (title) " — musync" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                @if chrome.demo {
                    div.demo-banner role="note" {
                        strong { "Demo mode:" } " fake services, nothing real is changed."
                    }
                }
                header.top {
                    a.brand href="/" { span.logo aria-hidden="true" { "♫" } "musync" }
                    nav aria-label="Wizard steps" {
                        ol.steps {
                            (step(Step::Accounts, "", "Accounts", "/accounts", true))
                            (step(Step::Compare, "1", "Compare", "/compare", true))
                            (step(Step::Review, "2", "Review", "/review", chrome.can_review))
                            (step(Step::Sync, "3", "Sync", "/sync", chrome.can_sync))
                        }
                    }
                    a.logs-link href="/logs" aria-current=[(chrome.step == Step::Logs).then_some("page")] { "Logs" }
                    // After Logs, so `a.logs-link` still finds Logs first.
                    a.logs-link.move-link href="/move" aria-current=[(chrome.step == Step::Move).then_some("page")] { "Move everything" }
                    a.logs-link.saved-link href="/saved" aria-current=[(chrome.step == Step::Saved).then_some("page")] { "Saved syncs" }
                }
                main #main tabindex="-1" { (content) }
                @if chrome.step != Step::Logs {
                    footer {
                        details.logdrawer #logdrawer {
                            summary { "Logs" span.muted { " — what musync is doing" } }
                            ol.loglines.hide-technical data-logs aria-live="off" {}
                            p { a href="/logs" { "Open the full log" } }
                        }
                    }
                }
            }
        }
    }
}

/// `Artist — Title` with album and duration, for lists.
pub fn track(t: &Track) -> Markup {
    html! {
        span.title { (t.title) }
        span.artist { (if t.artist.is_empty() { "Unknown artist" } else { &t.artist }) }
        @if let Some(album) = &t.album { span.album { (album) } }
        @if let Some(d) = t.duration_s { span.duration { (duration(d)) } }
    }
}

/// `1 song`, `3 songs`: a count with the noun that fits it.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `m:ss`.
pub fn duration(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The read-only badge.
pub fn read_only_badge() -> Markup {
    html! { span.badge.ro title="musync never writes to this service" { "read-only" } }
}

/// A running (or finished) job with its progress bars; `app.js` polls it
/// and reloads the page when it ends. `next` is where Cancel returns to.
pub fn job_panel(chrome: &Chrome, job: &JobStatus, next: &str) -> Markup {
    let running = job.state == JobState::Running;
    html! {
        section.card.job data-job=(job.id) data-state=(state_name(job.state)) aria-labelledby={"job-" (job.id)} {
            h2 id={"job-" (job.id)} {
                (job.title)
                @match job.state {
                    JobState::Done => span.badge.done { "done" },
                    JobState::Failed => span.badge.failed { "failed" },
                    JobState::Cancelled => span.badge { "cancelled" },
                    JobState::Running => {},
                }
            }
            div.bars data-bars aria-live="polite" {
                @for bar in &job.bars { (progress_bar(&bar.label, bar.done, bar.total)) }
            }
            p.message data-message { @if let Some(m) = &job.message { (m) } }
            @let url = job.url.clone().unwrap_or_default();
            // Only while waiting: once the sign-in ended there is nothing
            // left to allow.
            div.open-url data-url hidden[job.url.is_none() || !running] {
                p { "Allow musync in the page this button opens, then come back here." }
                a.button data-url-link href=(url) target="_blank" rel="noopener" { "Open the sign-in page ↗" }
                details {
                    summary { "Show the address (to open it elsewhere)" }
                    code data-url-text { (url) }
                }
            }
            @if let Some(e) = &job.error {
                div.alert.error role="alert" {
                    p { (e) }
                    @if let Some(h) = &job.hint { p.hint { "What to do: " (h) } }
                }
            }
            @if job.state == JobState::Cancelled { p.muted { "Cancelled." } }
            @if running {
                form method="post" action={"/jobs/" (job.id) "/cancel"} {
                    (chrome.csrf_field())
                    input type="hidden" name="next" value=(next);
                    button.secondary type="submit" { "Cancel" }
                }
            }
        }
    }
}

/// One labelled progress bar (indeterminate until the total is known).
pub fn progress_bar(label: &str, done: u64, total: Option<u64>) -> Markup {
    let count = match total {
        Some(t) => format!("{done} of {t}"),
        None if done > 0 => format!("{done} so far"),
        None => "starting…".to_owned(),
    };
    html! {
        div.bar {
            div.bar-label { span { (label) } span.count { (count) } }
            @match total {
                Some(t) => progress max=(t.max(1)) value=(done.min(t)) aria-label=(label) { (count) },
                None => progress aria-label=(label) { (count) },
            }
        }
    }
}

/// The JSON name of a job state (scripts read it).
pub fn state_name(s: JobState) -> &'static str {
    match s {
        JobState::Running => "running",
        JobState::Done => "done",
        JobState::Failed => "failed",
        JobState::Cancelled => "cancelled",
    }
}

/// An error box.
pub fn alert(message: &str, hint: Option<&str>) -> Markup {
    html! {
        div.alert.error role="alert" {
            p { (message) }
            @if let Some(h) = hint { p.hint { "What to do: " (h) } }
        }
    }
}
