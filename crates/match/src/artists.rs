//! Artists: who performs a track, compared as sets.
//!
//! The same credit arrives as `Drake, Wizkid, Kyla`, as `Drake` with
//! `One Dance (feat. Wizkid & Kyla)`, as `Future feat. The Weeknd`, or as a
//! YouTube channel (`The Wombats`, `ArtistVEVO`, `Artist - Topic`). Names are
//! split on the separators services use, featured artists from the title
//! join the set, and the two sets are compared order-free. Band names that
//! contain a separator (`Tyler, the Creator`, `Earth, Wind & Fire`) still
//! agree because runs of neighbouring pieces are compared too.
//!
//! A name matches another when the folded forms agree, when the words are
//! the same in another order (`Amamiya Sora` / `Sora Amamiya`), when one is
//! the other's initials (`AOA` / `Ace of Angels`), or when a bracketed or
//! other-script alias agrees (`Dalshabet(달샤벳)`, `스텔라(Stellar)`).

use crate::normalize::{Script, compact, fold, script, script_halves};
use crate::qualifiers::brackets;

/// One artist name, folded for comparison.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Name {
    /// Folded words without `the` and `and`.
    words: Vec<String>,
    /// The words joined.
    pub(crate) compact: String,
    /// The words sorted and joined, for name-order swaps.
    sorted: String,
    /// Every acceptable spelling (compact), the main one first.
    forms: Vec<String>,
    /// Written only in a non-Latin script, with no Latin alias.
    pub(crate) other_script_only: bool,
    /// Came from a `feat.` credit in the title.
    feat: bool,
    /// Last name of its credit list (where a truncated rendering ends).
    last: bool,
}

/// All artists of one track.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Artists {
    /// The whole display string, folded and compacted.
    pub(crate) whole: String,
    /// Names from the artist field, in order.
    pub(crate) names: Vec<Name>,
    /// Names credited in the title (`feat.`, `with`).
    pub(crate) feats: Vec<Name>,
}

impl Artists {
    /// Builds the set from a display string and the title's feat credits.
    pub(crate) fn new(display: &str, title_feats: &[String]) -> Artists {
        let display = strip_channel_suffix(display.trim());
        let names = to_names(&split_names(display), false);
        let mut feats = Vec::new();
        for credit in title_feats {
            feats.extend(to_names(&split_names(credit), true));
        }
        Artists {
            whole: artist_compact(display),
            names,
            feats,
        }
    }

    /// Every name (artist field first, then title credits), sorted and
    /// joined: the artist half of a track's identity key.
    pub(crate) fn key(&self) -> String {
        let mut all: Vec<&str> = self
            .names
            .iter()
            .chain(&self.feats)
            .map(|n| n.compact.as_str())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.join(",")
    }

    /// The first name of the artist field: the block key the diff groups by.
    pub(crate) fn primary(&self) -> Option<&str> {
        self.names.first().map(|n| n.compact.as_str())
    }
}

/// How two artist sets relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// Every name on each side is found on the other.
    Same,
    /// One side credits extra names (usually featured artists).
    Extra,
    /// Both sides credit names the other lacks (`feat. A` vs `feat. B`).
    Partial,
    /// No main artist in common.
    Different,
    /// One side is written only in another script, and its transliteration
    /// shares a word with the other side (`星街すいせい` → `xing jie suisei`
    /// / `Hoshimachi Suisei`): kana transliterate well, ideographs do not.
    Transliterated,
    /// One side is written only in another script and nothing can be
    /// checked (`雨宮天` / `Sora Amamiya`).
    Unverifiable,
}

/// Compares two artist sets.
pub(crate) fn relation(a: &Artists, b: &Artists) -> Relation {
    // A missing credit (a bare file name) proves nothing either way: two
    // missing credits agree, one missing credit cannot be checked.
    match (a.names.is_empty(), b.names.is_empty()) {
        (true, true) => return Relation::Same,
        (true, false) | (false, true) => return Relation::Unverifiable,
        (false, false) => {}
    }
    let a_items: Vec<&Name> = a.names.iter().chain(&a.feats).collect();
    let b_items: Vec<&Name> = b.names.iter().chain(&b.feats).collect();
    let mut a_covered = vec![false; a_items.len()];
    let mut b_covered = vec![false; b_items.len()];

    if !a.whole.is_empty() && a.whole == b.whole {
        a_covered[..a.names.len()].fill(true);
        b_covered[..b.names.len()].fill(true);
    }
    let a_runs = runs(a);
    let b_runs = runs(b);
    for (ar, an) in &a_runs {
        for (br, bn) in &b_runs {
            if names_match(an, bn) {
                a_covered[ar.clone()].fill(true);
                b_covered[br.clone()].fill(true);
            }
        }
    }

    let main_overlap = a_covered[..a.names.len()].iter().any(|c| *c)
        && b_covered[..b.names.len()].iter().any(|c| *c);
    if !main_overlap {
        let unreadable = |s: &Artists| !s.names.is_empty() && s.names.iter().all(|n| n.other_script_only);
        let a_unreadable = unreadable(a);
        let b_unreadable = unreadable(b);
        // Only when exactly one side is in a script the other cannot be read
        // in; two Latin names that differ are simply different artists.
        return if a_unreadable == b_unreadable {
            Relation::Different
        } else if shares_transliterated_word(a, b) {
            Relation::Transliterated
        } else {
            Relation::Unverifiable
        };
    }
    let a_extra = a_covered.iter().any(|c| !c);
    let b_extra = b_covered.iter().any(|c| !c);
    match (a_extra, b_extra) {
        (false, false) => Relation::Same,
        (true, true) => Relation::Partial,
        _ => Relation::Extra,
    }
}

fn shares_transliterated_word(a: &Artists, b: &Artists) -> bool {
    a.names.iter().any(|x| {
        b.names
            .iter()
            .any(|y| x.words.iter().any(|w| w.len() >= 3 && y.words.contains(w)))
    })
}

/// Runs of one to three neighbouring names within the artist field and
/// within the title credits, with their index ranges in `names ++ feats`.
fn runs(artists: &Artists) -> Vec<(std::ops::Range<usize>, Name)> {
    let mut out = Vec::new();
    let groups = [(0, &artists.names), (artists.names.len(), &artists.feats)];
    for (offset, group) in groups {
        for start in 0..group.len() {
            out.push((offset + start..offset + start + 1, group[start].clone()));
            for len in 2..=3.min(group.len() - start) {
                let parts = &group[start..start + len];
                let words: Vec<String> = parts.iter().flat_map(|n| n.words.clone()).collect();
                out.push((offset + start..offset + start + len, Name::from_words(words, parts[0].feat)));
            }
        }
    }
    out
}

fn names_match(a: &Name, b: &Name) -> bool {
    if a.compact.is_empty() || b.compact.is_empty() {
        return false;
    }
    a.forms.iter().any(|f| b.forms.contains(f))
        || (a.words.len() >= 2 && a.sorted == b.sorted)
        || is_initials(a, b)
        || is_initials(b, a)
        || is_truncation(a, b)
}

/// `AOA` for `Ace of Angels`: a one-word name that spells the initials of a
/// name of at least two real words.
fn is_initials(short: &Name, long: &Name) -> bool {
    short.words.len() == 1
        && short.compact.len() >= 2
        && short.compact.bytes().all(|b| b.is_ascii_alphabetic())
        && long.words.len() == short.compact.len()
        && long.words.iter().all(|w| w.len() >= 2)
        && long.words.iter().map(|w| &w[..1]).collect::<String>() == short.compact
}

/// A credit list cut short by a service (`feat. Earl Sweatshirt, Da` for
/// `Da$h`): only the last featured name, and only as a prefix.
fn is_truncation(a: &Name, b: &Name) -> bool {
    let (short, long) = if a.compact.len() <= b.compact.len() { (a, b) } else { (b, a) };
    a.feat
        && b.feat
        && short.last
        && short.compact.len() >= 2
        && short.compact.len() < long.compact.len()
        && long.compact.starts_with(&short.compact)
}

impl Name {
    fn from_words(words: Vec<String>, feat: bool) -> Name {
        let compact: String = words.concat();
        let mut sorted_words = words.clone();
        sorted_words.sort_unstable();
        Name {
            sorted: sorted_words.concat(),
            forms: vec![compact.clone()],
            compact,
            words,
            other_script_only: false,
            feat,
            last: false,
        }
    }

    fn parse(raw: &str, feat: bool) -> Name {
        let mut name = Name::from_words(artist_words(raw), feat);
        let (outside, groups) = brackets(raw);
        let mut aliases: Vec<String> = Vec::new();
        if !groups.is_empty() {
            aliases.push(outside);
            aliases.extend(groups);
        }
        if let Some((latin, other)) = script_halves(raw) {
            aliases.push(latin);
            aliases.push(other);
        }
        let mut latin_alias = false;
        for alias in aliases {
            let form = artist_words(&alias).concat();
            if !form.is_empty() && !name.forms.contains(&form) {
                latin_alias |= script(&alias) == Script::Latin;
                name.forms.push(form);
            }
        }
        name.other_script_only = script(raw) == Script::Other && !latin_alias;
        name
    }
}

fn to_names(parts: &[String], feat: bool) -> Vec<Name> {
    let mut names: Vec<Name> = parts
        .iter()
        .map(|p| Name::parse(p, feat))
        .filter(|n| !n.compact.is_empty())
        .collect();
    if let Some(last) = names.last_mut() {
        last.last = true;
    }
    names
}

/// Folded words of an artist name; `the` and `and` carry no identity
/// (`The Black Eyed Peas` / `Black Eyed Peas`, `Fitz and the Tantrums`).
fn artist_words(raw: &str) -> Vec<String> {
    let folded = fold(raw);
    let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|w| !matches!(**w, "the" | "and"))
        .map(|w| (*w).to_owned())
        .collect();
    if kept.is_empty() {
        all.into_iter().map(str::to_owned).collect()
    } else {
        kept
    }
}

fn artist_compact(raw: &str) -> String {
    artist_words(raw).concat()
}

/// YouTube channel names: `Artist - Topic`, `ArtistVEVO`, `Artist Official`.
fn strip_channel_suffix(display: &str) -> &str {
    let lower = display.to_ascii_lowercase();
    for suffix in [" - topic", "vevo", " official"] {
        if lower.ends_with(suffix) && display.len() > suffix.len() + 1 {
            return display[..display.len() - suffix.len()].trim_end();
        }
    }
    display
}

/// Splits a credit string on the separators services put between artists:
/// `,` `;` `&` `+` `and` `x` `×` `/` (spaced) `feat.` `ft.` `featuring`
/// `with` `vs`, and the double space left where a service stripped an `&`.
pub(crate) fn split_names(credit: &str) -> Vec<String> {
    const WORD_SEPARATORS: [&str; 12] = [
        " feat. ", " feat ", " ft. ", " ft ", " featuring ", " with ", " vs. ", " vs ", " and ",
        " x ", " × ", " / ",
    ];
    let mut parts: Vec<String> = vec![credit.to_owned()];
    // The double-space artifact first, while spaces are still intact.
    parts = parts
        .iter()
        .flat_map(|p| p.split("  ").map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for sep in [",", ";", "&", "+", "、", "，"] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    for sep in WORD_SEPARATORS {
        parts = parts.iter().flat_map(|p| split_ignore_ascii_case(p, sep)).collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn split_ignore_ascii_case(text: &str, sep: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + sep.len() <= bytes.len() {
        if text.is_char_boundary(i)
            && text.is_char_boundary(i + sep.len())
            && text[i..i + sep.len()].eq_ignore_ascii_case(sep)
        {
            out.push(text[start..i].to_owned());
            start = i + sep.len();
            i = start;
        } else {
            i += 1;
        }
    }
    out.push(text[start..].to_owned());
    out
}

/// Folded and compacted: used for album comparison.
pub(crate) fn folded_compact(text: &str) -> String {
    compact(&fold(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: &str, a_feats: &[&str], b: &str, b_feats: &[&str]) -> Relation {
        let af: Vec<String> = a_feats.iter().map(|s| (*s).to_owned()).collect();
        let bf: Vec<String> = b_feats.iter().map(|s| (*s).to_owned()).collect();
        relation(&Artists::new(a, &af), &Artists::new(b, &bf))
    }

    #[test]
    fn splits_credit_strings() {
        assert_eq!(split_names("A, B & C"), ["A", "B", "C"]);
        assert_eq!(split_names("Future feat. The Weeknd"), ["Future", "The Weeknd"]);
        assert_eq!(split_names("Lost Identities x Robbie Rosen"), ["Lost Identities", "Robbie Rosen"]);
        assert_eq!(split_names("Rex Orange County  Anna of the North"), ["Rex Orange County", "Anna of the North"]);
        assert_eq!(split_names("Hatsune Miku&Kasane Teto"), ["Hatsune Miku", "Kasane Teto"]);
        assert_eq!(split_names("AC/DC"), ["AC/DC"]);
    }

    #[test]
    fn case_diacritics_the_and_punctuation() {
        assert_eq!(rel("The Weeknd", &[], "THE WEEKND", &[]), Relation::Same);
        assert_eq!(rel("Jason Derülo", &[], "Jason Derulo", &[]), Relation::Same);
        assert_eq!(rel("The Black Eyed Peas", &[], "Black Eyed Peas", &[]), Relation::Same);
        assert_eq!(rel("Fitz and the Tantrums", &[], "Fitz & The Tantrums", &[]), Relation::Same);
        assert_eq!(rel("J.I.D", &[], "JID", &[]), Relation::Same);
        assert_eq!(rel("JAY Z", &[], "JAY-Z", &[]), Relation::Same);
        assert_eq!(rel("A$AP Rocky", &[], "ASAP Rocky", &[]), Relation::Same);
        assert_eq!(rel("Dal shabet", &[], "Dal★Shabet", &[]), Relation::Same);
    }

    #[test]
    fn featured_artists_anywhere_form_one_set() {
        assert_eq!(rel("Drake, Wizkid, Kyla", &[], "Drake", &["Wizkid & Kyla"]), Relation::Same);
        assert_eq!(rel("Future", &["The Weeknd"], "Future feat. The Weeknd", &[]), Relation::Same);
        assert_eq!(
            rel("Tyler, the Creator", &[], "Tyler, The Creator, Kali Uchis", &["Kali Uchis"]),
            Relation::Extra
        );
        assert_eq!(rel("Disclosure", &[], "Disclosure", &["Sam Smith"]), Relation::Extra);
        assert_eq!(rel("Miguel", &["Kacey Musgraves"], "Miguel", &["Travis Scott"]), Relation::Partial);
        assert_eq!(
            rel("Rico Nasty", &["Don Toliver & Gucci Mane"], "Rico Nasty", &["Gucci Mane & Don Toliver"]),
            Relation::Same
        );
        // a truncated last credit
        assert_eq!(
            rel("Mac Miller", &["Earl Sweatshirt, Da"], "Mac Miller", &["Earl Sweatshirt and Da$h"]),
            Relation::Same
        );
    }

    #[test]
    fn a_shared_feature_is_not_a_shared_main_artist() {
        assert_eq!(rel("The Weeknd", &["Future"], "Future", &[]), Relation::Different);
        assert_eq!(rel("Operators", &[], "Future", &["The Weeknd"]), Relation::Different);
        assert_eq!(rel("Future", &[], "Future Islands", &[]), Relation::Different);
    }

    #[test]
    fn aliases_order_swaps_and_initials() {
        assert_eq!(rel("Amamiya Sora", &[], "Sora Amamiya", &[]), Relation::Same);
        assert_eq!(rel("Ace of Angels", &[], "AOA", &[]), Relation::Same);
        assert_eq!(rel("스텔라(Stellar) (Stellar)", &[], "Stellar", &[]), Relation::Same);
        assert_eq!(rel("Dalshabet(달샤벳)", &[], "Dal★Shabet", &[]), Relation::Same);
        assert_eq!(rel("임정희 Lim Jeong Hee", &[], "Lim Jeong Hee", &[]), Relation::Same);
        assert_eq!(rel("星街すいせい", &[], "Hoshimachi Suisei", &[]), Relation::Transliterated);
        assert_eq!(rel("宇多田ヒカル", &[], "Hikaru Utada", &[]), Relation::Transliterated);
        assert_eq!(rel("宇多田ヒカル", &[], "Adele", &[]), Relation::Unverifiable);
        assert_eq!(rel("雨宮天", &[], "Sora Amamiya", &[]), Relation::Unverifiable);
        assert_eq!(rel("P!nk", &[], "Pink", &[]), Relation::Same);
        assert_eq!(rel("Madonna", &[], "Tame Impala", &[]), Relation::Different);
        assert_eq!(rel("", &[], "", &[]), Relation::Same);
        assert_eq!(rel("", &[], "Madonna", &[]), Relation::Unverifiable);
    }

    #[test]
    fn youtube_channel_names() {
        assert_eq!(rel("Lost Identities - Topic", &[], "Lost Identities", &[]), Relation::Same);
        assert_eq!(rel("TaylorSwiftVEVO", &[], "Taylor Swift", &[]), Relation::Same);
    }

    #[test]
    fn identity_key_ignores_order_and_placement() {
        let a = Artists::new("Drake, Wizkid & Kyla", &[]);
        let b = Artists::new("Drake", &["Kyla & Wizkid".to_owned()]);
        assert_eq!(a.key(), b.key());
    }
}
