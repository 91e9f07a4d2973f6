//! Regression over the labelled dev set (`tests/data/matching-dev.jsonl`, a
//! copy of `bench/matching-dev.jsonl`): fails when accuracy drops below what
//! the rules reach today (minus a small margin) or wrong picks exceed 1%.

use musync_match::eval::{evaluate, parse_cases};

/// Accuracy reached when this test was written was 0.966 (200/207); the
/// margin allows two cases to move while rules are tuned.
const MIN_ACCURACY: f64 = 0.955;
/// A wrong pick costs far more than a miss: at most 1% of cases.
const MAX_WRONG_PICK_RATE: f64 = 0.01;

#[test]
fn dev_set_accuracy_and_wrong_picks_hold() {
    let text = include_str!("data/matching-dev.jsonl");
    let cases = parse_cases(text).expect("the dev set parses");
    assert_eq!(
        cases.len(),
        207,
        "the dev set changed; update this test's figures"
    );
    let report = evaluate(&cases);
    let listing: Vec<String> = report
        .mistakes
        .iter()
        .map(|m| {
            format!(
                "{} answer={:?} choice={:?} {} -> {}",
                m.id, m.answer, m.choice, m.source, m.detail
            )
        })
        .collect();
    assert!(
        report.total.accuracy() >= MIN_ACCURACY,
        "accuracy {:.3} < {MIN_ACCURACY}; mistakes:\n{}",
        report.total.accuracy(),
        listing.join("\n")
    );
    assert!(
        report.total.wrong_pick_rate() <= MAX_WRONG_PICK_RATE,
        "wrong picks {:.2}% > 1%; mistakes:\n{}",
        report.total.wrong_pick_rate() * 100.0,
        listing.join("\n")
    );
}

#[test]
fn version_traps_in_the_dev_set_are_never_picked() {
    // Every case whose trap is a different version (live, remix, edit,
    // extended, acoustic …) must end without a wrong pick: those are the
    // mistakes users notice first.
    let text = include_str!("data/matching-dev.jsonl");
    let cases = parse_cases(text).expect("the dev set parses");
    let report = evaluate(&cases);
    for kind in [
        "live-vs-studio",
        "remix",
        "radio-edit",
        "extended",
        "acoustic",
        "instrumental",
        "rerecording",
        "demo",
        "interlude-reprise",
        "same-title-different-artist",
    ] {
        let tally = &report.by_kind[kind];
        assert_eq!(tally.wrong_picks, 0, "wrong pick in {kind}");
    }
}
