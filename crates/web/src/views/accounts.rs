//! The accounts page: what musync knows (service, name, read-only badge,
//! remove), sign-ins under way, and one card per service to add another.

use super::{Chrome, alert, job_panel, page, read_only_badge};
use crate::jobs::JobStatus;
use crate::sources::Source;
use maud::{Markup, html};
use musync_services::{OptionInput, ServiceInfo};
use std::collections::HashMap;

/// Values the add forms start with (the demo fills in its fake apps' keys).
#[derive(Default)]
pub struct Prefill {
    /// By (service, option name).
    pub values: HashMap<(String, String), String>,
    /// The playlist file path field.
    pub file_path: String,
}

impl Prefill {
    fn value(&self, service: &str, option: &str) -> &str {
        self.values
            .get(&(service.to_owned(), option.to_owned()))
            .map_or("", String::as_str)
    }
}

/// What the page shows besides the list.
pub struct Notice<'a> {
    /// An error from the last form (shown at the card of that service).
    pub error: Option<(&'a str, &'a str)>,
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
    let error_for = |kind: &str| {
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
                                td { span.service { (musync_services::display_name(&s.account.service)) } " " @if s.read_only { (read_only_badge()) } }
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
            @for info in musync_services::SERVICES.iter().filter(|i| i.sign_in.is_some()) {
                (sign_in_card(chrome, info, prefill, error_for(info.kind.as_str())))
            }
            section.card.add-card aria-labelledby="add-file" {
                h3 #add-file { "Playlist file" }
                p.muted { (musync_files::INFO.description) }
                @if let Some(e) = error_for(musync_files::KIND.as_str()) { (e) }
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
                p { "musync forgets the " (musync_services::display_name(&source.account.service)) " account " code { (source.account.id) } " and deletes its stored sign-in. Nothing changes at " (musync_services::display_name(&source.account.service)) "." }
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

/// One card per service with a sign-in: its description, the fields of its
/// options and what happens next, all from the registry entry.
fn sign_in_card(
    chrome: &Chrome,
    info: &ServiceInfo,
    prefill: &Prefill,
    error: Option<Markup>,
) -> Markup {
    let name = info.kind.as_str();
    let heading = format!("add-{name}");
    html! {
        section.card.add-card aria-labelledby=(heading) {
            h3 id=(heading) { (info.kind.display_name()) " " @if info.read_only() { (read_only_badge()) } }
            p.muted { (info.description) }
            @if let Some(e) = error { (e) }
            form.stack method="post" action={"/accounts/add/" (name)} {
                (chrome.csrf_field())
                @for option in info.asked_options().filter(|o| o.input != OptionInput::Flag) {
                    @let id = format!("{name}-{}", option.name);
                    label for=(id) {
                        (capitalised(option.help))
                        @if !option.required { span.muted { " (optional)" } }
                    }
                    @match option.input {
                        OptionInput::Port => input id=(id) type="number" name=(option.name) min="1" max="65535" placeholder=[option.default] value=(prefill.value(name, option.name));
                        _ if option.secret || option.input == OptionInput::Stdin => input id=(id) type="password" name=(option.name) required[option.required] value=(prefill.value(name, option.name)) autocomplete="off";
                        _ => input id=(id) type="text" name=(option.name) required[option.required] value=(prefill.value(name, option.name)) autocomplete="off";
                    }
                }
                button type="submit" { "Sign in to " (info.kind.display_name()) }
            }
            p.muted.small { (info.sign_in_help) }
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
