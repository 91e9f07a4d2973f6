//! `musync tracks REF`: a playlist's tracks in order.

use crate::args::TracksArgs;
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use musync_engine::Role;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: TracksArgs) -> Result<ExitCode> {
    let side = ctx.side(&args.playlist, Role::Read).await?;
    let tracks = ctx.read(&side).await?;
    if args.json.json {
        output::json(&tracks)?;
    } else {
        let mut out = output::stdout();
        for (i, t) in tracks.iter().enumerate() {
            writeln!(out, "{:>5}  {}", i + 1, output::track_line(t))?;
        }
        out.flush()?;
        eprintln!("{} tracks in {}", tracks.len(), side.label);
    }
    Ok(ExitCode::SUCCESS)
}
