//! `musync decisions TARGET [--forget SONG | --forget-all]`: the answers
//! remembered from reviews ("don't sync", "not available", a chosen
//! candidate) for songs going into one playlist, and how to take them back.

use crate::args::DecisionsArgs;
use crate::ctx::Ctx;
use crate::output;
use anyhow::{Result, bail};
use musync_core::Track;
use musync_store::Decision;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: DecisionsArgs) -> Result<ExitCode> {
    let target = crate::ctx::reference_key(&args.playlist);
    let remembered = ctx.store.decisions_for(&target)?;

    if args.forget_all {
        for key in remembered.keys() {
            ctx.store.clear_decision(key, &target)?;
        }
        report_forgotten(args.json.json, remembered.len())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(song) = &args.forget {
        let key = key_for(song, |k| remembered.contains_key(k));
        let Some(key) = key else {
            bail!(
                "no remembered answer about `{song}` for {}; `musync decisions {}` lists them",
                args.playlist,
                args.playlist
            );
        };
        ctx.store.clear_decision(&key, &target)?;
        report_forgotten(args.json.json, 1)?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut rows: Vec<(&String, &Decision)> = remembered.iter().collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    if args.json.json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(key, d)| serde_json::json!({"song": key, "decision": d}))
            .collect();
        output::json(&list)?;
    } else if rows.is_empty() {
        eprintln!("no remembered answers for {}", args.playlist);
    } else {
        for (key, d) in rows {
            let what = match d {
                Decision::DontSync => "don't sync".to_owned(),
                Decision::NotAvailable => "not available".to_owned(),
                Decision::Chosen(t) => format!("add {}", output::track_line(t)),
            };
            println!("{key}\t{what}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The stored key for `song`: the key itself, or the key of an
/// "Artist - Title" text.
pub(crate) fn key_for(song: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    if known(song) {
        return Some(song.to_owned());
    }
    let (artist, title) = song.split_once(" - ")?;
    let key = musync_match::track_key(&Track::new(title.trim(), artist.trim()));
    known(&key).then_some(key)
}

fn report_forgotten(json: bool, n: usize) -> Result<()> {
    if json {
        output::json(&serde_json::json!({"forgotten": n}))?;
    } else {
        eprintln!(
            "forgot {n} remembered answer{}",
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
