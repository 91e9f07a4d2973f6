//! Step 1: read both playlists and diff them, minus pairs the user unlinked.

use crate::{Side, SideName};
use musync_core::activity::count;
use musync_core::{Progress, ServiceError, Track};
use musync_match::Diff;
use musync_store::Store;
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

/// Both playlists and how they relate.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Left playlist, in order. Each song is shared (not copied) with the
    /// plan and the report that mention it.
    pub left: Vec<Arc<Track>>,
    /// Right playlist, in order.
    pub right: Vec<Arc<Track>>,
    /// Matched pairs and the songs only one side has.
    pub diff: Diff,
    /// Pairs the matcher paired but the person said are different songs
    /// (unlinked, now or earlier), as (left index, right index): what a
    /// front end offers to relink.
    pub unlinked: Vec<(usize, usize)>,
    /// What each side holds, built once on first use by planning and
    /// applying (both ask "is this track already there?").
    present: [OnceLock<TrackIndex>; 2],
    /// Each side's revision token taken just before it was read, when its
    /// service has one: an unchanged token spares the read under the lock.
    revisions: [Option<String>; 2],
}

impl Comparison {
    /// What side `name` holds now, read again (under the run's lock): the
    /// presence checks of the run use it instead of the first read.
    pub(crate) fn refresh_present(&mut self, name: SideName, tracks: &[Track]) {
        let slot = &mut self.present[slot(name)];
        *slot = OnceLock::new();
        let _ = slot.set(TrackIndex::new(tracks));
    }

    /// Side `name`'s revision token from just before it was read.
    pub(crate) fn revision(&self, name: SideName) -> Option<&str> {
        self.revisions[slot(name)].as_deref()
    }

    /// The tracks of side `name`, indexed for presence checks.
    pub(crate) fn present_in(&self, name: SideName) -> &TrackIndex {
        let tracks = match name {
            SideName::Left => &self.left,
            SideName::Right => &self.right,
        };
        self.present[slot(name)].get_or_init(|| TrackIndex::new(tracks))
    }
}

/// Where side `name`'s entry sits in the comparison's per-side arrays.
fn slot(name: SideName) -> usize {
    match name {
        SideName::Left => 0,
        SideName::Right => 1,
    }
}

/// The key under which decisions and journal rows about `track` are kept.
pub fn source_key(track: &Track) -> String {
    musync_match::track_key(track)
}

/// Reads both sides (concurrently) and diffs them. Pairs the user marked as
/// false matches ("unlink") are split again.
pub async fn compare(
    left: &Side,
    right: &Side,
    store: &Store,
    left_progress: &dyn Progress,
    right_progress: &dyn Progress,
) -> Result<Comparison, ServiceError> {
    musync_core::activity!("Reading {} and {}", left.label, right.label);
    // Taken before the read: a change during the read moves it too.
    let revisions = futures::join!(
        left.service.revision(&left.playlist),
        right.service.revision(&right.playlist)
    );
    let (l, r) = futures::join!(
        left.service.tracks(&left.playlist, left_progress),
        right.service.tracks(&right.playlist, right_progress)
    );
    let (left_tracks, right_tracks) = (l?, r?);
    musync_core::activity!(
        "Read {} ({}) and {} ({})",
        left.label,
        count(left_tracks.len(), "song", "songs"),
        right.label,
        count(right_tracks.len(), "song", "songs")
    );
    let unlinked = store.unlinked()?;
    let mut diff = musync_match::diff(&left_tracks, &right_tracks);
    let mut split = Vec::new();
    if !unlinked.is_empty() {
        split = split_unlinked(&mut diff, &left_tracks, &right_tracks, |a, b| {
            unlinked.contains(&(a.to_owned(), b.to_owned()))
                || unlinked.contains(&(b.to_owned(), a.to_owned()))
        });
    }
    Ok(Comparison {
        left: shared(left_tracks),
        right: shared(right_tracks),
        diff,
        unlinked: split,
        present: Default::default(),
        revisions: [revisions.0, revisions.1],
    })
}

/// Each track behind its own `Arc`, in a new list of the exact size: a
/// `collect` would reuse the old list's buffer (in-place iteration), and a
/// list of pointers would keep the ~20-times-larger buffer of tracks alive,
/// about 200 MB for a million songs.
fn shared(tracks: Vec<Track>) -> Vec<Arc<Track>> {
    let mut out = Vec::with_capacity(tracks.len());
    out.extend(tracks.into_iter().map(Arc::new));
    out
}

/// Moves matched pairs the user unlinked back to the one-side lists;
/// returns the pairs it split.
pub fn split_unlinked<T: Borrow<Track>>(
    diff: &mut Diff,
    left: &[T],
    right: &[T],
    is_unlinked: impl Fn(&str, &str) -> bool,
) -> Vec<(usize, usize)> {
    let mut kept = Vec::with_capacity(diff.matched.len());
    let mut split = Vec::new();
    for &(i, j) in &diff.matched {
        if is_unlinked(
            &source_key(left[i].borrow()),
            &source_key(right[j].borrow()),
        ) {
            diff.only_left.push(i);
            diff.only_right.push(j);
            split.push((i, j));
        } else {
            kept.push((i, j));
        }
    }
    diff.matched = kept;
    diff.only_left.sort_unstable();
    diff.only_right.sort_unstable();
    split
}

/// Puts an unlinked pair back together: matched again, no longer on
/// either "only" list. Returns false when `(left, right)` was not split.
pub fn rejoin(cmp: &mut Comparison, left: usize, right: usize) -> bool {
    let before = cmp.unlinked.len();
    cmp.unlinked.retain(|&p| p != (left, right));
    if cmp.unlinked.len() == before {
        return false;
    }
    cmp.diff.only_left.retain(|&i| i != left);
    cmp.diff.only_right.retain(|&j| j != right);
    cmp.diff.matched.push((left, right));
    cmp.diff.matched.sort_unstable();
    true
}

/// What a playlist holds, for "is this track already there?": by service
/// id, and by normalised identity key for tracks without a shared id.
///
/// It keeps sorted 128-bit digests of the ids and keys, not the strings or
/// a hash set: a million-song playlist costs 32 MB instead of ~70 MB (a
/// set's spare buckets) or 150 MB (the strings), and a lookup is a binary
/// search. Two different keys share a digest with a chance near 10^-26
/// per pair.
#[derive(Clone, Debug)]
pub struct TrackIndex {
    ids: Vec<Digest>,
    keys: Vec<Digest>,
}

/// A 128-bit digest of a string: two 64-bit SipHashes under different
/// prefixes (std's hasher, fixed keys, so it needs no extra crate).
type Digest = (u64, u64);

fn digest(s: &str) -> Digest {
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        s.hash(&mut h);
        h.finish()
    };
    (half(0), half(1))
}

/// `digests` sorted, without repeats, at their exact size.
fn sorted(mut digests: Vec<Digest>) -> Vec<Digest> {
    digests.sort_unstable();
    digests.dedup();
    digests.shrink_to_fit();
    digests
}

impl TrackIndex {
    /// Indexes `tracks`.
    pub fn new<T: Borrow<Track>>(tracks: &[T]) -> Self {
        let mut ids = Vec::with_capacity(tracks.len());
        let mut keys = Vec::with_capacity(tracks.len());
        for track in tracks {
            let track = track.borrow();
            if let Some(id) = &track.id {
                ids.push(digest(id.as_str()));
            }
            keys.push(digest(&source_key(track)));
        }
        TrackIndex {
            ids: sorted(ids),
            keys: sorted(keys),
        }
    }

    /// Whether `track` (by id, or by identity key) is among them.
    pub fn contains(&self, track: &Track) -> bool {
        track
            .id
            .as_ref()
            .is_some_and(|i| self.ids.binary_search(&digest(i.as_str())).is_ok())
            || self.keys.binary_search(&digest(&source_key(track))).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_tracks_do_not_keep_the_old_buffer() {
        let tracks = vec![Track::new("Song", "A"); 1000];
        let list = shared(tracks);
        assert_eq!(list.len(), 1000);
        assert_eq!(list.capacity(), 1000);
    }

    #[test]
    fn track_index_finds_tracks_by_id_or_identity_key() {
        let tracks = vec![
            Track::new("Song", "A").with_id("spotify:track:1"),
            Track::new("Other", "B"),
            Track::new("Other", "B"),
            Track::new("Third", "C").with_id("spotify:track:3"),
        ];
        let index = TrackIndex::new(&tracks);
        // The same id under another rendering, and a key without an id.
        assert!(index.contains(&Track::new("Renamed", "Z").with_id("spotify:track:3")));
        assert!(index.contains(&Track::new("other", "b")));
        assert!(index.contains(&Track::new("Song", "A").with_id("spotify:track:9")));
        assert!(!index.contains(&Track::new("Fourth", "D").with_id("spotify:track:2")));
        assert!(!index.contains(&Track::new("Song", "B")));
        // Repeats are kept once, at the exact size.
        assert_eq!((index.ids.len(), index.keys.len()), (2, 3));
        assert_eq!(index.keys.capacity(), 3);
    }

    #[test]
    fn unlinked_pairs_return_to_both_sides() {
        let left = vec![Track::new("Song", "A"), Track::new("Other", "B")];
        let right = vec![Track::new("Song", "A"), Track::new("Other", "B")];
        let mut diff = musync_match::diff(&left, &right);
        assert_eq!(diff.matched.len(), 2);
        let bad = source_key(&left[1]);
        split_unlinked(&mut diff, &left, &right, |a, _| a == bad);
        assert_eq!(diff.matched, vec![(0, 0)]);
        assert_eq!(diff.only_left, vec![1]);
        assert_eq!(diff.only_right, vec![1]);
    }
}
