//! The accounts page: what musync knows (service, name, read-only badge,
//! remove), sign-ins under way, and one card per service to add another.

use super::{Chrome, alert, job_panel, page, read_only_badge};
use crate::jobs::JobStatus;
use crate::sources::Source;
use maud::{Markup, html};
use musync_core::ServiceKind;

/// Values the add forms start with (the demo fills in its fake app's keys).
#[derive(Default)]
pub struct Prefill {
    /// Last.fm API key.
    pub lastfm_key: String,
    /// Last.fm shared secret.
    pub lastfm_secret: String,
    /// Spotify Client ID.
    pub spotify_client: String,
    /// Spotify loopback port.
    pub spotify_port: u16,
    /// The playlist file path field.
    pub file_path: String,
}

/// What the page shows besides the list.
pub struct Notice<'a> {
    /// An error from the last form (shown at the form's card).
    pub error: Option<(ServiceKind, &'a str)>,
    /// A success line.
    pub added: Option<&'a str>,
}

/// The accounts page.
pub fn render(
    chrome: &Chrome,
    sources: &[Source],
    signins: &[JobStatus],
    prefill: &Prefill,
    notice: &Notice<'_>,
) -> Markup {
    let error_for = |kind: ServiceKind| {
        notice
            .error
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| alert(m, None))
    };
    let content = html! {
        div.page-head {
            h1 { "Accounts" }
            p.lede { "The services and playlist files musync can compare. Sign-ins are stored in your system keyring (or a private file), never shown." }
        }
        @if let Some(added) = notice.added {
            div.alert.ok role="status" { p { "Added " strong { (added) } "." } }
        }
        @for job in signins { (job_panel(chrome, job, "/accounts")) }
        section.card aria-labelledby="known" {
            h2 #known { "Your accounts" }
            @if sources.is_empty() {
                p.empty { "No accounts yet. Add one below: Amazon Music to read from, and Last.fm, Spotify or a playlist file to sync into." }
            } @else {
                table.accounts {
                    caption.sr-only { "Accounts musync knows" }
                    thead { tr { th scope="col" { "Service" } th scope="col" { "Name" } th scope="col" { "Id" } th scope="col" { span.sr-only { "Actions" } } } }
                    tbody {
                        @for s in sources {
                            tr {
                                td { span.service { (s.account.service.display_name()) } " " @if s.read_only { (read_only_badge()) } }
                                td { (s.account.name) @if let Some(p) = s.path() { br; span.muted.path { (p.display()) } } }
                                td { code { (s.account.id) } }
                                td.actions {
                                    a.button.secondary.small href={"/accounts/remove?id=" (s.account.id)} aria-label={"Remove " (s.account.name)} { "Remove…" }
                                }
                            }
                        }
                    }
                }
            }
            @if !sources.is_empty() {
                p { a.button href="/compare" { "Continue to step 1: compare →" } }
            }
        }
        h2 { "Add an account" }
        div.grid-cards {
            section.card.add-card aria-labelledby="add-amazon" {
                h3 #add-amazon { "Amazon Music " (read_only_badge()) }
                p.muted { (musync_services::info(ServiceKind::Amazon).description) }
                @if let Some(e) = error_for(ServiceKind::Amazon) { (e) }
                form method="post" action="/accounts/amazon" {
                    (chrome.csrf_field())
                    button type="submit" { "Sign in with a browser window" }
                }
                p.muted.small { "A browser window opens on this computer; sign in there. musync never sees your password." }
                details {
                    summary { "…or import a cookies.txt" }
                    form.stack method="post" action="/accounts/amazon-cookies" {
                        (chrome.csrf_field())
                        label for="amazon-cookies" { "Path of the cookies.txt file" }
                        input #amazon-cookies type="text" name="path" required placeholder="~/Downloads/cookies.txt" autocomplete="off";
                        button.secondary type="submit" { "Import cookies" }
                    }
                }
            }
            section.card.add-card aria-labelledby="add-lastfm" {
                h3 #add-lastfm { "Last.fm" }
                p.muted { (musync_services::info(ServiceKind::Lastfm).description) }
                @if let Some(e) = error_for(ServiceKind::Lastfm) { (e) }
                form.stack method="post" action="/accounts/lastfm" {
                    (chrome.csrf_field())
                    label for="lastfm-key" { "API key" }
                    input #lastfm-key type="text" name="api_key" required value=(prefill.lastfm_key) autocomplete="off";
                    label for="lastfm-secret" { "Shared secret" }
                    input #lastfm-secret type="password" name="api_secret" required value=(prefill.lastfm_secret) autocomplete="off";
                    button type="submit" { "Start authorisation" }
                }
                p.muted.small { "Create an API account at last.fm/api/account/create. musync then shows an address where you allow it." }
            }
            section.card.add-card aria-labelledby="add-spotify" {
                h3 #add-spotify { "Spotify" }
                p.muted { (musync_services::info(ServiceKind::Spotify).description) }
                @if let Some(e) = error_for(ServiceKind::Spotify) { (e) }
                form.stack method="post" action="/accounts/spotify" {
                    (chrome.csrf_field())
                    label for="spotify-client" { "Client ID of your Spotify app" }
                    input #spotify-client type="text" name="client_id" required value=(prefill.spotify_client) autocomplete="off";
                    label for="spotify-port" { "Redirect port" }
                    input #spotify-port type="number" name="port" min="0" max="65535" value=(prefill.spotify_port);
                    button type="submit" { "Start authorisation" }
                }
                p.muted.small { "Your app's Redirect URI must be http://127.0.0.1:PORT/callback." }
            }
            section.card.add-card aria-labelledby="add-file" {
                h3 #add-file { "Playlist file" }
                p.muted { (musync_services::info(ServiceKind::File).description) }
                @if let Some(e) = error_for(ServiceKind::File) { (e) }
                form.stack method="post" action="/accounts/file" {
                    (chrome.csrf_field())
                    label for="file-path" { "Path of the playlist file" }
                    input #file-path type="text" name="path" required value=(prefill.file_path) placeholder="~/Music/road-trip.m3u8" autocomplete="off";
                    button type="submit" { "Add file" }
                }
                p.muted.small { "A file that does not exist yet is created by the first sync into it." }
            }
        }
    };
    page(chrome, "Accounts", content)
}

/// "Remove this account?" with the consequences spelled out.
pub fn confirm_remove(chrome: &Chrome, source: &Source) -> Markup {
    let content = html! {
        section.card.narrow aria-labelledby="confirm" {
            h1 #confirm { "Remove " (source.account.name) "?" }
            @if source.path().is_some() {
                p { "musync forgets this playlist file. The file itself stays where it is." }
            } @else {
                p { "musync forgets the " (source.account.service.display_name()) " account " code { (source.account.id) } " and deletes its stored sign-in. Nothing changes at " (source.account.service.display_name()) "." }
            }
            p.muted { "Remembered answers (\"don't sync\", chosen matches) are kept, so adding the account again brings them back." }
            form.inline method="post" action="/accounts/remove" {
                (chrome.csrf_field())
                input type="hidden" name="id" value=(source.account.id);
                button.danger type="submit" autofocus { "Remove" }
                a.button.secondary href="/accounts" { "Cancel" }
            }
        }
    };
    page(chrome, "Remove account", content)
}
