//! The review inbox: each waiting question of the saved syncs with its
//! ranked candidates as choices (numbered from 1, as `musync review` shows
//! them), "add with the exact name" where the target takes any track,
//! "don't sync", "not available" and "skip this time" (the default).

use super::{Chrome, page, track};
use maud::{Markup, html};
use musync_engine::{Answer, Question};

/// Everything the inbox shows.
pub struct View<'a> {
    /// Only this pair's questions, when filtered.
    pub pair: Option<&'a str>,
    /// The waiting questions.
    pub questions: &'a [Question],
    /// A status line after answering.
    pub notice: Option<&'a str>,
}

/// What the form sends back to name a question: pair, side and song key.
pub fn question_id(q: &Question) -> String {
    serde_json::json!([q.pair, q.from, q.key()]).to_string()
}

/// The inbox page.
pub fn render(chrome: &Chrome, v: &View<'_>) -> Markup {
    let content = html! {
        div.page-head {
            h1 { "Review inbox" @if let Some(p) = v.pair { span.muted { " — " (p) } } }
            p.lede { "Songs the saved syncs could not decide alone. Your answer is remembered: the next run applies it and never asks again." }
        }
        @if let Some(n) = v.notice { div.alert.ok role="status" { p { (n) } } }
        @if v.questions.is_empty() {
            div.card {
                p.empty { "Nothing to review: no saved sync is waiting for an answer." }
                div.actions { a.button.secondary href="/saved" { "← Saved syncs" } }
            }
        } @else {
            form #inbox-form method="post" action="/saved/inbox" {
                (chrome.csrf_field())
                @if let Some(p) = v.pair { input type="hidden" name="pair" value=(p); }
                p.summary { span.pill.warn { (v.questions.len()) " waiting" } }
                @for (n, q) in v.questions.iter().enumerate() { (question(n, q)) }
                div.actions.sticky {
                    a.button.secondary href="/saved" { "← Saved syncs" }
                    button #inbox-save type="submit" { "Save answers" }
                }
            }
        }
    };
    page(chrome, "Review inbox", content)
}

fn question(n: usize, q: &Question) -> Markup {
    let name = format!("a{n}");
    let choice = |answer: Answer, label: Markup| {
        let id = format!("{name}-{}", answer.token());
        html! {
            li.choice {
                input type="radio" id=(id) name=(name) value=(answer.token()) checked[answer == Answer::Skip];
                label for=(id) { (label) }
            }
        }
    };
    html! {
        fieldset.card.question data-question=(n) {
            legend.sr-only { (q.source.label()) }
            input type="hidden" name={"q" (n)} value=(question_id(q));
            div.question-head {
                div.song { (track(&q.source)) }
                p.muted.small { "Saved sync " strong { (q.pair) } " → " span.path { (q.target) } }
            }
            ol.choices role="list" {
                @for (i, c) in q.candidates.iter().enumerate() {
                    (choice(Answer::Candidate(i), html! {
                        span.num { (i + 1) } " " (track(&c.track)) " "
                        span.score.warn { (format!("{:.2}", c.score)) } " " span.reason { (c.reason) }
                    }))
                }
                @if q.unlisted {
                    (choice(Answer::Exact, html! { "Add it with the source's exact name" }))
                }
                (choice(Answer::DontSync, html! { "Don't sync (remember)" }))
                (choice(Answer::NotAvailable, html! { "Not available (remember)" }))
                (choice(Answer::Skip, html! { "Skip this time (ask again later)" }))
            }
        }
    }
}
