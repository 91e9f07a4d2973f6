//! Step 1: two panes, each an account and a playlist; after reading both,
//! the two lists colour-coded (green: in both, red: only in one), a click
//! on a green song jumps to its peer, and "Unlink" splits a wrong pair.

use super::{Chrome, job_panel, page, read_only_badge, track};
use crate::jobs::{JobState, JobStatus};
use crate::sources::Source;
use crate::wizard::Pick;
use maud::{Markup, html};
use musync_core::Track;
use musync_engine::Session;
use std::sync::Arc;

/// Everything step 1 shows.
pub struct View<'a> {
    /// Sources for the menus.
    pub sources: &'a [Source],
    /// The current picks.
    pub left: Option<&'a Pick>,
    /// The current picks.
    pub right: Option<&'a Pick>,
    /// The reading job, while it runs or when it failed.
    pub job: Option<&'a JobStatus>,
    /// The result.
    pub compared: Option<&'a Session>,
}

/// The compare page.
pub fn render(chrome: &Chrome, v: &View<'_>) -> Markup {
    let running = v.job.is_some_and(|j| j.state == JobState::Running);
    let content = html! {
        div.page-head {
            h1 { span.stepno { "Step 1" } " Compare two playlists" }
            p.lede { "Choose an account and a playlist on each side. musync reads both and shows which songs they share." }
        }
        @if v.sources.is_empty() {
            div.alert.info role="status" {
                p { "musync knows no accounts yet. " a href="/accounts" { "Add an account" } " first." }
            }
        }
        form.card.picker method="post" action="/compare" {
            (chrome.csrf_field())
            div.panes {
                (pane("left", "Left", v.sources, v.left))
                (pane("right", "Right", v.sources, v.right))
            }
            noscript { p.alert.info { "Choosing playlists needs JavaScript enabled." } }
            div.actions {
                a.button.secondary href="/accounts" { "← Accounts" }
                button #compare-btn type="submit" { @if v.compared.is_some() { "Compare again" } @else { "Compare" } }
            }
        }
        @if let Some(job) = v.job { (job_panel(chrome, job, "/compare")) }
        @if !running { @if let Some(c) = v.compared { (results(chrome, c)) } }
    };
    page(chrome, "Step 1: compare", content)
}

fn pane(side: &str, legend: &str, sources: &[Source], pick: Option<&Pick>) -> Markup {
    let source_id = format!("{side}-source");
    let playlist_id = format!("{side}-playlist");
    html! {
        fieldset.pane data-side=(side) {
            legend { (legend) }
            label for=(source_id) { "Account" }
            select id=(source_id) name={(side) "_source"} data-playlists-for=(playlist_id) required {
                option value="" { "Choose an account…" }
                @for s in sources {
                    option value=(s.account.id) selected[pick.is_some_and(|p| p.source == s.account.id.as_str())] data-read-only=[s.read_only.then_some("true")] {
                        (s.label()) @if s.read_only { " (read-only)" }
                    }
                }
            }
            label for=(playlist_id) { "Playlist" }
            select id=(playlist_id) name={(side) "_playlist"} required data-selected=[pick.map(|p| p.playlist.as_str())] {
                option value="" { "Choose an account first" }
            }
            p.pane-status.muted data-status aria-live="polite" {}
        }
    }
}

fn results(chrome: &Chrome, c: &Session) -> Markup {
    let d = &c.comparison().diff;
    let peer_left: std::collections::HashMap<usize, usize> = d.matched.iter().copied().collect();
    let peer_right: std::collections::HashMap<usize, usize> =
        d.matched.iter().map(|&(i, j)| (j, i)).collect();
    let nothing_missing = d.only_left.is_empty() && d.only_right.is_empty();
    let unlinked: std::collections::HashMap<usize, usize> =
        c.comparison().unlinked.iter().copied().collect();
    html! {
        section.results aria-labelledby="results-h" {
            div.results-head {
                h2 #results-h { "Session" }
                p.summary {
                    span.pill.both { (d.matched.len()) " in both" }
                    span.pill.only { (d.only_left.len()) " only left" }
                    span.pill.only { (d.only_right.len()) " only right" }
                }
                p.legend.muted { span.swatch.both aria-hidden="true" {} "green: in both (click to see its match) " span.swatch.only aria-hidden="true" {} "red: only in this playlist" }
            }
            div.panes {
                (list(chrome, "l", "r", &c.left().label, !c.left().service.capabilities().add_tracks, &c.comparison().left, &peer_left, Some(&unlinked), &c.comparison().right))
                (list(chrome, "r", "l", &c.right().label, !c.right().service.capabilities().add_tracks, &c.comparison().right, &peer_right, None, &c.comparison().left))
            }
            div.actions.sticky {
                a.button.secondary href="/accounts" { "← Accounts" }
                @if nothing_missing {
                    p.muted { "Both playlists hold the same songs: nothing to sync." }
                } @else {
                    form method="post" action="/review/start" {
                        (chrome.csrf_field())
                        button #next-review type="submit" { "Next: find the missing songs →" }
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn list(
    chrome: &Chrome,
    me: &str,
    other: &str,
    label: &str,
    read_only: bool,
    tracks: &[Arc<Track>],
    peers: &std::collections::HashMap<usize, usize>,
    unlinked: Option<&std::collections::HashMap<usize, usize>>,
    other_tracks: &[Arc<Track>],
) -> Markup {
    // Unlink and relink buttons sit on the left list only: one per pair.
    let with_unlink = unlinked.is_some();
    let heading = format!("{me}-list-h");
    html! {
        section.list-pane aria-labelledby=(heading) {
            h3 id=(heading) { (label) " " @if read_only { (read_only_badge()) } span.count.muted { (super::count(tracks.len(), "song", "songs")) } }
            @if tracks.is_empty() { p.empty { "This playlist is empty." } }
            ol.tracks {
                @for (i, t) in tracks.iter().enumerate() {
                    @match peers.get(&i) {
                        Some(&j) => {
                            li.track.both id={(me) "-" (i)} data-peer={(other) "-" (j)} {
                                button.peer type="button" aria-controls={(other) "-" (j)} title="Show its match on the other side" {
                                    span.mark aria-hidden="true" { "✓" }
                                    span.sr-only { "In both playlists: " }
                                    (track(t))
                                }
                                @if with_unlink {
                                    form.unlink method="post" action="/compare/unlink" {
                                        (chrome.csrf_field())
                                        input type="hidden" name="i" value=(i);
                                        input type="hidden" name="j" value=(j);
                                        button.link.small type="submit" aria-label={"Unlink " (t.title) " from " (other_tracks.get(j).map(|o| o.title.as_str()).unwrap_or("its match"))} title="These are not the same recording" { "Unlink" }
                                    }
                                }
                            }
                        }
                        None => {
                            li.track.only id={(me) "-" (i)} tabindex="-1" {
                                span.mark aria-hidden="true" {}
                                span.sr-only { "Only in this playlist: " }
                                span.peerless { (track(t)) }
                                @if let Some(&j) = unlinked.and_then(|u| u.get(&i)) {
                                    form.unlink method="post" action="/compare/relink" {
                                        (chrome.csrf_field())
                                        input type="hidden" name="i" value=(i);
                                        input type="hidden" name="j" value=(j);
                                        @let other_title = other_tracks.get(j).map(|o| o.title.as_str()).unwrap_or("its match");
                                        button.link.small type="submit" aria-label={"Relink " (t.title) " with " (other_title)} title={"You said this is not the same song as " (other_title) "; take that back"} { "Relink" }
                                    }
                                } @else if with_unlink {
                                    span.slot {}
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
