//! Prints how well the matcher does on a labelled JSON-lines set:
//! `cargo run -p musync-match --release --example eval -- bench.jsonl`.
//!
//! Accuracy is "choice equals answer" (a `null` answer is right when nothing
//! is picked); a wrong pick is a candidate chosen when another one or none
//! was right. Both are shown overall, for `null` cases and per `kind`, then
//! every mistake with the matcher's reason. "Asked, first suggestion right"
//! counts the misses whose top-ranked candidate is the answer: questions
//! settled by one confirm (not counted as correct).

use std::process::ExitCode;

use musync_match::eval::{Tally, evaluate, parse_cases};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: eval <cases.jsonl>");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cases = match parse_cases(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    let report = evaluate(&cases);
    let elapsed = started.elapsed();

    println!("{}", line("all", &report.total));
    println!("{}", line("null answers", &report.null_cases));
    println!();
    for (kind, tally) in &report.by_kind {
        println!("{}", line(kind, tally));
    }
    if !report.mistakes.is_empty() {
        println!();
        println!("mistakes by reason (largest first):");
        for g in report.mistakes_by_reason() {
            let what = if g.wrong_picks {
                "wrong picks"
            } else {
                "misses"
            };
            let kinds: Vec<String> = g.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            println!(
                "  {:3} {what:11} {:40} {}",
                g.count,
                g.reason,
                kinds.join(", ")
            );
        }
        println!();
        println!("mistakes:");
        for m in &report.mistakes {
            let label = match (m.choice, m.answer) {
                (Some(_), _) => "WRONG PICK",
                (None, _) => "miss",
            };
            println!(
                "  {label:10} {:28} answer={:?} choice={:?}  {}  →  {}",
                m.id, m.answer, m.choice, m.source, m.detail
            );
        }
    }
    println!();
    println!(
        "{} cases in {:.1} ms",
        cases.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    ExitCode::SUCCESS
}

fn line(name: &str, t: &Tally) -> String {
    format!(
        "{name:32} cases {:4}  accuracy {:.3}  wrong picks {:3} ({:.1}%)  misses {:3}  \
         asked, first suggestion right {:3}",
        t.cases,
        t.accuracy(),
        t.wrong_picks,
        t.wrong_pick_rate() * 100.0,
        t.misses,
        t.first_suggestion_right
    )
}
