//! `musync ui`: the web wizard.

use crate::args::UiArgs;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

pub async fn run(data_dir: Option<PathBuf>, args: UiArgs) -> Result<ExitCode> {
    let data_dir = data_dir.unwrap_or_else(musync_store::default_data_dir);
    musync_web::serve(musync_web::UiOptions {
        data_dir,
        port: args.port,
        open_browser: !args.no_open,
        demo: args.demo,
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}
