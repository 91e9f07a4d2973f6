//! `musync transfer SOURCE TARGET`: a whole library, one way. The engine
//! pairs the playlists (engine::transfer) and each pair is a one-way
//! session like `sync`'s; this command plans every pair, asks about every
//! uncertain song in one review, then runs the pairs and reports them.
//! Ctrl-C stops between two steps; the journal lets the next run resume.

use crate::args::{FolderFormatArg, TransferArgs};
use crate::ctx::Ctx;
use crate::output;
use crate::review;
use anyhow::Result;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use musync_core::{Progress, ServiceError};
use musync_engine::transfer::{
    self, Library, Pairing, TransferOptions, TransferReport, TransferRow,
};
use musync_engine::{Direction, Mode, Plan, PlanOptions, Report, Session};
use musync_files::Format;
use std::io::IsTerminal;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, args: TransferArgs) -> Result<ExitCode> {
    tokio::select! {
        code = transfer(ctx, args) => code,
        _ = tokio::signal::ctrl_c() => {
            eprintln!(
                "\nstopped: songs added so far stay; run the same command again to go on \
                 (it adds only what is still missing)"
            );
            Ok(ExitCode::from(130))
        }
    }
}

async fn transfer(ctx: &Ctx, args: TransferArgs) -> Result<ExitCode> {
    let format = match args.format {
        FolderFormatArg::Csv => Format::Csv,
        FolderFormatArg::Xspf => Format::Xspf,
        FolderFormatArg::M3u8 => Format::M3u8,
        FolderFormatArg::Json => Format::Json,
    };
    let source = ctx.opener.library(&ctx.store, &args.source, format)?;
    let target = ctx.opener.library(&ctx.store, &args.target, format)?;
    let opts = TransferOptions {
        only: args.only.clone(),
        library: !args.no_library,
    };
    let mut pairings = transfer::pair(&source, &target, &opts).await?;
    if args.dry_run {
        transfer::mark_would_create(&mut pairings);
    } else {
        transfer::create_missing(&target, &mut pairings).await?;
    }
    announce(&pairings, &target, args.dry_run);

    let plan_opts = PlanOptions {
        direction: Direction::ToRight,
        search_concurrency: args.concurrency as usize,
    };
    // What became of each pair; a pair that stops (its playlist could not
    // be read, its run failed) does not stop the others.
    let mut stopped: Vec<Option<ServiceError>> = pairings.iter().map(|_| None).collect();
    // Plan every pair first, so one review covers the whole transfer.
    let expected: u64 = pairings
        .iter()
        .filter(|p| p.moves())
        .map(expected_songs)
        .sum();
    let bars = Bars::new("reading", expected);
    let mut planned: Vec<(Plan, Session)> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, pairing) in pairings.iter().enumerate() {
        let Some((left, right)) = transfer::sides(&source, &target, pairing) else {
            continue;
        };
        match plan_pair(ctx, left, right, plan_opts, &bars, pairing).await {
            Ok(one) => {
                owner.push(i);
                planned.push(one);
            }
            Err(e) => stopped[i] = Some(give_up(&bars, &source, &target, pairing, e)?),
        }
    }
    bars.clear();

    let interactive = !args.yes && (args.interactive || std::io::stdin().is_terminal());
    let unanswered: usize = planned.iter().map(|(p, _)| p.needs_review().count()).sum();
    if interactive && unanswered > 0 {
        review::run_all(&mut planned)?;
    }

    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let bars = Bars::new(
        if args.dry_run { "deciding" } else { "adding" },
        planned.iter().map(|(p, _)| p.items.len() as u64).sum(),
    );
    let mut reports: Vec<Option<Report>> = pairings.iter().map(|_| None).collect();
    for ((plan, session), i) in planned.into_iter().zip(owner) {
        let bar = bars.playlist(&pairings[i].source.name);
        bar.restart("adding", plan.items.len() as u64);
        let ran = session
            .run(&ctx.store, plan, mode, &|_| {
                bar.advance(1);
                bars.overall.inc(1);
            })
            .await;
        bar.done();
        match ran {
            Ok(report) => reports[i] = Some(report),
            Err(e) => stopped[i] = Some(give_up(&bars, &source, &target, &pairings[i], e)?),
        }
    }
    bars.clear();

    let mut out = TransferReport::default();
    for (i, pairing) in pairings.iter().enumerate() {
        out.push(match &stopped[i] {
            Some(e) => TransferRow::stopped(&source, &target, pairing, e),
            None => TransferRow::new(&source, &target, pairing, reports[i].as_ref()),
        });
    }
    if args.json.json {
        output::json(&out)?;
    } else {
        print_report(&out, args.dry_run);
        if !interactive && unanswered > 0 {
            eprintln!(
                "{unanswered} songs had no confident match and were not asked about; run the \
                 same transfer on a terminal to choose for them"
            );
        }
    }
    Ok(if out.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads both playlists of one pair and plans it, with a bar of its own
/// and the overall bar counting its songs.
async fn plan_pair(
    ctx: &Ctx,
    left: musync_engine::Side,
    right: musync_engine::Side,
    opts: PlanOptions,
    bars: &Bars,
    pairing: &Pairing,
) -> Result<(Plan, Session), ServiceError> {
    let bar = bars.playlist(&pairing.source.name);
    let before = bars.overall.position();
    let result = async {
        let session =
            Session::compare(&ctx.store, left, right, &bar, &musync_core::NoProgress).await?;
        let comparison = session.comparison();
        let (read, missing) = (
            comparison.left.len() as u64,
            comparison.diff.only_left.len() as u64,
        );
        // The listing's count gives way to the songs read.
        let length = bars.overall.length().unwrap_or(0);
        bars.overall
            .set_length(length.saturating_sub(expected_songs(pairing)) + read);
        bars.overall.inc(read - missing);
        bar.restart("searching", missing);
        let plan = session
            .plan(&ctx.store, opts, &|| {
                bar.advance(1);
                bars.overall.inc(1);
            })
            .await?;
        bars.overall.set_position(before + read);
        Ok((plan, session))
    }
    .await;
    bar.done();
    result
}

/// Songs a pair is expected to hold before it is read (the listing's count).
fn expected_songs(pairing: &Pairing) -> u64 {
    match &pairing.part {
        Some(range) => range.len() as u64,
        None => pairing.source.track_count.unwrap_or(0),
    }
}

/// A pair that stopped: said at once on stderr, kept for the summary; a
/// failure that would stop every pair alike ends the transfer instead.
fn give_up(
    bars: &Bars,
    source: &Library,
    target: &Library,
    pairing: &Pairing,
    error: ServiceError,
) -> Result<ServiceError> {
    if transfer::stops_everything(&error) {
        return Err(error.into());
    }
    let note = transfer::stopped_note(source, target, pairing, &error);
    bars.multi.suspend(|| eprintln!("warning: {note}"));
    Ok(error)
}

/// What will happen to each playlist, before the long part starts.
fn announce(pairings: &[Pairing], target: &Library, dry_run: bool) {
    for p in pairings {
        let what = if let Some(why) = p.skipped.as_ref().or(p.failed.as_ref()) {
            format!("skipped: {why}")
        } else if p.created && dry_run {
            format!("→ new playlist `{}` (a real run creates it)", p.target_name)
        } else if p.created {
            format!(
                "→ new playlist `{}`",
                p.target.as_ref().map_or(&p.target_name, |t| &t.name)
            )
        } else {
            format!(
                "→ {}",
                p.target.as_ref().map_or(&p.target_name, |t| &t.name)
            )
        };
        eprintln!("{} {what}", p.source.name);
    }
    if pairings.is_empty() {
        eprintln!("nothing to move into {}", target.label);
    }
}

fn print_report(out: &TransferReport, dry_run: bool) {
    for row in &out.playlists {
        let target = row.target.as_deref().unwrap_or("—");
        let created = if row.created { " (new)" } else { "" };
        println!(
            "{} → {target}{created}: {} {}, {} skipped, {} not found, {} failed",
            row.source,
            row.added,
            if dry_run { "would be added" } else { "added" },
            row.skipped,
            row.not_found,
            row.failed
        );
        if let Some(note) = &row.note {
            println!("  note: {note}");
        }
    }
    eprintln!(
        "{} playlists: {} songs {}, {} skipped, {} not found, {} failed",
        out.playlists.len(),
        out.added,
        if dry_run {
            "would be added (dry run)"
        } else {
            "added"
        },
        out.skipped,
        out.not_found,
        out.failed
    );
}

/// An overall bar (songs of the whole transfer, with the time left at the
/// pace so far) and one bar for the playlist in progress, on stderr;
/// invisible when it is not a terminal.
struct Bars {
    multi: MultiProgress,
    overall: ProgressBar,
}

impl Bars {
    fn new(step: &str, songs: u64) -> Bars {
        // The process's one group, so log sentences print above the bars.
        let multi = crate::progress::group().clone();
        let overall = multi.add(ProgressBar::hidden());
        overall.set_length(songs);
        overall.set_style(
            ProgressStyle::with_template(
                "{prefix:>12} [{bar:30}] {pos}/{len} songs, {eta} left (all playlists)",
            )
            .expect("static template")
            .progress_chars("=> "),
        );
        overall.set_prefix(step.to_owned());
        Bars { multi, overall }
    }

    fn playlist(&self, name: &str) -> PlaylistBar {
        let bar = self.multi.add(ProgressBar::hidden());
        bar.set_prefix("reading");
        bar.set_message(name.to_owned());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} {wide_msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
        PlaylistBar(bar)
    }

    fn clear(&self) {
        self.overall.finish_and_clear();
        let _ = self.multi.clear();
    }
}

struct PlaylistBar(ProgressBar);

impl PlaylistBar {
    fn restart(&self, step: &str, len: u64) {
        self.0.set_prefix(step.to_owned());
        self.0.set_position(0);
        self.0.set_length(len);
    }

    fn done(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for PlaylistBar {
    fn set_total(&self, total: u64) {
        self.0.set_length(total);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn message(&self, _msg: &str) {}
}
