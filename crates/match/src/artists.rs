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
use crate::romanize::{self, Family, Piece};

/// One artist name, folded for comparison.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Name {
    /// Folded words without `the` and `and`, separated by spaces.
    folded: String,
    /// The words joined.
    pub(crate) compact: String,
    /// The words sorted and joined, for name-order swaps (empty for one word).
    sorted: String,
    /// Other acceptable spellings, compacted (bracketed or other-script aliases).
    aliases: Vec<String>,
    /// Written only in a non-Latin script, with no Latin alias.
    pub(crate) other_script_only: bool,
    /// Came from a `feat.` credit in the title.
    feat: bool,
    /// Last name of its credit list (where a truncated rendering ends).
    last: bool,
    /// Initials of a name of two or more words (`aoa` for `Ace of Angels`).
    initials: Option<String>,
    /// For a name written (partly) outside the Latin script: how to compare
    /// it with Latin spellings. Boxed: most names are Latin and stay small.
    script: Option<Box<NameScript>>,
}

/// A non-Latin name's forms for comparison with Latin spellings.
#[derive(Clone, Debug, PartialEq)]
struct NameScript {
    /// Romanisation conventions and the loose romanised form, for a name
    /// wholly outside the Latin script.
    family: Option<(Family, String)>,
    /// Kana or Latin letters around unread kanji (`Official髭男dism`).
    kanji: Option<Box<[Piece]>>,
    /// The name as written, when it has kanji `readings` can read.
    han: Option<Box<str>>,
}

impl Name {
    fn family(&self) -> Option<&(Family, String)> {
        self.script.as_ref().and_then(|s| s.family.as_ref())
    }

    fn kanji(&self) -> Option<&[Piece]> {
        self.script.as_ref().and_then(|s| s.kanji.as_deref())
    }

    fn han(&self) -> Option<&str> {
        self.script.as_ref().and_then(|s| s.han.as_deref())
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        self.folded.split(' ').filter(|w| !w.is_empty())
    }

    fn is_one_word(&self) -> bool {
        !self.folded.contains(' ')
    }

    fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.compact.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
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
    /// Runs of two or three neighbouring names joined, with their index
    /// ranges in `names ++ feats`, built once because every comparison
    /// needs them (`Tyler` + `the Creator`).
    runs: Vec<(std::ops::Range<usize>, Name)>,
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
        // A guest list that names the track's own artist (`PnB Rock -
        // Horses (with PnB Rock, Kodak Black …)`) does not make it a guest.
        feats.retain(|f: &Name| !names.iter().any(|n| n.compact == f.compact));
        let whole = match names.as_slice() {
            [only] => only.compact.clone(),
            _ => artist_compact(display),
        };
        let mut artists = Artists {
            whole,
            names,
            feats,
            runs: Vec::new(),
        };
        artists.runs = runs(&artists);
        artists
    }

    /// The same text as `Artists::new(display, title_feats).key()`, without
    /// building the set: the diff computes one per track.
    pub(crate) fn key_for(display: &str, title_feats: &[String]) -> String {
        let display = strip_channel_suffix(display.trim());
        let credits = std::iter::once(display).chain(title_feats.iter().map(String::as_str));
        let mut all: Vec<String> = credits
            .flat_map(split_names)
            .map(artist_compact)
            .filter(|c| !c.is_empty())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.join(",")
    }

    /// Drops every name (a reading whose "artist" turned out to be a title).
    pub(crate) fn clear(&mut self) {
        self.names.clear();
        self.feats.clear();
        self.runs.clear();
        self.whole.clear();
    }

    /// Spellings a matching name would share with this set's names: each
    /// name's forms, its sorted words, its initials, and the whole credit.
    /// The diff blocks candidates by these.
    pub(crate) fn block_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        if !self.whole.is_empty() {
            keys.push(&self.whole);
        }
        for (_, name) in self.all_runs() {
            keys.extend(name.spellings());
            keys.push(&name.sorted);
            if let Some(initials) = &name.initials {
                keys.push(initials);
            }
        }
        keys.retain(|k| !k.is_empty());
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The name at `i` of `names ++ feats`.
    fn name_at(&self, i: usize) -> &Name {
        self.names
            .get(i)
            .unwrap_or_else(|| &self.feats[i - self.names.len()])
    }

    /// Every single name and every joined run, with index ranges in
    /// `names ++ feats`.
    fn all_runs(&self) -> impl Iterator<Item = (std::ops::Range<usize>, &Name)> {
        self.names
            .iter()
            .chain(&self.feats)
            .enumerate()
            .map(|(i, n)| (i..i + 1, n))
            .chain(self.runs.iter().map(|(r, n)| (r.clone(), n)))
    }

    /// Whether nothing in this set can be compared with Latin names
    /// (no names, or names only in another script).
    pub(crate) fn unreadable(&self) -> bool {
        self.names.iter().all(|n| n.other_script_only)
    }

    /// Every name (artist field first, then title credits), sorted and
    /// joined: the artist half of a track's identity key. Tests hold
    /// [`Artists::key_for`], which builds no set, to it.
    #[cfg(test)]
    pub(crate) fn key(&self) -> String {
        if self.feats.is_empty()
            && let [only] = self.names.as_slice()
        {
            return only.compact.clone();
        }
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

    /// Whether a name in the artist field is `folded` or ends with its last
    /// word (`beethoven` for `Ludwig van Beethoven`).
    pub(crate) fn credits(&self, folded: &str) -> bool {
        let last = folded.rsplit(' ').next().unwrap_or(folded);
        !last.is_empty()
            && self
                .names
                .iter()
                .any(|n| n.folded == folded || n.words().last() == Some(last))
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
    /// Both sides name guests and share at least one; the names only one
    /// side has are all guests: a guest list written in full on one side
    /// and shortened on the other, or a remix with one guest more, so the
    /// scorer treats it like [`Relation::Extra`].
    SharedGuests,
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
#[cfg(test)]
pub(crate) fn relation(a: &Artists, b: &Artists) -> Relation {
    relation_romanising(a, b, true)
}

/// [`relation`], romanising names written in another script only when
/// `romanise` (the caller knows whether the answer can matter).
pub(crate) fn relation_romanising(a: &Artists, b: &Artists, romanise: bool) -> Relation {
    // A missing credit (a bare file name) proves nothing either way: two
    // missing credits agree, one missing credit cannot be checked.
    match (a.names.is_empty(), b.names.is_empty()) {
        (true, true) => return Relation::Same,
        (true, false) | (false, true) => return Relation::Unverifiable,
        (false, false) => {}
    }
    let (mut a_covered, mut b_covered) = coverage(a, b, false);
    let main_overlap = |a_covered: &[bool], b_covered: &[bool]| {
        a_covered[..a.names.len()].iter().any(|c| *c)
            && b_covered[..b.names.len()].iter().any(|c| *c)
    };
    if !main_overlap(&a_covered, &b_covered) {
        if is_duo_by_surnames(a, b) {
            return Relation::Same;
        }
        let unreadable =
            |s: &Artists| !s.names.is_empty() && s.names.iter().all(|n| n.other_script_only);
        let a_unreadable = unreadable(a);
        let b_unreadable = unreadable(b);
        // Only when exactly one side is in a script the other cannot be read
        // in; two Latin names that differ are simply different artists.
        if romanise && (kanji_fits(a, b) || kanji_reads(a, b)) {
            // The letters around unread kanji fit: not proof, but not a
            // different artist either.
            return Relation::Transliterated;
        }
        if a_unreadable == b_unreadable {
            return Relation::Different;
        }
        if !romanise {
            return Relation::Unverifiable;
        }
        // Romanising is costly, so it is tried only here, where it is the
        // last chance for the names to agree.
        (a_covered, b_covered) = coverage(a, b, true);
        if !main_overlap(&a_covered, &b_covered) {
            return if shares_transliterated_word(a, b) {
                Relation::Transliterated
            } else {
                Relation::Unverifiable
            };
        }
    }
    let a_extra = a_covered.iter().any(|c| !c);
    let b_extra = b_covered.iter().any(|c| !c);
    match (a_extra, b_extra) {
        (false, false) => Relation::Same,
        (true, true) => Relation::Partial,
        _ if shares_guests(a, b, &a_covered, &b_covered) => Relation::SharedGuests,
        _ => Relation::Extra,
    }
}

/// `relation` (`Extra` or `Partial`) reconsidered for two classical
/// titles: a composer a title names (before a colon, `Beethoven: Piano
/// Sonata …`, or through its catalogue, `WoO 59`) covers that composer's
/// credit on either side.
pub(crate) fn with_title_composers(
    a: &Artists,
    b: &Artists,
    relation: Relation,
    a_composers: &[&str],
    b_composers: &[&str],
) -> Relation {
    if !matches!(relation, Relation::Extra | Relation::Partial) {
        return relation;
    }
    let (mut a_covered, mut b_covered) = coverage(a, b, false);
    let cover = |x: &Artists, covered: &mut [bool], composers: &[&str]| {
        for composer in composers {
            let last = composer.rsplit(' ').next().unwrap_or(composer);
            for (i, n) in x.names.iter().enumerate() {
                if n.folded == *composer || n.words().last() == Some(last) {
                    covered[i] = true;
                }
            }
        }
    };
    // A title's composer covers the credit on the other side, and on its
    // own side too (a composer credited as an artist is no performer).
    let all: Vec<&str> = a_composers.iter().chain(b_composers).copied().collect();
    cover(a, &mut a_covered, &all);
    cover(b, &mut b_covered, &all);
    match (a_covered.contains(&false), b_covered.contains(&false)) {
        (false, false) => Relation::Same,
        (true, true) => Relation::Partial,
        _ => Relation::Extra,
    }
}

/// Both sides name guests, the guest lists share a name, and every name
/// found on one side only is a guest there, not a main artist.
fn shares_guests(a: &Artists, b: &Artists, a_covered: &[bool], b_covered: &[bool]) -> bool {
    let only_guests_uncovered =
        |x: &Artists, covered: &[bool]| covered[..x.names.len()].iter().all(|c| *c);
    !a.feats.is_empty()
        && !b.feats.is_empty()
        && only_guests_uncovered(a, a_covered)
        && only_guests_uncovered(b, b_covered)
        && a.feats
            .iter()
            .any(|f| b.feats.iter().any(|g| names_match(f, g)))
}

/// Which names of `names ++ feats` on each side the other side also has;
/// `romanised` also accepts names that romanise alike.
fn coverage(a: &Artists, b: &Artists, romanised: bool) -> (Vec<bool>, Vec<bool>) {
    let mut a_covered = vec![false; a.names.len() + a.feats.len()];
    let mut b_covered = vec![false; b.names.len() + b.feats.len()];
    if !a.whole.is_empty() && a.whole == b.whole {
        a_covered[..a.names.len()].fill(true);
        b_covered[..b.names.len()].fill(true);
    }
    for (ar, an) in a.all_runs() {
        for (br, bn) in b.all_runs() {
            // A name that is the first names of a run on the other side is
            // not that run cut short: `feat. A` / `feat. A & B` names one
            // guest more (often a remix), not a truncated title.
            if (names_match(an, bn) || romanised && romanised_alike(an, bn))
                && !is_leading_names(b, &br, an)
                && !is_leading_names(a, &ar, bn)
            {
                a_covered[ar.clone()].fill(true);
                b_covered[br].fill(true);
            }
        }
    }
    (a_covered, b_covered)
}

/// Whether `name` spells the first names (not all) of the run `range` of
/// `x` (`willywilliam` for the run `Willy William` + `Beyoncé`).
fn is_leading_names(x: &Artists, range: &std::ops::Range<usize>, name: &Name) -> bool {
    if range.len() < 2
        || !name
            .compact
            .starts_with(x.name_at(range.start).compact.as_str())
    {
        return false;
    }
    let mut joined = String::new();
    for i in range.start..range.end - 1 {
        joined.push_str(&x.name_at(i).compact);
        if joined == name.compact {
            return true;
        }
    }
    false
}

/// `Hall & Oates` / `Daryl Hall & John Oates`: two credits of the same
/// length (two or more names) where every one-word name of one side is the
/// surname of a different name on the other. A lone surname is never enough
/// (`Drake` is not `Nick Drake`).
fn is_duo_by_surnames(a: &Artists, b: &Artists) -> bool {
    let check = |short: &Artists, long: &Artists| {
        short.names.len() >= 2
            && short.names.len() == long.names.len()
            && short.names.iter().all(Name::is_one_word)
            && long.names.iter().all(|n| !n.is_one_word())
            && {
                let mut surnames: Vec<&str> =
                    long.names.iter().filter_map(|n| n.words().last()).collect();
                short.names.iter().all(|n| {
                    let found = surnames.iter().position(|s| *s == n.compact);
                    found.map(|i| surnames.remove(i)).is_some()
                })
            }
    };
    check(a, b) || check(b, a)
}

/// Whether a main name with kanji on one side fits a main name of the other
/// once the kanji are read as gaps.
fn kanji_fits(a: &Artists, b: &Artists) -> bool {
    let fits = |x: &Artists, y: &Artists| {
        x.names.iter().any(|n| {
            n.kanji().is_some_and(|pattern| {
                y.names.iter().filter(|m| m.kanji().is_none()).any(|m| {
                    romanize::fits_pattern(pattern, &romanize::loose(&m.folded, Family::Japanese))
                })
            })
        })
    };
    fits(a, b) || fits(b, a)
}

/// Whether a main name with kanji on one side reads as a Latin main name
/// of the other, in either word order (`米津玄師` / `Kenshi Yonezu`).
fn kanji_reads(a: &Artists, b: &Artists) -> bool {
    let reads = |x: &Artists, y: &Artists| {
        x.names.iter().any(|n| {
            n.han().is_some_and(|han| {
                y.names.iter().filter(|m| m.script.is_none()).any(|m| {
                    crate::readings::name_reads_as(han, &m.folded) || {
                        let mut words: Vec<&str> = m.words().collect();
                        words.len() == 2 && {
                            words.reverse();
                            crate::readings::name_reads_as(han, &words.join(" "))
                        }
                    }
                })
            })
        })
    };
    reads(a, b) || reads(b, a)
}

fn shares_transliterated_word(a: &Artists, b: &Artists) -> bool {
    a.names.iter().any(|x| {
        b.names
            .iter()
            .any(|y| x.words().any(|w| w.len() >= 3 && y.words().any(|v| v == w)))
    })
}

/// Runs of two or three neighbouring names within the artist field and
/// within the title credits, joined, with their index ranges.
fn runs(artists: &Artists) -> Vec<(std::ops::Range<usize>, Name)> {
    let mut out = Vec::new();
    let groups = [(0, &artists.names), (artists.names.len(), &artists.feats)];
    for (offset, group) in groups {
        for start in 0..group.len() {
            for len in 2..=3.min(group.len() - start) {
                let parts = &group[start..start + len];
                let folded = parts
                    .iter()
                    .map(|n| n.folded.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push((
                    offset + start..offset + start + len,
                    Name::from_folded(folded, parts[0].feat),
                ));
            }
        }
    }
    out
}

fn names_match(a: &Name, b: &Name) -> bool {
    if a.compact.is_empty() || b.compact.is_empty() {
        return false;
    }
    a.compact == b.compact
        || (!a.aliases.is_empty() || !b.aliases.is_empty())
            && a.spellings().any(|x| b.spellings().any(|y| x == y))
        || (!a.sorted.is_empty() && a.sorted == b.sorted)
        || is_initials(a, b)
        || is_initials(b, a)
        || is_truncation(a, b)
}

/// `あいみょん` / `Aimyon`, `현아` / `HyunA`, `Земфира` / `Zemfira`: a name
/// in another script whose romanisation agrees with the Latin name, in
/// either word order (`Amamiya Sora` / `Sora Amamiya`).
fn romanised_alike(a: &Name, b: &Name) -> bool {
    let (latin, family, target) = match (a.family(), b.family()) {
        (Some((f, t)), None) => (b, *f, t),
        (None, Some((f, t))) => (a, *f, t),
        _ => return false,
    };
    if target.len() < 2 || latin.compact.len() > 3 * target.len() + 8 {
        return false;
    }
    if romanize::loose(&latin.folded, family) == *target {
        return true;
    }
    let mut words: Vec<&str> = latin.words().collect();
    words.len() == 2 && {
        words.reverse();
        romanize::loose(&words.join(" "), family) == *target
    }
}

/// `AOA` for `Ace of Angels`: a one-word name that spells the initials of a
/// name of at least two real words.
fn is_initials(short: &Name, long: &Name) -> bool {
    short.is_one_word()
        && short.compact.len() >= 2
        && short.compact.bytes().all(|b| b.is_ascii_alphabetic())
        && long.initials.as_deref() == Some(short.compact.as_str())
}

/// A credit list cut short by a service (`feat. Earl Sweatshirt, Da` for
/// `Da$h`): only the last featured name, and only as a prefix.
fn is_truncation(a: &Name, b: &Name) -> bool {
    let (short, long) = if a.compact.len() <= b.compact.len() {
        (a, b)
    } else {
        (b, a)
    };
    a.feat
        && b.feat
        && short.last
        && short.compact.len() >= 2
        && short.compact.len() < long.compact.len()
        && long.compact.starts_with(&short.compact)
}

impl Name {
    fn from_folded(folded: String, feat: bool) -> Name {
        let compact = compact(&folded);
        let (sorted, initials) = if folded.contains(' ') {
            let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            let initials = words
                .iter()
                .all(|w| w.len() >= 2)
                .then(|| words.iter().map(|w| &w[..1]).collect::<String>());
            words.sort_unstable();
            (words.concat(), initials)
        } else {
            (String::new(), None)
        };
        Name {
            folded,
            compact,
            sorted,
            aliases: Vec::new(),
            other_script_only: false,
            feat,
            last: false,
            initials,
            script: None,
        }
    }

    fn parse(raw: &str, feat: bool) -> Name {
        let mut name = Name::from_folded(artist_fold(raw), feat);
        let raw_script = script(raw);
        let bracketed = raw.contains(['(', '[', '{', '（']);
        if raw_script != Script::Latin {
            let family = (raw_script == Script::Other)
                .then(|| romanize::family(raw))
                .flatten()
                .map(|f| (f, romanize::loose(&name.folded, f)));
            let kanji = romanize::name_pattern(raw).map(Vec::into_boxed_slice);
            let han = crate::readings::has_readable_kanji(raw).then(|| raw.into());
            if family.is_some() || kanji.is_some() || han.is_some() {
                name.script = Some(Box::new(NameScript { family, kanji, han }));
            }
        }
        if !bracketed && raw_script != Script::Mixed {
            name.other_script_only = raw_script == Script::Other;
            return name;
        }
        let mut aliases: Vec<String> = Vec::new();
        if bracketed {
            let (outside, groups) = brackets(raw);
            aliases.push(outside.into_owned());
            aliases.extend(groups);
        }
        if let Some((latin, other)) = script_halves(raw) {
            aliases.push(latin);
            aliases.push(other);
        }
        let mut latin_alias = false;
        for alias in aliases {
            let form = compact(&artist_fold(&alias));
            if !form.is_empty() && form != name.compact && !name.aliases.contains(&form) {
                latin_alias |= script(&alias) == Script::Latin;
                name.aliases.push(form);
            }
        }
        name.other_script_only = raw_script == Script::Other && !latin_alias;
        name
    }
}

fn to_names(parts: &[&str], feat: bool) -> Vec<Name> {
    let mut names: Vec<Name> = parts
        .iter()
        .map(|p| Name::parse(p, feat))
        .filter(|n| !n.compact.is_empty())
        .collect();
    // A filtered `collect` starts with room for four names: the fuzzy pass
    // keeps one list per unmatched track, so spare room adds up.
    names.shrink_to_fit();
    if let Some(last) = names.last_mut() {
        last.last = true;
    }
    names
}

/// An artist name folded; `the` and `and` carry no identity
/// (`The Black Eyed Peas` / `Black Eyed Peas`, `Fitz and the Tantrums`).
fn artist_fold(raw: &str) -> String {
    let folded = fold(raw);
    let is_filler = |w: &str| matches!(w, "the" | "and");
    if !folded.split(' ').any(is_filler) || folded.split(' ').all(is_filler) {
        return folded;
    }
    folded
        .split(' ')
        .filter(|w| !is_filler(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn artist_compact(raw: &str) -> String {
    compact(&artist_fold(raw))
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
pub(crate) fn split_names(credit: &str) -> Vec<&str> {
    const SEPARATORS: [&str; 19] = [
        "  ",
        ",",
        ";",
        "&",
        "+",
        "、",
        "，",
        " feat. ",
        " feat ",
        " ft. ",
        " ft ",
        " featuring ",
        " with ",
        " vs. ",
        " vs ",
        " and ",
        " x ",
        " × ",
        " / ",
    ];
    let bytes = credit.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Separators are ASCII or whole UTF-8 sequences, so a byte match always
    // starts and ends on character boundaries.
    'scan: while i < bytes.len() {
        if !matches!(
            bytes[i],
            b' ' | b',' | b';' | b'&' | b'+' | 0xC3 | 0xE3 | 0xEF
        ) {
            i += 1;
            continue;
        }
        for sep in SEPARATORS {
            let s = sep.as_bytes();
            if bytes.len() - i >= s.len() && bytes[i..i + s.len()].eq_ignore_ascii_case(s) {
                parts.push(&credit[start..i]);
                i += s.len();
                start = i;
                continue 'scan;
            }
        }
        i += 1;
    }
    parts.push(&credit[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
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
        assert_eq!(
            split_names("Future feat. The Weeknd"),
            ["Future", "The Weeknd"]
        );
        assert_eq!(
            split_names("Lost Identities x Robbie Rosen"),
            ["Lost Identities", "Robbie Rosen"]
        );
        assert_eq!(
            split_names("Rex Orange County  Anna of the North"),
            ["Rex Orange County", "Anna of the North"]
        );
        assert_eq!(
            split_names("Hatsune Miku&Kasane Teto"),
            ["Hatsune Miku", "Kasane Teto"]
        );
        assert_eq!(split_names("AC/DC"), ["AC/DC"]);
    }

    #[test]
    fn case_diacritics_the_and_punctuation() {
        assert_eq!(rel("The Weeknd", &[], "THE WEEKND", &[]), Relation::Same);
        assert_eq!(
            rel("Jason Derülo", &[], "Jason Derulo", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("The Black Eyed Peas", &[], "Black Eyed Peas", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("Fitz and the Tantrums", &[], "Fitz & The Tantrums", &[]),
            Relation::Same
        );
        assert_eq!(rel("J.I.D", &[], "JID", &[]), Relation::Same);
        assert_eq!(rel("JAY Z", &[], "JAY-Z", &[]), Relation::Same);
        assert_eq!(rel("A$AP Rocky", &[], "ASAP Rocky", &[]), Relation::Same);
        assert_eq!(rel("Dal shabet", &[], "Dal★Shabet", &[]), Relation::Same);
    }

    #[test]
    fn featured_artists_anywhere_form_one_set() {
        assert_eq!(
            rel("Drake, Wizkid, Kyla", &[], "Drake", &["Wizkid & Kyla"]),
            Relation::Same
        );
        assert_eq!(
            rel("Future", &["The Weeknd"], "Future feat. The Weeknd", &[]),
            Relation::Same
        );
        assert_eq!(
            rel(
                "Tyler, the Creator",
                &[],
                "Tyler, The Creator, Kali Uchis",
                &["Kali Uchis"]
            ),
            Relation::Extra
        );
        assert_eq!(
            rel("Disclosure", &[], "Disclosure", &["Sam Smith"]),
            Relation::Extra
        );
        assert_eq!(
            rel("Miguel", &["Kacey Musgraves"], "Miguel", &["Travis Scott"]),
            Relation::Partial
        );
        // Guest lists on both sides that share a guest: one is shortened.
        assert_eq!(
            rel(
                "Lil Wayne",
                &["Wiz Khalifa, Imagine Dragons, Logic & Ty Dolla $ign feat. X Ambassadors"],
                "Lil Wayne",
                &["Logic, Ty Dolla $ign  X Ambassadors"]
            ),
            Relation::SharedGuests
        );
        // One guest more on one side is no truncated spelling of the two.
        assert_eq!(
            rel("Singer", &["Rapper"], "Singer", &["Rapper & Star"]),
            Relation::SharedGuests
        );
        assert_eq!(
            rel("Singer", &["Rapper"], "Singer", &["Rapper & Sta"]),
            Relation::SharedGuests
        );
        assert_eq!(
            rel("Singer", &["Rapper & Sta"], "Singer", &["Rapper & Star"]),
            Relation::Same
        );
        // Sharing a guest does not excuse a main artist on one side only.
        assert_eq!(
            rel(
                "Lil Wayne, Logic",
                &["Wiz Khalifa"],
                "Lil Wayne",
                &["Wiz Khalifa & Logic"]
            ),
            Relation::Same
        );
        assert_eq!(
            rel(
                "Lil Wayne, Drake",
                &["Wiz Khalifa"],
                "Lil Wayne",
                &["Wiz Khalifa"]
            ),
            Relation::Extra
        );
        // A guest on one side only when the other names none.
        assert_eq!(
            rel("Lil Wayne", &["Wiz Khalifa"], "Lil Wayne", &[]),
            Relation::Extra
        );
        // A guest list naming the side's own artist: that name is no guest.
        assert_eq!(
            rel(
                "PnB Rock",
                &["PnB Rock, Kodak Black & A Boogie Wit da Hoodie"],
                "PnB Rock",
                &["Kodak Black & A Boogie Wit da Hoodie"]
            ),
            Relation::Same
        );
        assert_eq!(
            rel(
                "PnB Rock",
                &["PnB Rock, Kodak Black & A Boogie Wit da Hoodie"],
                "PnB Rock",
                &["A Boogie Wit da Hoodie"]
            ),
            Relation::SharedGuests
        );
        assert_eq!(
            rel(
                "Rico Nasty",
                &["Don Toliver & Gucci Mane"],
                "Rico Nasty",
                &["Gucci Mane & Don Toliver"]
            ),
            Relation::Same
        );
        // a truncated last credit
        assert_eq!(
            rel(
                "Mac Miller",
                &["Earl Sweatshirt, Da"],
                "Mac Miller",
                &["Earl Sweatshirt and Da$h"]
            ),
            Relation::Same
        );
    }

    #[test]
    fn a_shared_feature_is_not_a_shared_main_artist() {
        assert_eq!(
            rel("The Weeknd", &["Future"], "Future", &[]),
            Relation::Different
        );
        assert_eq!(
            rel("Operators", &[], "Future", &["The Weeknd"]),
            Relation::Different
        );
        assert_eq!(
            rel("Future", &[], "Future Islands", &[]),
            Relation::Different
        );
        assert_eq!(rel("Drake", &[], "Nick Drake", &[]), Relation::Different);
    }

    #[test]
    fn duos_by_surname() {
        assert_eq!(
            rel("Hall & Oates", &[], "Daryl Hall & John Oates", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("Simon & Garfunkel", &[], "Paul Simon, Art Garfunkel", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("Hall & Oates", &[], "Daryl Hall & Tom Jones", &[]),
            Relation::Different
        );
    }

    #[test]
    fn aliases_order_swaps_and_initials() {
        assert_eq!(
            rel("Amamiya Sora", &[], "Sora Amamiya", &[]),
            Relation::Same
        );
        assert_eq!(rel("Ace of Angels", &[], "AOA", &[]), Relation::Same);
        assert_eq!(
            rel("스텔라(Stellar) (Stellar)", &[], "Stellar", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("Dalshabet(달샤벳)", &[], "Dal★Shabet", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("임정희 Lim Jeong Hee", &[], "Lim Jeong Hee", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("星街すいせい", &[], "Hoshimachi Suisei", &[]),
            Relation::Transliterated
        );
        assert_eq!(
            rel("宇多田ヒカル", &[], "Hikaru Utada", &[]),
            Relation::Transliterated
        );
        assert_eq!(
            rel("宇多田ヒカル", &[], "Adele", &[]),
            Relation::Unverifiable
        );
        // kanji read through their readings (天 has the kun reading sora)
        assert_eq!(
            rel("雨宮天", &[], "Sora Amamiya", &[]),
            Relation::Transliterated
        );
        assert_eq!(
            rel("雨宮天", &[], "Hikaru Utada", &[]),
            Relation::Unverifiable
        );
        assert_eq!(rel("P!nk", &[], "Pink", &[]), Relation::Same);
        assert_eq!(rel("Madonna", &[], "Tame Impala", &[]), Relation::Different);
        assert_eq!(rel("", &[], "", &[]), Relation::Same);
        assert_eq!(rel("", &[], "Madonna", &[]), Relation::Unverifiable);
    }

    #[test]
    fn youtube_channel_names() {
        assert_eq!(
            rel("Lost Identities - Topic", &[], "Lost Identities", &[]),
            Relation::Same
        );
        assert_eq!(
            rel("TaylorSwiftVEVO", &[], "Taylor Swift", &[]),
            Relation::Same
        );
    }

    #[test]
    fn the_quick_key_equals_the_full_sets_key() {
        for (display, feats) in [
            ("Drake, Wizkid & Kyla", vec![]),
            ("Tyler, the Creator", vec!["A$AP Rocky & Kali Uchis"]),
            ("스텔라(Stellar) (Stellar)", vec![]),
            ("Lost Identities - Topic", vec!["Robbie Rosen"]),
            ("  ", vec!["Ke$ha"]),
            ("Björk  Sigur Rós", vec!["The The"]),
            ("宇多田ヒカル", vec!["Hikaru Utada"]),
        ] {
            let feats: Vec<String> = feats.into_iter().map(str::to_owned).collect();
            assert_eq!(
                Artists::key_for(display, &feats),
                Artists::new(display, &feats).key(),
                "{display}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_key_always_equals_the_full_sets_key(display in "[a-zA-Zé&,() ]{0,24}", feat in "[a-zA-Zö&, ]{0,12}") {
            let feats = vec![feat];
            proptest::prop_assert_eq!(Artists::key_for(&display, &feats), Artists::new(&display, &feats).key());
        }
    }

    #[test]
    fn identity_key_ignores_order_and_placement() {
        let a = Artists::new("Drake, Wizkid & Kyla", &[]);
        let b = Artists::new("Drake", &["Kyla & Wizkid".to_owned()]);
        assert_eq!(a.key(), b.key());
    }
}
