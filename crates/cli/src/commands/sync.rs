//! `musync sync LEFT RIGHT`: compare, plan (search + remembered decisions),
//! review uncertain songs, apply, report.

use crate::args::{DirectionArg, SyncArgs};
use crate::ctx::Ctx;
use crate::output;
use crate::progress::Bar;
use crate::review;
use anyhow::Result;
use musync_engine::{Direction, Mode, PlanOptions, Report, Status, SyncResult};
use std::io::IsTerminal;
use std::process::ExitCode;

/// How many past runs (and their journal rows) the history keeps.
const KEEP_RUNS: usize = 200;

pub async fn run(ctx: &Ctx, args: SyncArgs) -> Result<ExitCode> {
    let left = ctx.side(&args.left, true).await?;
    let right = ctx.side(&args.right, true).await?;
    let direction = match args.direction {
        DirectionArg::Both => Direction::Both,
        DirectionArg::ToRight => Direction::ToRight,
        DirectionArg::ToLeft => Direction::ToLeft,
    };

    let cmp = ctx.compare(&left, &right).await?;
    eprintln!(
        "{} in both, {} only in {}, {} only in {}",
        cmp.diff.matched.len(),
        cmp.diff.only_left.len(),
        left.label,
        cmp.diff.only_right.len(),
        right.label
    );

    let search_bar = Bar::new("searching");
    let opts = PlanOptions {
        direction,
        search_concurrency: args.concurrency as usize,
    };
    let plan =
        musync_engine::plan(&cmp, &left, &right, &ctx.store, opts, &|| search_bar.tick()).await;
    search_bar.finish();
    let mut plan = plan?;
    for note in &plan.notes {
        eprintln!("note: {note}");
    }

    let interactive = !args.yes && (args.interactive || std::io::stdin().is_terminal());
    if interactive && plan.needs_review().next().is_some() {
        review::run(&mut plan, &ctx.store, &left, &right)?;
    }

    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let run = ctx
        .store
        .begin_run(&left.reference, &right.reference, args.dry_run)?;
    let report =
        musync_engine::apply(&plan, &cmp, &left, &right, &ctx.store, run, mode, &|_| {}).await;
    let report = report?;
    ctx.store
        .finish_run(run, &serde_json::to_value(summary(&report))?)?;
    // Older runs only matter for history; their journal rows are settled.
    ctx.store.prune_runs(KEEP_RUNS)?;

    if args.json.json {
        output::json(&report)?;
    } else {
        print_report(&report, &left.label, &right.label);
    }
    Ok(if report.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "added": r.added, "would_add": r.would_add, "skipped": r.skipped,
        "not_found": r.not_found, "failed": r.failed, "notes": r.notes,
    })
}

/// Grouped like rclone's check: one symbol per outcome, adds first.
fn print_report(report: &Report, left: &str, right: &str) {
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
        println!("{} {title} ({})", status.symbol(), rows.len());
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
            println!("{line}");
        }
    }
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
}
