//! `musync ui`: the web wizard (wired once musync-web lands).

use crate::args::UiArgs;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

pub async fn run(_data_dir: Option<PathBuf>, _args: UiArgs) -> Result<ExitCode> {
    anyhow::bail!("the web wizard is not built yet")
}
