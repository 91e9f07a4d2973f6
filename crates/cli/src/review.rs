//! Interactive review of uncertain songs on the terminal: pick a candidate,
//! add the exact name (services that accept any track), skip once, or
//! "don't sync" / "not available", which the session remembers when it runs
//! for real, so the question is never asked again. Prompts go to stderr,
//! answers come from stdin; a typo asks again.

use crate::output::track_line;
use anyhow::Result;
use musync_engine::{Action, Answer, Plan, Session};
use std::io::{BufRead, Write};

pub fn run(plan: &mut Plan, session: &Session) -> Result<()> {
    let total = plan.needs_review().count();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    ask(plan, session, &mut 0, total, &mut lines)?;
    Ok(())
}

/// One review for several plans (a whole-library transfer): every
/// uncertain song of every pair, numbered in one sequence, before any runs.
pub fn run_all(pairs: &mut [(Plan, Session)]) -> Result<()> {
    let total = pairs.iter().map(|(p, _)| p.needs_review().count()).sum();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut asked = 0;
    for (plan, session) in pairs.iter_mut() {
        if !ask(plan, session, &mut asked, total, &mut lines)? {
            break;
        }
    }
    Ok(())
}

/// Asks about `plan`'s uncertain songs; false when the person quit or
/// stdin closed (the rest stay unreviewed).
fn ask(
    plan: &mut Plan,
    session: &Session,
    asked: &mut usize,
    total: usize,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<bool> {
    for idx in 0..plan.items.len() {
        if !matches!(plan.items[idx].action, Action::Review) {
            continue;
        }
        *asked += 1;
        let item = &plan.items[idx];
        let target = session.target(item.from);
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
        drop(err);
        let candidates = item.candidates.len();
        let answer = loop {
            eprint!("choice [s]: ");
            std::io::stderr().flush()?;
            let Some(line) = lines.next().transpose()? else {
                return Ok(false); // stdin closed: the rest stay unreviewed
            };
            match parse(&line, candidates, unlisted) {
                Some(Reply::Answer(a)) => break a,
                Some(Reply::Quit) => return Ok(false),
                None => eprintln!(
                    "`{}` is not a choice here; {}",
                    line.trim(),
                    valid(candidates, unlisted)
                ),
            }
        };
        plan.answer(idx, answer, unlisted)?;
    }
    Ok(true)
}

/// A line typed at a review prompt.
pub(crate) enum Reply {
    Answer(Answer),
    Quit,
}

/// Reads a line typed at a review prompt (the `sync` review and the
/// saved syncs' inbox take the same keys); `None` is not a choice.
pub(crate) fn parse(line: &str, candidates: usize, unlisted: bool) -> Option<Reply> {
    let answer = match line.trim().to_lowercase().as_str() {
        "" | "s" => Answer::Skip,
        "q" => return Some(Reply::Quit),
        "d" => Answer::DontSync,
        "n" => Answer::NotAvailable,
        "e" if unlisted => Answer::Exact,
        other => Answer::Candidate(
            other
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=candidates).contains(n))?
                - 1,
        ),
    };
    Some(Reply::Answer(answer))
}

fn valid(candidates: usize, unlisted: bool) -> String {
    let mut letters = Vec::new();
    match candidates {
        0 => {}
        1 => letters.push("1".to_owned()),
        n => letters.push(format!("1-{n}")),
    }
    if unlisted {
        letters.push("e".into());
    }
    letters.extend(["s", "d", "n", "q"].map(String::from));
    format!("type one of {}", letters.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_not_answers_and_the_valid_letters_are_named() {
        assert!(parse("x", 2, false).is_none());
        assert!(parse("3", 2, false).is_none());
        assert!(parse("0", 2, false).is_none());
        assert!(
            parse("e", 2, false).is_none(),
            "exact only where the target takes it"
        );
        assert!(matches!(
            parse("2", 2, false),
            Some(Reply::Answer(Answer::Candidate(1)))
        ));
        assert!(matches!(
            parse(" S ", 2, false),
            Some(Reply::Answer(Answer::Skip))
        ));
        assert!(matches!(parse("q", 2, false), Some(Reply::Quit)));
        assert_eq!(valid(2, true), "type one of 1-2, e, s, d, n, q");
    }
}
