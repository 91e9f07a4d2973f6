//! Measuring the matcher on labelled cases (the JSON-lines format of
//! `bench/matching-dev.jsonl`): accuracy, and the wrong-pick rate that
//! matters most, because a wrong automatic pick puts the wrong song in
//! someone's playlist while a miss only asks them.
//!
//! Used by the `eval` example and by the dev-set regression test.

use std::collections::BTreeMap;

use musync_core::Track;
use serde::Deserialize;

use crate::best;

/// One labelled case.
#[derive(Clone, Debug, Deserialize)]
pub struct Case {
    /// Unique case id, `<kind>-NNN`.
    pub id: String,
    /// The track to find.
    pub source: Track,
    /// The candidates offered.
    pub candidates: Vec<Track>,
    /// The index of the same recording, or `None` when none is.
    pub answer: Option<usize>,
    /// The case's main difficulty.
    #[serde(default)]
    pub kind: String,
}

/// Parses JSON lines into cases; an error names the line.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", n + 1)))
        .collect()
}

/// Counts for a group of cases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Cases.
    pub cases: usize,
    /// Choice equal to the answer (including "none" for `null`).
    pub correct: usize,
    /// A candidate chosen when another one or none was right.
    pub wrong_picks: usize,
    /// No choice when a candidate was right.
    pub misses: usize,
    /// Misses whose top-ranked candidate is the right one: questions a user
    /// answers with one confirm. Not counted as correct.
    pub first_suggestion_right: usize,
}

impl Tally {
    /// Share of correct choices.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.cases)
    }

    /// Share of cases with a wrong automatic pick.
    pub fn wrong_pick_rate(&self) -> f64 {
        ratio(self.wrong_picks, self.cases)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// One case the matcher got wrong.
#[derive(Clone, Debug)]
pub struct Mistake {
    /// The case id.
    pub id: String,
    /// What was expected.
    pub answer: Option<usize>,
    /// What was chosen.
    pub choice: Option<usize>,
    /// `Artist - Title` of the source.
    pub source: String,
    /// The chosen (or, for a miss, the expected) candidate and the reason
    /// the matcher gave for it.
    pub detail: String,
    /// The case's kind.
    pub kind: String,
    /// The matcher's reason alone (empty when nothing was shown), for
    /// grouping mistakes by cause.
    pub reason: String,
}

/// Results over a set of cases.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// All cases.
    pub total: Tally,
    /// Cases whose answer is `null`.
    pub null_cases: Tally,
    /// Per `kind`.
    pub by_kind: BTreeMap<String, Tally>,
    /// Every case not answered correctly.
    pub mistakes: Vec<Mistake>,
}

/// Runs [`best`] on every case.
pub fn evaluate(cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        let ranked = crate::rank(&case.source, &case.candidates);
        let choice = best(&case.source, &case.candidates).map(|r| r.index);
        let correct = choice == case.answer;
        let wrong_pick = choice.is_some() && !correct;
        let miss = choice.is_none() && case.answer.is_some();
        let easy_confirm = miss && ranked.first().map(|r| r.index) == case.answer;
        let outcome = Outcome {
            correct,
            wrong_pick,
            miss,
            easy_confirm,
        };
        let groups = [
            Some(&mut report.total),
            case.answer.is_none().then_some(&mut report.null_cases),
        ];
        for tally in groups.into_iter().flatten() {
            add(tally, outcome);
        }
        add(
            report.by_kind.entry(case.kind.clone()).or_default(),
            outcome,
        );
        if !correct {
            let shown = choice
                .or(case.answer)
                .and_then(|i| ranked.iter().find(|r| r.index == i));
            let detail = shown
                .map(|r| {
                    format!(
                        "[{}] {} ({:.2}, {})",
                        r.index,
                        case.candidates[r.index].label(),
                        r.score,
                        r.reason
                    )
                })
                .unwrap_or_default();
            report.mistakes.push(Mistake {
                id: case.id.clone(),
                answer: case.answer,
                choice,
                source: case.source.label(),
                detail,
                kind: case.kind.clone(),
                reason: shown.map(|r| r.reason.clone()).unwrap_or_default(),
            });
        }
    }
    report
}

impl Report {
    /// Mistakes grouped by the matcher's reason, largest group first (ties
    /// by reason), each with its count and kinds: which rule costs most.
    pub fn mistakes_by_reason(&self) -> Vec<ReasonGroup> {
        let mut groups: BTreeMap<(bool, &str), ReasonGroup> = BTreeMap::new();
        for m in &self.mistakes {
            let wrong_pick = m.choice.is_some();
            let group = groups
                .entry((wrong_pick, m.reason.as_str()))
                .or_insert_with(|| ReasonGroup {
                    reason: m.reason.clone(),
                    wrong_picks: wrong_pick,
                    ..ReasonGroup::default()
                });
            group.count += 1;
            *group.kinds.entry(m.kind.clone()).or_default() += 1;
        }
        let mut out: Vec<ReasonGroup> = groups.into_values().collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        out
    }
}

/// Mistakes that share one reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReasonGroup {
    /// The matcher's reason for the chosen (wrong pick) or expected (miss)
    /// candidate.
    pub reason: String,
    /// Whether these are wrong picks rather than misses.
    pub wrong_picks: bool,
    /// How many mistakes.
    pub count: usize,
    /// How many of them per case kind.
    pub kinds: BTreeMap<String, usize>,
}

/// What happened on one case.
#[derive(Clone, Copy)]
struct Outcome {
    correct: bool,
    wrong_pick: bool,
    miss: bool,
    easy_confirm: bool,
}

fn add(tally: &mut Tally, o: Outcome) {
    tally.cases += 1;
    tally.correct += usize::from(o.correct);
    tally.wrong_picks += usize::from(o.wrong_pick);
    tally.misses += usize::from(o.miss);
    tally.first_suggestion_right += usize::from(o.easy_confirm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_correct_wrong_and_missed() {
        let text = r#"
{"id":"a-1","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"A","title":"Song - Live"},{"artist":"A","title":"Song"}],"answer":1,"kind":"live"}
{"id":"n-1","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"B","title":"Song"}],"answer":null,"kind":"none-correct"}
{"id":"w-1","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"A","title":"Song"}],"answer":null,"kind":"trap"}
{"id":"m-1","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"Z","title":"Other"}],"answer":0,"kind":"alias"}
{"id":"m-2","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"A","title":"Song (feat. B)"},{"artist":"A","title":"Other"}],"answer":0,"kind":"feat"}
{"id":"m-3","source":{"artist":"A","title":"Song"},"candidates":[{"artist":"A","title":"Song (feat. B)"},{"artist":"A","title":"Sonq"}],"answer":1,"kind":"feat"}
"#;
        let cases = parse_cases(text).expect("valid cases");
        let report = evaluate(&cases);
        assert_eq!(report.total.cases, 6);
        assert_eq!(report.total.correct, 2);
        assert_eq!(report.total.wrong_picks, 1);
        assert_eq!(report.total.misses, 3);
        // m-1's only candidate and m-2's first one are the answer; m-3
        // ranks the featured rendering above the misspelt right one.
        assert_eq!(report.total.first_suggestion_right, 2);
        assert_eq!(report.by_kind["feat"].first_suggestion_right, 1);
        assert_eq!(report.by_kind["alias"].first_suggestion_right, 1);
        assert_eq!(report.by_kind["trap"].first_suggestion_right, 0);
        assert_eq!(report.null_cases.cases, 2);
        assert_eq!(report.by_kind["trap"].wrong_picks, 1);
        assert_eq!(report.mistakes.len(), 4);
        assert_eq!(report.mistakes[0].id, "w-1");
        let groups = report.mistakes_by_reason();
        assert_eq!(groups.len(), 3, "{groups:?}");
        let wrong = groups.iter().find(|g| g.wrong_picks).expect("a wrong pick");
        assert_eq!(wrong.reason, "same artist and title");
        assert_eq!(wrong.kinds["trap"], 1);
        let miss = groups.iter().find(|g| !g.wrong_picks).expect("a miss");
        assert_eq!(miss.reason, "different title");
        assert_eq!(miss.kinds["alias"], 1);
    }

    #[test]
    fn bad_lines_are_named() {
        let err = parse_cases("{\"id\":1}\n").expect_err("id must be a string");
        assert!(err.starts_with("line 1:"), "{err}");
    }
}
