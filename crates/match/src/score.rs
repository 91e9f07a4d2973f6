//! Combines the rules into one score in 0..1 and a short human reason.
//!
//! A pair starts from what the names say: a different artist, a different
//! title or a different version ends it with a low score. Otherwise it starts
//! high and loses points for each doubt (featured artists on one side only,
//! an extra subtitle, a near-miss spelling, names in different scripts), then
//! the evidence moves it: agreeing durations add, far-apart durations veto,
//! equal ISRCs win unless the titles name different versions. `same` is
//! exactly `score >= CONFIDENT`, so ranking and the automatic pick agree.
//!
//! A track may be read several ways: as written, and (for uploads) as
//! `Artist - Title` or `Artist "Title" M/V` with the channel name ignored.
//! Every pair of readings is judged and the best one counts.

use musync_core::Track;
use std::collections::HashMap;

use crate::artists::{self, Artists, Relation, relation_romanising};
use crate::classical;
use crate::evidence::{self, Album, AlbumInfo, Duration, Evidence, Isrc};
use crate::qualifiers::{
    Kind, Qualifier, Title, Version, classify, dash_segments, is_keyword, parse_title, version_word,
};
use crate::romanize;
use crate::{CONFIDENT, Verdict};

/// Score of a pair whose names agree completely, before evidence.
const BASE: f32 = 0.92;

/// One way of reading a track's artist and title.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reading {
    pub(crate) artists: Artists,
    pub(crate) title: Title,
    /// Read from an upload title rather than the fields as given.
    derived: bool,
}

/// A track prepared for comparison: parsed once, compared many times.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Prepared {
    /// The plain reading first.
    pub(crate) readings: Vec<Reading>,
    pub(crate) album: AlbumInfo,
    duration_s: Option<u32>,
    isrc: Option<String>,
}

impl Prepared {
    pub(crate) fn new(track: &Track) -> Prepared {
        let display = display_artist(track);
        let display = display.as_ref();
        let mut title = parse_title(&track.title);
        title.work = crate::classical::parse(&track.title).map(Box::new);
        // An upload title `Artist - Title` parses as a title with an
        // unknown suffix (or a quoted part); anything else needs no second
        // reading.
        let maybe_upload = !title.unknown.is_empty()
            || !title.alternates.is_empty()
            || track
                .title
                .contains(['"', '“', '”', '「', '『', '«', '\'', '【'])
            || track.title.contains(" / ")
            || has_title_like_suffix(&track.title);
        let mut readings = vec![Reading {
            artists: Artists::new(display, &title.feats),
            title,
            derived: false,
        }];
        if maybe_upload {
            readings.extend(upload_readings(&track.title));
        }
        Prepared {
            readings,
            album: AlbumInfo::new(track.album.as_deref()),
            duration_s: track.duration_s,
            isrc: track
                .isrc
                .as_deref()
                .filter(|i| !i.is_empty())
                .map(str::to_owned),
        }
    }

    pub(crate) fn plain(&self) -> &Reading {
        &self.readings[0]
    }
}

/// The credit string to read: the display string, or the artist list
/// joined when a source only gave the list.
fn display_artist(track: &Track) -> std::borrow::Cow<'_, str> {
    if track.artist.trim().is_empty() {
        std::borrow::Cow::Owned(track.artists.join(", "))
    } else {
        std::borrow::Cow::Borrowed(&track.artist)
    }
}

/// Whether some ` - ` part after the first has words that are not
/// qualifier keywords or numbers (`Anti-D Official Video`, but not
/// `2011 Remaster`).
fn has_title_like_suffix(raw: &str) -> bool {
    dash_segments(raw).iter().skip(1).any(|segment| {
        crate::normalize::fold(segment)
            .split(' ')
            .any(|w| !w.is_empty() && !is_keyword(w) && !w.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Readings of an upload title: `Artist - Title …` (leading neutral parts
/// such as `MV` skipped), `Artist "Title" M/V` and `【Artist】Title`.
fn upload_readings(raw: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    if let Some(reading) = tagged_artist_reading(raw) {
        out.push(reading);
    }
    let upload_like = raw.contains(" -")
        || raw.contains(" –")
        || raw.contains(" —")
        || raw.contains(" / ")
        || raw.contains(['_', '"', '“', '”', '「', '『', '«', '\'']);
    if !upload_like {
        return out;
    }
    let cleaned = raw.replace('_', " - ");
    let head = strip_leading_tag(cleaned.split('|').next().unwrap_or(""));
    let mut segments = dash_segments(head);
    while segments.len() > 2
        && matches!(
            classify(segments[0], crate::normalize::script(segments[0])),
            Qualifier::Neutral(_)
        )
    {
        segments.remove(0);
    }
    if segments.len() >= 2 {
        let artist = segments[0];
        let rest = segments[1..].join(" - ");
        out.push(reading(artist, &rest));
        // `Numb [Official Music Video] - Linkin Park`: some channels put the
        // artist last. A last part that is a qualifier (`- Live`) is none.
        let last = segments[segments.len() - 1];
        let is_qualifier = matches!(
            classify(last, crate::normalize::script(last)),
            Qualifier::Versions(_) | Qualifier::Neutral(_) | Qualifier::Feat(_)
        );
        if !is_qualifier {
            let head = segments[..segments.len() - 1].join(" - ");
            out.push(reading(last, &head));
        }
    }
    if let Some((artist, title)) = quoted_title(head) {
        out.push(reading(&artist, &title));
    }
    out.extend(slash_readings(head));
    // `waves (feat. X) - Remix` is a title with a qualifier, not an upload
    // by the artist "waves": a reading whose "title" is only a qualifier or
    // whose "artist" carries title parts is no reading.
    out.retain(|r| {
        let artist_is_plain = !r.artists.names.is_empty();
        let title_is_real = !r.title.words().all(is_keyword);
        artist_is_plain && title_is_real && !r.title.core.is_empty()
    });
    out
}

fn reading(artist: &str, title: &str) -> Reading {
    let title = parse_title(title);
    // Title credits written in the artist part (`Artist (feat. X) - Title`)
    // mark a title, not an artist.
    let (_, artist_groups) = crate::qualifiers::brackets(artist);
    let artist_has_credit = artist_groups.iter().any(|g| {
        matches!(
            classify(g, crate::normalize::script(g)),
            Qualifier::Feat(_) | Qualifier::Versions(_)
        )
    });
    let mut artists = Artists::new(artist, &title.feats);
    if artist_has_credit {
        artists.clear();
    }
    Reading {
        artists,
        title,
        derived: true,
    }
}

/// `Artist "Title" rest`: double quotes of any style, guillemets, corner
/// brackets, or single quotes that stand apart from words (`IU 'Palette'
/// MV`, never the apostrophe of `Don't`).
fn quoted_title(text: &str) -> Option<(String, String)> {
    const PAIRS: [(char, &[char]); 7] = [
        ('"', &['"', '“', '”']),
        ('“', &['”', '"', '“']),
        ('”', &['”', '"']),
        ('«', &['»']),
        ('「', &['」']),
        ('『', &['』']),
        ('\'', &['\'', '’']),
    ];
    for (open_char, closers) in PAIRS {
        let Some(open) = text.find(open_char) else {
            continue;
        };
        let artist = text[..open].trim();
        let inner = &text[open + open_char.len_utf8()..];
        let Some(close) = inner.find(closers) else {
            continue;
        };
        let title = inner[..close].trim();
        let close_len = inner[close..].chars().next().map_or(1, char::len_utf8);
        let rest = &inner[close + close_len..];
        if open_char == '\'' {
            // Single quotes must stand apart: a space before the opening one
            // and no letter right after the closing one.
            let spaced_before = text[..open].ends_with(char::is_whitespace);
            let apart_after = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            if !spaced_before || !apart_after {
                continue;
            }
        }
        // `米津玄師 MV「Lemon」`: upload words before the quote are no artist.
        let mut words: Vec<&str> = artist.split_whitespace().collect();
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| is_keyword(&crate::normalize::compact(&crate::normalize::fold(w))))
        {
            words.pop();
        }
        let artist = words.join(" ");
        if !artist.is_empty() && !title.is_empty() {
            return Some((artist, format!("{title} {}", rest.trim())));
        }
    }
    None
}

/// `【Ado】踊`: a lenticular tag that opens an upload title and is not an
/// upload word names the artist.
fn tagged_artist_reading(raw: &str) -> Option<Reading> {
    let rest = raw.trim_start().strip_prefix('【')?;
    let (tag, title) = rest.split_once('】')?;
    let neutral = matches!(
        classify(tag, crate::normalize::script(tag)),
        Qualifier::Neutral(_)
    );
    (!neutral && !tag.trim().is_empty() && !title.trim().is_empty())
        .then(|| reading(tag.trim(), title.trim()))
}

/// Drops a neutral tag that opens an upload title (`[MV]`, `【Official】`).
fn strip_leading_tag(text: &str) -> &str {
    let text = text.trim_start();
    let close = match text.chars().next() {
        Some('[') => ']',
        Some('【') => '】',
        Some('(') => ')',
        _ => return text,
    };
    let Some(end) = text.find(close) else {
        return text;
    };
    let inner = &text[text.chars().next().map_or(1, char::len_utf8)..end];
    let rest = &text[end + close.len_utf8()..];
    let neutral = matches!(
        classify(inner, crate::normalize::script(inner)),
        Qualifier::Neutral(_)
    );
    if neutral && !rest.trim().is_empty() {
        rest.trim_start()
    } else {
        text
    }
}

/// `Title / Artist` (a common Japanese upload style) read both ways.
fn slash_readings(text: &str) -> Vec<Reading> {
    let (outside, _) = crate::qualifiers::brackets(text);
    match outside.split_once(" / ") {
        Some((left, right)) if !left.trim().is_empty() && !right.trim().is_empty() => {
            vec![
                reading(right.trim(), left.trim()),
                reading(left.trim(), right.trim()),
            ]
        }
        _ => Vec::new(),
    }
}

/// Judges two prepared tracks: the best verdict over all reading pairs.
pub(crate) fn judge(a: &Prepared, b: &Prepared) -> Verdict {
    judge_ranked(a, b).0
}

/// What a ranking over a whole candidate list needs to know about one pair
/// beyond its verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Basis {
    /// Same rendering up to case and spelling (same neutral notes, no
    /// upload reading): among equal scores the ranking prefers it.
    pub(crate) exact: bool,
    /// The titles agree in some way (any script, any version words).
    pub(crate) title_agrees: bool,
    /// The one doubt is a title read in full through kanji readings or as
    /// a katakana loanword, with the same artist and nothing against it
    /// (no durations to confirm): unique in its list, that is enough.
    pub(crate) reading_only: bool,
}

/// [`judge`], plus the [`Basis`] of its best reading pair.
pub(crate) fn judge_ranked(a: &Prepared, b: &Prepared) -> (Verdict, Basis) {
    let evidence = Evidence {
        duration: evidence::duration(a.duration_s, b.duration_s),
        isrc: evidence::isrc(a.isrc.as_deref(), b.isrc.as_deref()),
        album: evidence::album(&a.album, &b.album),
    };
    // Equal ISRCs name one recording, whatever the names say, unless the
    // titles as written name different versions or the durations disagree.
    if evidence.isrc == Isrc::Same && !matches!(evidence.duration, Duration::Far(_)) {
        let basis = Basis {
            exact: a.plain().title.neutral == b.plain().title.neutral,
            title_agrees: true,
            reading_only: false,
        };
        return match version_relation(&a.plain().title.versions, &b.plain().title.versions) {
            Versions::Mismatch(reason) => (verdict(0.35, format!("same ISRC but {reason}")), basis),
            _ => (verdict(0.97, "same ISRC".to_owned()), basis),
        };
    }
    let mut best: Option<(Verdict, Basis)> = None;
    let mut title_agrees = false;
    for ra in &a.readings {
        for rb in &b.readings {
            if ra.derived && rb.derived {
                continue;
            }
            let mut basis = Basis {
                exact: !ra.derived && !rb.derived && ra.title.neutral == rb.title.neutral,
                ..Basis::default()
            };
            let v = judge_readings(ra, rb, a, b, &evidence, &mut basis);
            title_agrees |= basis.title_agrees;
            if best.as_ref().is_none_or(|(b, _)| v.score > b.score) {
                best = Some((v, basis));
            }
        }
    }
    let (v, mut basis) = best.expect("every prepared track has its plain reading");
    basis.title_agrees = title_agrees;
    (v, basis)
}

/// How the titles' cores relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Core {
    Exact,
    /// Equal through a bilingual half.
    Alternate,
    /// One edit apart (long titles only, numbers equal).
    Near,
    /// The same words, some written as numbers or short spellings
    /// (`Nothing Compares 2 U` / `Nothing Compares To You`).
    Spelled,
    /// Equal once the letters a censored title hides are filled in
    /// (`F**k You` / `Fuck You`).
    Censored,
    /// Equal once one side is romanised (`うっせぇわ` / `Usseewa`).
    Romanised,
    /// The kanji, read through their possible readings, fit the other side
    /// (`紅蓮華` / `Gurenge`): partial evidence only, since which reading a
    /// word uses is not known.
    KanjiRead,
    /// The kana around unread kanji fit the other side (`夜に駆ける` /
    /// `Yoru ni Kakeru`): partial evidence only.
    Kanji,
    /// A katakana title whose consonants fit the other side's spelling
    /// (`マリーゴールド` / `Marigold`): partial evidence only.
    Loanword,
    /// Classical titles naming the same catalogue number, number inside it
    /// and movement, with no words of one missing from the other
    /// (`Für Elise, WoO 59` / `Bagatelle No. 25 in A Minor, WoO 59 "Für
    /// Elise"`).
    Work,
    Different,
}

fn core_relation(a: &Title, b: &Title) -> Core {
    if a.core == b.core || (!a.unknown.is_empty() || !b.unknown.is_empty()) && a.full() == b.full()
    {
        return Core::Exact;
    }
    // A title equals the other's alternate rendering (`千本桜` and
    // `千本桜 - Senbonzakura`), or two alternates agree. Two bilingual
    // titles sharing only one half do not count: `Любовь Song` and
    // `Storm Любовь` share a word, not a title.
    let both_bilingual = a.bilingual && b.bilingual;
    let a_forms = std::iter::once((&a.core, false)).chain(a.alternates.iter().map(|x| (x, true)));
    for (fa, a_alt) in a_forms {
        if fa.is_empty() {
            continue;
        }
        let b_forms =
            std::iter::once((&b.core, false)).chain(b.alternates.iter().map(|x| (x, true)));
        if b_forms
            .filter(|(_, b_alt)| !(both_bilingual && a_alt && *b_alt))
            .any(|(fb, _)| fa == fb)
        {
            return Core::Alternate;
        }
    }
    // One side written in another script: its romanisation against the
    // other side's spelling, tolerant of the usual variants.
    if a.other_script != b.other_script {
        let (other, latin) = if a.other_script { (a, b) } else { (b, a) };
        // Loose forms shrink spellings by at most about half: a Latin title
        // far longer or shorter cannot agree (a cheap gate for the diff).
        if let Some(r) = &other.romanised
            && latin.core.len() <= 3 * r.loose.len() + 8
            && r.loose.len() <= 2 * latin.core.len() + 4
        {
            let latin_loose = romanize::loose(&latin.folded, r.family);
            if latin_loose.len() >= 2 && latin_loose == r.loose {
                return Core::Romanised;
            }
            if let Some(han) = &r.han
                && (crate::readings::title_reads_as(han, &latin.folded)
                    || crate::readings::title_reads_with_loanword(han, &latin.folded))
            {
                return Core::KanjiRead;
            }
            if let Some(pattern) = &r.kanji
                && romanize::fits_pattern(pattern, &latin_loose)
            {
                return Core::Kanji;
            }
            if let Some((romaji, script)) = &r.loanword
                && crate::loanword::fits(romaji, &latin.folded, *script)
            {
                return Core::Loanword;
            }
        }
    }
    for (x, y) in [(a, b), (b, a)] {
        if let Some(mask) = &x.censored
            && match &y.censored {
                None => crate::qualifiers::fits_censored(mask, &y.core),
                Some(other) => crate::qualifiers::censored_agree(mask, other),
            }
        {
            return Core::Censored;
        }
    }
    // Each short spelling is shorter than its words, and the words stay as
    // many: cheap gates before looking at words.
    let spaces = |s: &str| s.bytes().filter(|b| *b == b' ').count();
    if a.core.len() != b.core.len()
        && spaces(&a.folded) == spaces(&b.folded)
        && spelled_alike(&a.folded, &b.folded)
    {
        return Core::Spelled;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let long_enough = a.core.len().min(b.core.len()) >= 8;
    if long_enough
        && a.core.len().abs_diff(b.core.len()) <= 1
        && digits(&a.core) == digits(&b.core)
        && strsim::levenshtein(&a.core, &b.core) <= 1
    {
        return Core::Near;
    }
    Core::Different
}

/// The words a number or a short spelling stands for (`2` = `to`/`too`/
/// `two`, `4` = `for`/`four`, `luv` = `love`, `thru` = `through`). `u` =
/// `you` and `n` = `and` are folded already.
fn long_forms(short: &str) -> &'static [&'static str] {
    match short {
        "1" => &["one"],
        "2" => &["to", "too", "two"],
        "3" => &["three"],
        "4" => &["for", "four"],
        "5" => &["five"],
        "6" => &["six"],
        "7" => &["seven"],
        "8" => &["eight", "ate"],
        "9" => &["nine"],
        "10" => &["ten"],
        "r" => &["are"],
        "ur" => &["your", "youre"],
        "luv" => &["love"],
        "nite" => &["night"],
        "tonite" => &["tonight"],
        "thru" => &["through"],
        _ => &[],
    }
}

/// Two folded titles with the same words, some written as a number or a
/// short spelling on one side (`Nothing Compares 2 U` / `Nothing Compares
/// To You`, `2 Become 1` / `Two Become One`). One pass, stopping at the
/// first pair of words that differ otherwise (the diff compares many
/// titles that differ).
fn spelled_alike(a: &str, b: &str) -> bool {
    let (mut wa, mut wb) = (a.split(' '), b.split(' '));
    let mut any = false;
    loop {
        match (wa.next(), wb.next()) {
            (None, None) => return any,
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                if !(long_forms(x).contains(&y) || long_forms(y).contains(&x)) {
                    return false;
                }
                any = true;
            }
            _ => return false,
        }
    }
}

/// How the version qualifiers relate.
enum Versions {
    Equal,
    /// Same kinds, details only partly given (`Remix` vs `Moby Remix`).
    Loose,
    Mismatch(String),
}

fn version_relation(a: &[Version], b: &[Version]) -> Versions {
    let kinds = |v: &[Version]| {
        let mut k: Vec<Kind> = v.iter().map(|x| x.kind).collect();
        k.dedup();
        k
    };
    let (ka, kb) = (kinds(a), kinds(b));
    if ka != kb {
        return Versions::Mismatch(describe_mismatch(&ka, &kb));
    }
    let mut loose = false;
    for kind in ka {
        let detail = |v: &[Version]| {
            let mut d: Vec<&str> = v
                .iter()
                .filter(|x| x.kind == kind)
                .map(|x| x.detail.as_str())
                .collect();
            d.retain(|s| !s.is_empty());
            d.sort_unstable();
            d.concat()
        };
        let (da, db) = (detail(a), detail(b));
        if da == db {
            continue;
        }
        if !kind.details_matter() {
            continue;
        }
        if da.is_empty() || db.is_empty() {
            loose = true;
            continue;
        }
        let reason = match kind {
            Kind::Part => "different parts".to_owned(),
            Kind::Live => "different live recordings".to_owned(),
            Kind::Remix => "different remixes".to_owned(),
            _ => "different versions".to_owned(),
        };
        return Versions::Mismatch(reason);
    }
    if loose {
        Versions::Loose
    } else {
        Versions::Equal
    }
}

/// `live version vs studio`, `remix vs original`, `remix vs edit`.
fn describe_mismatch(a: &[Kind], b: &[Kind]) -> String {
    let only = |x: &[Kind], y: &[Kind]| x.iter().copied().find(|k| !y.contains(k));
    match (only(a, b), only(b, a)) {
        (Some(x), Some(y)) => format!("{} vs {}", x.describe(), y.describe()),
        (Some(x), None) | (None, Some(x)) => format!("{} vs {}", x.describe(), original_word(x)),
        (None, None) => "different versions".to_owned(),
    }
}

fn original_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Live => "studio",
        Kind::Part => "single part",
        _ => "original",
    }
}

/// Why two cores differ, when the extra words are a version (`Drunk In
/// Love Remix` vs `Drunk In Love`).
fn extra_version_words(a: &Title, b: &Title) -> Option<String> {
    let extra = |x: &Title, y: &Title| {
        x.words()
            .filter(|w| !y.words().any(|v| v == *w))
            .find_map(version_word)
    };
    let ea = extra(a, b);
    let eb = extra(b, a);
    let a_kinds: Vec<Kind> = ea.into_iter().collect();
    let b_kinds: Vec<Kind> = eb.into_iter().collect();
    if a_kinds.is_empty() && b_kinds.is_empty() {
        None
    } else {
        Some(describe_mismatch(&a_kinds, &b_kinds))
    }
}

fn title_similarity(a: &Title, b: &Title) -> f32 {
    strsim::normalized_levenshtein(&a.core, &b.core) as f32
}

fn judge_readings(
    ra: &Reading,
    rb: &Reading,
    a: &Prepared,
    b: &Prepared,
    ev: &Evidence,
    basis: &mut Basis,
) -> Verdict {
    let versions = version_relation(&ra.title.versions, &rb.title.versions);
    let mut core = core_relation(&ra.title, &rb.title);
    let works = ra.title.work.as_deref().zip(rb.title.work.as_deref());
    if core == Core::Different
        && let Some((wa, wb)) = works
        && classical::same_work(wa, wb, |name| {
            ra.artists.credits(name) || rb.artists.credits(name)
        })
    {
        core = Core::Work;
    }
    basis.title_agrees = core != Core::Different;
    // Different titles score low whoever the artists are: names in another
    // script are romanised only when the titles agree.
    let mut artists = relation_romanising(&ra.artists, &rb.artists, core != Core::Different);
    if core == Core::Work
        && let Some((wa, wb)) = works
    {
        artists = artists::with_title_composers(
            &ra.artists,
            &rb.artists,
            artists,
            &classical::composers(wa),
            &classical::composers(wb),
        );
    }

    // Hard stops: a far-apart duration, then different versions.
    if let Duration::Far(d) = ev.duration {
        let names_agree = core != Core::Different && artists != Relation::Different;
        let score = if names_agree { 0.3 } else { 0.1 };
        return verdict(score, format!("durations differ by {d} s"));
    }
    if let Versions::Mismatch(reason) = &versions
        && core != Core::Different
    {
        let score = if artists == Relation::Different {
            0.15
        } else {
            0.35
        };
        return verdict(score, reason.clone());
    }
    if core == Core::Different {
        let sim = title_similarity(&ra.title, &rb.title);
        let artist_factor = if artists == Relation::Different {
            0.4
        } else {
            1.0
        };
        let reason = extra_version_words(&ra.title, &rb.title)
            .unwrap_or_else(|| "different title".to_owned());
        return verdict((0.05 + 0.3 * sim) * artist_factor, reason);
    }
    if let Versions::Mismatch(reason) = versions {
        return verdict(0.35, reason);
    }
    if artists == Relation::Different {
        return verdict(0.2, "different artist".to_owned());
    }
    if artists == Relation::Partial {
        return verdict(0.45, "different featured artists".to_owned());
    }
    let unknown_differs = !ra.title.unknown.is_empty()
        && !rb.title.unknown.is_empty()
        && ra.title.unknown != rb.title.unknown
        && core == Core::Exact
        && ra.title.full() != rb.title.full();
    if unknown_differs {
        return verdict(0.45, "different subtitles".to_owned());
    }

    let mut score = BASE;
    let mut doubts: Vec<&str> = Vec::new();
    match artists {
        Relation::Extra if is_classical_work(&ra.title) || is_classical_work(&rb.title) => {
            // A classical work is recorded by many performers: a credit that
            // names them on one side only cannot confirm the performance,
            // unless both tracks are on the same album (one performance of
            // each movement there; the composer is often credited on one
            // side only).
            score -= if ev.album == Album::Same { 0.1 } else { 0.2 };
            doubts.push("performers credited on one side only");
        }
        Relation::Extra | Relation::SharedGuests => {
            // Often a later remix with a guest verse (`Levitating (feat.
            // DaBaby)`, `Mi Gente (feat. Willy William & Beyoncé)` against
            // `(feat. Willy William)`): one-sided names pass only with
            // agreeing durations, also when both sides share another guest.
            score -= if ev.duration == Duration::Close {
                0.10
            } else {
                0.2
            };
            doubts.push("featured artists on one side only");
        }
        Relation::Transliterated | Relation::Unverifiable => {
            // The artist cannot be checked (names in two scripts that do not
            // romanise alike, or no credit on one side): only a title that
            // agrees and durations that agree let such a pair through.
            // A title read through kanji readings agrees only when the
            // names were read alike too (`米津玄師` / `Kenshi Yonezu`).
            let title_agrees = matches!(
                core,
                Core::Exact | Core::Alternate | Core::Romanised | Core::Censored | Core::Spelled
            ) || core == Core::KanjiRead && artists == Relation::Transliterated;
            let confirmed = title_agrees && ev.duration == Duration::Close;
            score -= if confirmed { 0.12 } else { 0.3 };
            doubts.push(
                if ra.artists.names.is_empty() || rb.artists.names.is_empty() {
                    "no artist on one side"
                } else {
                    "artist names in different scripts"
                },
            );
        }
        _ => {}
    }
    match core {
        Core::Alternate => {
            score -= 0.03;
            doubts.push("title in another script");
        }
        Core::Near => {
            score -= 0.2;
            doubts.push("titles differ slightly");
        }
        Core::Spelled => {
            score -= 0.04;
            doubts.push("title spelled with numbers or short words");
        }
        Core::Romanised => {
            score -= 0.04;
            doubts.push("title romanised");
        }
        Core::Censored => {
            score -= 0.04;
            doubts.push("censored title");
        }
        Core::Work => {
            score -= 0.03;
            doubts.push("same work and movement");
        }
        Core::KanjiRead => {
            // Any of several readings fitted: agreeing durations must
            // confirm.
            score -= if ev.duration == Duration::Close {
                0.1
            } else {
                0.2
            };
            doubts.push("title read through kanji readings");
        }
        Core::Kanji => {
            // The kanji were not read: agreeing durations must confirm.
            score -= 0.2;
            doubts.push("title read around kanji");
        }
        Core::Loanword => {
            // Only the consonants agree: agreeing durations must confirm.
            score -= 0.2;
            doubts.push("title read as a loanword");
        }
        _ => {}
    }
    // (A classical work's structure already accounts for every word.)
    let one_sided_unknown = ra.title.unknown.is_empty() != rb.title.unknown.is_empty()
        && ra.title.full() != rb.title.full()
        && core != Core::Work;
    if one_sided_unknown {
        // Probably a subtitle (`Nasty (Who Dat)`), but it may be a version
        // in words no rule knows: a review, unless the durations agree.
        score -= 0.2;
        doubts.push("extra words in one title");
    }
    if matches!(versions, Versions::Loose) {
        score -= 0.2;
        doubts.push("version details differ");
    }
    if ra.derived || rb.derived {
        score -= 0.02;
    }

    let mut support: Vec<String> = Vec::new();
    match ev.duration {
        Duration::Close => {
            score += 0.05;
            support.push("durations agree".to_owned());
        }
        Duration::Near(d) => {
            // Enough to keep any other doubt below the threshold.
            score -= 0.08;
            doubts.push(if d > 5 {
                "durations differ"
            } else {
                "durations differ slightly"
            });
        }
        _ => {}
    }
    match ev.album {
        Album::Same => score += 0.02,
        Album::Different | Album::Unknown => {}
    }
    if ev.isrc == Isrc::Different {
        score -= 0.03;
    }
    // A live or remix album on one side only, unless the durations agree.
    let mut album_reason = String::new();
    let warning = evidence::album_warning(
        &a.album.kinds,
        &title_kinds(&ra.title),
        &b.album.kinds,
        &title_kinds(&rb.title),
        ev.duration,
    );
    if let Some(kind) = warning {
        score -= 0.25;
        album_reason = format!("{} album", kind_adjective(kind));
    }

    basis.reading_only = matches!(core, Core::KanjiRead | Core::Loanword)
        && artists == Relation::Same
        && doubts.len() == 1
        && ev.duration == Duration::Unknown
        && ev.isrc != Isrc::Different
        && album_reason.is_empty();
    let score = score.clamp(0.0, 1.0);
    let reason = if !album_reason.is_empty() {
        album_reason
    } else if let Some(first) = doubts.first() {
        (*first).to_owned()
    } else if support.is_empty() {
        "same artist and title".to_owned()
    } else {
        format!("same artist and title, {}", support.join(", "))
    };
    verdict(score, reason)
}

/// Catalogue numbers and movement words mark a classical work.
fn is_classical_work(title: &Title) -> bool {
    if title.work.is_some() {
        return true;
    }
    const CATALOGUE: [&str; 9] = ["op", "opus", "bwv", "hwv", "kv", "rv", "hob", "wwv", "sz"];
    const FORMS: [&str; 12] = [
        "symphony", "concerto", "sonata", "sonatas", "quartet", "allegro", "adagio", "andante",
        "largo", "presto", "scherzo", "nocturne",
    ];
    let words: Vec<&str> = title
        .words()
        .chain(title.unknown.iter().map(String::as_str))
        .collect();
    words
        .windows(2)
        .any(|w| CATALOGUE.contains(&w[0]) && w[1].bytes().all(|b| b.is_ascii_digit()))
        || words.iter().any(|w| FORMS.contains(w))
}

fn title_kinds(title: &Title) -> Vec<Kind> {
    title.versions.iter().map(|v| v.kind).collect()
}

/// What the diff keeps of a track for its exact join: the identity key and
/// the evidence that can still veto a pair with equal keys.
pub(crate) struct Fingerprint {
    pub(crate) key: String,
    duration_s: Option<u32>,
    album_kinds: Vec<Kind>,
    title_kinds: Vec<Kind>,
}

/// The identity key of `track` ([`crate::track_key`]) from the title and
/// the artists alone: the same text as the plain reading of a full
/// [`Prepared`], without the readings, album and catalogue parsing the key
/// does not use (a sync keys every song of both sides).
pub(crate) fn identity_key_of(track: &Track) -> String {
    let title = parse_title(&track.title);
    let artists = Artists::key_for(&display_artist(track), &title.feats);
    crate::identity_key(artists, &title)
}

impl Fingerprint {
    /// The fingerprint, taking artist keys and album kinds from `cache`
    /// when it has them (playlists repeat artists and albums a lot).
    pub(crate) fn with_cache(track: &Track, cache: &NameCache) -> Fingerprint {
        let title = parse_title(&track.title);
        let display = display_artist(track);
        let artists = match cache.artist_keys.get(display.as_ref()) {
            Some(key) if title.feats.is_empty() => key.clone(),
            _ => Artists::key_for(&display, &title.feats),
        };
        let album_kinds = match track.album.as_deref() {
            Some(album) => match cache.album_kinds.get(album) {
                Some(kinds) => kinds.clone(),
                None => AlbumInfo::new(Some(album)).kinds,
            },
            None => Vec::new(),
        };
        Fingerprint {
            key: crate::identity_key(artists, &title),
            duration_s: track.duration_s,
            title_kinds: title_kinds(&title),
            album_kinds,
        }
    }
}

/// Artist keys (without featured artists from the title) and album version
/// kinds, computed once per distinct name of the tracks a diff compares.
#[derive(Default)]
pub(crate) struct NameCache {
    artist_keys: HashMap<String, String>,
    album_kinds: HashMap<String, Vec<Kind>>,
}

impl NameCache {
    /// Worth it only for names that repeat: each distinct name is parsed
    /// once instead of once per track.
    pub(crate) fn for_tracks<'a>(tracks: impl Iterator<Item = &'a Track>) -> NameCache {
        let mut artist_count: HashMap<&str, u32> = HashMap::new();
        let mut album_count: HashMap<&str, u32> = HashMap::new();
        for t in tracks {
            *artist_count.entry(t.artist.as_str()).or_default() += 1;
            if let Some(album) = t.album.as_deref() {
                *album_count.entry(album).or_default() += 1;
            }
        }
        NameCache {
            artist_keys: artist_count
                .into_iter()
                .filter(|(name, n)| *n > 1 && !name.trim().is_empty())
                .map(|(name, _)| (name.to_owned(), Artists::key_for(name, &[])))
                .collect(),
            album_kinds: album_count
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(album, _)| (album.to_owned(), AlbumInfo::new(Some(album)).kinds))
                .collect(),
        }
    }
}

/// Whether two tracks with equal keys are the same recording. Equal keys
/// mean equal names, title and versions, so [`judge`] on them can only be
/// turned down by far-apart durations or a one-sided live/remix album; this
/// applies exactly those two checks without parsing the tracks again.
pub(crate) fn same_key_confirmed(a: &Fingerprint, b: &Fingerprint) -> bool {
    let duration = evidence::duration(a.duration_s, b.duration_s);
    !matches!(duration, Duration::Far(_))
        && evidence::album_warning(
            &a.album_kinds,
            &a.title_kinds,
            &b.album_kinds,
            &b.title_kinds,
            duration,
        )
        .is_none()
}

fn kind_adjective(kind: Kind) -> &'static str {
    match kind {
        Kind::Live => "live",
        Kind::Remix => "remix",
        Kind::Acoustic => "acoustic",
        Kind::Instrumental => "instrumental",
        _ => "other-version",
    }
}

fn verdict(score: f32, reason: String) -> Verdict {
    // Rounded to thousandths so sums of the fixed steps above compare with
    // the threshold exactly, not by floating-point luck.
    let score = ((score * 1000.0).round() / 1000.0).clamp(0.0, 1.0);
    Verdict {
        score,
        same: score >= CONFIDENT,
        reason,
    }
}
