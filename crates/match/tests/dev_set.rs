//! Regression over the labelled dev set (`tests/data/matching-dev.jsonl`:
//! the 207 cases of `bench/matching-dev.jsonl` plus 245 cases written for
//! issue 14): fails when accuracy drops below what the rules reach today
//! (minus a small margin) or when more than one pick is wrong. The sixth
//! batch (`tests/data/matching-batch6.jsonl`, written before it was
//! measured) is checked on its own: its one wrong pick is a second case of
//! the dev set's (a `feat.` remix with the original's length), and the
//! dev set allows one.

use musync_match::eval::{Report, evaluate, parse_cases};

/// Accuracy reached when these figures were set was 0.852 (385/452): a
/// featured artist on one side only (27 misses) or an artist in another
/// script (21) is a question without agreeing durations, a title read
/// through kanji readings or as a loanword is one unless it is the only
/// candidate that reads so, and translated titles are not recognised. The
/// margin allows two cases to move while rules are tuned.
const MIN_ACCURACY: f64 = 0.847;
/// A wrong pick costs far more than a miss: at most one in the whole set.
/// The one there is today follows the featured-artist rule:
/// `Levitating (feat. DaBaby)` has the plain song's length, so agreeing
/// durations pass it (none-correct-703).
const MAX_WRONG_PICKS: usize = 1;

/// The sixth batch: 0.622 (23/37) before the rules it led to, 0.865
/// (32/37) after (0.892 before short Hangul readings were dropped as
/// unsound).
const BATCH6_MIN_ACCURACY: f64 = 0.864;
/// Its one wrong pick is the dev set's kind: `Calm Down (with Selena
/// Gomez)` keeps the original's length (none-correct-902).
const BATCH6_MAX_WRONG_PICKS: usize = 1;

fn listing(report: &Report) -> String {
    let lines: Vec<String> = report
        .mistakes
        .iter()
        .map(|m| {
            format!(
                "{} answer={:?} choice={:?} {} -> {}",
                m.id, m.answer, m.choice, m.source, m.detail
            )
        })
        .collect();
    lines.join("\n")
}

/// Scores a labelled set of `count` cases and fails below `min_accuracy`
/// or above `max_wrong_picks`, listing the mistakes.
fn assert_set_holds(
    name: &str,
    text: &str,
    count: usize,
    min_accuracy: f64,
    max_wrong_picks: usize,
) {
    let cases = parse_cases(text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
    assert_eq!(
        cases.len(),
        count,
        "{name} changed; update this test's figures"
    );
    let report = evaluate(&cases);
    assert!(
        report.total.accuracy() >= min_accuracy,
        "{name}: accuracy {:.3} < {min_accuracy}; mistakes:\n{}",
        report.total.accuracy(),
        listing(&report)
    );
    assert!(
        report.total.wrong_picks <= max_wrong_picks,
        "{name}: {} wrong picks > {max_wrong_picks}; mistakes:\n{}",
        report.total.wrong_picks,
        listing(&report)
    );
}

#[test]
fn sixth_batch_accuracy_and_wrong_picks_hold() {
    assert_set_holds(
        "the sixth batch",
        include_str!("data/matching-batch6.jsonl"),
        37,
        BATCH6_MIN_ACCURACY,
        BATCH6_MAX_WRONG_PICKS,
    );
}

#[test]
fn dev_set_accuracy_and_wrong_picks_hold() {
    assert_set_holds(
        "the dev set",
        include_str!("data/matching-dev.jsonl"),
        452,
        MIN_ACCURACY,
        MAX_WRONG_PICKS,
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
