//! `musync pairs add|list|remove`: saved pairs of playlists for `musync run`.

use crate::UsageError;
use crate::args::{DirectionArg, PairsCommand, RemovalsArg};
use crate::ctx::{Ctx, side_error};
use crate::output;
use anyhow::Result;
use musync_engine::{Direction, NewPair, Removals, SaveError, direction_word, save_pair};
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, cmd: PairsCommand) -> Result<ExitCode> {
    match cmd {
        PairsCommand::Add {
            left,
            right,
            name,
            direction,
            removals,
            json,
        } => add(ctx, &left, &right, &name, direction, removals, json.json).await,
        PairsCommand::List(json) => list(ctx, json.json),
        PairsCommand::Remove { name, json } => {
            if !ctx.store.remove_pair(&name)? {
                return Err(unknown(&name).into());
            }
            if json.json {
                output::json(&serde_json::json!({"name": name, "removed": true}))?;
            } else {
                eprintln!("forgot the saved sync '{name}' (its playlists are untouched)");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The error for a pair name that is not saved.
pub fn unknown(name: &str) -> UsageError {
    UsageError(format!(
        "there is no saved sync named '{name}'\nhint: see `musync pairs list`"
    ))
}

async fn add(
    ctx: &Ctx,
    left: &str,
    right: &str,
    name: &str,
    direction: DirectionArg,
    removals: RemovalsArg,
    json: bool,
) -> Result<ExitCode> {
    let direction = match direction {
        DirectionArg::Both => Direction::Both,
        DirectionArg::ToRight => Direction::ToRight,
        DirectionArg::ToLeft => Direction::ToLeft,
    };
    let removals = match removals {
        RemovalsArg::Keep => Removals::Keep,
        RemovalsArg::Propagate => Removals::Propagate,
    };
    let new = NewPair {
        name,
        left,
        right,
        direction,
        removals,
    };
    let (_, l, r) = match save_pair(&ctx.store, &ctx.opener, &new).await {
        Ok(saved) => saved,
        Err(SaveError::Exists(_)) => return Err(exists(name)),
        Err(e @ (SaveError::BadName { .. } | SaveError::SameSides(_))) => {
            return Err(UsageError(e.to_string()).into());
        }
        Err(SaveError::Side(e)) => return Err(side_error(e)),
        Err(SaveError::Store(e)) => return Err(e.into()),
    };
    if json {
        output::json(&serde_json::json!({"name": name}))?;
    } else {
        eprintln!(
            "saved '{name}': {} ⇄ {} ({}, removals: {}); run it with `musync run {name}`",
            l.label,
            r.label,
            direction_word(direction),
            removals.as_str()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn exists(name: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "a saved sync named '{name}' already exists; choose another --name (see `musync pairs list`)"
    )
}

fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let pairs = ctx.store.pairs()?;
    let mut rows = Vec::new();
    for p in &pairs {
        rows.push(serde_json::json!({
            "name": p.name,
            "left": p.left,
            "right": p.right,
            "direction": p.direction,
            "removals": p.removals,
            "last_run": p.last_run_ms.map(rfc3339),
            "pending": ctx.store.pending_count(&p.name)?,
            "last_result": p.last_result,
        }));
    }
    if json {
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if pairs.is_empty() {
        eprintln!("no saved syncs; save one with `musync pairs add LEFT RIGHT --name NAME`");
    }
    for row in rows {
        println!(
            "{}  {} ⇄ {}  ({}, removals: {})  last run: {}  pending: {}",
            row["name"].as_str().unwrap_or_default(),
            row["left"].as_str().unwrap_or_default(),
            row["right"].as_str().unwrap_or_default(),
            row["direction"].as_str().unwrap_or_default(),
            row["removals"].as_str().unwrap_or_default(),
            row["last_run"].as_str().unwrap_or("never"),
            row["pending"]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Milliseconds since the epoch as RFC 3339 (UTC).
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
