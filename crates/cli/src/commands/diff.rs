//! `musync diff LEFT RIGHT`: shared songs and songs only one side has.

use crate::args::DiffArgs;
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use musync_engine::Role;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: DiffArgs) -> Result<ExitCode> {
    let left = ctx.side(&args.left, Role::Read).await?;
    let right = ctx.side(&args.right, Role::Read).await?;
    let session = ctx.compare(left, right).await?;
    let (left, right, cmp) = (session.left(), session.right(), session.comparison());
    if args.json.json {
        output::json(&cmp.diff)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = output::stdout();
    writeln!(out, "= in both ({})", cmp.diff.matched.len())?;
    for &(i, j) in &cmp.diff.matched {
        let (l, r) = (&cmp.left[i], &cmp.right[j]);
        if l.label() == r.label() {
            writeln!(out, "  = {}", l.label())?;
        } else {
            writeln!(out, "  = {}  ≈  {}", l.label(), r.label())?;
        }
    }
    writeln!(
        out,
        "- only in {} ({})",
        left.label,
        cmp.diff.only_left.len()
    )?;
    for &i in &cmp.diff.only_left {
        writeln!(out, "  - {}", output::track_line(&cmp.left[i]))?;
    }
    writeln!(
        out,
        "+ only in {} ({})",
        right.label,
        cmp.diff.only_right.len()
    )?;
    for &j in &cmp.diff.only_right {
        writeln!(out, "  + {}", output::track_line(&cmp.right[j]))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
