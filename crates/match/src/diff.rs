//! Diff of two track lists: which songs both have, and which only one has.
//!
//! Two passes keep it fast and small. First an exact hash join on the
//! normalised identity key ([`crate::track_key`]): most songs in two
//! playlists are the same rendering up to case, accents and remaster notes,
//! and pair off here in linear time. Only the rest is compared with the full
//! rules, and only within small blocks of likely partners: tracks sharing a
//! title (or a title's other-script half), or sharing a main artist when that
//! artist has few unmatched tracks. Each track is parsed only while needed,
//! so memory stays proportional to one pass, not to every pair.

use std::collections::{HashMap, HashSet, VecDeque};

use musync_core::Track;
use serde::Serialize;


use crate::key_of;
use crate::score::{Prepared, judge};

/// An artist block larger than this is not searched pair by pair (a title
/// block still is): it would cost quadratic time for little gain.
const ARTIST_BLOCK_MAX: usize = 40;
/// A title block larger than this is cut (a playlist of 1,000 "Intro"s).
const TITLE_BLOCK_MAX: usize = 400;

/// The result of [`diff`]: index pairs into the two lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// `(left, right)` pairs of the same recording, sorted by left index;
    /// each index appears at most once.
    pub matched: Vec<(usize, usize)>,
    /// Left indices with no partner, ascending.
    pub only_left: Vec<usize>,
    /// Right indices with no partner, ascending.
    pub only_right: Vec<usize>,
}

/// Matches two track lists. Duplicates pair off one to one, in order.
pub fn diff(left: &[Track], right: &[Track]) -> Diff {
    let left_prepared = parallel_map(left, Prepared::new);
    let right_prepared = parallel_map(right, Prepared::new);
    let left_keys = parallel_map(&left_prepared, key_of);
    let right_keys = parallel_map(&right_prepared, key_of);

    let mut left_match: Vec<Option<usize>> = vec![None; left.len()];
    let mut right_used = vec![false; right.len()];
    let mut by_key: HashMap<&str, VecDeque<usize>> = HashMap::with_capacity(right.len());
    for (j, key) in right_keys.iter().enumerate() {
        by_key.entry(key.as_str()).or_default().push_back(j);
    }
    // Equal keys are nearly always the same recording, but the evidence
    // (a live take's duration, an empty artist) still has its say: the pair
    // is confirmed with the same rules as everything else.
    for (i, key) in left_keys.iter().enumerate() {
        let Some(queue) = by_key.get_mut(key.as_str()) else {
            continue;
        };
        if let Some(pos) = queue
            .iter()
            .position(|&j| judge(&left_prepared[i], &right_prepared[j]).same)
            && let Some(j) = queue.remove(pos)
        {
            left_match[i] = Some(j);
            right_used[j] = true;
        }
    }
    drop(by_key);
    drop(left_keys);
    drop(right_keys);

    fuzzy_pass(&left_prepared, &right_prepared, &mut left_match, &mut right_used);

    let mut out = Diff::default();
    for (i, m) in left_match.iter().enumerate() {
        match m {
            Some(j) => out.matched.push((i, *j)),
            None => out.only_left.push(i),
        }
    }
    out.only_right = (0..right.len()).filter(|j| !right_used[*j]).collect();
    out
}

/// Compares the unmatched tracks within blocks and pairs the confident
/// matches, best score first.
fn fuzzy_pass(
    left: &[Prepared],
    right: &[Prepared],
    left_match: &mut [Option<usize>],
    right_used: &mut [bool],
) {
    let left_rest: Vec<usize> = (0..left.len()).filter(|i| left_match[*i].is_none()).collect();
    let right_rest: Vec<usize> = (0..right.len()).filter(|j| !right_used[*j]).collect();
    if left_rest.is_empty() || right_rest.is_empty() {
        return;
    }
    let right_prepared: Vec<&Prepared> = right_rest.iter().map(|&j| &right[j]).collect();

    let mut by_title: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_artist: HashMap<&str, Vec<usize>> = HashMap::new();
    for (slot, p) in right_prepared.iter().copied().enumerate() {
        for form in title_forms(p) {
            let block = by_title.entry(form).or_default();
            if block.last() != Some(&slot) && block.len() < TITLE_BLOCK_MAX {
                block.push(slot);
            }
        }
        if let Some(primary) = p.plain().artists.primary() {
            by_artist.entry(primary).or_default().push(slot);
        }
    }

    let pairs: Vec<Vec<(f32, usize, usize)>> = parallel_map(&left_rest, |&i| {
        let source = &left[i];
        let mut seen: HashSet<usize> = HashSet::new();
        let mut found = Vec::new();
        let mut consider = |slot: usize, found: &mut Vec<(f32, usize, usize)>| {
            if seen.insert(slot) {
                let v = judge(source, right_prepared[slot]);
                if v.same {
                    found.push((v.score, i, right_rest[slot]));
                }
            }
        };
        for form in title_forms(source) {
            for &slot in by_title.get(form).map_or(&[][..], Vec::as_slice) {
                consider(slot, &mut found);
            }
        }
        if let Some(block) = source.plain().artists.primary().and_then(|a| by_artist.get(a))
            && block.len() <= ARTIST_BLOCK_MAX
        {
            for &slot in block {
                consider(slot, &mut found);
            }
        }
        found
    });

    let mut pairs: Vec<(f32, usize, usize)> = pairs.into_iter().flatten().collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in pairs {
        if left_match[i].is_none() && !right_used[j] {
            left_match[i] = Some(j);
            right_used[j] = true;
        }
    }
}

/// Every title form a track may be matched by: each reading's core and
/// other-script halves.
fn title_forms(p: &Prepared) -> impl Iterator<Item = &str> {
    p.readings.iter().flat_map(|r| {
        std::iter::once(r.title.core.as_str())
            .chain(r.title.alternates.iter().map(String::as_str))
            .filter(|f| !f.is_empty())
    })
}

/// `items.iter().map(f).collect()`, split over the available cores.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads <= 1 || items.len() < 2048 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("diff worker thread panicked"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(artist: &str, title: &str) -> Track {
        Track::new(title, artist)
    }

    #[test]
    fn exact_fuzzy_and_missing() {
        let left = [
            t("Daft Punk", "Get Lucky"),
            t("The Beatles", "Here Comes the Sun - Remastered 2009"),
            t("Disclosure", "Latch"),
            t("Blur", "Tracy Jacks"),
            t("The Weeknd", "Starboy"),
        ];
        let right = [
            t("The Weeknd", "Starboy - Live"),
            t("Disclosure", "Latch (feat. Sam Smith)"),
            t("DAFT PUNK", "Get Lucky"),
            t("Beatles", "Here Comes The Sun (Remastered)"),
        ];
        let d = diff(&left, &right);
        assert_eq!(d.matched, vec![(0, 2), (1, 3), (2, 1)]);
        assert_eq!(d.only_left, vec![3, 4]);
        assert_eq!(d.only_right, vec![0]);
    }

    #[test]
    fn duplicates_pair_one_to_one() {
        let left = [t("A", "Song"), t("A", "Song"), t("A", "Song")];
        let right = [t("A", "Song"), t("a", "song")];
        let d = diff(&left, &right);
        assert_eq!(d.matched, vec![(0, 0), (1, 1)]);
        assert_eq!(d.only_left, vec![2]);
        assert!(d.only_right.is_empty());
    }

    #[test]
    fn empty_sides() {
        let d = diff(&[], &[t("A", "B")]);
        assert!(d.matched.is_empty() && d.only_left.is_empty());
        assert_eq!(d.only_right, vec![0]);
        assert_eq!(diff(&[], &[]), Diff::default());
    }

    #[test]
    fn serialises_as_the_cli_documents() {
        let d = diff(&[t("A", "B")], &[t("A", "B"), t("C", "D")]);
        let json = serde_json::to_value(&d).expect("Diff serialises");
        assert_eq!(json, serde_json::json!({"matched": [[0, 0]], "only_left": [], "only_right": [1]}));
    }
}
