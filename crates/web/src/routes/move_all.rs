//! "Move everything": a whole library into another account or a folder,
//! driven by the same engine steps as `musync transfer` (pair the
//! playlists, create or — in a preview — mark the missing targets, plan
//! each pair, one review of every uncertain song, run each pair), with
//! live progress per playlist and overall. A preview (dry run) writes
//! nothing: no playlist is created, no song added, no answer remembered.

use crate::error::PageError;
use crate::jobs::{JobKind, JobState};
use crate::moving::{Moved, Paired, Planned, PlannedPair, PlaylistResult, asks};
use crate::report::ResultRow;
use crate::sources;
use crate::state::AppState;
use crate::views::move_all as view;
use crate::views::{Chrome, Step};
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use musync_core::NoProgress;
use musync_engine::transfer::{self, TransferOptions, TransferReport, TransferRow};
use musync_engine::{Answer, Mode, Opener};
use musync_files::Format;
use serde::Deserialize;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};
use std::sync::Arc;

/// Searches in flight at once per pair (the CLI's default).
const SEARCH_CONCURRENCY: usize = 4;

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    source_folder: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    target_folder: String,
    library: Option<String>,
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    mode: String,
}

/// What the engine's `Opener::library` takes for one side: an account id,
/// or a folder path ending in a separator (so a folder that does not exist
/// yet is still a folder).
fn side_text(
    app: &AppState,
    account: &str,
    folder: &str,
    which: &str,
) -> Result<String, PageError> {
    let folder = folder.trim();
    if !folder.is_empty() {
        let path = match (folder.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => Path::new(&home).join(rest),
            _ => PathBuf::from(folder),
        };
        let mut text = std::path::absolute(&path)
            .unwrap_or(path)
            .display()
            .to_string();
        if !text.ends_with(MAIN_SEPARATOR) {
            text.push(MAIN_SEPARATOR);
        }
        return Ok(text);
    }
    let account = account.trim();
    if account.is_empty() {
        return Err(PageError::bad_request(format!(
            "Choose the {which} account, or type a folder."
        )));
    }
    let source = sources::get(app, account)?;
    if let Some(path) = source.path() {
        return Err(PageError {
            hint: Some(format!(
                "type the folder it is in ({}) to move every playlist file there, or compare \
                 the file with Compare",
                path.parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )),
            ..PageError::bad_request(format!(
                "{} is one playlist file, not a library.",
                source.account.name
            ))
        });
    }
    Ok(account.to_owned())
}

fn opener(app: &AppState) -> Opener {
    let secrets = app.secrets().clone();
    Opener::new(move || secrets.clone())
}

/// Stops every job of this flow.
fn cancel_jobs(app: &AppState, ids: [Option<u64>; 3]) {
    for id in ids.into_iter().flatten() {
        app.jobs().cancel(id);
    }
}

/// A job's status unless it finished well (then its result is shown).
fn unfinished(app: &AppState, id: Option<u64>) -> Option<crate::jobs::JobStatus> {
    id.and_then(|id| app.jobs().status(id))
        .filter(|j| j.state != JobState::Done)
}

/// `GET /move`: the form, then the playlist pairs.
pub async fn page(State(app): State<AppState>) -> Result<maud::Markup, PageError> {
    let chrome = Chrome::new(&app, Step::Move);
    let accounts: Vec<_> = sources::list(&app)?
        .into_iter()
        .filter(|s| s.path().is_none())
        .collect();
    let (form, job, paired) = {
        let w = app.wizard();
        let m = &w.moving;
        (m.form.clone(), m.pair_job, m.paired.clone())
    };
    let job = unfinished(&app, job);
    Ok(view::start(
        &chrome,
        &view::Start {
            accounts: &accounts,
            form: form.as_ref(),
            job: job.as_ref(),
            paired: paired.as_deref(),
        },
    ))
}

/// `POST /move`: opens both libraries and pairs their playlists.
pub async fn pairs(
    State(app): State<AppState>,
    Form(f): Form<StartForm>,
) -> Result<Redirect, PageError> {
    let source_text = side_text(&app, &f.source, &f.source_folder, "source")?;
    let target_text = side_text(&app, &f.target, &f.target_folder, "target")?;
    if source_text == target_text {
        return Err(PageError::bad_request(
            "The source and the target are the same; choose two different ones.",
        ));
    }
    let opener = opener(&app);
    let source = opener.library(app.store(), &source_text, Format::Csv)?;
    let target = opener.library(app.store(), &target_text, Format::Csv)?;
    let opts = TransferOptions {
        only: Vec::new(),
        library: f.library.is_some(),
    };

    let mut w = app.wizard();
    let m = &mut w.moving;
    cancel_jobs(&app, [m.pair_job, m.plan_job, m.run_job]);
    m.generation += 1;
    let generation = m.generation;
    m.form = Some((source_text, target_text, opts.library));
    m.paired = None;
    m.planned = None;
    m.moved = None;
    m.plan_job = None;
    m.run_job = None;
    let app2 = app.clone();
    let id = app.jobs().spawn(
        JobKind::Compare,
        "Listing the playlists of both sides",
        move |h| async move {
            h.message(format!("Listing {} and {}…", source.label, target.label));
            let pairings = transfer::pair(&source, &target, &opts).await?;
            tracing::info!(target: "musync_web", source = %source.label, target = %target.label,
                playlists = pairings.len(), "move: playlists paired");
            let mut w = app2.wizard();
            if w.moving.generation == generation {
                w.moving.paired = Some(Arc::new(Paired {
                    source,
                    target,
                    pairings,
                }));
            }
            Ok(())
        },
    );
    m.pair_job = Some(id);
    Ok(Redirect::to("/move"))
}

/// `POST /move/plan`: `mode` = `dry` (preview: nothing is created) or
/// `move` (missing target playlists are created now); then every pair is
/// read and searched.
pub async fn plan(
    State(app): State<AppState>,
    Form(f): Form<PlanForm>,
) -> Result<Redirect, PageError> {
    let dry_run = match f.mode.as_str() {
        "dry" => true,
        "move" => false,
        other => {
            return Err(PageError::bad_request(format!(
                "`{other}` is not a way to move: choose the preview or Move everything"
            )));
        }
    };
    let mut w = app.wizard();
    let m = &mut w.moving;
    let paired = m.paired.clone().ok_or_else(|| {
        PageError::bad_request("Choose what to move first: the playlists are not listed yet.")
    })?;
    cancel_jobs(&app, [m.plan_job, m.run_job, None]);
    m.planned = None;
    m.moved = None;
    m.run_job = None;
    let generation = m.generation;
    let app2 = app.clone();
    let title = if dry_run {
        "Preview: reading and searching every playlist"
    } else {
        "Creating missing playlists, reading and searching"
    };
    let id = app
        .jobs()
        .spawn(JobKind::Search, title, move |h| async move {
            let Paired {
                source,
                target,
                mut pairings,
            } = (*paired).clone();
            if dry_run {
                transfer::mark_would_create(&mut pairings);
            } else {
                h.message("Creating the missing playlists…");
                transfer::create_missing(&target, &mut pairings).await?;
            }
            let moving: Vec<usize> = (0..pairings.len())
                .filter(|&i| pairings[i].moves())
                .collect();
            let overall = h.add_bar("Playlists read and searched", Some(moving.len() as u64));
            let bars: Vec<usize> = moving
                .iter()
                .map(|&i| h.add_bar(format!("{}: songs searched", pairings[i].source.name), None))
                .collect();
            let store = app2.store_arc();
            let mut pairs = Vec::new();
            let mut stopped = Vec::new();
            for (&i, &bar) in moving.iter().zip(&bars) {
                h.message(format!(
                    "Reading and searching {}…",
                    pairings[i].source.name
                ));
                let prepared = transfer::prepare(
                    &store,
                    &source,
                    &target,
                    &pairings[i],
                    SEARCH_CONCURRENCY,
                    &NoProgress,
                    &h.progress(bar),
                )
                .await;
                // One playlist that cannot be read stops alone, as in
                // `musync transfer`; an expired sign-in stops everything.
                let prepared = match prepared {
                    Err(e) if !transfer::stops_everything(&e) => {
                        stopped.push((i, e));
                        h.progress(overall).tick();
                        continue;
                    }
                    other => other?,
                };
                if let Some((plan, session)) = prepared {
                    let answers = plan
                        .items
                        .iter()
                        .map(|item| asks(item).then_some(Answer::Skip))
                        .collect();
                    pairs.push(PlannedPair {
                        pairing: i,
                        session: Some(session),
                        plan,
                        answers,
                    });
                }
                h.progress(overall).tick();
            }
            h.message("");
            let planned = Planned {
                source,
                target,
                pairings,
                pairs,
                dry_run,
                stopped,
            };
            tracing::info!(target: "musync_web", pairs = planned.pairs.len(),
            to_check = planned.uncertain(), dry_run, "move: every pair planned");
            let mut w = app2.wizard();
            if w.moving.generation == generation {
                w.moving.planned = Some(planned);
            }
            Ok(())
        });
    m.plan_job = Some(id);
    Ok(Redirect::to("/move/review"))
}

/// `GET /move/review`: every uncertain song of every pair on one page.
pub async fn review(State(app): State<AppState>) -> Response {
    let chrome = Chrome::new(&app, Step::Move);
    let w = app.wizard();
    let job = unfinished(&app, w.moving.plan_job);
    if job.is_none() && w.moving.planned.is_none() {
        return Redirect::to("/move").into_response();
    }
    view::review(&chrome, job.as_ref(), w.moving.planned.as_ref()).into_response()
}

/// `POST /move/review`: the answers (`s<PAIR>-<SONG>` = an answer token),
/// then `go` = `run` or `back`. Every answer is checked before any is kept.
pub async fn submit(
    State(app): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let go = fields
        .iter()
        .find(|(k, _)| k == "go")
        .map_or("run", |(_, v)| v.as_str());
    if go != "run" && go != "back" {
        return Err(PageError::bad_request(format!(
            "`{go}` is not an action of this form"
        )));
    }
    let mut w = app.wizard();
    let Some(planned) = w.moving.planned.as_mut() else {
        return Err(PageError::bad_request(
            "There is nothing to review (the move ran or was started again); start from Move \
             everything.",
        ));
    };
    let mut chosen = Vec::new();
    for (key, token) in &fields {
        let Some(at) = key.strip_prefix('s') else {
            continue;
        };
        let found = at.split_once('-').and_then(|(p, i)| {
            let (p, i) = (p.parse::<usize>().ok()?, i.parse::<usize>().ok()?);
            let pair = planned.pairs.get(p)?;
            let item = pair.plan.items.get(i).filter(|item| asks(item))?;
            Some((p, i, pair, item))
        });
        let Some((p, i, pair, item)) = found else {
            return Err(PageError::bad_request(format!(
                "The form names a song that is not in this review ({key}); nothing was kept. \
                 Reload the page."
            )));
        };
        let answer = Answer::parse_token(token, item.candidates.len(), pair.unlisted(item))
            .ok_or_else(|| {
                PageError::bad_request(format!(
                    "`{token}` is not a choice for {}; nothing was kept. Reload the page.",
                    item.source.label()
                ))
            })?;
        chosen.push((p, i, answer));
    }
    for (p, i, answer) in chosen {
        planned.pairs[p].answers[i] = Some(answer);
    }
    if go == "back" {
        return Ok(Redirect::to("/move"));
    }

    // The sessions run once: taking the plan out means a second click
    // finds nothing to run.
    let Some(mut planned) = w.moving.planned.take() else {
        return Err(PageError::bad_request("There is nothing to run."));
    };
    let mut runs = Vec::new();
    for pair in &mut planned.pairs {
        let mut plan = pair.plan.clone();
        for (i, answer) in pair.answers.iter().enumerate() {
            if let Some(answer) = answer {
                let unlisted = pair.unlisted(&plan.items[i]);
                plan.answer(i, *answer, unlisted)
                    .map_err(|e| PageError::bad_request(format!("{e}; reload the page.")))?;
            }
        }
        if let Some(session) = pair.session.take() {
            runs.push((pair.pairing, plan, session));
        }
    }
    cancel_jobs(&app, [w.moving.run_job, None, None]);
    w.moving.moved = None;
    let generation = w.moving.generation;
    let app2 = app.clone();
    let dry_run = planned.dry_run;
    let title = if dry_run {
        "Preview: what moving would do"
    } else {
        "Moving the songs"
    };
    let id = app.jobs().spawn(JobKind::Sync, title, move |h| async move {
        let mode = if dry_run { Mode::DryRun } else { Mode::Apply };
        let overall = h.add_bar("Playlists done", Some(runs.len() as u64));
        let bars: Vec<usize> = runs
            .iter()
            .map(|(i, plan, _)| {
                h.add_bar(
                    planned.pairings[*i].source.name.clone(),
                    Some(plan.items.len() as u64),
                )
            })
            .collect();
        let mut reports = vec![None; planned.pairings.len()];
        let mut stopped = std::mem::take(&mut planned.stopped);
        let mut playlists = Vec::new();
        for ((i, plan, session), bar) in runs.into_iter().zip(bars) {
            let left = session.left().label.clone();
            let right = session.right().label.clone();
            h.message(format!("{left} → {right}"));
            let progress = h.progress(bar);
            let report = session
                .run(app2.store(), plan, mode, &|r| {
                    h.push_row(ResultRow::new(r, &left, &right));
                    progress.tick();
                })
                .await;
            let report = match report {
                Err(e) if !transfer::stops_everything(&e) => {
                    stopped.push((i, e));
                    h.progress(overall).tick();
                    continue;
                }
                other => other?,
            };
            playlists.push(PlaylistResult {
                source: planned.pairings[i].source.name.clone(),
                target: right.clone(),
                rows: report
                    .results
                    .iter()
                    .map(|r| ResultRow::new(r, &left, &right))
                    .collect(),
            });
            reports[i] = Some(report);
            h.progress(overall).tick();
        }
        h.message("");
        app2.forget_playlists();
        let mut out = TransferReport::default();
        for (i, (pairing, report)) in planned.pairings.iter().zip(&reports).enumerate() {
            let (source, target) = (&planned.source, &planned.target);
            out.push(match stopped.iter().find(|(at, _)| *at == i) {
                Some((_, e)) => TransferRow::stopped(source, target, pairing, e),
                None => TransferRow::new(source, target, pairing, report.as_ref()),
            });
        }
        tracing::info!(target: "musync_web", added = out.added, skipped = out.skipped,
            not_found = out.not_found, failed = out.failed, dry_run, "move finished");
        let moved = Moved {
            report: out,
            names: planned
                .pairings
                .iter()
                .map(|p| {
                    (
                        p.source.name.clone(),
                        p.target
                            .as_ref()
                            .map_or(p.target_name.clone(), |t| t.name.clone()),
                    )
                })
                .collect(),
            playlists,
            dry_run,
            source: planned.source.label.clone(),
            target: planned.target.label.clone(),
        };
        let mut w = app2.wizard();
        if w.moving.generation == generation {
            w.moving.moved = Some(Arc::new(moved));
        }
        Ok(())
    });
    w.moving.run_job = Some(id);
    Ok(Redirect::to("/move/run"))
}

/// `GET /move/run`: live progress, then the results per playlist.
pub async fn run_page(State(app): State<AppState>) -> Response {
    let chrome = Chrome::new(&app, Step::Move);
    let (job_id, moved) = {
        let w = app.wizard();
        (w.moving.run_job, w.moving.moved.clone())
    };
    let Some(job_id) = job_id else {
        return Redirect::to("/move").into_response();
    };
    let job = app.jobs().status(job_id);
    let rows = app.jobs().rows_after(job_id, 0);
    view::run(&chrome, job.as_ref(), &rows, moved.as_deref()).into_response()
}
