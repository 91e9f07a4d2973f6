//! Text folding for comparison only.
//!
//! Services render the same name in many ways: `Róisín` / `Roisin`, curly or
//! straight apostrophes, `&` / `and` / `+`, `J.I.D` / `JID`, `Livin'` /
//! `Living`, Japanese kana or Latin letters. Everything that decides "same
//! recording" first passes names through [`fold`], which maps all of these to
//! one lower-case ASCII form of space-separated words. The result is never
//! shown to a user and never used as a search query: display strings keep the
//! original text.

use unicode_normalization::UnicodeNormalization;

/// Folds `text` to lower-case ASCII words separated by single spaces.
///
/// Steps, in order: Unicode NFKC and lower-casing, transliteration to Latin
/// (deunicode), dotted acronyms joined (`u.s.a.` → `usa`), dropped-g endings
/// restored (`livin'` → `living`), `&` and `+` spelled `and`, `$` read as `s`
/// (`Ke$ha`, `A$AP`), apostrophes removed (`don't` → `dont`), every other
/// symbol a word break, and a few spelling variants unified (`u` → `you`,
/// `n` → `and`, `pt` → `part`, `ver` → `version`, Roman part numbers → digits).
pub(crate) fn fold(text: &str) -> String {
    let transliterated;
    let lower: &str = if text.is_ascii() {
        text
    } else {
        transliterated = to_ascii_lower(text);
        &transliterated
    };
    let mut out = String::with_capacity(lower.len());
    let mut word = String::new();
    let mut after_part = false;
    for raw in lower.split_ascii_whitespace() {
        if let Some(joined) = join_dotted_acronym(raw) {
            emit(&mut out, &joined, &mut after_part);
            continue;
        }
        let bytes = raw.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b.to_ascii_lowercase() {
                c @ (b'a'..=b'z' | b'0'..=b'9') => word.push(c as char),
                b'$' => word.push('s'),
                // `P!nk`: an exclamation mark between letters stands for `i`.
                b'!' if !word.is_empty()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) =>
                {
                    word.push('i')
                }
                b'\'' => {
                    // `livin'` → `living`: an apostrophe right after "in" that
                    // ends a word of at least four letters.
                    let ends_word = bytes.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric());
                    if ends_word && word.len() >= 4 && word.ends_with("in") {
                        word.push('g');
                    }
                }
                b'&' | b'+' => {
                    emit(&mut out, &word, &mut after_part);
                    word.clear();
                    emit(&mut out, "and", &mut after_part);
                }
                _ => {
                    emit(&mut out, &word, &mut after_part);
                    word.clear();
                }
            }
        }
        emit(&mut out, &word, &mut after_part);
        word.clear();
    }
    out
}

/// Appends one word to the folded output, unifying spelling variants.
fn emit(out: &mut String, word: &str, after_part: &mut bool) {
    if word.is_empty() {
        return;
    }
    let mapped = match word {
        "u" => "you",
        "n" => "and",
        "pt" => "part",
        "ver" => "version",
        w if *after_part => roman_to_digits(w).unwrap_or(w),
        w => w,
    };
    *after_part = matches!(word, "part" | "pt" | "vol" | "volume" | "chapter" | "act");
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(mapped);
}

/// `fold` without the spaces: the form two titles are compared in, so
/// `Hand Clap` / `HandClap` and `Anti-D` / `AntiD` agree.
pub(crate) fn compact(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for part in folded.split(' ') {
        out.push_str(part);
    }
    out
}

/// Lower-case ASCII transliteration; ASCII input takes a fast path.
pub(crate) fn to_ascii_lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Most text is already in NFKC (precomposed accents); the quick check
    // skips the normaliser for it.
    let normalized: String;
    // Accented Latin-1 letters (U+00C0..U+00FF) are already NFKC.
    let latin1 = text
        .chars()
        .all(|c| c.is_ascii() || ('\u{00C0}'..='\u{00FF}').contains(&c));
    let text = if latin1
        || unicode_normalization::is_nfkc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        normalized = text.nfkc().collect();
        &normalized
    };
    let restyled: String;
    let text = if text.contains(is_faux_latin) {
        restyled = unstyle(text);
        &restyled
    } else {
        text
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // Kana and Hangul runs are romanised whole: a syllable's spelling
        // depends on its neighbours (`きゃ`, `っ`, Korean liaison).
        let kana = c >= '\u{3040}' && crate::romanize::is_kana(c);
        let greek = !kana && ('\u{0386}'..='\u{03CE}').contains(&c);
        if kana || greek || c >= '\u{AC00}' && crate::romanize::is_hangul(c) {
            let same = |c: char| {
                if kana {
                    crate::romanize::is_kana(c)
                } else if greek {
                    crate::romanize::is_greek(c)
                } else {
                    crate::romanize::is_hangul(c)
                }
            };
            let mut end = at + c.len_utf8();
            while let Some(&(i, n)) = chars.peek() {
                if !same(n) {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
            if kana {
                crate::romanize::kana_to_romaji(&text[at..end], &mut out);
            } else if greek {
                crate::romanize::greek_to_latin(&text[at..end], &mut out);
            } else {
                crate::romanize::hangul_to_rr(&text[at..end], &mut out);
            }
            continue;
        }
        // Typographic apostrophes and quotes first, so `Livin’` is `Livin'`.
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
            c => c,
        };
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(latin) = deunicode::deunicode_char(c) {
            // Ideographs come out as syllables with their own trailing
            // space; letters of alphabets and kana join into words.
            for l in latin.chars() {
                out.push(l.to_ascii_lowercase());
            }
        } else {
            out.push(' ');
        }
    }
    out
}

/// Greek and Cyrillic letters used as look-alike Latin letters in stylised
/// names (`BLΛƆKPIИK`, `LOOΠΔ`).
fn faux_latin(c: char) -> Option<char> {
    Some(match c {
        'Λ' | 'Δ' | '∆' | 'Ʌ' | '∀' => 'a',
        'Ɔ' => 'c',
        'Σ' | 'Ξ' | 'Є' | 'Ǝ' => 'e',
        'И' | 'Π' | 'П' => 'n',
        'Я' => 'r',
        'Ш' => 'w',
        'Ф' => 'o',
        _ => return None,
    })
}

fn is_faux_latin(c: char) -> bool {
    faux_latin(c).is_some()
}

/// Maps look-alike letters to Latin, but only inside words that also have
/// Latin letters: a word written in Greek or Cyrillic stays as it is.
fn unstyle(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let styled = word.chars().any(|c| c.is_ascii_alphabetic()) && word.contains(is_faux_latin);
        if styled {
            out.extend(word.chars().map(|c| faux_latin(c).unwrap_or(c)));
        } else {
            out.push_str(word);
        }
    }
    out
}

/// `u.s.a.` → `usa`, `j.i.d` → `jid`: single letters or digits joined by dots.
fn join_dotted_acronym(word: &str) -> Option<String> {
    if !word.contains('.') {
        return None;
    }
    let trimmed = word.trim_end_matches('.');
    let mut joined = String::new();
    for part in trimmed.split('.') {
        let b = part.as_bytes();
        if b.len() != 1 || !b[0].is_ascii_alphanumeric() {
            return None;
        }
        joined.push(b[0].to_ascii_lowercase() as char);
    }
    (joined.len() >= 2).then_some(joined)
}

fn roman_to_digits(word: &str) -> Option<&'static str> {
    const ROMAN: [&str; 12] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    const DIGITS: [&str; 12] = [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ];
    ROMAN.iter().position(|r| *r == word).map(|i| DIGITS[i])
}

/// Which writing system a piece of text is in, for bilingual titles such as
/// `사뿐사뿐 (Like a Cat)` whose halves are matched separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    /// Only Latin letters (or no letters at all).
    Latin,
    /// Only letters outside the Latin script (Hangul, kana, CJK, Cyrillic …).
    Other,
    /// Both.
    Mixed,
}

pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('\u{00C0}'..='\u{024F}').contains(&c)
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

pub(crate) fn script(text: &str) -> Script {
    if text.is_ascii() {
        return Script::Latin;
    }
    let mut latin = false;
    let mut other = false;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if is_latin_letter(c) {
            latin = true;
        } else {
            other = true;
        }
    }
    match (latin, other) {
        (true, true) => Script::Mixed,
        (false, true) => Script::Other,
        _ => Script::Latin,
    }
}

/// For text mixing scripts, the words of each script on their own
/// (`7월 7일 One Of These Nights` → `One Of These Nights` and `7월 7일`).
/// Words without letters (numbers) go with neither half.
pub(crate) fn script_halves(text: &str) -> Option<(String, String)> {
    if script(text) != Script::Mixed {
        return None;
    }
    let mut latin: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match script(word) {
            Script::Other => other.push(word.to_owned()),
            Script::Mixed => {
                // `Egotistic(너나`: split inside the word where the script changes.
                let (o, l): (String, String) = word
                    .chars()
                    .partition(|c| c.is_alphabetic() && !is_latin_letter(*c));
                latin.push(l);
                other.push(o);
            }
            Script::Latin if word.chars().any(char::is_alphabetic) => latin.push(word.to_owned()),
            Script::Latin => {}
        }
    }
    Some((latin.join(" "), other.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_diacritics_and_punctuation_fold_away() {
        assert_eq!(fold("Róisín Murphy"), "roisin murphy");
        assert_eq!(fold("Nanã"), fold("Nanä"));
        assert_eq!(fold("Where Is The Love?"), "where is the love");
        assert_eq!(fold("Here We Go… Again"), "here we go again");
        assert_eq!(fold("ÉTÉ"), "ete");
    }

    #[test]
    fn ampersand_plus_and_and_are_one_word() {
        assert_eq!(fold("Fitz & The Tantrums"), fold("Fitz and the Tantrums"));
        assert_eq!(
            fold("Florence + the Machine"),
            fold("Florence and the Machine")
        );
        assert_eq!(fold("Rock 'n' Roll"), "rock and roll");
    }

    #[test]
    fn acronyms_dollar_signs_and_apostrophes() {
        assert_eq!(compact(&fold("J.I.D")), compact(&fold("JID")));
        assert_eq!(fold("Party in the U.S.A."), "party in the usa");
        assert_eq!(fold("Ke$ha"), "kesha");
        assert_eq!(fold("P!nk"), "pink");
        assert_eq!(fold("Hey!"), "hey");
        assert_eq!(fold("Don’t"), fold("Don't"));
        assert_eq!(fold("Don't"), "dont");
        assert_eq!(compact(&fold("JAY-Z")), compact(&fold("JAY Z")));
    }

    #[test]
    fn dropped_g_and_texting_spellings() {
        assert_eq!(
            fold("Livin’ Underwater (Is Somethin' Wild)"),
            "living underwater is something wild"
        );
        assert_eq!(fold("Don't U Wait"), fold("Don't You Wait"));
        // a short word keeps its apostrophe rule off: "in'" alone is not "ing"
        assert_eq!(fold("Lovin' Is Easy"), "loving is easy");
    }

    #[test]
    fn part_numbers_unify() {
        assert_eq!(fold("The Birds, Pt. II"), fold("The Birds Part 2"));
        assert_ne!(fold("Part 1"), fold("Part 2"));
        // a lone "I" elsewhere is a word, not a number
        assert_eq!(fold("I Feel It"), "i feel it");
    }

    #[test]
    fn non_latin_scripts_transliterate() {
        assert_eq!(compact(&fold("ないない")), "nainai");
        assert_eq!(fold("Наташа"), "natasha");
        assert_eq!(fold("百花"), "bai hua");
        assert_eq!(fold("ＴＯＫＹＯ"), "tokyo"); // full-width letters via NFKC
    }

    #[test]
    fn stylised_look_alike_letters_read_as_latin() {
        assert_eq!(fold("BLΛƆKPIИK"), "blackpink");
        assert_eq!(fold("LOOΠΔ"), "loona");
        // real Greek and Cyrillic words are transliterated, not restyled
        assert_eq!(fold("Λάμπρος"), "lambros"); // modern Greek: μπ is b
        assert_eq!(fold("Пиано"), "piano");
    }

    #[test]
    fn scripts_are_detected_and_split() {
        assert_eq!(script("Red Flavor"), Script::Latin);
        assert_eq!(script("빨간 맛"), Script::Other);
        assert_eq!(script("Déjà vu"), Script::Latin);
        let (latin, other) = script_halves("7월 7일 One Of These Nights").unwrap();
        assert_eq!(latin, "One Of These Nights");
        assert_eq!(other, "7월 7일");
        assert!(script_halves("Only Latin").is_none());
    }
}
