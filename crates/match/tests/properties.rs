//! Properties over generated tracks: symmetry, reflexivity, neutral
//! qualifiers never change a decision, version qualifiers always do, and the
//! diff's invariants.

use std::collections::HashSet;

use musync_core::Track;
use musync_match::{compare, diff, track_key};
use proptest::prelude::*;

const ARTISTS: &[&str] = &[
    "Sigur Rós",
    "Björk",
    "The Weeknd",
    "宇多田ヒカル",
    "Beyoncé",
    "Mø",
    "AC/DC",
    "Röyksopp",
    "Earth, Wind & Fire",
    "A$AP Rocky",
    "Zoë Kravitz",
    "Ólafur Arnalds",
    "아이유",
    "Kraftwerk",
];
const WORDS: &[&str] = &[
    "love",
    "night",
    "fire",
    "déjà",
    "vu",
    "café",
    "sun",
    "rain",
    "heart",
    "こころ",
    "사랑",
    "ночь",
    "dance",
    "river",
    "gold",
    "blue",
    "dream",
    "city",
    "road",
    "señorita",
    "über",
    "paradise",
];
const NEUTRAL: &[&str] = &[
    " - 2011 Remaster",
    " (Remastered)",
    " [Explicit]",
    " (Remastered 2009)",
    " - Album Version",
    " (Official Video)",
    " [Bonus Track]",
    " (Original Mix)",
    " (Clean)",
];
const VERSIONS: &[&str] = &[
    " - Live",
    " (Live)",
    " (Remix)",
    " - Acoustic",
    " (Instrumental)",
    " (Demo)",
    " - Radio Edit",
    " (Extended Mix)",
    " (Sped Up)",
    " (Taylor's Version)",
    " (Pt. 2)",
    " (Reprise)",
    " [Live at Home]",
    " (Karaoke Version)",
    " - A Cappella",
];

fn title() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..4).prop_map(|w| w.join(" "))
}

fn track() -> impl Strategy<Value = Track> {
    (
        prop::sample::select(ARTISTS),
        title(),
        prop::option::of(prop::sample::select(ARTISTS)),
        prop::option::of(120u32..400),
        prop::option::of(prop::sample::select(
            &["Album", "Greatest Hits", "Другой"][..],
        )),
    )
        .prop_map(|(artist, title, feat, duration, album)| {
            let title = match feat {
                Some(f) if f != artist => format!("{title} (feat. {f})"),
                _ => title,
            };
            let mut t = Track::new(title, artist);
            if let Some(d) = duration {
                t = t.with_duration_s(d);
            }
            if let Some(a) = album {
                t = t.with_album(a);
            }
            t
        })
}

/// Another rendering of the same recording: case, accents, where the
/// featured artist is written, a neutral note.
fn rendering(
    t: &Track,
    upper: bool,
    strip_accents: bool,
    move_feat: bool,
    neutral: Option<&str>,
) -> Track {
    let mut title = t.title.to_string();
    let mut artist = t.artist.to_string();
    if move_feat && let Some((head, feat)) = title.clone().split_once(" (feat. ") {
        artist = format!("{artist} feat. {}", feat.trim_end_matches(')'));
        title = head.to_owned();
    }
    if upper {
        title = title.to_uppercase();
    }
    if strip_accents {
        title = title.chars().map(plain_latin).collect();
        artist = artist.chars().map(plain_latin).collect();
    }
    if let Some(n) = neutral {
        title.push_str(n);
    }
    let mut out = Track::new(title, artist);
    out.duration_s = t.duration_s;
    out.album = t.album.clone();
    out
}

fn plain_latin(c: char) -> char {
    match c {
        'é' | 'è' => 'e',
        'ó' | 'ö' | 'Ó' => 'o',
        'ë' => 'e',
        'ü' => 'u',
        'ñ' => 'n',
        'Ö' => 'O',
        c => c,
    }
}

fn with_title_suffix(t: &Track, suffix: &str) -> Track {
    let mut out = t.clone();
    out.title.push_str(suffix);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_track_always_matches_itself(t in track()) {
        let v = compare(&t, &t);
        prop_assert!(v.same, "{}: {v:?}", t.label());
    }

    #[test]
    fn same_is_symmetric(a in track(), b in track(), upper: bool, strip: bool, mv: bool) {
        let variant = rendering(&a, upper, strip, mv, None);
        for other in [&b, &variant] {
            prop_assert_eq!(compare(&a, other).same, compare(other, &a).same, "{} / {}", a.label(), other.label());
        }
    }

    #[test]
    fn renderings_match_and_share_a_key(
        t in track(), upper: bool, strip: bool, mv: bool,
        neutral in prop::option::of(prop::sample::select(NEUTRAL)),
    ) {
        let r = rendering(&t, upper, strip, mv, neutral);
        prop_assert!(compare(&t, &r).same, "{} vs {}: {:?}", t.label(), r.label(), compare(&t, &r));
        prop_assert_eq!(track_key(&t), track_key(&r), "{} vs {}", t.label(), r.label());
    }

    #[test]
    fn a_neutral_qualifier_never_changes_the_decision(
        a in track(), b in track(), upper: bool, mv: bool,
        neutral in prop::sample::select(NEUTRAL),
    ) {
        let variant = rendering(&a, upper, false, mv, None);
        for other in [&b, &variant] {
            let before = compare(&a, other).same;
            let after = compare(&with_title_suffix(&a, neutral), other).same;
            prop_assert_eq!(before, after, "{} / {} + {}", a.label(), other.label(), neutral);
        }
    }

    #[test]
    fn a_version_qualifier_on_one_side_always_changes_it(
        t in track(), upper: bool, strip: bool, mv: bool,
        version in prop::sample::select(VERSIONS),
    ) {
        let r = rendering(&t, upper, strip, mv, None);
        prop_assert!(compare(&t, &r).same);
        let v = compare(&with_title_suffix(&t, version), &r);
        prop_assert!(!v.same, "{}{} vs {}: {:?}", t.label(), version, r.label(), v);
        let v = compare(&t, &with_title_suffix(&r, version));
        prop_assert!(!v.same, "{} vs {}{}: {:?}", t.label(), r.label(), version, v);
    }

    #[test]
    fn diff_uses_every_index_exactly_once(
        left in prop::collection::vec(track(), 0..30),
        right in prop::collection::vec(track(), 0..30),
    ) {
        let d = diff(&left, &right);
        let mut seen_left = HashSet::new();
        let mut seen_right = HashSet::new();
        for &(i, j) in &d.matched {
            prop_assert!(seen_left.insert(i) && seen_right.insert(j));
        }
        for &i in &d.only_left {
            prop_assert!(seen_left.insert(i));
        }
        for &j in &d.only_right {
            prop_assert!(seen_right.insert(j));
        }
        prop_assert_eq!(seen_left.len(), left.len());
        prop_assert_eq!(seen_right.len(), right.len());
        prop_assert!(d.matched.windows(2).all(|w| w[0].0 < w[1].0));
        prop_assert!(d.only_left.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(d.only_right.windows(2).all(|w| w[0] < w[1]));
        // every matched pair is a confident match
        for &(i, j) in &d.matched {
            prop_assert!(compare(&left[i], &right[j]).same);
        }
    }

    #[test]
    fn diff_of_a_list_with_itself_matches_everything(list in prop::collection::vec(track(), 0..40)) {
        let d = diff(&list, &list);
        let expected: Vec<(usize, usize)> = (0..list.len()).map(|i| (i, i)).collect();
        prop_assert_eq!(d.matched, expected);
        prop_assert!(d.only_left.is_empty() && d.only_right.is_empty());
    }

    #[test]
    fn diff_finds_renderings(list in prop::collection::vec(track(), 1..25), upper: bool, mv: bool) {
        // The other side renders every track differently and drops the last.
        let right: Vec<Track> = list[..list.len() - 1]
            .iter()
            .map(|t| rendering(t, upper, false, mv, Some(" - 2011 Remaster")))
            .collect();
        let d = diff(&list, &right);
        prop_assert_eq!(d.matched.len(), right.len());
        prop_assert_eq!(d.only_left.len(), 1);
    }
}
