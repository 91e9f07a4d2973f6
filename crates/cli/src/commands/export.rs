//! `musync export REF --format F [-o FILE]`.

use crate::args::{ExportArgs, FormatArg};
use crate::ctx::Ctx;
use anyhow::Result;
use musync_engine::{Role, Side};
use musync_files::Format;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: ExportArgs) -> Result<ExitCode> {
    let side = ctx.side(&args.playlist, Role::Read).await?;
    let tracks = ctx.read(&side).await?;
    let format = match args.format {
        FormatArg::M3u8 | FormatArg::M3u => Format::M3u8,
        FormatArg::Xspf => Format::Xspf,
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    };
    let name = title_of(&side).await?;
    match &args.output {
        Some(path) => {
            musync_files::write_new(path, format, &name, &tracks)?;
            eprintln!("wrote {} tracks to {}", tracks.len(), path.display());
        }
        None => {
            let text = musync_files::render(format, &name, &tracks)?;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The playlist's own title (a file's `<title>`/`#PLAYLIST:`/`name`, else
/// its file stem; a service playlist's name), not the reference typed.
async fn title_of(side: &Side) -> Result<String> {
    let listed = side.service.playlists().await?;
    Ok(listed
        .into_iter()
        .find(|p| p.id == side.playlist)
        .map_or_else(|| side.label.clone(), |p| p.name))
}
