//! Words as the search index knows them: the text folded (case, accents,
//! compatibility forms) and cut into words, with scripts written without
//! spaces cut into overlapping pairs of characters.
//!
//! The browser cuts the reader's query with the same rules
//! (`tokens` in `src/theme/static/search.js`); `tests/search.rs` runs both
//! on the same strings and compares.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest word indexed, in bytes: longer runs are hashes, URLs without
/// their punctuation, or noise.
pub const MAX_WORD_BYTES: usize = 48;

/// Calls `emit` with every word of `text`, folded, in order.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str)) {
    let mut folded = String::new();
    let mut word = String::new();
    // Most news text is ASCII: those stretches need no normalization.
    let mut rest = text;
    while !rest.is_empty() {
        let ascii_end = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(ascii_end);
        // The word at the edge may go on in the non-ASCII part: fold the
        // ASCII part up to its last separator alone.
        let cut = if tail.is_empty() {
            ascii.len()
        } else {
            ascii
                .bytes()
                .rposition(|b| !b.is_ascii_alphanumeric() && b != b'\'')
                .map_or(0, |p| p + 1)
        };
        words_of_folded_ascii(&ascii[..cut], &mut word, &mut emit);
        let other_end = tail
            .find(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric() && c != '\'')
            .unwrap_or(tail.len());
        let mixed = &rest[cut..ascii_end + other_end];
        if !mixed.is_empty() {
            folded.clear();
            fold_into(mixed, &mut folded);
            words_of_folded(&folded, &mut word, &mut emit);
        }
        rest = &rest[ascii_end + other_end..];
    }
}

/// True for the apostrophes that join a word (`don't`, `O’Brien`).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// True for a character that is part of a word.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)
}

/// True for scripts written without spaces between words: Han, kana,
/// Thai, Lao, Khmer, Myanmar. Their words are indexed as pairs of
/// characters.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF // Han
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F // half-width Katakana
        | 0x20000..=0x3FFFF)
}

/// Folds text as the index does: compatibility forms to their plain
/// letters (`ﬁ`, full-width Latin), accents of Latin, Greek and Cyrillic
/// letters removed, lower case, and a few letters that do not decompose
/// spelled as their base (`ß` → `ss`).
pub fn fold_into(text: &str, out: &mut String) {
    let stripped = text
        .nfkd()
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .flat_map(char::to_lowercase);
    for c in stripped.nfc() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            c => out.push(c),
        }
    }
}

/// The words of ASCII text: runs of letters and digits, apostrophes
/// inside them dropped.
fn words_of_folded_ascii(text: &str, word: &mut String, emit: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // Most words are in lower case already: they are emitted as they
        // are, without a copy.
        let start = i;
        let mut plain = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                plain &= !b.is_ascii_uppercase();
            } else if b == b'\'' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
                plain = false;
            } else {
                break;
            }
            i += 1;
        }
        let found = &text[start..i];
        let found = if plain {
            found
        } else {
            word.clear();
            word.extend(
                found
                    .bytes()
                    .filter(|&b| b != b'\'')
                    .map(|b| b.to_ascii_lowercase() as char),
            );
            word.as_str()
        };
        if found.len() <= MAX_WORD_BYTES {
            emit(found);
        }
    }
}

/// The words of folded text (see [`fold_into`]).
fn words_of_folded(text: &str, word: &mut String, emit: &mut impl FnMut(&str)) {
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if !is_word_char(c) {
            chars.next();
            continue;
        }
        word.clear();
        while let Some(&c) = chars.peek() {
            if is_word_char(c) {
                word.push(c);
            } else if is_apostrophe(c) {
                let mut ahead = chars.clone();
                ahead.next();
                if !ahead.peek().copied().is_some_and(is_word_char) {
                    break;
                }
            } else {
                break;
            }
            chars.next();
        }
        emit_word(word, emit);
    }
}

/// Emits a word, cutting the stretches of unspaced scripts in it into
/// overlapping pairs of characters (a stretch of one stays one).
fn emit_word(word: &str, emit: &mut impl FnMut(&str)) {
    if !word.chars().any(is_unspaced) {
        if word.len() <= MAX_WORD_BYTES {
            emit(word);
        }
        return;
    }
    let mut plain_start: Option<usize> = None;
    let mut run: Vec<usize> = Vec::new();
    let ends = word
        .char_indices()
        .map(|(at, c)| (at, Some(c)))
        .chain(std::iter::once((word.len(), None)));
    for (at, c) in ends {
        if c.is_some_and(is_unspaced) {
            if let Some(start) = plain_start.take()
                && at - start <= MAX_WORD_BYTES
            {
                emit(&word[start..at]);
            }
            run.push(at);
            continue;
        }
        match run.len() {
            0 => {}
            1 => emit(&word[run[0]..at]),
            n => {
                for k in 0..n - 1 {
                    let end = run.get(k + 2).copied().unwrap_or(at);
                    emit(&word[run[k]..end]);
                }
            }
        }
        run.clear();
        match c {
            Some(_) => {
                plain_start.get_or_insert(at);
            }
            None => {
                if let Some(start) = plain_start.take()
                    && at - start <= MAX_WORD_BYTES
                {
                    emit(&word[start..at]);
                }
            }
        }
    }
}

/// Folds a whole string (for names and filters).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Every word of `text`, folded (for tests and short strings).
pub fn words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for_each_word(text, |w| found.push(w.to_string()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(words("São Paulo's MAYOR"), ["sao", "paulos", "mayor"]);
        assert_eq!(words("Ærø Straße Łódź"), ["aero", "strasse", "lodz"]);
        assert_eq!(words("ﬁnance ＡＢＣ"), ["finance", "abc"]);
        assert_eq!(words("don’t stop"), ["dont", "stop"]);
        assert_eq!(words("ΟΔΥΣΣΕΥΣ"), ["οδυσσευσ"]);
    }

    #[test]
    fn ascii_and_folded_paths_agree_at_their_edge() {
        assert_eq!(words("naïve"), ["naive"]);
        assert_eq!(words("café-bar"), ["cafe", "bar"]);
        assert_eq!(words("x café"), ["x", "cafe"]);
        assert_eq!(words("O'Brien’s"), ["obriens"]);
        assert_eq!(words("rock'n'roll 'quoted'"), ["rocknroll", "quoted"]);
    }

    #[test]
    fn unspaced_scripts_are_cut_into_pairs() {
        assert_eq!(words("東京都"), ["東京", "京都"]);
        assert_eq!(words("東"), ["東"]);
        assert_eq!(
            words("iPhone東京タワー"),
            ["iphone", "東京", "京タ", "タワ", "ワー"]
        );
    }

    #[test]
    fn long_runs_are_not_words() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(words(&format!("{long} ok")), ["ok"]);
    }
}
