//! `musync accounts list|add|remove`.

use crate::UsageError;
use crate::args::{AccountsCommand, AddAccount};
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use musync_core::{AccountId, NewAccount, Secret};
use musync_services::{OptionInput, SignInRequest};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

pub async fn run(ctx: &Ctx, cmd: AccountsCommand) -> Result<ExitCode> {
    match cmd {
        AccountsCommand::List(json) => list(ctx, json.json),
        AccountsCommand::Remove { account, json } => {
            let id = AccountId::new(&account);
            // Secrets whose account row is gone are removed the same way.
            let orphan = ctx.store.orphan_secrets()?.iter().any(|o| o.account == id);
            let removed =
                musync_services::forget(&ctx.store, ctx.secrets().as_ref(), &id)? || orphan;
            if !removed {
                anyhow::bail!(
                    "no account `{account}`; `musync accounts list` shows the accounts musync knows"
                );
            }
            if json.json {
                output::json(&serde_json::json!({"id": account, "removed": true}))?;
            } else if orphan {
                eprintln!("removed the secrets of {account} (musync.db had no such account)");
            } else {
                eprintln!("removed {account} and its secrets");
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsCommand::Add(add) => {
            let (new, json) = sign_in(add).await?;
            let account = musync_services::remember(&ctx.store, ctx.secrets().as_ref(), new)?;
            if json {
                output::json(&serde_json::json!({"id": account.id}))?;
            } else {
                println!("{}", account.id);
                eprintln!(
                    "added {} ({})",
                    account.name,
                    musync_services::display_name(&account.service)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let accounts = ctx.store.accounts()?;
    warn_orphans(ctx)?;
    let rows: Vec<serde_json::Value> = accounts
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "service": a.service,
                "name": a.name,
                "read_only": musync_services::is_read_only(&a.service),
            })
        })
        .collect();
    if json {
        output::json(&rows)?;
    } else if accounts.is_empty() {
        let names: Vec<&str> = musync_services::SERVICES
            .iter()
            .filter(|i| i.sign_in.is_some())
            .map(|i| i.kind.as_str())
            .collect();
        eprintln!(
            "no accounts yet; add one with `musync accounts add {}`",
            names.join("|")
        );
    } else {
        for a in &accounts {
            let ro = if musync_services::is_read_only(&a.service) {
                "  (read-only)"
            } else {
                ""
            };
            println!(
                "{}\t{}\t{}{ro}",
                a.id,
                musync_services::display_name(&a.service),
                a.name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Says which stored secrets belong to no account musync knows (the
/// database was deleted or replaced) and how to clear them; on stderr, so
/// `--json` output keeps its shape.
fn warn_orphans(ctx: &Ctx) -> Result<()> {
    for o in ctx.store.orphan_secrets()? {
        let place = match o.backend {
            "file" => "secrets.json",
            _ => "the OS keyring",
        };
        let service = o.account.as_str().split('-').next().unwrap_or_default();
        eprintln!(
            "warning: {place} holds secrets ({}) of account {} that {} does not know (was the \
             database deleted or replaced?); delete them with `musync accounts remove {}`, or \
             use the account again with `musync accounts add {service}`",
            o.keys.join(", "),
            o.account,
            ctx.store.path().display(),
            o.account
        );
    }
    Ok(())
}

fn print_url(url: &str) {
    eprintln!("Open this address in your browser to sign in:\n  {url}");
}

/// Turns what was typed after `accounts add SERVICE` into the registry's
/// sign-in request and runs the flow. Secrets given on standard input lose
/// their trailing newline; a terminal is asked without echo.
async fn sign_in(add: AddAccount) -> Result<(NewAccount, bool)> {
    let info = musync_services::find(&add.service)
        .ok_or_else(|| UsageError(format!("musync knows no service `{}`", add.service)))?;
    let m = &add.matches;
    let mut request = SignInRequest::new(info.kind, Box::new(print_url));
    let minutes = m.get_one::<u64>("timeout-min").copied().unwrap_or(10);
    request.timeout = Duration::from_secs(minutes * 60);
    for option in info.asked_options() {
        request = match option.input {
            OptionInput::Flag if m.get_flag(option.name) => request.with_flag(option.name),
            OptionInput::Flag => request,
            OptionInput::Stdin if m.get_flag(option.name) => {
                request.with_secret(option.name, read_secret_line(option.help)?)
            }
            OptionInput::Stdin => request,
            OptionInput::Port => match m.get_one::<u16>(option.name) {
                Some(port) => request.with_value(option.name, port.to_string()),
                None => request,
            },
            _ => match m.get_one::<String>(option.name) {
                Some(v) if option.secret => request.with_secret(option.name, Secret::new(v)),
                Some(v) => request.with_value(option.name, v),
                None => request,
            },
        };
    }
    // A service whose secrets only stdin gives (a password or an API
    // key), none given: a terminal is asked for the first one.
    let stdin_options: Vec<_> = info
        .asked_options()
        .filter(|o| o.input == OptionInput::Stdin)
        .collect();
    if let Some(first) = stdin_options.first()
        && stdin_options
            .iter()
            .all(|o| request.secret(o.name).is_none())
        && (first.required || std::io::stdin().is_terminal())
    {
        request = request.with_secret(first.name, prompt_secret(first.help)?);
    }
    eprintln!("{}", info.sign_in_help);
    let new = musync_services::sign_in(info, request).await?;
    Ok((new, m.get_flag("json")))
}

/// One line of standard input, without its line ending.
fn read_secret_line(what: &str) -> Result<Secret> {
    if std::io::stdin().is_terminal() {
        return prompt_secret(what);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let value = line.trim_end_matches(['\n', '\r']);
    if value.is_empty() {
        return Err(UsageError(format!("no {what} on standard input")).into());
    }
    Ok(Secret::new(value))
}

fn prompt_secret(what: &str) -> Result<Secret> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(format!(
            "musync needs the {what}: give it on standard input with --…-stdin"
        ))
        .into());
    }
    let value = rpassword::prompt_password(format!("{what}: "))?;
    Ok(Secret::new(value))
}
