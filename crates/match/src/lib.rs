//! Decides whether two tracks are the same recording, ranks search
//! candidates, and diffs two track lists.
//!
//! This is the one place that answers "same recording or not" for musync:
//! the diff, search ranking, the CLI's `musync match` and the web wizard all
//! call it, so a rule fixed here is fixed everywhere. Wrong matches (the live
//! version, a remix, a cover, another artist's song of the same name) are the
//! most common complaint about playlist-transfer tools, so the rules lean
//! towards "not sure" rather than a wrong pick: [`best`] only returns a
//! candidate whose score reaches [`CONFIDENT`].
//!
//! The rules live in small modules, each tested on its own:
//! `normalize` (folding text for comparison), `qualifiers` (neutral vs
//! version title parts), `artists` (credit sets, aliases, upload channels),
//! `romanize`, `readings` and `loanword` (other scripts against Latin
//! spellings), `classical` (catalogue numbers and movements), `evidence`
//! (ISRC, duration, album) and `score` (combining them with a human
//! reason). `diff` matches two whole lists quickly; [`rank`] adds the one
//! rule that needs the whole candidate list.
#![warn(missing_docs)]

mod artists;
mod classical;
mod diff;
pub mod eval;
mod evidence;
mod kanji_table;
mod loanword;
mod normalize;
mod qualifiers;
mod readings;
mod romanize;
mod score;

use musync_core::Track;
use serde::Serialize;

pub use diff::{Diff, diff};

/// Scores at or above this are confident enough for an automatic pick.
pub const CONFIDENT: f32 = 0.75;

/// The decision about one pair of tracks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// How likely the two are the same recording, 0..1.
    pub score: f32,
    /// Confidently the same recording (`score >= CONFIDENT`).
    pub same: bool,
    /// A short human reason ("same ISRC", "live version vs studio",
    /// "different artist").
    pub reason: String,
}

/// One candidate's place in a ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// Index into the candidate slice.
    pub index: usize,
    /// The candidate's score, 0..1.
    pub score: f32,
    /// Confident enough for an automatic pick.
    pub confident: bool,
    /// A short human reason.
    pub reason: String,
}

/// Compares a source track with a candidate. Symmetric in its decision.
pub fn compare(source: &Track, candidate: &Track) -> Verdict {
    score::judge(
        &score::Prepared::new(source),
        &score::Prepared::new(candidate),
    )
}

/// Score given to a candidate whose title is read (kanji readings, a
/// katakana or Hangul loanword) when it is the only candidate that reads so.
const READ_UNIQUE: f32 = 0.78;

/// Every candidate, best first (ties keep the candidates' order).
///
/// One rule needs the whole list: a title read in full through kanji
/// readings or as a katakana or Hangul loanword (`紅蓮華` / `Gurenge`,
/// `ポリリズム` / `Polyrhythm`, `라일락` / `Lilac`), by the same artist, with no durations to confirm, is
/// confident when no other candidate's title agrees with the source at all;
/// a reading is one guess among several, and a list with one fit rules the
/// others out. Durations that disagree still make it a question.
pub fn rank(source: &Track, candidates: &[Track]) -> Vec<Ranked> {
    let prepared = score::Prepared::new(source);
    let mut ranked: Vec<(Ranked, bool)> = Vec::with_capacity(candidates.len());
    let mut reading_only: Vec<usize> = Vec::new();
    let mut titles_agreeing = 0;
    for (index, c) in candidates.iter().enumerate() {
        let (v, basis) = score::judge_ranked(&prepared, &score::Prepared::new(c));
        titles_agreeing += usize::from(basis.title_agrees);
        if basis.reading_only && !v.same {
            reading_only.push(index);
        }
        let r = Ranked {
            index,
            score: v.score,
            confident: v.same,
            reason: v.reason,
        };
        ranked.push((r, basis.exact));
    }
    if let [only] = reading_only.as_slice()
        && titles_agreeing == 1
    {
        let (r, _) = &mut ranked[*only];
        r.score = r.score.max(READ_UNIQUE);
        r.confident = r.score >= CONFIDENT;
        r.reason = format!("{}, the only candidate that reads so", r.reason);
    }
    // Equal scores: the same rendering (same remaster or explicit notes)
    // first, then the candidates' order.
    ranked.sort_by(|(a, a_exact), (b, b_exact)| {
        b.score
            .total_cmp(&a.score)
            .then(b_exact.cmp(a_exact))
            .then(a.index.cmp(&b.index))
    });
    ranked.into_iter().map(|(r, _)| r).collect()
}

/// The automatic pick: the best candidate, only when it is confident. Never a
/// different version, a cover or another artist's song, which all score low.
pub fn best(source: &Track, candidates: &[Track]) -> Option<Ranked> {
    rank(source, candidates)
        .into_iter()
        .next()
        .filter(|r| r.confident)
}

/// A stable, normalised identity key for remembered decisions. Tracks that
/// differ only by case, diacritics, punctuation, neutral qualifiers
/// (remaster notes, `[Explicit]` …) or where the featured artists are written
/// get the same key; a live version, a remix or another artist does not.
pub fn track_key(track: &Track) -> String {
    score::identity_key_of(track)
}

/// `artists|core|version…|+unknown…`.
pub(crate) fn identity_key(artists: String, title: &qualifiers::Title) -> String {
    let mut key = artists;
    key.push('|');
    key.push_str(&title.core);
    for v in &title.versions {
        key.push('|');
        key.push_str(v.kind.describe());
        if !v.detail.is_empty() {
            key.push(':');
            key.push_str(&v.detail);
        }
    }
    // Unclassified subtitles stay in the key: `Song (Who Dat)` is not
    // known to be `Song (Something Else)`.
    let mut unknown: Vec<&str> = title.unknown.iter().map(String::as_str).collect();
    unknown.sort_unstable();
    for u in unknown {
        key.push_str("|+");
        key.push_str(u);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(artist: &str, title: &str) -> Track {
        Track::new(title, artist)
    }

    /// The key from a full parse (the reference the short path must meet).
    fn key_of(prepared: &score::Prepared) -> String {
        let reading = prepared.plain();
        identity_key(reading.artists.key(), &reading.title)
    }

    #[test]
    fn the_short_key_path_gives_the_full_parse_key() {
        // track_key skips the parts of a full parse the key does not use;
        // every track of the labelled cases must key the same either way.
        let cases = eval::parse_cases(include_str!("../tests/data/matching-dev.jsonl"))
            .expect("the dev set parses");
        let mut checked = 0;
        for case in &cases {
            for track in std::iter::once(&case.source).chain(&case.candidates) {
                assert_eq!(
                    track_key(track),
                    key_of(&score::Prepared::new(track)),
                    "{}",
                    track.label()
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn identical_tracks_are_the_same() {
        let v = compare(&t("Daft Punk", "Get Lucky"), &t("Daft Punk", "Get Lucky"));
        assert!(v.same);
        assert_eq!(v.reason, "same artist and title");
    }

    #[test]
    fn reasons_name_the_difference() {
        let studio = t("The Weeknd", "Starboy");
        assert_eq!(
            compare(&studio, &t("The Weeknd", "Starboy - Live")).reason,
            "live version vs studio"
        );
        assert_eq!(
            compare(&studio, &t("The Weeknd", "Starboy (Remix)")).reason,
            "remix vs original"
        );
        assert_eq!(
            compare(&studio, &t("Kanye West", "Starboy")).reason,
            "different artist"
        );
        assert_eq!(
            compare(&studio, &t("The Weeknd", "Sidewalks")).reason,
            "different title"
        );
        let a = t("Buzzcocks", "Promises").with_isrc("GBAYE0100703");
        let b = t("Buzzcocks", "Promises (2001 Remaster)").with_isrc("GBAYE0100703");
        assert_eq!(compare(&a, &b).reason, "same ISRC");
    }

    #[test]
    fn isrc_links_renderings_in_other_languages() {
        let a = t("幾田りら", "百花繚乱").with_isrc("JPP302400868");
        let b = t("Lilas Ikuta", "In Bloom").with_isrc("JPP302400868");
        assert!(compare(&a, &b).same);
    }

    #[test]
    fn durations_veto_and_support() {
        let a = t("Darkside", "Paper Trails").with_duration_s(289);
        assert!(!compare(&a, &t("Darkside", "Paper Trails").with_duration_s(669)).same);
        let close = compare(&a, &t("DARKSIDE", "Paper Trails").with_duration_s(290));
        assert!(close.same);
        assert_eq!(close.reason, "same artist and title, durations agree");
    }

    #[test]
    fn live_album_on_one_side_is_not_picked_without_duration() {
        let a = t("Darkside", "Paper Trails").with_album("Psychic");
        let b = t("Darkside", "Paper Trails").with_album("Psychic Live");
        let v = compare(&a, &b);
        assert!(!v.same);
        assert_eq!(v.reason, "live album");
    }

    #[test]
    fn rank_puts_the_plain_recording_first_and_best_refuses_versions() {
        let source = t("Jhené Aiko", "Sativa");
        let candidates = [
            t("Jhené Aiko", "Sativa (feat. Rae Sremmurd)"),
            t("Jhene Aiko", "Sativa"),
            t("Jhené Aiko", "Sativa - Live"),
        ];
        let ranked = rank(&source, &candidates);
        assert_eq!(ranked.len(), 3);
        assert_eq!(ranked[0].index, 1);
        assert_eq!(best(&source, &candidates).map(|r| r.index), Some(1));
        assert_eq!(best(&source, &candidates[2..]), None);
        assert_eq!(best(&source, &[]), None);
    }

    #[test]
    fn upload_titles_are_read_as_artist_and_title() {
        let source = t("The Afghan Whigs", "Lost in the Woods");
        let upload = t(
            "Sub Pop Records",
            "The Afghan Whigs - Lost in the Woods [OFFICIAL VIDEO]",
        );
        assert!(compare(&source, &upload).same);
        let cover = t(
            "Sub Pop Records",
            "J Mascis - Fade Into You (a Mazzy Star cover)",
        );
        assert!(!compare(&t("Mazzy Star", "Fade Into You"), &cover).same);
        let mv = t("JYP Entertainment", "2PM “My House(우리집)” M/V");
        assert!(compare(&t("2PM", "My House"), &mv).same);
    }

    #[test]
    fn track_key_ignores_spelling_and_neutral_parts() {
        let a = track_key(&t("Eminem feat. Beyoncé", "Walk On Water [Explicit]"));
        let b = track_key(&t(
            "EMINEM",
            "Walk on Water (feat. Beyonce) - 2017 Remaster",
        ));
        assert_eq!(a, b);
        assert_ne!(
            a,
            track_key(&t("Eminem feat. Beyoncé", "Walk On Water - Live"))
        );
        assert_ne!(a, track_key(&t("Beyoncé", "Walk On Water")));
    }
}
