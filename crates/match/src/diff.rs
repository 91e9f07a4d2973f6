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

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use musync_core::Track;
use serde::Serialize;

use crate::score::{Fingerprint, NameCache, Prepared, judge, same_key_confirmed};

/// An artist block larger than this is not searched pair by pair (a title
/// block still is): it would cost quadratic time for little gain.
const ARTIST_BLOCK_MAX: usize = 40;
/// A title block larger than this is cut (a playlist of 1,000 "Intro"s).
const TITLE_BLOCK_MAX: usize = 400;
/// Unmatched left tracks parsed and judged at a time: enough to keep every
/// core busy, few enough that their parsed forms stay a few MB.
const LEFT_SLICE: usize = 16_384;

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
    let mut left_match: Vec<Option<usize>> = vec![None; left.len()];
    let mut right_used = vec![false; right.len()];
    {
        let names = NameCache::for_tracks(left.iter().chain(right));
        let fingerprint = |t: &Track| Fingerprint::with_cache(t, &names);
        let left_prints = parallel_map(left, fingerprint);
        let right_prints = parallel_map(right, fingerprint);
        // Right tracks by key as linked lists in list order: `first[key]`,
        // then `next[j]`, so duplicates pair off in order without a
        // collection per key.
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(right.len());
        let mut next: Vec<usize> = vec![usize::MAX; right.len()];
        for (j, print) in right_prints.iter().enumerate().rev() {
            if let Some(previous) = first.insert(print.key.as_str(), j) {
                next[j] = previous;
            }
        }
        for (i, print) in left_prints.iter().enumerate() {
            let mut j = first.get(print.key.as_str()).copied().unwrap_or(usize::MAX);
            while j != usize::MAX {
                if !right_used[j] && same_key_confirmed(print, &right_prints[j]) {
                    left_match[i] = Some(j);
                    right_used[j] = true;
                    break;
                }
                j = next[j];
            }
        }
    }

    fuzzy_pass(left, right, &mut left_match, &mut right_used);

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
///
/// A confident match needs a shared title form and a shared artist name
/// (or an artist that cannot be read in Latin letters), so tracks are
/// indexed by hashes of (title form, artist spelling) pairs; a hash
/// collision only costs one extra comparison. Titles one letter apart are
/// found through small same-artist blocks.
fn fuzzy_pass(
    left: &[Track],
    right: &[Track],
    left_match: &mut [Option<usize>],
    right_used: &mut [bool],
) {
    let left_rest: Vec<usize> = (0..left.len())
        .filter(|i| left_match[*i].is_none())
        .collect();
    let right_rest: Vec<usize> = (0..right.len()).filter(|j| !right_used[*j]).collect();
    if left_rest.is_empty() || right_rest.is_empty() {
        return;
    }
    // Only the unmatched tracks are parsed again, so memory follows them:
    // every right one (the blocks point into them), the left ones a slice
    // at a time (two million-song sides would otherwise hold both at once).
    let right_prepared: Vec<Prepared> = parallel_map(&right_rest, |&j| Prepared::new(&right[j]));
    let right = &right_prepared;

    let mut blocks: [Vec<(u64, usize)>; 4] = Default::default();
    for (j, p) in right.iter().enumerate() {
        for_each_block(p, |block| {
            let (kind, h) = block.kind_and_hash();
            blocks[kind].push((h, j));
        });
    }
    let [by_pair, by_title, unreadable_by_title, by_artist] = blocks.map(BlockIndex::new);

    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (n, slice) in left_rest.chunks(LEFT_SLICE).enumerate() {
        let prepared: Vec<Prepared> = parallel_map(slice, |&i| Prepared::new(&left[i]));
        let slots: Vec<usize> = (0..prepared.len()).collect();
        let found: Vec<Vec<(f32, usize, usize)>> = parallel_map(&slots, |&k| {
            let source = &prepared[k];
            let i = n * LEFT_SLICE + k;
            let mut seen: HashSet<usize> = HashSet::new();
            let mut found = Vec::new();
            let mut consider = |slots: &[usize], near_only: bool| {
                if near_only && slots.len() > ARTIST_BLOCK_MAX {
                    return;
                }
                for &j in slots {
                    // Same-artist blocks exist for titles one letter apart; skip
                    // the comparison when no title is within reach of that.
                    if near_only && !titles_within_one(source, &right[j]) {
                        continue;
                    }
                    if seen.insert(j) {
                        let v = judge(source, &right[j]);
                        if v.same {
                            found.push((v.score, i, j));
                        }
                    }
                }
            };
            for_each_block(source, |block| match block {
                Block::Pair(h) => consider(by_pair.get(h), false),
                // Every title may belong to a track whose artist cannot be
                // read; an unreadable source looks at every same-title track.
                Block::Title(h) => consider(unreadable_by_title.get(h), false),
                Block::UnreadableTitle(h) => consider(by_title.get(h), false),
                Block::Artist(h) => consider(by_artist.get(h), true),
            });
            found
        });
        pairs.extend(found.into_iter().flatten());
    }

    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in pairs {
        let (i, j) = (left_rest[i], right_rest[j]);
        if left_match[i].is_none() && !right_used[j] {
            left_match[i] = Some(j);
            right_used[j] = true;
        }
    }
}

/// Whether some title core of one is at most one letter longer or shorter
/// than one of the other's (a cheap gate before a full comparison).
fn titles_within_one(a: &Prepared, b: &Prepared) -> bool {
    a.readings.iter().any(|ra| {
        b.readings
            .iter()
            .any(|rb| ra.title.core.len().abs_diff(rb.title.core.len()) <= 1)
    })
}

/// The blocks a track belongs to, as hashes.
enum Block {
    /// A title form together with an artist spelling.
    Pair(u64),
    /// A title form (every track).
    Title(u64),
    /// A title form of a track whose artist cannot be read in Latin.
    UnreadableTitle(u64),
    /// The main artist, for titles one letter apart.
    Artist(u64),
}

impl Block {
    /// Which index the block goes to, and its hash.
    fn kind_and_hash(self) -> (usize, u64) {
        match self {
            Block::Pair(h) => (0, h),
            Block::Title(h) => (1, h),
            Block::UnreadableTitle(h) => (2, h),
            Block::Artist(h) => (3, h),
        }
    }
}

/// Right tracks by block hash: two sorted arrays instead of a map of
/// lists, ~12 bytes an entry instead of ~80 (a million-song side has a few
/// entries per unmatched track).
struct BlockIndex {
    hashes: Vec<u64>,
    slots: Vec<usize>,
}

impl BlockIndex {
    /// Indexes `(hash, slot)` entries: each block lists its slots in
    /// ascending order, once each, at most [`TITLE_BLOCK_MAX`] of them.
    fn new(mut entries: Vec<(u64, usize)>) -> BlockIndex {
        entries.sort_unstable();
        entries.dedup();
        let mut index = BlockIndex {
            hashes: Vec::with_capacity(entries.len()),
            slots: Vec::with_capacity(entries.len()),
        };
        let mut run = 0;
        for (k, &(h, j)) in entries.iter().enumerate() {
            run = if k > 0 && entries[k - 1].0 == h {
                run + 1
            } else {
                0
            };
            if run < TITLE_BLOCK_MAX {
                index.hashes.push(h);
                index.slots.push(j);
            }
        }
        index.hashes.shrink_to_fit();
        index.slots.shrink_to_fit();
        index
    }

    /// The slots in block `h` (empty when there is none).
    fn get(&self, h: u64) -> &[usize] {
        let start = self.hashes.partition_point(|&x| x < h);
        let end = start + self.hashes[start..].partition_point(|&x| x == h);
        &self.slots[start..end]
    }
}

fn for_each_block(p: &Prepared, mut f: impl FnMut(Block)) {
    for reading in &p.readings {
        let artist_keys = reading.artists.block_keys();
        let unreadable = reading.artists.unreadable();
        let forms = std::iter::once(reading.title.core.as_str())
            .chain(reading.title.alternates.iter().map(String::as_str))
            .filter(|f| !f.is_empty());
        for form in forms {
            for artist in &artist_keys {
                f(Block::Pair(hash(&(form, *artist))));
            }
            f(Block::Title(hash(&form)));
            if unreadable {
                f(Block::UnreadableTitle(hash(&form)));
            }
        }
    }
    if let Some(primary) = p.plain().artists.primary() {
        f(Block::Artist(hash(&primary)));
    }
}

fn hash(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// `items.iter().map(f).collect()`, split over the available cores.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
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
            t("Disclosure", "Latch").with_duration_s(255),
            t("Blur", "Tracy Jacks"),
            t("The Weeknd", "Starboy"),
        ];
        let right = [
            t("The Weeknd", "Starboy - Live"),
            t("Disclosure", "Latch (feat. Sam Smith)").with_duration_s(256),
            t("DAFT PUNK", "Get Lucky"),
            t("Beatles", "Here Comes The Sun (Remastered)"),
        ];
        let d = diff(&left, &right);
        assert_eq!(d.matched, vec![(0, 2), (1, 3), (2, 1)]);
        assert_eq!(d.only_left, vec![3, 4]);
        assert_eq!(d.only_right, vec![0]);
    }

    #[test]
    fn fuzzy_matches_across_left_slices_pair_as_one_pass_would() {
        // More unmatched left tracks than one slice (the artist's name in
        // the other order keeps them out of the exact pass), matched in
        // reverse order, so pairs come from every slice.
        let n = LEFT_SLICE + 100;
        let left: Vec<Track> = (0..n)
            .map(|i| t("Amamiya Sora", &format!("Song {i}")))
            .collect();
        let right: Vec<Track> = (0..n)
            .rev()
            .map(|i| t("Sora Amamiya", &format!("Song {i}")))
            .collect();
        // Not one pair shares an exact key: all go through the fuzzy pass.
        assert_ne!(crate::track_key(&left[0]), crate::track_key(&right[n - 1]));
        let d = diff(&left, &right);
        let want: Vec<(usize, usize)> = (0..n).map(|i| (i, n - 1 - i)).collect();
        assert_eq!(d.matched, want);
        assert!(d.only_left.is_empty() && d.only_right.is_empty());
    }

    #[test]
    fn block_index_lists_each_slot_once_in_order_up_to_the_cap() {
        let mut entries = vec![(7, 3), (5, 1), (7, 1), (7, 3), (9, 0)];
        entries.extend((0..TITLE_BLOCK_MAX + 10).rev().map(|j| (8, j)));
        let index = BlockIndex::new(entries);
        assert_eq!(index.get(7), &[1, 3]);
        assert_eq!(index.get(5), &[1]);
        assert_eq!(index.get(9), &[0]);
        assert!(index.get(6).is_empty() && index.get(10).is_empty() && index.get(0).is_empty());
        let capped = index.get(8);
        assert_eq!(capped.len(), TITLE_BLOCK_MAX);
        assert_eq!(
            (capped[0], capped[TITLE_BLOCK_MAX - 1]),
            (0, TITLE_BLOCK_MAX - 1)
        );
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
        assert_eq!(
            json,
            serde_json::json!({"matched": [[0, 0]], "only_left": [], "only_right": [1]})
        );
    }
}
