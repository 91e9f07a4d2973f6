//! `musync playlists ACCOUNT` and `musync playlists create ACCOUNT NAME`.

use crate::args::{PlaylistsArgs, PlaylistsCommand};
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: PlaylistsArgs) -> Result<ExitCode> {
    if let Some(PlaylistsCommand::Create {
        account,
        name,
        json,
    }) = args.create
    {
        let account = ctx.account(&account)?;
        let service = ctx.service(&account)?;
        let created = service.create_playlist(&name).await?;
        if json.json {
            output::json(&serde_json::json!({"id": created.id, "name": created.name}))?;
        } else {
            println!("{}:{}", account.id, created.id);
            eprintln!("created playlist \"{}\" in {}", created.name, account.id);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = args
        .account
        .expect("clap requires ACCOUNT without a subcommand");
    let account = ctx.account(&id)?;
    let service = ctx.service(&account)?;
    let playlists = service.playlists().await?;
    if args.json.json {
        output::json(&playlists)?;
    } else {
        for p in &playlists {
            let count = p
                .track_count
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into());
            let ro = if p.writable { "" } else { "  (read-only)" };
            println!("{}:{}\t{}\t{count} tracks{ro}", account.id, p.id, p.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}
