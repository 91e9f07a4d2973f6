//! `musync run [NAME]...`: saved syncs, unattended (cron, systemd timers).
//! Never reads stdin and never asks: songs that need a person are queued
//! for `musync review`. Exit 1 when any pair failed, so cron mails it.

use crate::args::RunArgs;
use crate::commands::pairs;
use crate::ctx::Ctx;
use crate::output;
use anyhow::Result;
use musync_engine::{PairReport, RunOptions, SideName, Status, run_pair};
use musync_store::SavedPair;
use serde::Serialize;
use std::process::ExitCode;

/// `run --json`: the pairs and the totals.
#[derive(Serialize)]
struct RunReport {
    pairs: Vec<PairReport>,
    added: usize,
    removed: usize,
    pending: usize,
    failed: usize,
    dry_run: bool,
}

pub async fn run(ctx: &Ctx, args: RunArgs) -> Result<ExitCode> {
    let pairs = chosen(ctx, &args.names)?;
    let opts = RunOptions {
        dry_run: args.dry_run,
        allow_mass_removal: args.allow_mass_removal,
        search_concurrency: args.concurrency as usize,
    };
    let Some(every) = args.every else {
        return once(ctx, &pairs, opts, args.json.json, false).await;
    };
    loop {
        // The list is read again each round: pairs may be added meanwhile.
        let pairs = chosen(ctx, &args.names)?;
        let code = once(ctx, &pairs, opts, args.json.json, true).await?;
        let _ = code;
        eprintln!(
            "next run in {} (at {})",
            humane(every),
            pairs::rfc3339(pairs::now_ms() + every.as_millis() as i64)
        );
        tokio::time::sleep(every).await;
    }
}

/// The named pairs (all when none is named); an unknown name is a usage error.
fn chosen(ctx: &Ctx, names: &[String]) -> Result<Vec<SavedPair>> {
    if names.is_empty() {
        return Ok(ctx.store.pairs()?);
    }
    names
        .iter()
        .map(|n| match ctx.store.pair(n)? {
            Some(p) => Ok(p),
            None => Err(pairs::unknown(n).into()),
        })
        .collect()
}

async fn once(
    ctx: &Ctx,
    pairs: &[SavedPair],
    opts: RunOptions,
    json: bool,
    lines: bool,
) -> Result<ExitCode> {
    if pairs.is_empty() && !json {
        eprintln!("no saved syncs; save one with `musync pairs add LEFT RIGHT --name NAME`");
    }
    let mut reports = Vec::new();
    for pair in pairs {
        let report = run_pair(&ctx.store, &ctx.opener, pair, opts).await?;
        if !json {
            print_pair(&report);
        }
        reports.push(report);
    }
    let total = RunReport {
        added: reports.iter().map(|r| r.added).sum(),
        removed: reports.iter().map(|r| r.removed).sum(),
        pending: reports.iter().map(|r| r.pending).sum(),
        failed: reports.iter().map(|r| r.failed).sum(),
        dry_run: opts.dry_run,
        pairs: reports,
    };
    let any_failed = total.pairs.iter().any(PairReport::failed);
    if json {
        if lines {
            // `--every`: one JSON document per round, one per line.
            println!("{}", serde_json::to_string(&total)?);
        } else {
            output::json(&total)?;
        }
    }
    Ok(if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One pair: a summary line, then one line per song that changed or needs
/// attention (`+` added, `-` removed, `?` pending, `❒` not restored, `✖`).
fn print_pair(r: &PairReport) {
    let dry = if r.dry_run { " (dry run)" } else { "" };
    let (adds, removes) = if r.dry_run {
        (
            format!("{} would be added", r.would_add),
            format!("{} would be removed", r.removed),
        )
    } else {
        (
            format!("{} added", r.added),
            format!("{} removed", r.removed),
        )
    };
    println!(
        "{}{dry}: {adds}, {removes}, {} pending, {} not restored, {} not found, {} failed",
        r.name, r.pending, r.not_restored, r.not_found, r.failed
    );
    if let Some(note) = &r.note {
        println!("  note: {note}");
    }
    for row in &r.results {
        let sigil = match row.status {
            Status::Added | Status::WouldAdd => "+",
            Status::Removed | Status::WouldRemove => "-",
            Status::Pending => "?",
            Status::NotRestored => "❒",
            Status::Failed => "✖",
            Status::Skipped | Status::NotFound => continue,
        };
        let side = match row.from {
            SideName::Left => "left",
            SideName::Right => "right",
        };
        let mut line = format!("  {sigil} {} (from {side})", row.source.label());
        if let Some(reason) = &row.reason {
            line.push_str(&format!(": {reason}"));
        }
        println!("{line}");
    }
    for note in &r.notes {
        println!("  note: {note}");
    }
    if let Some(e) = &r.error {
        eprintln!("error: {}: {e}", r.name);
    }
}

fn humane(d: std::time::Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
