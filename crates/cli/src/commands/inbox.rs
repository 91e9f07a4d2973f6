//! `musync review [NAME]`: the questions unattended runs queued. On a
//! terminal (or with answers piped on stdin) each song is shown with its
//! numbered candidates; `d` is "don't sync", `n` "not available", `s`
//! skips it this time, `q` stops. An answer is remembered and applied by
//! the pair's next run. `--json` lists the questions and answers nothing.

use crate::args::ReviewArgs;
use crate::commands::pairs;
use crate::ctx::Ctx;
use crate::output::{self, track_line};
use crate::review::{Reply, parse};
use anyhow::Result;
use musync_engine::{Question, answer_question, questions};
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: ReviewArgs) -> Result<ExitCode> {
    if let Some(name) = &args.name
        && ctx.store.pair(name)?.is_none()
    {
        return Err(pairs::unknown(name).into());
    }
    let waiting = questions(&ctx.store, args.name.as_deref())?;
    if args.json.json {
        output::json(&waiting)?;
        return Ok(ExitCode::SUCCESS);
    }
    if waiting.is_empty() {
        eprintln!("nothing to review: no saved sync is waiting for an answer");
        return Ok(ExitCode::SUCCESS);
    }
    let total = waiting.len();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut answered = 0;
    for (n, q) in waiting.iter().enumerate() {
        show(q, n + 1, total)?;
        let answer = loop {
            eprint!("choice [s]: ");
            std::io::stderr().flush()?;
            let Some(line) = lines.next().transpose()? else {
                return finish(answered, total); // stdin closed: the rest wait
            };
            match parse(&line, q.candidates.len(), q.unlisted) {
                Some(Reply::Answer(a)) => break a,
                Some(Reply::Quit) => return finish(answered, total),
                None => eprintln!(
                    "`{}` is not a choice here; {}",
                    line.trim(),
                    valid(q.candidates.len(), q.unlisted)
                ),
            }
        };
        if answer_question(&ctx.store, q, answer)? {
            answered += 1;
        }
    }
    finish(answered, total)
}

fn show(q: &Question, n: usize, total: usize) -> Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err)?;
    writeln!(
        err,
        "[{n}/{total}] {}: {} → {}",
        q.pair,
        track_line(&q.source),
        q.target
    )?;
    for (i, c) in q.candidates.iter().enumerate() {
        writeln!(
            err,
            "  {:>2}) {}   score {:.2}: {}",
            i + 1,
            track_line(&c.track),
            c.score,
            c.reason
        )?;
    }
    if q.unlisted {
        writeln!(err, "   e) add it with the source's exact name")?;
    }
    writeln!(
        err,
        "   d) don't sync   n) not available   s) skip this time   q) stop"
    )?;
    Ok(())
}

fn finish(answered: usize, total: usize) -> Result<ExitCode> {
    if answered == total {
        eprintln!("all {total} answered; the next `musync run` applies them");
    } else {
        eprintln!(
            "{answered} of {total} answered; the rest wait for `musync review` (answers apply on the next `musync run`)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn valid(candidates: usize, unlisted: bool) -> String {
    let mut keys = Vec::new();
    match candidates {
        0 => {}
        1 => keys.push("1".to_owned()),
        n => keys.push(format!("1-{n}")),
    }
    if unlisted {
        keys.push("e".into());
    }
    keys.extend(["d", "n", "s", "q"].map(String::from));
    format!("type one of {}", keys.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use musync_engine::Answer;

    #[test]
    fn candidates_are_numbered_from_one_and_dont_sync_has_its_own_key() {
        assert!(matches!(
            parse("1", 2, false),
            Some(Reply::Answer(Answer::Candidate(0)))
        ));
        assert!(matches!(
            parse("d", 2, false),
            Some(Reply::Answer(Answer::DontSync))
        ));
        assert!(parse("3", 2, false).is_none());
        assert!(parse("e", 2, false).is_none());
        assert_eq!(valid(2, true), "type one of 1-2, e, d, n, s, q");
    }
}
