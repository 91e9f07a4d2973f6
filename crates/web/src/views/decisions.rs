//! Remembered answers per playlist last compared, each with "Forget", and
//! "Forget all" per playlist (the CLI's `musync decisions`).

use super::{Chrome, page};
use maud::{Markup, html};
use musync_store::Decision;
use std::collections::HashMap;

/// One playlist and the answers remembered for songs going into it.
pub struct Target {
    /// As the wizard shows it.
    pub label: String,
    /// Its reference (decisions are keyed by it).
    pub reference: String,
    /// (song key, answer), sorted by key.
    pub answers: Vec<(String, Decision)>,
}

/// The page.
pub fn render(
    chrome: &Chrome,
    targets: &[Target],
    names: &HashMap<String, String>,
    notice: Option<&str>,
) -> Markup {
    let song = |key: &str| names.get(key).cloned().unwrap_or_else(|| song_of_key(key));
    let content = html! {
        div.page-head {
            h1 { "Remembered answers" }
            p.lede { "Answers you gave in earlier reviews, so musync does not ask again. Forget one and musync asks about that song the next time it is missing." }
        }
        @if let Some(n) = notice { div.alert.ok role="status" { p { (n) } } }
        @if targets.is_empty() {
            div.card {
                p { "Compare two playlists first: this page lists the answers remembered for them." }
                div.actions { a.button href="/compare" { "Step 1: compare" } }
            }
        }
        @for (n, t) in targets.iter().enumerate() {
            section.card aria-labelledby={"target-" (n)} {
                h2 id={"target-" (n)} { "Going into " (t.label) }
                @if t.answers.is_empty() {
                    p.empty { "No remembered answers." }
                } @else {
                    table.decisions {
                        caption.sr-only { "Remembered answers for " (t.label) }
                        thead { tr { th scope="col" { "Song" } th scope="col" { "Answer" } th scope="col" { span.sr-only { "Actions" } } } }
                        tbody {
                            @for (key, d) in &t.answers {
                                tr {
                                    td { (song(key)) }
                                    td { (answer_text(d)) }
                                    td.actions {
                                        form.inline method="post" action="/decisions/forget" {
                                            (chrome.csrf_field())
                                            input type="hidden" name="target" value=(t.reference);
                                            input type="hidden" name="key" value=(key);
                                            button.secondary.small type="submit" aria-label={"Forget the answer about " (song(key))} { "Forget" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if t.answers.len() > 1 {
                        form.inline method="post" action="/decisions/forget" {
                            (chrome.csrf_field())
                            input type="hidden" name="target" value=(t.reference);
                            input type="hidden" name="all" value="1";
                            button.secondary type="submit" { "Forget all " (t.answers.len()) " answers" }
                        }
                    }
                }
            }
        }
        div.actions { a.button.secondary href="/review" { "← Back to step 2" } a.button.secondary href="/compare" { "Step 1: compare" } }
    };
    page(chrome, "Remembered answers", content)
}

/// What a remembered answer says.
pub fn answer_text(d: &Decision) -> String {
    match d {
        Decision::DontSync => "Don't sync".to_owned(),
        Decision::NotAvailable => "Not available".to_owned(),
        Decision::Chosen(t) => format!("Add {} — {}", t.title, t.artist),
    }
}

/// A song key (`artists|title|version…`, normalised) as words, for songs
/// not in the last comparison: `title (version) — artists`.
fn song_of_key(key: &str) -> String {
    let mut parts = key.split('|');
    let (Some(artists), Some(title)) = (parts.next(), parts.next()) else {
        return key.to_owned();
    };
    let versions: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    let mut s = title.to_owned();
    if !versions.is_empty() {
        s.push_str(&format!(" ({})", versions.join(", ")));
    }
    if !artists.is_empty() {
        s.push_str(&format!(" — {artists}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn song_keys_read_as_title_then_artist() {
        assert_eq!(
            song_of_key("queen|bohemian rhapsody"),
            "bohemian rhapsody — queen"
        );
        assert_eq!(
            song_of_key("nirvana|smells like teen spirit|live"),
            "smells like teen spirit (live) — nirvana"
        );
        assert_eq!(song_of_key("odd"), "odd");
    }
}
