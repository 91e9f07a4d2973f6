//! Title qualifiers: the bracketed and ` - suffix` parts services add to a
//! title, sorted into the ones that name the same recording and the ones that
//! name another.
//!
//! Neutral qualifiers (`2011 Remaster`, `[Explicit]`, `Album Version`,
//! `From "Top Gun" Original Soundtrack`, `(Official Video)`) are dropped.
//! Version qualifiers (`Live`, `Remix`, `Radio Edit`, `Acoustic`, `Pt. 2`,
//! `Taylor's Version`, `sped up` …) are kept as [`Version`]s, because a
//! recording with one is a different recording from one without. Featured
//! artists (`feat. X`, `(with X)`) are lifted out for the artist comparison.
//! Anything else in brackets is kept as "unknown" text: probably a subtitle,
//! not proof of either.
//!
//! A qualifier is classified as a whole, so words inside a real title or a
//! film name ("To Live and Die in L.A.") never count: only the text in
//! brackets or after ` - ` is read, and a soundtrack note is recognised before
//! its words are looked at.

use std::borrow::Cow;

use crate::normalize::{Script, compact, fold, script, script_halves};
use crate::romanize::{self, Family, Piece};

/// What kind of different recording a version qualifier names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Live,
    Remix,
    Edit,
    Extended,
    Acoustic,
    Instrumental,
    Acapella,
    Demo,
    Reprise,
    Interlude,
    Speed,
    Loop,
    Rerecording,
    Part,
    Cover,
    Mono,
    Stereo,
    Other,
}

impl Kind {
    /// Short human name, as used in reasons ("live version vs studio").
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Live => "live version",
            Kind::Remix => "remix",
            Kind::Edit => "edit",
            Kind::Extended => "extended version",
            Kind::Acoustic => "acoustic version",
            Kind::Instrumental => "instrumental",
            Kind::Acapella => "a cappella",
            Kind::Demo => "demo",
            Kind::Reprise => "reprise",
            Kind::Interlude => "intro/interlude",
            Kind::Speed => "sped-up/slowed upload",
            Kind::Loop => "loop upload",
            Kind::Rerecording => "re-recording",
            Kind::Part => "another part",
            Kind::Cover => "cover",
            Kind::Mono => "mono mix",
            Kind::Stereo => "stereo mix",
            Kind::Other => "other version",
        }
    }

    /// Whether two qualifiers of this kind with different details (`Remix`
    /// vs `Moby Remix`) are likely different recordings. Edits and extended
    /// versions are usually one cut per song; remixes and live takes are not.
    pub(crate) fn details_matter(self) -> bool {
        matches!(
            self,
            Kind::Live | Kind::Remix | Kind::Cover | Kind::Part | Kind::Other | Kind::Rerecording
        )
    }
}

/// One version qualifier: its kind and the remaining words (`Memtrix` in
/// `Memtrix Remix`), compacted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Version {
    pub(crate) kind: Kind,
    pub(crate) detail: String,
}

/// How one qualifier was read.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Qualifier {
    /// Featured artists, as written (`Drake & Kanye West`).
    Feat(String),
    /// One or more version markers.
    Versions(Vec<Version>),
    /// Says nothing about the recording (its text, compacted).
    Neutral(String),
    /// The title again in another script (`사뿐사뿐 (Like a Cat)`), compacted.
    Alternate(String),
    /// Anything else, compacted.
    Unknown(String),
}

/// A title taken apart for comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Title {
    /// The title without qualifiers, folded and compacted.
    pub(crate) core: String,
    /// The folded core: words separated by single spaces.
    pub(crate) folded: String,
    /// The core plus unknown qualifiers, compacted: `Once I Had A Love (aka
    /// The Disco Song)` and `Once I Had A Love aka The Disco Song` agree
    /// here. Empty when there are no unknown qualifiers (see [`Title::full`]).
    full: String,
    /// Other renderings of the core (the Latin and non-Latin halves of a
    /// bilingual title), compacted.
    pub(crate) alternates: Vec<String>,
    /// Version qualifiers, sorted.
    pub(crate) versions: Vec<Version>,
    /// Featured-artist texts found in the title.
    pub(crate) feats: Vec<String>,
    /// Unclassified qualifiers, compacted, in title order.
    pub(crate) unknown: Vec<String>,
    /// Whether the core is written (partly) outside the Latin script.
    pub(crate) other_script: bool,
    /// Whether the core mixes the Latin and another script, so its
    /// `alternates` hold its two halves.
    pub(crate) bilingual: bool,
    /// Neutral notes dropped (`Remastered`, `[Explicit]` …), kept as text
    /// only to prefer the closest rendering among equals.
    pub(crate) neutral: Vec<String>,
    /// For a core written outside the Latin script (wholly, or with kana):
    /// how to compare it with a Latin spelling. Boxed, so the Latin titles
    /// that make up most lists stay small.
    pub(crate) romanised: Option<Box<Romanised>>,
    /// A censored core compacted with its stars kept (`F**k You` →
    /// `f**kyou`).
    pub(crate) censored: Option<Box<str>>,
    /// A classical title's catalogue numbers, movement and words: set by
    /// `score::Prepared` for a track's own title (not for the diff's keys).
    pub(crate) work: Option<Box<crate::classical::Work>>,
}

/// A non-Latin core's forms for comparison with Latin spellings.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Romanised {
    /// The romanisation conventions that apply.
    pub(crate) family: Family,
    /// The core romanised, in [`romanize::loose`] form.
    pub(crate) loose: String,
    /// Kana with kanji gaps, for a Japanese core mixing both.
    pub(crate) kanji: Option<Vec<Piece>>,
    /// The core as written, when it has kanji that `readings` can read
    /// (`紅蓮華`), to compare through their readings.
    pub(crate) han: Option<Box<str>>,
    /// The romanised core of a title written mostly in katakana or Hangul,
    /// to read as a loanword (`loanword::fits`).
    pub(crate) loanword: Option<(String, crate::loanword::Script)>,
}

/// The romanised form of a core written mostly in katakana or Hangul,
/// upload words around it (`アイドル Official Music Video`) left out.
fn loanword_romaji(
    core_raw: &str,
    family: romanize::Family,
) -> Option<(String, crate::loanword::Script)> {
    use crate::loanword::{Script, hangul_romaji};
    let text = without_upload_words(core_raw);
    match family {
        romanize::Family::Korean => hangul_romaji(&text).map(|r| (r, Script::Hangul)),
        _ if romanize::mostly_katakana(&text) => Some((compact(&fold(&text)), Script::Katakana)),
        _ => None,
    }
}

/// `text` without upload words (`Official`, `MUSiC`, `CLiP` …) and the
/// punctuation around them.
fn without_upload_words(text: &str) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !is_upload_word(w))
        .collect();
    words.join(" ")
}

/// Whether `text` has an upload word: a quick scan of its ASCII letter
/// runs, since the diff parses every title.
fn has_upload_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_alphabetic() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
            end += 1;
        }
        let run = &bytes[start..end];
        if romanize::UPLOAD_FLUFF
            .iter()
            .any(|f| f.len() == run.len() && run.eq_ignore_ascii_case(f.as_bytes()))
        {
            return true;
        }
        start = end;
    }
    false
}

fn is_upload_word(word: &str) -> bool {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    romanize::UPLOAD_FLUFF
        .iter()
        .any(|f| bare.eq_ignore_ascii_case(f))
}

/// Parses a title into its core and qualifiers.
pub(crate) fn parse_title(raw: &str) -> Title {
    let cleaned = clean_raw(raw);
    let segments = dash_segments(&cleaned);
    let mut title = Title::default();
    let Some((first, rest)) = segments.split_first() else {
        return title;
    };

    let (outside, groups) = brackets(first);
    let (mut core_raw, feat_raw) = split_unbracketed_feat(&outside);
    if let Some(feat) = feat_raw {
        title.feats.push(feat.to_owned());
    }
    let mut qualifiers: Vec<String> = groups;
    // `紅蓮華 / THE FIRST TAKE`: a slash part that is only a version or a
    // neutral note is a qualifier, not half of a bilingual title.
    if core_raw.contains('/')
        && let Some((head, tail)) = core_raw.rsplit_once(" / ")
        && !head.trim().is_empty()
        && matches!(
            classify(tail, script(head)),
            Qualifier::Versions(_) | Qualifier::Neutral(_)
        )
    {
        qualifiers.push(tail.to_owned());
        core_raw = head.trim();
    }
    let core_script = script(core_raw);
    for segment in rest {
        let (out, inner) = brackets(segment);
        if !out.trim().is_empty() {
            qualifiers.push(out.into_owned());
        }
        qualifiers.extend(inner);
    }

    let mut folded = fold(core_raw);
    strip_trailing_fluff(&mut folded);
    if folded.is_empty() {
        // Nothing but qualifiers (`(Untitled)`): compare the whole title.
        folded = fold(&cleaned);
        qualifiers.clear();
        title.feats.clear();
    }
    // `Girls, Pt. 2` and `Girls (Part 2)`: a part number ending the title
    // is read as the part qualifier it is.
    if let Some(number) = trailing_part_number(&folded) {
        title.versions.push(Version {
            kind: Kind::Part,
            detail: number.to_owned(),
        });
        let keep = folded.len() - " part ".len() - number.len();
        folded.truncate(keep);
    }
    title.core = compact(&folded);
    title.folded = folded;
    title.censored = censored_mask(core_raw);
    title.other_script = core_script != Script::Latin;
    // Only a core wholly outside the Latin script (upload words such as
    // `MUSiC CLiP` aside), or one with kana, is worth romanising: the halves
    // of a bilingual title (`Love 사랑`) are compared as alternates instead.
    let other_but_upload_words = core_script == Script::Mixed
        && has_upload_word(core_raw)
        && script(&without_upload_words(core_raw)) == Script::Other;
    if core_script == Script::Other
        || other_but_upload_words
        || core_script == Script::Mixed && core_raw.contains(romanize::is_kana)
    {
        title.romanised = romanize::family(core_raw).map(|family| {
            Box::new(Romanised {
                family,
                loose: romanize::loose(&title.folded, family),
                kanji: romanize::kanji_pattern(core_raw),
                han: (family != romanize::Family::Korean
                    && crate::readings::has_readable_kanji(core_raw))
                .then(|| core_raw.into()),
                loanword: loanword_romaji(core_raw, family),
            })
        });
    }
    if let Some((latin, other)) = script_halves(core_raw) {
        title.bilingual = true;
        for half in [latin, other] {
            let c = compact(&fold(&half));
            if !c.is_empty() && c != title.core {
                title.alternates.push(c);
            }
        }
    }

    for q in qualifiers {
        for piece in q.split(" / ") {
            match classify(piece, core_script) {
                Qualifier::Feat(names) => title.feats.push(names),
                Qualifier::Versions(v) => title.versions.extend(v),
                Qualifier::Neutral(text) => title.neutral.push(text),
                Qualifier::Alternate(alt) => title.alternates.push(alt),
                Qualifier::Unknown(u) => title.unknown.push(u),
            }
        }
    }
    title.versions.sort();
    title.versions.dedup();
    title.neutral.sort();
    if !title.unknown.is_empty() {
        title.full = std::iter::once(title.core.as_str())
            .chain(title.unknown.iter().map(String::as_str))
            .collect();
    }
    title
}

/// `F**k You` → `f**kyou`: the core compacted with its stars kept; `None`
/// without a run of asterisks inside a word, or with fewer than two groups
/// of letters around them.
fn censored_mask(core_raw: &str) -> Option<Box<str>> {
    if !core_raw.contains('*') {
        return None;
    }
    let inside_word = core_raw.as_bytes().windows(2).any(|w| {
        w[0] == b'*' && w[1].is_ascii_alphabetic() || w[1] == b'*' && w[0].is_ascii_alphabetic()
    });
    if !inside_word {
        return None;
    }
    // Words without stars fold as usual; the letters of a starred word are
    // only lowered (a lone `N` in `N****s` is a letter, not `and`).
    let mut mask = String::new();
    let mut letters = 0;
    for word in core_raw.split_whitespace() {
        if !word.contains('*') {
            let c = compact(&fold(word));
            letters += usize::from(!c.is_empty());
            mask.push_str(&c);
            continue;
        }
        for (i, piece) in word.split('*').enumerate() {
            if i > 0 {
                mask.push('*');
            }
            let c: String = crate::normalize::to_ascii_lower(piece)
                .chars()
                .map(|c| if c == '$' { 's' } else { c })
                .filter(char::is_ascii_alphanumeric)
                .collect();
            letters += usize::from(!c.is_empty());
            mask.push_str(&c);
        }
    }
    (letters >= 2).then(|| mask.into_boxed_str())
}

/// Whether two censored masks can hide one title: as long as each other,
/// every letter shown on both sides the same (`ni**asinparis` /
/// `n****sinparis`). Stores hide one letter per star, so the lengths must
/// agree.
pub(crate) fn censored_agree(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == y || x == '*' || y == '*')
}

/// Whether a compacted title fits a censored mask: the letters around its
/// star runs in order, each run one to four letters.
pub(crate) fn fits_censored(mask: &str, core: &str) -> bool {
    fn fits(pieces: &[&str], rest: &str, first: bool) -> bool {
        let Some((piece, tail)) = pieces.split_first() else {
            return rest.is_empty();
        };
        if first {
            return rest.starts_with(piece) && fits(tail, &rest[piece.len()..], false);
        }
        (1..=4.min(rest.len())).any(|gap| {
            rest.is_char_boundary(gap)
                && rest[gap..].starts_with(piece)
                && fits(tail, &rest[gap + piece.len()..], false)
        })
    }
    let pieces: Vec<&str> = mask.split('*').filter(|p| !p.is_empty()).collect();
    fits(&pieces, core, true)
}

/// The number in a folded title ending `… part N` (with something before).
fn trailing_part_number(folded: &str) -> Option<&str> {
    let (head, number) = folded.rsplit_once(' ')?;
    let head = head.strip_suffix(" part")?;
    (!head.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(number)
}

impl Title {
    /// The core plus unknown qualifiers, compacted.
    pub(crate) fn full(&self) -> &str {
        if self.unknown.is_empty() {
            &self.core
        } else {
            &self.full
        }
    }

    /// The folded words of the core.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.folded.split(' ').filter(|w| !w.is_empty())
    }
}

/// Underscores as separators (`MV_Artist_Title`) and pipe-separated upload
/// fluff (`Title | Future Bass | NCS`) are YouTube conventions.
fn clean_raw(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['|', '_']) {
        return Cow::Borrowed(raw.trim());
    }
    let mut text = raw.trim().to_owned();
    if let Some((head, _)) = text.split_once('|')
        && !head.trim().is_empty()
    {
        text = head.trim().to_owned();
    }
    if text.contains('_') {
        text = text.replace('_', " - ");
    }
    Cow::Owned(text)
}

/// Splits at ` - ` (any dash, whitespace on both sides).
pub(crate) fn dash_segments(text: &str) -> Vec<&str> {
    let is_dash = |c: char| matches!(c, '-' | '–' | '—' | '−');
    let mut segments = Vec::new();
    let mut start = 0;
    let mut previous_space = false;
    let mut chars = text.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        if is_dash(c) && previous_space {
            let mut end = pos + c.len_utf8();
            while let Some(&(p, d)) = chars.peek() {
                if !is_dash(d) {
                    break;
                }
                end = p + d.len_utf8();
                chars.next();
            }
            if chars.peek().is_none_or(|(_, n)| n.is_whitespace()) {
                segments.push(&text[start..pos]);
                start = end;
            }
            previous_space = false;
            continue;
        }
        previous_space = c.is_whitespace();
    }
    segments.push(&text[start..]);
    segments.retain(|s| !s.trim().is_empty());
    segments.iter_mut().for_each(|s| *s = s.trim());
    segments
}

/// Separates bracketed groups from the text around them. A bracket that opens
/// the text (`(Keep Feeling) Fascination`) is part of the title.
pub(crate) fn brackets(text: &str) -> (Cow<'_, str>, Vec<String>) {
    let text = text.trim();
    if !text.contains(['(', '[', '{', '（', '【', '［']) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut outside = String::new();
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut leading = false;
    for (i, c) in text.char_indices() {
        let opens = matches!(c, '(' | '[' | '{' | '（' | '【' | '［');
        let closes = matches!(c, ')' | ']' | '}' | '）' | '】' | '］');
        if opens {
            if depth == 0 {
                leading = i == 0;
                current.clear();
            } else {
                current.push(c);
            }
            depth += 1;
        } else if closes && depth > 0 {
            depth -= 1;
            if depth == 0 {
                let rest_has_text = text[i + c.len_utf8()..].chars().any(char::is_alphanumeric);
                if leading && rest_has_text {
                    outside.push_str(&current);
                    outside.push(' ');
                } else if !current.trim().is_empty() {
                    groups.push(current.trim().to_owned());
                }
                leading = false;
            } else {
                current.push(c);
            }
        } else if depth > 0 {
            current.push(c);
        } else {
            outside.push(c);
        }
    }
    if depth > 0 && !current.trim().is_empty() {
        groups.push(current.trim().to_owned());
    }
    (Cow::Owned(outside.trim().to_owned()), groups)
}

/// `Jailbreak the Tesla featuring Aminé`, `Title ft. X`: a featured-artist
/// marker outside brackets ends the title. `ft` right after a number is a
/// length (`6 ft Deep`), not a credit.
fn split_unbracketed_feat(text: &str) -> (&str, Option<&str>) {
    let mut previous: Option<&str> = None;
    for word in text.split_whitespace() {
        let is = |m: &str| word.eq_ignore_ascii_case(m);
        let marker = is("feat.")
            || is("feat")
            || is("featuring")
            || is("ft.")
            || (is("ft") && !previous.is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())));
        if marker && previous.is_some() {
            let offset = word.as_ptr() as usize - text.as_ptr() as usize;
            let names = text[offset + word.len()..].trim();
            if !names.is_empty() {
                return (text[..offset].trim(), Some(names));
            }
        }
        previous = Some(word);
    }
    (text, None)
}

/// Upload fluff written without brackets at the end of a title
/// (`Anti-D Official Video`, `I.O.U Official MV`).
fn strip_trailing_fluff(folded: &mut String) {
    const TAILS: [&str; 11] = [
        " official music video",
        " official lyric video",
        " official video",
        " official audio",
        " official mv",
        " official m v",
        " music video",
        " music clip",
        " lyric video",
        " m v",
        " mv",
    ];
    while let Some(tail) = TAILS.iter().find(|t| folded.ends_with(*t)) {
        folded.truncate(folded.len() - tail.len());
    }
}

enum Keyword {
    Version(Kind),
    Neutral,
}

/// The keyword starting at `words[i]`, with how many words it spans.
fn keyword_at(words: &[&str], i: usize) -> Option<(Keyword, usize)> {
    use Keyword::{Neutral, Version as V};
    let w = words[i];
    let next = words.get(i + 1).copied().unwrap_or("");
    let third = words.get(i + 2).copied().unwrap_or("");
    let three = match (w, next, third) {
        ("not", "the", "video") => Some(Neutral),
        ("in", "the", "style") => Some(V(Kind::Cover)),
        _ => None,
    };
    if let Some(k) = three {
        return Some((k, 3));
    }
    let two = match (w, next) {
        ("extended", "mix" | "version" | "edit" | "remix") => Some(V(Kind::Extended)),
        ("long", "version") | ("12", "inch") => Some(V(Kind::Extended)),
        // A single version is usually the single edit: another cut.
        ("single", "version" | "mix") => Some(V(Kind::Edit)),
        // An album mix is another mix; an album version (spelled out, the
        // Western store convention) is the album track itself.
        ("album" | "lp", "mix") => Some(V(Kind::Remix)),
        ("original" | "album" | "lp" | "main" | "full", "mix" | "version") => Some(Neutral),
        // THE FIRST TAKE: a one-take performance filmed for YouTube.
        ("first", "take") => Some(V(Kind::Live)),
        ("explicit" | "clean" | "dirty" | "remastered" | "stereo" | "digital", "version") => {
            Some(if w == "stereo" {
                V(Kind::Stereo)
            } else {
                Neutral
            })
        }
        ("radio" | "single" | "club" | "short", "edit") => Some(V(Kind::Edit)),
        ("radio", "mix" | "version") => Some(V(Kind::Edit)),
        ("club", "mix") => Some(V(Kind::Remix)),
        ("re", "work" | "mix" | "edit" | "worked") => Some(V(Kind::Remix)),
        ("a", "cappella" | "capella") => Some(V(Kind::Acapella)),
        ("sped" | "speed", "up") | ("bass", "boosted" | "boost") => Some(V(Kind::Speed)),
        ("1" | "one" | "10" | "2" | "3", "hour" | "hours") => Some(V(Kind::Loop)),
        ("taylors", "version") => Some(V(Kind::Rerecording)),
        ("re", "recorded" | "recording" | "record") => Some(V(Kind::Rerecording)),
        ("early" | "alternate" | "alt", "version" | "take" | "mix") | ("work", "tape") => {
            Some(V(Kind::Demo))
        }
        ("off", "vocal") | ("backing", "track") => Some(V(Kind::Instrumental)),
        ("vocals", "only") => Some(V(Kind::Acapella)),
        ("piano" | "orchestral" | "symphonic" | "strings", "version") => Some(V(Kind::Acoustic)),
        ("tv", "size") => Some(V(Kind::Edit)),
        ("full", "album") | ("video", "version" | "mix") => Some(V(Kind::Other)),
        ("take", n) if n.bytes().all(|b| b.is_ascii_digit()) => Some(V(Kind::Demo)),
        ("home", "recording" | "demo") => Some(V(Kind::Demo)),
        ("new", "recording" | "version") => Some(V(Kind::Rerecording)),
        ("spotify", "singles" | "sessions") => Some(V(Kind::Live)),
        (
            "deluxe" | "special" | "expanded" | "anniversary" | "limited" | "collectors" | "legacy"
            | "standard" | "remastered" | "bonus",
            "edition",
        ) => Some(Neutral),
        ("en", "espanol") => Some(V(Kind::Other)),
        _ => None,
    };
    if let Some(k) = two {
        return Some((k, 2));
    }
    let one = match w {
        "live" | "concert" | "session" | "sessions" | "vivo" | "directo" | "show" => V(Kind::Live),
        "acoustic" | "unplugged" | "stripped" | "acustico" | "acustica" => V(Kind::Acoustic),
        "remix" | "remixed" | "remixes" | "rmx" | "rework" | "reworked" | "refix" | "bootleg"
        | "vip" | "flip" | "dub" | "mix" | "mixed" | "mashup" | "rerub" | "reimagined" => {
            V(Kind::Remix)
        }
        "edit" => V(Kind::Edit),
        "extended" => V(Kind::Extended),
        "instrumental" | "instrumentals" | "inst" | "karaoke" => V(Kind::Instrumental),
        "acapella" | "acappella" => V(Kind::Acapella),
        "demo" | "demos" | "outtake" | "rehearsal" | "unreleased" => V(Kind::Demo),
        "teaser" | "trailer" | "snippet" | "preview" => V(Kind::Other),
        "reprise" => V(Kind::Reprise),
        "interlude" | "intro" | "outro" | "skit" | "prelude" => V(Kind::Interlude),
        "nightcore" | "daycore" | "slowed" | "reverb" | "8d" | "chopped" => V(Kind::Speed),
        "1h" | "loop" | "looped" | "hour" | "hours" => V(Kind::Loop),
        "rerecorded" | "rerecording" => V(Kind::Rerecording),
        "part" => V(Kind::Part),
        "cover" | "covers" | "tribute" | "remake" => V(Kind::Cover),
        "orchestral" | "symphonic" | "piano" | "dubstep" | "spanish" | "english" | "japanese"
        | "korean" | "chinese" | "french" | "german" | "italian" | "portuguese" | "duet" => {
            V(Kind::Other)
        }
        "mono" => V(Kind::Mono),
        "stereo" => V(Kind::Stereo),
        "remaster" | "remastered" | "remasterd" | "remastering" | "mastered" | "explicit"
        | "clean" | "dirty" | "censored" | "uncensored" | "edited" | "deluxe" | "bonus"
        | "official" | "video" | "audio" | "lyric" | "lyrics" | "visualizer" | "visualiser"
        | "mv" | "hd" | "hq" | "4k" | "prod" | "produced" | "release" | "digital" | "single"
        | "album" | "lp" | "anniversary" | "expanded" | "from" | "soundtrack" | "ost"
        | "original" | "score" | "feat" | "featuring" | "ft" => Neutral,
        _ => return None,
    };
    Some((one, 1))
}

/// Classifies one qualifier. `core_script` is the script of the title it
/// belongs to, so a bracket in another script reads as a translation.
pub(crate) fn classify(raw: &str, core_script: Script) -> Qualifier {
    let folded = fold(raw);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let Some(&first) = words.first() else {
        return Qualifier::Neutral(String::new());
    };

    if matches!(first, "feat" | "ft" | "featuring" | "with" | "w") && words.len() > 1 {
        return Qualifier::Feat(feat_names(raw));
    }
    // `(Album Ver.)`: the abbreviation is the J-pop/K-pop convention for a
    // mix that differs from the single, so it is never neutral.
    if abbreviates_version(raw)
        && let Some(i) = words.iter().position(|w| matches!(*w, "album" | "lp"))
        && words.get(i + 1) == Some(&"version")
    {
        return Qualifier::Versions(vec![Version {
            kind: Kind::Other,
            detail: "album".to_owned(),
        }]);
    }
    // `From THE FIRST TAKE` names a performance, not a film.
    if words.windows(2).any(|p| p == ["first", "take"]) {
        return Qualifier::Versions(vec![Version {
            kind: Kind::Live,
            detail: "firsttake".to_owned(),
        }]);
    }
    // A soundtrack note names a film, whose words ("Live", "Die") say
    // nothing about this recording.
    let is_soundtrack = first == "from"
        || words.iter().any(|w| matches!(*w, "soundtrack" | "ost"))
        || words.windows(2).any(|p| p == ["motion", "picture"]);
    if is_soundtrack {
        return Qualifier::Neutral(compact(&folded));
    }

    let mut kinds: Vec<Kind> = Vec::new();
    let mut neutral = false;
    let mut generic_version = false;
    let mut detail: Vec<&str> = Vec::new();
    let mut part_number = String::new();
    let mut i = 0;
    while i < words.len() {
        match keyword_at(&words, i) {
            Some((Keyword::Version(kind), span)) => {
                if kind == Kind::Part
                    && let Some(n) = words.get(i + 1)
                {
                    part_number = (*n).to_owned();
                    i += 1;
                }
                kinds.push(kind);
                i += span;
            }
            Some((Keyword::Neutral, span)) => {
                neutral = true;
                i += span;
            }
            None => {
                match words[i] {
                    "version" | "versions" => generic_version = true,
                    "the" | "a" | "an" | "and" | "by" | "with" => {}
                    w => detail.push(w),
                }
                i += 1;
            }
        }
    }

    // `Version` with nothing neutral, or a bare year (`- 1979`, a
    // re-recording or a dated performance), is another version.
    let bare_year = words.len() == 1 && is_year(words[0]);
    if kinds.is_empty() && ((generic_version && !neutral) || bare_year) {
        kinds.push(Kind::Other);
    }
    if !kinds.is_empty() {
        kinds.sort();
        kinds.dedup();
        let detail = detail.concat();
        return Qualifier::Versions(
            kinds
                .into_iter()
                .map(|kind| Version {
                    kind,
                    detail: if kind == Kind::Part {
                        part_number.clone()
                    } else {
                        detail.clone()
                    },
                })
                .collect(),
        );
    }
    if neutral {
        return Qualifier::Neutral(compact(&folded));
    }
    // `(Coronation Anthem No.1 HWV 258)`: the work's catalogue number names
    // the piece, not another recording of it (unless it is an arrangement).
    let catalogue = words.windows(2).any(|w| {
        matches!(
            w[0],
            "op" | "opus" | "bwv" | "hwv" | "kv" | "rv" | "hob" | "woo" | "wwv" | "sz"
        ) && w[1].starts_with(|c: char| c.is_ascii_digit())
    });
    let arranged = words
        .iter()
        .any(|w| w.starts_with("arr") || w.starts_with("transcr"));
    if catalogue && !arranged {
        return Qualifier::Neutral(compact(&folded));
    }
    let text = compact(&folded);
    let qualifier_script = script(raw);
    // A Latin bracket after a title that mixes scripts (`OOH-AHH하게 (Like
    // OOH-AHH)`) is its translation too.
    let is_translation = qualifier_script != Script::Mixed
        && qualifier_script != core_script
        && (core_script != Script::Mixed || qualifier_script == Script::Latin);
    if is_translation {
        Qualifier::Alternate(text)
    } else {
        Qualifier::Unknown(text)
    }
}

/// Whether `ver`/`ver.` (not `version`) is written in a qualifier.
fn abbreviates_version(raw: &str) -> bool {
    raw.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("ver"))
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && (word.starts_with("19") || word.starts_with("20"))
        && word.bytes().all(|b| b.is_ascii_digit())
}

/// The names after a `feat.`/`with` marker, without trailing notes such as
/// `Album Version` that some services append inside the same suffix.
fn feat_names(raw: &str) -> String {
    let trimmed = raw.trim();
    let after = trimmed
        .split_once(char::is_whitespace)
        .map_or("", |(_, rest)| rest)
        .trim();
    let lower = after.to_ascii_lowercase();
    let mut end = after.len();
    for tail in [
        " album version",
        " single version",
        " version",
        " explicit",
        " remastered",
    ] {
        if lower.ends_with(tail) {
            end = end.min(after.len() - tail.len());
        }
    }
    after[..end].trim().to_owned()
}

/// Whether a folded word is any qualifier keyword (version or neutral).
pub(crate) fn is_keyword(word: &str) -> bool {
    keyword_at(&[word], 0).is_some()
}

/// Whether a folded word is a version keyword on its own, for explaining
/// why `Drunk In Love Remix` differs from `Drunk In Love`.
pub(crate) fn version_word(word: &str) -> Option<Kind> {
    match keyword_at(&[word], 0) {
        Some((Keyword::Version(kind), _)) => Some(kind),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(title: &str) -> Vec<Kind> {
        parse_title(title).versions.iter().map(|v| v.kind).collect()
    }

    #[test]
    fn remaster_notes_are_neutral_in_every_spelling() {
        for t in [
            "Drive - 2017 Remaster",
            "Drive (2009 Remaster)",
            "Drive (Remastered)",
            "Drive - Remastered 2009",
            "Drive [2005 Remaster]",
            "Drive - 2001 Remastered Version",
            "Drive (Remastered 2024)",
        ] {
            let parsed = parse_title(t);
            assert_eq!(parsed.core, "drive", "{t}");
            assert!(
                parsed.versions.is_empty() && parsed.unknown.is_empty(),
                "{t}"
            );
        }
    }

    #[test]
    fn explicit_album_version_and_upload_notes_are_neutral() {
        for t in [
            "Walk On Water [Explicit]",
            "Low - Album Version",
            "Low (Original Mix)",
            "Blister In The Sun (Lyric Video)",
            "Work Work [OFFICIAL VIDEO]",
            "Are You Okay? [OFFICIAL SHORT FILM VIDEO]",
            "The Lottery (not the video)",
            "Anti-D Official Video",
            "Nikt (Prod. Drumma Battalion)",
            "Missed You - Bonus Track",
            "Song [NCS Release]",
        ] {
            let parsed = parse_title(t);
            assert!(parsed.versions.is_empty(), "{t}: {:?}", parsed.versions);
            assert!(parsed.unknown.is_empty(), "{t}: {:?}", parsed.unknown);
        }
    }

    #[test]
    fn soundtrack_notes_are_neutral_even_with_version_words_inside() {
        let parsed =
            parse_title("To Live and Die in L.A. - From \"To Live and Die in L.A.\" Soundtrack");
        assert_eq!(parsed.core, "toliveanddieinla");
        assert!(parsed.versions.is_empty());
        let parsed = parse_title("Danger Zone - From \"Top Gun\" Original Soundtrack");
        assert_eq!(parsed.core, "dangerzone");
        assert!(parsed.versions.is_empty());
        // words of a real title are never qualifiers
        assert!(parse_title("Live and Let Die").versions.is_empty());
    }

    #[test]
    fn version_qualifiers_are_recognised() {
        assert_eq!(kinds("Wicked Games - Live"), [Kind::Live]);
        assert_eq!(
            kinds("Happiness (Live from Madison Square Garden, New York)"),
            [Kind::Live]
        );
        assert_eq!(kinds("Burning (Live…Again)"), [Kind::Live]);
        assert_eq!(kinds("Honey - Medasin Remix"), [Kind::Remix]);
        assert_eq!(
            kinds("Clint Eastwood - Ed Case / Sweetie Irie Refix"),
            [Kind::Remix]
        );
        assert_eq!(kinds("About Work The Dancefloor - Edit"), [Kind::Edit]);
        assert_eq!(kinds("Save A Kiss (Single Edit)"), [Kind::Edit]);
        assert_eq!(
            kinds("Somebody's Watching Me - Single Version"),
            [Kind::Edit]
        );
        assert_eq!(kinds("Maria - Extended"), [Kind::Extended]);
        assert_eq!(kinds("Unstoppable - Extended Mix"), [Kind::Extended]);
        assert_eq!(kinds("Rollin - Acoustic"), [Kind::Acoustic]);
        assert_eq!(kinds("MOYA (inst)"), [Kind::Instrumental]);
        assert_eq!(kinds("JOKER (Inst.)"), [Kind::Instrumental]);
        assert_eq!(kinds("Call Out My Name - A Cappella"), [Kind::Acapella]);
        assert_eq!(kinds("Boy (Demo)"), [Kind::Demo]);
        assert_eq!(kinds("Liability (Reprise)"), [Kind::Reprise]);
        assert_eq!(kinds("Remind Me (Intro)"), [Kind::Interlude]);
        assert_eq!(kinds("death bed [slowed + reverb]"), [Kind::Speed]);
        assert_eq!(kinds("Enchanted (Taylor's Version)"), [Kind::Rerecording]);
        assert_eq!(kinds("Like a Cat (Japanese Version)"), [Kind::Other]);
        assert_eq!(kinds("Fade Into You (a Mazzy Star cover)"), [Kind::Cover]);
        assert_eq!(kinds("Nobody Else [Monstercat Remake]"), [Kind::Cover]);
        assert_eq!(
            kinds("Supernature (Instrumental CLIMAX edit)"),
            [Kind::Edit, Kind::Instrumental]
        );
        // `edition` is not `edit`
        assert!(kinds("Song (Deluxe Edition)").is_empty());
        assert_eq!(kinds("Song (Movie Edition)"), Vec::<Kind>::new());
        assert_eq!(
            parse_title("Song (Movie Edition)").unknown,
            ["movieedition"]
        );
        assert_eq!(kinds("Song (Take 2)"), [Kind::Demo]);
        assert_eq!(kinds("Song (A COLORS SHOW)"), [Kind::Live]);
        assert_eq!(kinds("Song (Teaser)"), [Kind::Other]);
    }

    #[test]
    fn parts_keep_their_number() {
        let one = parse_title("Things That Are Bad for Me (Part I)");
        let two = parse_title("Things That Are Bad for Me (Part II)");
        assert_eq!(one.versions[0].kind, Kind::Part);
        assert_ne!(one.versions, two.versions);
        assert_eq!(
            parse_title("Song (Pt. 2)").versions,
            parse_title("Song - Part II").versions
        );
    }

    #[test]
    fn version_details_agree_across_suffix_styles() {
        assert_eq!(
            parse_title("Midnight River - Memtrix Remix").versions,
            parse_title("Midnight River (Memtrix remix)").versions
        );
        assert_ne!(
            parse_title("OMG - Alphalove Remix").versions,
            parse_title("OMG - Anki Remix").versions
        );
        // a combined suffix splits on " / "
        let p = parse_title("(Keep Feeling) Fascination - Extended Version / 2012 Remaster");
        assert_eq!(p.core, "keepfeelingfascination");
        assert_eq!(
            p.versions.iter().map(|v| v.kind).collect::<Vec<_>>(),
            [Kind::Extended]
        );
    }

    #[test]
    fn featured_artists_are_lifted_out_in_every_style() {
        for (t, feat) in [
            ("Right Round (feat. Ke$ha)", "Ke$ha"),
            ("Right Round - Feat. Ke$ha", "Ke$ha"),
            ("Where's the Catch? [feat. André 3000]", "André 3000"),
            ("The Girl Is Mine (with Paul McCartney)", "Paul McCartney"),
            ("Jailbreak the Tesla featuring Aminé", "Aminé"),
            ("death bed (Official Video) ft. beabadoobee", "beabadoobee"),
            ("Low (feat T-Pain) - Feat T-Pain Album Version", "T-Pain"),
        ] {
            let parsed = parse_title(t);
            assert_eq!(parsed.feats.first().map(String::as_str), Some(feat), "{t}");
            assert!(
                parsed.versions.is_empty() && parsed.unknown.is_empty(),
                "{t}: {parsed:?}"
            );
        }
        // a length is not a credit
        assert!(
            parse_title("Six ft Deep").feats.is_empty()
                || parse_title("6 ft Deep").feats.is_empty()
        );
        assert!(parse_title("6 ft Deep").feats.is_empty());
    }

    #[test]
    fn bilingual_titles_offer_both_halves() {
        let p = parse_title("사뿐사뿐 (Like a Cat)");
        assert!(p.alternates.contains(&"likeacat".to_owned()));
        let p = parse_title("Egotistic(너나 해)");
        assert_eq!(p.core, "egotistic");
        let p = parse_title("7월 7일 One Of These Nights");
        assert!(p.alternates.contains(&"oneofthesenights".to_owned()));
        let p = parse_title("ビビデバ - BIBBIDIBA");
        assert!(p.alternates.contains(&"bibbidiba".to_owned()));
        assert!(p.other_script);
    }

    #[test]
    fn unknown_brackets_are_kept_and_leading_ones_belong_to_the_title() {
        let p = parse_title("Nasty (Who Dat)");
        assert_eq!(p.core, "nasty");
        assert_eq!(p.unknown, ["whodat"]);
        // a catalogue number names the work: neutral, not a subtitle
        let p = parse_title("Zadok the Priest (Coronation Anthem No.1 HWV 258)");
        assert_eq!(p.core, "zadokthepriest");
        assert!(p.unknown.is_empty());
        assert_eq!(p.neutral.len(), 1);
        let p = parse_title("(Keep Feeling) Fascination");
        assert_eq!(p.core, "keepfeelingfascination");
        assert!(p.unknown.is_empty());
    }

    #[test]
    fn youtube_conventions() {
        let p = parse_title("Lost Identities x Robbie Rosen - Moments | Future Bass | NCS");
        assert_eq!(dash_segments("a - b -  c"), ["a", "b", "c"]);
        assert_eq!(p.core, "lostidentitiesxrobbierosen");
        assert_eq!(dash_segments("Anti-D"), ["Anti-D"]);
        assert_eq!(
            dash_segments(&clean_raw("MV_Planet Shiver_Rainbow")),
            ["MV", "Planet Shiver", "Rainbow"]
        );
    }
}
