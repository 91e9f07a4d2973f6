//! `musync accounts list|add|remove`.

use crate::args::{AccountsCommand, AddAccount};
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use musync_core::{AccountId, NewAccount, Secret};
use musync_services::signin;
use std::process::ExitCode;
use std::time::Duration;

pub async fn run(ctx: &Ctx, cmd: AccountsCommand) -> Result<ExitCode> {
    match cmd {
        AccountsCommand::List(json) => list(ctx, json.json),
        AccountsCommand::Remove { account, json } => {
            let removed = musync_services::forget(
                &ctx.store,
                ctx.secrets().as_ref(),
                &AccountId::new(&account),
            )?;
            if !removed {
                anyhow::bail!(
                    "no account `{account}`; `musync accounts list` shows the accounts musync knows"
                );
            }
            if json.json {
                output::json(&serde_json::json!({"id": account, "removed": true}))?;
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
                    account.service.display_name()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let accounts = ctx.store.accounts()?;
    let rows: Vec<serde_json::Value> = accounts
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "service": a.service,
                "name": a.name,
                "read_only": musync_services::info(a.service).read_only,
            })
        })
        .collect();
    if json {
        output::json(&rows)?;
    } else if accounts.is_empty() {
        eprintln!("no accounts yet; add one with `musync accounts add amazon|lastfm|spotify`");
    } else {
        for a in &accounts {
            let ro = if musync_services::info(a.service).read_only {
                "  (read-only)"
            } else {
                ""
            };
            println!("{}\t{}\t{}{ro}", a.id, a.service.display_name(), a.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_url(url: &str) {
    eprintln!("Open this address in your browser to sign in:\n  {url}");
}

async fn sign_in(add: AddAccount) -> Result<(NewAccount, bool)> {
    Ok(match add {
        AddAccount::Amazon {
            cookies: Some(path),
            json,
            ..
        } => (signin::amazon_cookies(&path).await?, json.json),
        AddAccount::Amazon {
            cookies: None,
            timeout_min,
            json,
        } => {
            eprintln!(
                "A browser window opens at Amazon Music: sign in there (musync never sees your password)."
            );
            (
                signin::amazon_browser(Duration::from_secs(timeout_min * 60)).await?,
                json.json,
            )
        }
        AddAccount::Lastfm {
            api_key,
            api_secret,
            no_browser,
            json,
        } => {
            eprintln!("Waiting for you to allow musync on Last.fm …");
            let new = signin::lastfm(
                api_key,
                Secret::new(api_secret),
                !no_browser,
                Box::new(print_url),
            )
            .await?;
            (new, json.json)
        }
        AddAccount::Spotify {
            client_id,
            no_browser,
            port,
            json,
        } => {
            eprintln!("Waiting for you to allow musync on Spotify …");
            let new = signin::spotify(client_id, port, !no_browser, Box::new(print_url)).await?;
            (new, json.json)
        }
    })
}
