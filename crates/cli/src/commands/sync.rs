//! `musync sync LEFT RIGHT`: compare, plan (search + remembered decisions),
//! review uncertain songs, apply, report.

use crate::args::{DirectionArg, SyncArgs};
use crate::ctx::Ctx;
use crate::output;
use crate::progress::Bar;
use crate::review;
use anyhow::Result;
use musync_engine::{
    Direction, Mode, PlanOptions, Report, Role, Side, SideName, Status, SyncResult, Wait,
    WriteOptions,
};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: SyncArgs) -> Result<ExitCode> {
    let direction = match args.direction {
        DirectionArg::Both => Direction::Both,
        DirectionArg::ToRight => Direction::ToRight,
        DirectionArg::ToLeft => Direction::ToLeft,
    };
    // A side is written when songs flow into it; a missing file that would
    // only be read is an error.
    let role = |from: SideName| {
        if direction.allows_from(from) {
            Role::Write
        } else {
            Role::Read
        }
    };
    let left = ctx.side(&args.left, role(SideName::Right)).await?;
    let right = ctx.side(&args.right, role(SideName::Left)).await?;
    let interactive = !args.yes && (args.interactive || std::io::stdin().is_terminal());
    for side in [&left, &right] {
        if side.missing_file && !confirm_new_file(side, interactive, args.dry_run)? {
            eprintln!("nothing done");
            return Ok(ExitCode::FAILURE);
        }
    }

    let session = ctx.compare(left, right).await?;
    let cmp = session.comparison();
    eprintln!(
        "{} in both, {} only in {}, {} only in {}",
        cmp.diff.matched.len(),
        cmp.diff.only_left.len(),
        session.left().label,
        cmp.diff.only_right.len(),
        session.right().label
    );

    let search_bar = Bar::new("searching");
    let opts = PlanOptions {
        direction,
        search_concurrency: args.concurrency as usize,
    };
    let plan = session.plan(&ctx.store, opts, &|| search_bar.tick()).await;
    search_bar.finish();
    let mut plan = plan?;
    for note in &plan.notes {
        eprintln!("note: {note}");
    }

    let unanswered = plan.needs_review().count();
    if interactive && unanswered > 0 {
        review::run(&mut plan, &session)?;
    }

    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let labels = (session.left().label.clone(), session.right().label.clone());
    let options = WriteOptions {
        mode,
        wait: if args.no_wait {
            Wait::NoWait
        } else {
            Wait::Block
        },
        on_wait: &|message| eprintln!("{message}"),
    };
    let report = session.run_with(&ctx.store, plan, options, &|_| {}).await?;

    if args.json.json {
        output::json(&report)?;
    } else {
        print_report(&report, &labels.0, &labels.1)?;
        if !interactive && unanswered > 0 {
            eprintln!(
                "{unanswered} songs had no confident match and were not asked about; run the \
                 same sync on a terminal (or with --interactive) to choose for them"
            );
        }
    }
    Ok(if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Says that a playlist file will be created, and on a terminal asks once.
fn confirm_new_file(side: &Side, interactive: bool, dry_run: bool) -> Result<bool> {
    if dry_run {
        eprintln!("{} does not exist: a real run would create it", side.label);
        return Ok(true);
    }
    eprintln!("{} does not exist: it will be created", side.label);
    if !interactive || !std::io::stdin().is_terminal() {
        return Ok(true);
    }
    eprint!("create it? [Y/n] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(!matches!(answer.trim().to_lowercase().as_str(), "n" | "no"))
}

/// Grouped like rclone's check: one symbol per outcome, adds first.
fn print_report(report: &Report, left: &str, right: &str) -> std::io::Result<()> {
    let mut out = output::stdout();
    let groups = [
        (Status::Added, "added"),
        (Status::WouldAdd, "would add"),
        (Status::Skipped, "skipped"),
        (Status::NotFound, "not found"),
        (Status::Failed, "failed"),
    ];
    for (status, title) in groups {
        let rows: Vec<&SyncResult> = report
            .results
            .iter()
            .filter(|r| r.status == status)
            .collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "{} {title} ({})", status.symbol(), rows.len())?;
        for r in rows {
            let to = match r.from {
                musync_engine::SideName::Left => right,
                musync_engine::SideName::Right => left,
            };
            let mut line = format!("  {} {} → {to}", status.symbol(), r.source.label());
            if let Some(t) = &r.target
                && t.label() != r.source.label()
            {
                line.push_str(&format!(" as {}", t.label()));
            }
            if let Some(reason) = &r.reason {
                line.push_str(&format!(": {reason}"));
            }
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let adds = if report.would_add > 0 {
        format!("{} would be added (dry run)", report.would_add)
    } else {
        format!("{} added", report.added)
    };
    eprintln!(
        "{adds}, {} skipped, {} not found, {} failed",
        report.skipped, report.not_found, report.failed
    );
    Ok(())
}
