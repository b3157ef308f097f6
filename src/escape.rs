//! Escaping and cleaning for every place content reaches: text without the
//! control characters HTML and XML forbid, XML text and attributes, and JSON
//! that is safe inside HTML. Headlines with `<script>`, quotes and
//! ampersands are ordinary news; they must reach readers as text.

use std::borrow::Cow;

/// True for a character that must not reach a page or a feed: C0 controls
/// other than tab, newline and carriage return; DEL and the C1 controls; and
/// Unicode noncharacters. HTML calls them parse errors and XML 1.0 forbids
/// most of them.
pub fn is_forbidden_control(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{fdd0}'..='\u{fdef}' => true,
        c => (c as u32) & 0xfffe == 0xfffe,
    }
}

/// Text without [forbidden control characters](is_forbidden_control);
/// borrowed when there are none, as almost always.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if may_hold_controls(text) && text.chars().any(is_forbidden_control) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden_control(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// False when no byte of the text can start a forbidden or XML-disallowed
/// character: the bytes of C0 controls and DEL, and the lead bytes of the
/// C1 controls (`C2`), of surrogates (`ED`), of the noncharacters and
/// `U+FFFE`/`U+FFFF` (`EF`) and of the planes beyond (`F0`–`F4`). A byte
/// test, because every body of every build is checked.
fn may_hold_controls(text: &str) -> bool {
    // Without branches, so that the compiler tests many bytes at once.
    let suspect = |b: u8| {
        (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xed)
            | (b == 0xef)
            | (b.wrapping_sub(0xf0) < 5)
    };
    let mut chunks = text.as_bytes().chunks_exact(64);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |found, &b| found | suspect(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| suspect(b))
}

/// Removes forbidden control characters in place; true when there were some.
pub fn remove_controls(text: &mut String) -> bool {
    match without_controls(text) {
        Cow::Borrowed(_) => false,
        Cow::Owned(clean) => {
            *text = clean;
            true
        }
    }
}

/// Removes characters XML 1.0 does not allow (most control characters),
/// which would make a feed unreadable.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if !may_hold_controls(text) || text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_escaped(&mut out, text);
    out
}

/// Appends text escaped for XML character data and attribute values.
pub fn push_xml_escaped(out: &mut String, text: &str) {
    let safe = xml_safe(text);
    if !safe.contains(['&', '<', '>', '"', '\'']) {
        out.push_str(&safe);
        return;
    }
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026` (and
/// the JavaScript line terminators escaped), as Go's and Hugo's encoders do:
/// still the same JSON to every parser, and it cannot end a `<script>`
/// element or open a comment when put in HTML.
pub fn html_safe_json(json: &str) -> String {
    let bytes = json.as_bytes();
    // Most JSON has none of them: one fast scan, then a copy.
    let line_separators = || {
        memchr::memmem::find(bytes, "\u{2028}".as_bytes()).is_some()
            || memchr::memmem::find(bytes, "\u{2029}".as_bytes()).is_some()
    };
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() && !line_separators() {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let (escaped, width) = match bytes[i] {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA8]) => ("\\u2028", 3),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA9]) => ("\\u2029", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&json[copied..i]);
        out.push_str(escaped);
        i += width;
        copied = i;
    }
    out.push_str(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_forbidden_character_is_caught_by_the_byte_test() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let xml_allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
            if is_forbidden_control(c) || !xml_allowed {
                assert!(may_hold_controls(c.encode_utf8(&mut [0; 4])), "{c:?}");
            }
        }
    }

    #[test]
    fn the_byte_test_finds_controls_anywhere_in_long_texts() {
        let clean = "Harbour council votes, 12–3, on the ferry budget.\n".repeat(5);
        assert!(!may_hold_controls(&clean));
        for bad in [
            '\u{0}',
            '\u{7}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{fffe}',
            '\u{1ffff}',
        ] {
            for at in (0..clean.len()).filter(|&i| clean.is_char_boundary(i)) {
                let mut text = clean.clone();
                text.insert(at, bad);
                assert!(may_hold_controls(&text), "{bad:?} at {at}");
            }
        }
    }

    #[test]
    fn controls_are_removed_but_not_whitespace() {
        assert_eq!(without_controls("a\u{7}b\u{1b}c\u{b}d\u{0}e"), "abcde");
        assert_eq!(without_controls("tab\tnew\nline\r\n"), "tab\tnew\nline\r\n");
        assert_eq!(
            without_controls("C1\u{85}\u{9f} and \u{fffe}\u{1ffff}"),
            "C1 and "
        );
        assert!(matches!(
            without_controls("fine ✓ Ελλάδα"),
            Cow::Borrowed(_)
        ));
        let mut text = String::from("x\u{c}y");
        assert!(remove_controls(&mut text));
        assert_eq!(text, "xy");
        assert!(!remove_controls(&mut text));
    }

    #[test]
    fn xml_escapes_and_strips() {
        assert_eq!(xml_escape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&apos;");
        assert_eq!(xml_escape("a\u{0}b\u{c}c\td"), "abc\td");
        assert!(matches!(xml_safe("fine ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_in_html_cannot_close_the_element() {
        let json =
            serde_json::json!({"headline": "</script><script>alert(1)</script> & <!-- more"})
                .to_string();
        let safe = html_safe_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["headline"],
            "</script><script>alert(1)</script> & <!-- more"
        );
    }

    #[test]
    fn line_separators_are_escaped_and_plain_json_is_copied() {
        let json = serde_json::json!({"a": "x\u{2028}y\u{2029}z “q” é"}).to_string();
        let safe = html_safe_json(&json);
        assert!(safe.contains("x\\u2028y\\u2029z “q” é"), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["a"], "x\u{2028}y\u{2029}z “q” é");
        assert_eq!(html_safe_json("{\"a\":\"plain\"}"), "{\"a\":\"plain\"}");
    }
}
