//! The Saved syncs page: one row per pair with its last result.

use super::{Chrome, page};
use maud::{Markup, html};
use musync_store::SavedPair;

/// The page for `pairs` (each with its number of pending questions).
pub fn render(chrome: &Chrome, pairs: &[(SavedPair, usize)]) -> Markup {
    let content = html! {
        div.page-head {
            h1 { "Saved syncs" }
            p.lede { "Pairs `musync run` keeps in sync unattended. Songs that need you wait in `musync review`." }
            p { a.button.secondary href="/saved/inbox" { "Review inbox" } }
        }
        section.card {
            @if pairs.is_empty() {
                p.empty { "No saved syncs yet. Save one with " code { "musync pairs add LEFT RIGHT --name NAME" } "." }
            } @else {
                table.saved {
                    thead { tr { th { "Name" } th { "Playlists" } th { "Last run" } th { "Pending" } th {} } }
                    tbody {
                        @for (p, pending) in pairs {
                            tr data-pair=(p.name) {
                                td { (p.name) }
                                td { (p.left) " ⇄ " (p.right) br; span.muted { (p.direction) ", removals: " (p.removals) } }
                                td { (last_run(p)) }
                                td data-pending {
                                    @if *pending > 0 { a href={"/saved/inbox?pair=" (encode(&p.name))} { (pending) " to answer" } } @else { (pending) }
                                }
                                td {
                                    form method="post" action="/saved/run" {
                                        (chrome.csrf_field())
                                        input type="hidden" name="name" value=(p.name);
                                        button type="submit" { "Run now" }
                                    }
                                    form method="post" action="/saved/remove" {
                                        (chrome.csrf_field())
                                        input type="hidden" name="name" value=(p.name);
                                        button.secondary type="submit" { "Remove" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(chrome, "Saved syncs", content)
}

/// "never", or the counts of the last run.
fn last_run(p: &SavedPair) -> String {
    let Some(r) = &p.last_result else {
        return "never".to_owned();
    };
    let n = |k: &str| r.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let mut s = format!(
        "{} added, {} removed, {} failed",
        n("added"),
        n("removed"),
        n("failed")
    );
    if let Some(e) = r.get("error").and_then(|v| v.as_str()) {
        s.push_str(&format!(": {e}"));
    }
    s
}

/// `name` for a query string.
fn encode(name: &str) -> String {
    url::form_urlencoded::byte_serialize(name.as_bytes()).collect()
}
