//! Evidence beyond the names: ISRC, duration and album.
//!
//! Equal ISRCs identify one recording, but a reissue or another market's
//! release may carry a different one, so unequal ISRCs only weigh a little.
//! Durations within about 2 s support a match; more than about 10 s apart
//! they contradict it (a live take or an extended cut of the same title). An
//! album in agreement is weak support; an album that is a live or remix
//! album on one side only is a warning, unless the durations agree.

use crate::artists::folded_compact;
use crate::qualifiers::{Kind, parse_title, version_word};

/// Durations within this many seconds support a match.
pub(crate) const DURATION_CLOSE_S: u32 = 2;
/// Durations more than this many seconds apart contradict a match.
pub(crate) const DURATION_FAR_S: u32 = 10;

/// What the two durations say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Duration {
    /// One or both unknown.
    Unknown,
    /// Within [`DURATION_CLOSE_S`].
    Close,
    /// Between close and far: no conclusion, a slight doubt.
    Near(u32),
    /// More than [`DURATION_FAR_S`] apart.
    Far(u32),
}

/// What the two ISRCs say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Isrc {
    Unknown,
    Same,
    Different,
}

/// What the two albums say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Album {
    Unknown,
    Same,
    Different,
}

/// Album facts of one track, prepared once.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AlbumInfo {
    /// The album title without qualifiers, compacted; empty when unknown.
    core: String,
    /// Version kinds the album names (`Psychic Live` → live).
    pub(crate) kinds: Vec<Kind>,
}

impl AlbumInfo {
    pub(crate) fn new(album: Option<&str>) -> AlbumInfo {
        let Some(album) = album.map(str::trim).filter(|a| !a.is_empty()) else {
            return AlbumInfo::default();
        };
        let parsed = parse_title(album);
        let mut kinds: Vec<Kind> = parsed.versions.iter().map(|v| v.kind).collect();
        kinds.extend(parsed.words().filter_map(album_word));
        kinds.sort();
        kinds.dedup();
        let core = if parsed.core.is_empty() {
            folded_compact(album)
        } else {
            parsed.core
        };
        AlbumInfo { core, kinds }
    }
}

/// Version words that mark a whole album as another recording of its songs.
fn album_word(word: &str) -> Option<Kind> {
    match version_word(word) {
        Some(k @ (Kind::Live | Kind::Acoustic | Kind::Instrumental)) => Some(k),
        Some(Kind::Remix) if word.starts_with("remix") => Some(Kind::Remix),
        _ => None,
    }
}

/// All non-name evidence about a pair.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Evidence {
    pub(crate) duration: Duration,
    pub(crate) isrc: Isrc,
    pub(crate) album: Album,
}

pub(crate) fn duration(a: Option<u32>, b: Option<u32>) -> Duration {
    match (a, b) {
        (Some(a), Some(b)) if a > 0 && b > 0 => {
            let d = a.abs_diff(b);
            if d <= DURATION_CLOSE_S {
                Duration::Close
            } else if d <= DURATION_FAR_S {
                Duration::Near(d)
            } else {
                Duration::Far(d)
            }
        }
        _ => Duration::Unknown,
    }
}

pub(crate) fn isrc(a: Option<&str>, b: Option<&str>) -> Isrc {
    match (a, b) {
        (Some(x), Some(y)) if !x.is_empty() && !y.is_empty() => {
            if x.eq_ignore_ascii_case(y) {
                Isrc::Same
            } else {
                Isrc::Different
            }
        }
        _ => Isrc::Unknown,
    }
}

pub(crate) fn album(a: &AlbumInfo, b: &AlbumInfo) -> Album {
    if a.core.is_empty() || b.core.is_empty() {
        Album::Unknown
    } else if a.core == b.core {
        Album::Same
    } else {
        Album::Different
    }
}

/// A version kind one album names that nothing on the other side explains
/// (`other` are the other track's title and album kinds).
pub(crate) fn unexplained_album_kind(
    album: &[Kind],
    own_title: &[Kind],
    other: &[Kind],
) -> Option<Kind> {
    album
        .iter()
        .copied()
        .find(|k| !own_title.contains(k) && !other.contains(k))
}

/// A live (remix, acoustic …) album on one side only, not explained by a
/// title on either side, is a warning unless the durations agree.
pub(crate) fn album_warning(
    album_a: &[Kind],
    title_a: &[Kind],
    album_b: &[Kind],
    title_b: &[Kind],
    duration: Duration,
) -> Option<Kind> {
    if duration == Duration::Close || (album_a.is_empty() && album_b.is_empty()) {
        return None;
    }
    let a_all: Vec<Kind> = title_a.iter().chain(album_a).copied().collect();
    let b_all: Vec<Kind> = title_b.iter().chain(album_b).copied().collect();
    unexplained_album_kind(album_a, title_a, &b_all)
        .or_else(|| unexplained_album_kind(album_b, title_b, &a_all))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_bands() {
        assert_eq!(duration(Some(289), Some(291)), Duration::Close);
        assert_eq!(duration(Some(246), Some(254)), Duration::Near(8));
        assert_eq!(duration(Some(289), Some(669)), Duration::Far(380));
        assert_eq!(duration(None, Some(669)), Duration::Unknown);
        // zero means unknown in some exports
        assert_eq!(duration(Some(0), Some(200)), Duration::Unknown);
    }

    use musync_core::Track;

    #[test]
    fn isrc_compares_case_insensitively() {
        let a = Track::new("T", "A").with_isrc("gbaye0100703");
        let b = Track::new("T", "A").with_isrc("GB-AYE-01-00703");
        let c = Track::new("T", "A").with_isrc("GBAYE0100700");
        assert_eq!(isrc(a.isrc.as_deref(), b.isrc.as_deref()), Isrc::Same);
        assert_eq!(isrc(a.isrc.as_deref(), c.isrc.as_deref()), Isrc::Different);
        assert_eq!(isrc(a.isrc.as_deref(), None), Isrc::Unknown);
    }

    #[test]
    fn albums_compare_without_qualifiers() {
        let a = AlbumInfo::new(Some("Revival [Explicit]"));
        let b = AlbumInfo::new(Some("Revival"));
        assert_eq!(album(&a, &b), Album::Same);
        assert_eq!(
            album(&a, &AlbumInfo::new(Some("Kamikaze"))),
            Album::Different
        );
        assert_eq!(album(&a, &AlbumInfo::new(Some("  "))), Album::Unknown);
    }

    #[test]
    fn live_and_remix_albums_are_noticed() {
        assert_eq!(AlbumInfo::new(Some("Psychic Live")).kinds, [Kind::Live]);
        assert_eq!(
            AlbumInfo::new(Some("Settle (The Remixes)")).kinds,
            [Kind::Remix]
        );
        assert!(
            AlbumInfo::new(Some("The Time Of Our Lives"))
                .kinds
                .is_empty()
        );
        assert!(AlbumInfo::new(Some("Hounds of Love")).kinds.is_empty());
        let live = AlbumInfo::new(Some("Psychic Live"));
        assert_eq!(
            album_warning(&live.kinds, &[], &[], &[], Duration::Unknown),
            Some(Kind::Live)
        );
        assert_eq!(
            album_warning(&[], &[], &live.kinds, &[], Duration::Near(5)),
            Some(Kind::Live)
        );
        // explained by a title, or by agreeing durations
        assert_eq!(
            album_warning(
                &live.kinds,
                &[Kind::Live],
                &[],
                &[Kind::Live],
                Duration::Unknown
            ),
            None
        );
        assert_eq!(
            album_warning(&live.kinds, &[], &[], &[], Duration::Close),
            None
        );
    }
}
