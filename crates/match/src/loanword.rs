//! Katakana loanwords read against the spelling they came from
//! (`ポリリズム` / `Polyrhythm`, `シンクロニシティ` / `Synchronicity`,
//! `ドライフラワー` / `Dry Flower`).
//!
//! Katakana writes a foreign word as Japanese syllables: every consonant
//! gets a vowel (`rhythm` = `ri-zu-mu`, `chro` = `ku-ro`), `l` becomes `r`,
//! `v` becomes `b`, `th` becomes `s`/`z`, an English `er` becomes a long
//! vowel (`flower` = `furawaa`), doubled consonants mark a short vowel
//! (`lilac` = `rairakku`). The romanised katakana is aligned with the
//! English letters by a small dynamic programme: consonants must pair up in
//! order through those sound classes, a run of vowels pairs with a run of
//! vowels (English vowel letters say little about the sound), a vowel the
//! katakana added after a consonant pairs with nothing, and silent English
//! letters (final `e`, `gh`, `h` after a consonant, `r` after a vowel)
//! pair with nothing. Only the consonants carry the evidence, so a fit is
//! partial evidence, as before.
//!
//! Hangul writes loanwords the same way (`러브` = `love`, `파티` = `party`,
//! `라일락` = `lilac`, `에잇` = `eight`), with its own habits: the added
//! vowel is `ㅡ` (`eu`, after `t` and `d` too: `트` = `teu`), `f` and `ph`
//! become `ㅍ` (`p`), `z` becomes `ㅈ` (`j`), `sh` becomes `ㅅ` (`s`),
//! English `u` in `cup`, `o` in `love` and `er` become `ㅓ` (`eo`), and a
//! final `ㅅ` sounds `t`. [`hangul_romaji`] spells Hangul letter by letter in
//! the katakana romaji's terms (`ㅓ` as `a`, `ㅡ` as `u`, finals as they
//! sound), and [`fits`] aligns it with those habits added.

/// The script a loanword was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    Katakana,
    Hangul,
}

/// Whether `romaji` (katakana in Hepburn or Hangul by [`hangul_romaji`], any
/// case) can be a transcription of `latin` (a folded Latin title, words
/// separated by spaces).
pub(crate) fn fits(romaji: &str, latin: &str, script: Script) -> bool {
    let r: Vec<u8> = romaji
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let words = Letters::new(latin);
    let (n, m) = (r.len(), words.letters.len());
    // A cheap gate: katakana adds about one vowel per consonant and drops
    // only silent letters.
    if n < 3 || m < 3 || n > 3 * m + 4 || m > 2 * n + 2 {
        return false;
    }
    // Most Hangul titles are Korean words, and a short one fits some
    // English word by chance (`바다` / `Body`, `나비` / `Navy`, `봄` /
    // `Boom`): a Hangul reading needs five letters or more.
    if script == Script::Hangul && n < 5 {
        return false;
    }
    let width = m + 1;
    let mut reach = vec![false; (n + 1) * width];
    reach[0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i * width + j] {
                continue;
            }
            if i == n && j == m {
                return true;
            }
            let mut mark = |i2: usize, j2: usize| reach[i2 * width + j2] = true;
            steps(&r, i, &words, j, script, &mut mark);
        }
    }
    false
}

/// The English letters with what the rules need to know about each.
struct Letters {
    letters: Vec<u8>,
    /// The letter ends its word.
    word_end: Vec<bool>,
    /// The letter starts its word.
    word_start: Vec<bool>,
}

impl Letters {
    fn new(latin: &str) -> Letters {
        let mut letters = Vec::new();
        let mut word_end = Vec::new();
        let mut word_start = Vec::new();
        for word in latin.split(|c: char| !c.is_ascii_alphabetic()) {
            let bytes: Vec<u8> = word.bytes().map(|b| b.to_ascii_lowercase()).collect();
            for (k, b) in bytes.iter().enumerate() {
                letters.push(*b);
                word_start.push(k == 0);
                word_end.push(k + 1 == bytes.len());
            }
        }
        Letters {
            letters,
            word_end,
            word_start,
        }
    }

    fn get(&self, j: usize) -> Option<u8> {
        self.letters.get(j).copied()
    }

    /// Whether the letter at `j` sounds as a vowel: `y` and `w` do after
    /// a vowel or (for `y`) before a consonant (`dry`, `flow`, `lyric`).
    fn is_vowel(&self, j: usize) -> bool {
        let Some(b) = self.get(j) else {
            return false;
        };
        let next_vowel = !self.word_end[j] && self.get(j + 1).is_some_and(plain_vowel);
        let after_vowel = !self.word_start[j] && j > 0 && plain_vowel(self.letters[j - 1]);
        match b {
            b'a' | b'e' | b'i' | b'o' | b'u' => true,
            b'y' => !(self.word_start[j] && next_vowel),
            b'w' => after_vowel && !next_vowel,
            _ => false,
        }
    }

    /// The same letter again inside the word.
    fn doubled(&self, j: usize) -> bool {
        !self.word_end[j] && self.get(j + 1) == self.get(j)
    }

    fn starts_with(&self, j: usize, s: &[u8]) -> bool {
        // A grapheme does not run across words.
        self.letters.len() >= j + s.len()
            && self.letters[j..j + s.len()] == *s
            && !self.word_end[j..j + s.len() - 1].iter().any(|e| *e)
    }
}

/// Whether katakana (or Hangul) adds `vowel` after the consonant `before`.
fn epenthetic(before: u8, vowel: Option<u8>, script: Script) -> bool {
    match (before, vowel) {
        // Hangul adds `ㅡ` after `t` and `d` as after the rest.
        (b't' | b'd', Some(b'u')) if script == Script::Hangul => true,
        (b't' | b'd', Some(v)) => v == b'o',
        (b'h' | b'j', Some(v)) => v == b'i' || v == b'u',
        (b'n' | b'y', _) => false,
        (_, Some(v)) => v == b'u',
        (_, None) => false,
    }
}

/// Whether an English vowel letter can open a katakana vowel run starting
/// with `kana` (`lilac` = `rai-`, `love` = `ra-`, `bird` = `baa-`, `cake` =
/// `kee-`, `new` = `nyuu`).
fn vowel_read_as(english: u8, kana: u8) -> bool {
    let sounds: &[u8] = match english {
        b'a' => b"aeo",
        b'e' => b"eiau",
        b'i' | b'y' => b"iae",
        b'o' => b"oau",
        b'u' => b"uai",
        b'w' => b"ou",
        _ => b"",
    };
    sounds.contains(&kana)
}

fn plain_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Every way the alignment can advance from romaji `i`, English `j`.
fn steps(
    r: &[u8],
    i: usize,
    e: &Letters,
    j: usize,
    script: Script,
    mark: &mut impl FnMut(usize, usize),
) {
    let rv = |k: usize| r.get(k).copied().is_some_and(plain_vowel);
    let rc = |k: usize| r.get(k).is_some_and(|b| !plain_vowel(*b));
    // Vowel runs pair with vowel runs whose first sounds are ones the
    // English letter is read as (`i` as `i`/`ai`, `o` as `o`/`a`/`u` …).
    if rv(i) && e.is_vowel(j) && vowel_read_as(e.letters[j], r[i]) {
        let mut a = i;
        while rv(a) {
            a += 1;
            let mut b = j;
            while e.is_vowel(b) {
                b += 1;
                mark(a, b);
                if e.word_end[b - 1] {
                    break;
                }
            }
        }
    }
    // A vowel katakana adds after a consonant (`ri-zu-mu`), where the
    // English word has none: `o` after `t` and `d`, `i` or `u` after `sh`,
    // `ch` and `j`, `u` after the rest.
    if i > 0 && rc(i - 1) && !e.is_vowel(j) && epenthetic(r[i - 1], r.get(i).copied(), script) {
        mark(i + 1, j);
    }
    // `n` before a consonant or at the end is a syllable of its own;
    // `y` after a consonant softens it (`kyu`).
    if r.get(i) == Some(&b'y') && i > 0 && rc(i - 1) {
        mark(i + 1, j);
    }
    // A doubled consonant (`rakku`, `tchi`) is written once in English.
    if rc(i)
        && r[i] != b'n'
        && (r.get(i + 1) == Some(&r[i]) || r[i] == b't' && r.get(i + 1) == Some(&b'c'))
    {
        mark(i + 1, j);
    }
    let Some(letter) = e.get(j) else {
        return;
    };
    // Letters English writes but does not sound.
    let after_consonant = j > 0 && !e.word_start[j] && !e.is_vowel(j - 1);
    let silent = match letter {
        b'e' => {
            !e.is_vowel(j + 1) && (e.word_end[j] || j > 0 && !e.word_start[j] && after_consonant)
        }
        b'h' => after_consonant,
        b'r' => j > 0 && !e.word_start[j] && e.is_vowel(j - 1) && !e.is_vowel(j + 1),
        // `christmas`, `castle`, `listen`
        b't' => {
            j > 0
                && !e.word_start[j]
                && e.letters[j - 1] == b's'
                && !e.word_end[j]
                && matches!(e.get(j + 1), Some(b'm' | b'l' | b'n'))
        }
        _ => false,
    };
    if silent {
        mark(i, j + 1);
    }
    if e.doubled(j) && !plain_vowel(letter) {
        mark(i, j + 1);
    }
    if e.is_vowel(j) {
        return;
    }
    for (grapheme, sounds) in consonants(e, j, script) {
        for sound in sounds {
            if r[i.min(r.len())..].starts_with(sound.as_bytes()) {
                mark(i + sound.len(), j + grapheme);
            }
        }
    }
}

/// English consonant spellings at `j` (their length in letters) and the
/// katakana consonants they may become.
fn consonants(e: &Letters, j: usize, script: Script) -> Vec<(usize, &'static [&'static str])> {
    let mut out: Vec<(usize, &'static [&'static str])> = Vec::new();
    const PAIRS: [(&[u8], &[&str]); 9] = [
        (b"tch", &["ch"]),
        (b"ch", &["ch", "k", "sh"]),
        (b"ck", &["k"]),
        (b"ph", &["f", "h"]),
        (b"th", &["s", "z", "t", "d"]),
        (b"sh", &["sh"]),
        (b"gh", &["", "f"]),
        (b"wh", &["w", "h", ""]),
        (b"qu", &["k", "kw"]),
    ];
    for (spelling, sounds) in PAIRS {
        if e.starts_with(j, spelling) {
            // Hangul keeps the `w` of `wh` (`white` = `화이트`, `hwa`).
            let sounds: &'static [&'static str] = match spelling {
                b"wh" if script == Script::Hangul => &["hw", "w", "h"],
                _ => sounds,
            };
            out.push((spelling.len(), sounds));
        }
    }
    // `sc` before `e`, `i`, `y` is one sound (`scene`, `scenario`).
    if e.starts_with(j, b"sc")
        && !e.word_end[j + 1]
        && matches!(e.get(j + 2), Some(b'e' | b'i' | b'y'))
    {
        out.push((2, &["s", "sh"]));
    }
    // Hangul has no `f` and no `sh` before most vowels.
    if script == Script::Hangul {
        if e.starts_with(j, b"ph") {
            out.push((2, &["p"]));
        }
        if e.starts_with(j, b"sh") {
            out.push((2, &["s"]));
        }
        if e.letters[j] == b'f' {
            out.push((1, &["p"]));
        }
    }
    let soft = !e.word_end[j]
        && e.get(j + 1)
            .is_some_and(|b| matches!(b, b'e' | b'i' | b'y'));
    let before_vowel = !e.word_end[j] && e.is_vowel(j + 1) && e.get(j + 1) == Some(b'i');
    // Hangul writes `m` and `w` as they are: a final `m` is `ㅁ`, never
    // `ㄴ` (katakana's `ン` before `b`/`p`), and `w` is never silent
    // (`Charm` is not `코인`, `Wait` is not `에잇`).
    let hangul = script == Script::Hangul;
    let single: &'static [&'static str] = match e.letters[j] {
        b'm' if hangul => &["m"],
        b'w' if hangul => &["w"],
        b'b' => &["b"],
        b'c' if soft => &["s", "sh"],
        b'c' => &["k"],
        b'd' => &["d", "j", "z"],
        b'f' => &["f", "h"],
        b'g' if soft => &["j", "g"],
        b'g' => &["g"],
        b'h' => &["h"],
        b'j' => &["j", "d"],
        b'k' => &["k"],
        b'l' => &["r"],
        b'm' => &["m", "n"],
        b'n' => &["n"],
        b'p' => &["p"],
        b'q' => &["k"],
        b'r' => &["r"],
        b's' => &["s", "z", "sh", "j"],
        // `tion` = `shon`
        b't' if before_vowel => &["t", "ch", "ts", "sh"],
        b't' => &["t", "ch", "ts"],
        b'v' => &["b", "v"],
        b'w' => &["w", ""],
        b'x' => &["kus", "kis", "ks"],
        b'y' => &["y", ""],
        b'z' => &["z", "s", "j"],
        _ => &[],
    };
    out.push((1, single));
    out
}

/// Hangul spelled letter by letter in the katakana romaji's terms, for
/// [`fits`]: `ㅓ` as `a` (the sound katakana writes `a`), `ㅡ` as `u` (the
/// added vowel), `ㅐ`/`ㅔ` as `e`, a final consonant as it sounds (`ㅅ`,
/// `ㅈ`, `ㅊ`, `ㅌ`, `ㅎ` as `t`; `ㅇ` as `ng`). `None` unless most letters
/// are Hangul syllables; other letters are left out.
pub(crate) fn hangul_romaji(text: &str) -> Option<String> {
    const INITIAL: [&str; 19] = [
        "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t",
        "p", "h",
    ];
    const MEDIAL: [&str; 21] = [
        "a", "e", "ya", "ye", "a", "e", "ya", "ye", "o", "wa", "we", "we", "yo", "u", "wa", "we",
        "wi", "yu", "u", "ui", "i",
    ];
    const FINAL: [&str; 28] = [
        "", "k", "k", "k", "n", "n", "n", "t", "r", "k", "m", "r", "r", "r", "p", "r", "m", "p",
        "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
    ];
    let (mut hangul, mut letters) = (0usize, 0usize);
    let mut out = String::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if !crate::romanize::is_hangul(c) {
            continue;
        }
        hangul += 1;
        let index = u32::from(c) - 0xAC00;
        let (initial, rest) = ((index / 588) as usize, index % 588);
        let (medial, last) = ((rest / 28) as usize, (rest % 28) as usize);
        out.push_str(INITIAL[initial]);
        out.push_str(MEDIAL[medial]);
        out.push_str(FINAL[last]);
    }
    (hangul * 2 > letters && out.len() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kana(text: &str) -> String {
        let mut out = String::new();
        crate::romanize::kana_to_romaji(text, &mut out);
        out
    }

    #[test]
    fn katakana_reads_as_the_english_spelling() {
        for (k, latin) in [
            ("ポリリズム", "polyrhythm"),
            ("シンクロニシティ", "synchronicity"),
            ("ケセラセラ", "que sera sera"),
            ("ドライフラワー", "dry flower"),
            ("ライラック", "lilac"),
            ("アイデア", "idea"),
            ("アイドル", "idol"),
            ("マリーゴールド", "marigold"),
            ("ロンリーナイトディスコティック", "lonely night discotheque"),
            ("チョコレイト・ディスコ", "chocolate disco"),
            ("レーザービーム", "laser beam"),
            ("クリスマスソング", "christmas song"),
            ("インフェルノ", "inferno"),
            ("フラミンゴ", "flamingo"),
            ("メロディー", "melody"),
            ("ギター", "guitar"),
            ("ハート", "heart"),
            ("ミュージック", "music"),
            ("ラブソング", "love song"),
        ] {
            assert!(
                fits(&kana(k), latin, Script::Katakana),
                "{k} ({}) / {latin}",
                kana(k)
            );
        }
    }

    #[test]
    fn other_words_do_not_read() {
        for (k, latin) in [
            ("マリーゴールド", "mariachi"),
            ("アイドル", "idea"),
            ("アイデア", "idol"),
            ("ポリリズム", "paradise"),
            ("ライラック", "lemon"),
            ("ドライフラワー", "dry"),
            ("ドライフラワー", "flower"),
            ("シンクロニシティ", "electricity"),
            ("フラミンゴ", "flaming"),
            // vowels must be ones the letters are read as
            ("アイデア", "odo"),
            ("アイデア", "udo"),
        ] {
            assert!(
                !fits(&kana(k), latin, Script::Katakana),
                "{k} ({}) / {latin}",
                kana(k)
            );
        }
    }

    fn hangul(text: &str) -> String {
        hangul_romaji(text).expect("Hangul")
    }

    #[test]
    fn hangul_spells_letter_by_letter() {
        assert_eq!(hangul("러브"), "rabu");
        assert_eq!(hangul("라일락"), "rairrak");
        assert_eq!(hangul("에잇"), "eit");
        assert_eq!(hangul("강남스타일"), "gangnamsutair");
        assert_eq!(hangul_romaji("Love"), None);
        assert_eq!(hangul_romaji("ラブ"), None);
    }

    #[test]
    fn hangul_loanwords_read_as_the_english_spelling() {
        for (h, latin) in [
            ("라일락", "lilac"),
            ("팔레트", "palette"),
            ("스타일", "style"),
            ("강남스타일", "gangnam style"),
            ("판타스틱 베이비", "fantastic baby"),
            ("러브 시나리오", "love scenario"),
            ("셀러브리티", "celebrity"),
            ("블루밍", "blueming"),
            ("피카부", "peek a boo"),
            ("화이트", "white"),
            ("드림스", "dreams"),
            ("러브송", "love song"),
            ("파티 타임", "party time"),
        ] {
            assert!(
                fits(&hangul(h), latin, Script::Hangul),
                "{h} ({}) / {latin}",
                hangul(h)
            );
        }
    }

    #[test]
    fn other_hangul_words_do_not_read() {
        for (h, latin) in [
            ("라일락", "celebrity"),
            ("코인", "celebrity"),
            ("라일락", "lemon"),
            ("봄날", "spring day"),
            ("밤편지", "through the night"),
            ("좋은 날", "good day"),
            ("파티", "pretty"),
            ("러브", "lobby"),
            ("팔레트", "palace"),
            ("에잇", "eighty"),
            ("에잇", "wait"),
            ("코인", "charm"),
            // short Korean words that fit an English one by chance
            ("바다", "body"),
            ("나비", "navy"),
            ("봄", "boom"),
            ("마음", "mom"),
            // and short loanwords, which need more letters to tell
            ("러브", "love"),
            ("에잇", "eight"),
        ] {
            assert!(
                !fits(&hangul(h), latin, Script::Hangul),
                "{h} ({}) / {latin}",
                hangul(h)
            );
        }
    }
}
