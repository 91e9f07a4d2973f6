//! `musync unlinked [--relink SONG | --relink-all]`: the pairs a person
//! marked as "not the same song" (in the wizard's compare step), and how to
//! take that back so the two are matched again.

use crate::args::UnlinkedArgs;
use crate::ctx::Ctx;
use crate::output;
use anyhow::{Result, bail};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: UnlinkedArgs) -> Result<ExitCode> {
    let pairs = ctx.store.unlinked_pairs()?;
    if args.relink_all {
        for (a, b) in &pairs {
            ctx.store.relink(a, b)?;
        }
        return report_relinked(args.json.json, pairs.len());
    }
    if let Some(song) = &args.relink {
        let involved = |key: &str| pairs.iter().any(|(a, b)| a == key || b == key);
        let Some(key) = super::decisions::key_for(song, involved) else {
            bail!("no unlinked pair has `{song}`; `musync unlinked` lists them");
        };
        let mut n = 0;
        for (a, b) in pairs.iter().filter(|(a, b)| *a == key || *b == key) {
            n += usize::from(ctx.store.relink(a, b)?);
        }
        return report_relinked(args.json.json, n);
    }
    if args.json.json {
        let list: Vec<serde_json::Value> = pairs
            .iter()
            .map(|(a, b)| serde_json::json!({"song": a, "other": b}))
            .collect();
        output::json(&list)?;
    } else if pairs.is_empty() {
        eprintln!("no unlinked pairs: musync matches songs as it finds them");
    } else {
        for (a, b) in &pairs {
            println!("{a}\t≠\t{b}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report_relinked(json: bool, n: usize) -> Result<ExitCode> {
    if json {
        output::json(&serde_json::json!({"relinked": n}))?;
    } else {
        eprintln!(
            "relinked {}: the next comparison may match {} again",
            musync_core::activity::count(n, "pair", "pairs"),
            if n == 1 { "it" } else { "them" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
