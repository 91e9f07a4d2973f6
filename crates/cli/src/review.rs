//! Interactive review of uncertain songs on the terminal: pick a candidate,
//! add the exact name (services that accept any track), skip once, or
//! "don't sync" / "not available", which are remembered so the question is
//! never asked again. Prompts go to stderr, answers come from stdin.

use crate::output::track_line;
use anyhow::Result;
use musync_engine::{Action, Plan, Side, SideName};
use musync_store::{Decision, Store};
use std::io::{BufRead, Write};

pub fn run(plan: &mut Plan, store: &Store, left: &Side, right: &Side) -> Result<()> {
    let total = plan.needs_review().count();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut asked = 0;
    for item in plan.items.iter_mut() {
        if !matches!(item.action, Action::Review) {
            continue;
        }
        asked += 1;
        let target = match item.from {
            SideName::Left => right,
            SideName::Right => left,
        };
        let unlisted = target.service.capabilities().add_unlisted;
        let mut err = std::io::stderr().lock();
        writeln!(err)?;
        writeln!(
            err,
            "[{asked}/{total}] {} → {}",
            track_line(&item.source),
            target.label
        )?;
        for (n, c) in item.candidates.iter().enumerate() {
            writeln!(
                err,
                "  {:>2}) {}   score {:.2}: {}",
                n + 1,
                track_line(&c.track),
                c.score,
                c.reason
            )?;
        }
        if unlisted {
            writeln!(err, "   e) add it with the source's exact name")?;
        }
        writeln!(
            err,
            "   s) skip this time   d) don't sync (remembered)   n) not available (remembered)   q) skip all remaining"
        )?;
        write!(err, "choice [s]: ")?;
        err.flush()?;
        drop(err);

        let Some(answer) = lines.next().transpose()? else {
            break; // stdin closed: the rest stay unreviewed
        };
        let answer = answer.trim().to_lowercase();
        let decision = match answer.as_str() {
            "" | "s" => None,
            "q" => break,
            "d" => Some(Decision::DontSync),
            "n" => Some(Decision::NotAvailable),
            "e" if unlisted => Some(Decision::Chosen(item.exact_source())),
            other => match other
                .parse::<usize>()
                .ok()
                .and_then(|n| item.candidates.get(n.wrapping_sub(1)))
            {
                Some(c) => Some(Decision::Chosen(c.track.clone())),
                None => {
                    eprintln!("not a choice: `{other}`; skipping this song");
                    None
                }
            },
        };
        item.action = match &decision {
            Some(d) => Action::answered(d),
            None => Action::skipped_in_review(),
        };
        if let Some(d) = decision {
            item.remembered = true;
            store.set_decision(&item.source_key, &target.reference, &d)?;
        }
    }
    Ok(())
}
