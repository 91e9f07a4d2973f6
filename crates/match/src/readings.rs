//! Reading kanji: whether a title or name written with kanji can be read as
//! a romanised one (`紅蓮華` / `Gurenge`, `米津玄師` / `Yonezu Kenshi`).
//!
//! Each kanji has a handful of readings (on and kun, from the Unihan
//! database: `kanji_table`), and which one a word uses is a matter of
//! vocabulary this crate does not have. So a text is read as every sequence
//! of its kanji's readings, with the kana and Latin letters around them as
//! written, and compared with the romanised text tolerantly:
//! - sounds that change inside words count as one: voiced and unvoiced
//!   consonants (`k`/`g`, `s`/`z`, `t`/`d`, `h`/`b`/`p`: `hito` in `tabibito`,
//!   `tsu` in `Yonezu`), `n`/`m` before a consonant;
//! - an on reading ending in `ku`, `ki`, `tsu`, `chi` may lose it before a
//!   doubled consonant (`学校` = `gakkou`);
//! - a kun reading may stop at any syllable (Unihan writes `kakeru` for
//!   `駆`; `駆ける` is `駆` + `ける`);
//! - on top of the loose spellings of [`romanize::loose`].
//!
//! That tolerance makes a fit partial evidence only: the caller asks for
//! agreeing durations before it counts.
//!
//! A katakana word inside a kanji title (`恋するフォーチュンクッキー` /
//! `Koisuru Fortune Cookie`, `君はロックを聴かない` / `Kimi wa Rock wo
//! Kikanai`) is usually a loanword the Latin title spells in English: the
//! katakana run is aligned with whole Latin words by `loanword::fits`, and
//! the text before and after it is read as above against the words before
//! and after them.

use crate::kanji_table::{CHARS, ENDS, READINGS};
use crate::romanize::{self, Family, is_han, is_kana};

/// The on and kun readings of a kanji, space-separated, as Unihan writes
/// them (`ku kou`, `beni kurenai akai`).
pub(crate) fn readings(c: char) -> Option<(&'static str, &'static str)> {
    let code = u16::try_from(u32::from(c)).ok()?;
    let i = CHARS.binary_search(&code).ok()?;
    let start = if i == 0 { 0 } else { ENDS[i - 1] as usize };
    READINGS[start..ENDS[i] as usize].split_once('|')
}

/// Whether `text` has a kanji this module can read.
pub(crate) fn has_readable_kanji(text: &str) -> bool {
    text.chars().any(|c| is_han(c) && readings(c).is_some())
}

/// Whether a title (kanji with kana or Latin letters) reads as `latin`, a
/// folded Latin text; upload words around it (`Official Music Video`) are
/// not part of it. False when a kanji has no reading here.
pub(crate) fn title_reads_as(text: &str, latin: &str) -> bool {
    reads_as(text, latin, true)
}

/// [`title_reads_as`] for a name, whose Latin words all count
/// (`Official髭男dism`).
pub(crate) fn name_reads_as(text: &str, latin: &str) -> bool {
    reads_as(text, latin, false)
}

/// [`title_reads_as`] with one katakana run (two letters or more) read as a
/// loanword spelled by whole Latin words, the rest read as usual.
pub(crate) fn title_reads_with_loanword(text: &str, latin: &str) -> bool {
    let words: Vec<&str> = latin.split_whitespace().collect();
    katakana_runs(text).into_iter().any(|(start, end)| {
        let mut romaji = String::new();
        romanize::kana_to_romaji(&text[start..end], &mut romaji);
        let (before, after) = (&text[..start], &text[end..]);
        (0..words.len()).any(|first| {
            (first + 1..=words.len()).any(|last| {
                crate::loanword::fits(
                    &romaji,
                    &words[first..last].join(" "),
                    crate::loanword::Script::Katakana,
                ) && part_reads_as(before, &words[..first].join(" "))
                    && part_reads_as(after, &words[last..].join(" "))
            })
        })
    })
}

/// Byte ranges of the katakana runs of `text` with two letters or more.
fn katakana_runs(text: &str) -> Vec<(usize, usize)> {
    let katakana = |c: char| ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー';
    let mut runs = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (katakana(c), start) {
            (true, None) => start = Some((i, 1)),
            (true, Some((s, n))) => start = Some((s, n + 1)),
            (false, Some((s, n))) => {
                if n >= 2 {
                    runs.push((s, i));
                }
                start = None;
            }
            (false, None) => {}
        }
    }
    runs
}

/// Whether a part of a title (kanji, kana, Latin letters, or nothing) reads
/// as `latin`; no kanji is needed.
fn part_reads_as(text: &str, latin: &str) -> bool {
    let Some(pieces) = pieces(text, true) else {
        return false;
    };
    let target = sound_key(&romanize::loose(latin, Family::Japanese));
    if pieces.is_empty() || target.is_empty() {
        return pieces.is_empty() && target.is_empty();
    }
    fits(&pieces, target.as_bytes())
}

fn reads_as(text: &str, latin: &str, title: bool) -> bool {
    let Some(pieces) = pieces(text, title) else {
        return false;
    };
    let target = sound_key(&romanize::loose(latin, Family::Japanese));
    let kanji = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Kanji(_)))
        .count();
    let fixed: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Fixed(f) => f.len(),
            Piece::Kanji(_) => 0,
        })
        .sum();
    // A cheap gate: a kanji reads as one to about eight letters.
    if kanji == 0 || target.len() < 2 || target.len() > fixed + 8 * kanji + 2 {
        return false;
    }
    fits(&pieces, target.as_bytes())
}

/// One part of a text to read.
#[derive(Debug)]
enum Piece {
    /// Kana or Latin letters, as [`sound_key`] writes them.
    Fixed(String),
    /// One kanji: its possible readings, as [`sound_key`] writes them.
    Kanji(Vec<String>),
}

/// The pieces of `text`; a `title` drops upload words.
fn pieces(text: &str, title: bool) -> Option<Vec<Piece>> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut kana = String::new();
    let mut latin = String::new();
    let flush = |kana: &mut String, latin: &mut String, pieces: &mut Vec<Piece>| {
        if !kana.is_empty() {
            let mut romaji = String::new();
            romanize::kana_to_romaji(kana, &mut romaji);
            pieces.push(Piece::Fixed(sound_key(&romanize::loose(
                &romaji,
                Family::Japanese,
            ))));
            kana.clear();
        }
        if !latin.is_empty() {
            if !(title && romanize::UPLOAD_FLUFF.contains(&latin.as_str())) {
                pieces.push(Piece::Fixed(sound_key(&romanize::loose(
                    latin,
                    Family::Japanese,
                ))));
            }
            latin.clear();
        }
    };
    for c in text.chars() {
        if is_kana(c) {
            if !latin.is_empty() {
                flush(&mut String::new(), &mut latin, &mut pieces);
            }
            kana.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !kana.is_empty() {
                flush(&mut kana, &mut String::new(), &mut pieces);
            }
            latin.push(c.to_ascii_lowercase());
        } else if c == '々' {
            flush(&mut kana, &mut latin, &mut pieces);
            // The repetition mark reads as the kanji before it.
            let previous = match pieces.last() {
                Some(Piece::Kanji(v)) => v.clone(),
                _ => return None,
            };
            pieces.push(Piece::Kanji(previous));
        } else if is_han(c) {
            flush(&mut kana, &mut latin, &mut pieces);
            let (on, kun) = readings(c)?;
            pieces.push(Piece::Kanji(variants(on, kun)));
        } else {
            flush(&mut kana, &mut latin, &mut pieces);
        }
    }
    flush(&mut kana, &mut latin, &mut pieces);
    pieces.retain(|p| !matches!(p, Piece::Fixed(f) if f.is_empty()));
    Some(pieces)
}

/// Every form a kanji may take in a word: its on readings, shortened before
/// a doubled consonant, and its kun readings cut at any syllable.
fn variants(on: &str, kun: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for reading in on.split(' ').filter(|r| !r.is_empty()) {
        let key = sound_key(&romanize::loose(reading, Family::Japanese));
        if key.len() > 2 && ["ku", "ki", "su", "si"].iter().any(|e| key.ends_with(e)) {
            out.push(key[..key.len() - 2].to_owned());
        }
        out.push(key);
    }
    for reading in kun.split(' ').filter(|r| !r.is_empty()) {
        let key = sound_key(&romanize::loose(reading, Family::Japanese));
        let bytes = key.as_bytes();
        for end in 1..=bytes.len() {
            let syllable_ends = is_vowel(bytes[end - 1])
                || bytes[end - 1] == b'n' && bytes.get(end).is_none_or(|b| !is_vowel(*b));
            if syllable_ends {
                out.push(key[..end].to_owned());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// A loose romanisation with the sounds that change inside words merged:
/// voiced consonants as unvoiced (`g` = `k`, `z` = `s`, `d` = `t`,
/// `b` = `p` = `h`), `t` before `i`/`u`/`y` as `s` (`tsu`/`zu`, `chi`/`ji`),
/// `m` before a consonant as `n`, doubled letters once.
fn sound_key(loose: &str) -> String {
    let bytes: Vec<u8> = loose
        .bytes()
        .map(|b| match b {
            b'g' => b'k',
            b'z' => b's',
            b'd' => b't',
            b'b' | b'p' => b'h',
            other => other,
        })
        .collect();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        let c = match b {
            b't' if matches!(next, Some(b'i' | b'u' | b'y')) => 's',
            b'm' if next.is_some_and(|n| !is_vowel(n) && n != b'y') => 'n',
            other => other as char,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Whether the pieces, in order, spell `target` exactly. A piece may share
/// its first letter with the letter before it, because doubled letters and
/// long vowels were written once (`hon` + `no` = `hono`, `ko` + `u` = `ko`).
fn fits(pieces: &[Piece], target: &[u8]) -> bool {
    let n = target.len();
    let mut at = vec![false; n + 1];
    at[0] = true;
    for piece in pieces {
        let mut next = vec![false; n + 1];
        let forms: &[String] = match piece {
            Piece::Fixed(f) => std::slice::from_ref(f),
            Piece::Kanji(v) => v,
        };
        for p in (0..=n).filter(|&p| at[p]) {
            for form in forms {
                let form = form.as_bytes();
                if target[p..].starts_with(form) {
                    next[p + form.len()] = true;
                }
                let merged = p > 0
                    && form.len() >= 2
                    && (form[0] == target[p - 1]
                        || form[0] == b'u' && target[p - 1] == b'o'
                        || form[0] == b'i' && target[p - 1] == b'e');
                if merged && target[p..].starts_with(&form[1..]) {
                    next[p + form.len() - 1] = true;
                }
            }
        }
        if !next.contains(&true) {
            return false;
        }
        at = next;
    }
    at[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_on_and_kun_readings() {
        assert_eq!(readings('紅'), Some(("ku kou", "beni kurenai akai")));
        assert_eq!(readings('桜'), Some(("ou you", "sakura")));
        assert_eq!(readings('a'), None);
        assert_eq!(readings('ア'), None);
        // First and last entries are reachable.
        let first = char::from_u32(u32::from(CHARS[0])).expect("a char");
        let last = char::from_u32(u32::from(CHARS[CHARS.len() - 1])).expect("a char");
        assert!(readings(first).is_some());
        assert!(readings(last).is_some());
    }

    #[test]
    fn kanji_titles_read_as_their_romanisation() {
        assert!(title_reads_as("紅蓮華", "gurenge"));
        assert!(title_reads_as("白日", "hakujitsu"));
        assert!(title_reads_as("残響散歌", "zankyosanka"));
        assert!(title_reads_as("感電", "kanden"));
        assert!(title_reads_as("初恋", "hatsukoi"));
        assert!(title_reads_as("馬と鹿", "uma to shika"));
        assert!(title_reads_as("青と夏", "ao to natsu"));
        assert!(title_reads_as("花束を君に", "hanataba wo kimi ni"));
        assert!(title_reads_as("秒針を噛む", "byoushin wo kamu"));
        assert!(title_reads_as("怪獣の花唄", "kaiju no hanauta"));
        assert!(title_reads_as("夜に駆ける", "yoru ni kakeru"));
        assert!(title_reads_as("エデンの旅人", "eden no tabibito"));
        assert!(title_reads_as("千本桜", "senbonzakura"));
        assert!(title_reads_as("学校", "gakkou"));
        // upload words around a title are not part of it
        assert!(title_reads_as(
            "夜に駆ける Official Music Video",
            "yoru ni kakeru"
        ));
    }

    #[test]
    fn kanji_names_read_in_either_spelling() {
        assert!(name_reads_as("米津玄師", "yonezu kenshi"));
        assert!(name_reads_as("雨宮天", "amamiya sora"));
        assert!(name_reads_as("宇多田ヒカル", "utada hikaru"));
        assert!(name_reads_as("星街すいせい", "hoshimachi suisei"));
        // Latin words of a name count, even upload-like ones
        assert!(name_reads_as("Official髭男dism", "official hige dandism"));
        assert!(!title_reads_as("Official髭男dism", "official hige dandism"));
    }

    #[test]
    fn a_katakana_word_in_a_kanji_title_reads_as_english() {
        assert!(title_reads_with_loanword(
            "恋するフォーチュンクッキー",
            "koisuru fortune cookie"
        ));
        assert!(title_reads_with_loanword(
            "君はロックを聴かない",
            "kimi wa rock wo kikanai"
        ));
        assert!(title_reads_with_loanword(
            "丸の内サディスティック",
            "marunouchi sadistic"
        ));
        // the katakana word spells other English, or the kanji read
        // otherwise, or a word is left over
        assert!(!title_reads_with_loanword(
            "恋するフォーチュンクッキー",
            "koisuru fortune teller"
        ));
        assert!(!title_reads_with_loanword(
            "君はロックを聴かない",
            "kimi wa rock wo kikanai yo"
        ));
        assert!(!title_reads_with_loanword(
            "君はロックを聴かない",
            "ano ko wa rock wo kikanai"
        ));
        assert!(!title_reads_with_loanword("紅蓮華", "gurenge"));
        assert_eq!(katakana_runs("君はロックを聴かない"), vec![(6, 15)]);
    }

    #[test]
    fn other_words_do_not_read() {
        assert!(!title_reads_as("紅蓮華", "homura"));
        assert!(!title_reads_as("白日", "hakuchou"));
        assert!(!title_reads_as("感電", "kandenchi"));
        assert!(!title_reads_as("初恋", "first love"));
        assert!(!title_reads_as("千本桜", "senbon"));
        // Kana must be read as written.
        assert!(!title_reads_as("夜に駆ける", "yoru wo kakeru"));
        // No kanji, or a kanji without a reading here: nothing to say.
        assert!(!title_reads_as("ひかり", "hikari"));
        assert!(!title_reads_as("𠮷", "yoshi"));
    }
}
