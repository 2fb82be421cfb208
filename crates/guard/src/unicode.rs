//! Invisible and bidirectional characters: stripped before screening and
//! before any untrusted text reaches a prompt, because they hide
//! instructions from the human reader ("Trojan Source", ASCII smuggling
//! with Unicode tag characters) while the model still reads them.

/// Characters that render as nothing or reorder text.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{061C}'                    // Arabic letter mark
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'       // bidi isolates
        | '\u{206A}'..='\u{206F}'       // deprecated format characters
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{FEFF}'                    // BOM / zero-width no-break space
        | '\u{E0000}'..='\u{E007F}'     // tag characters (ASCII smuggling)
        | '\u{E0100}'..='\u{E01EF}'     // variation selectors supplement
    )
}

/// Text without hidden characters, and how many were removed.
pub fn strip_hidden(s: &str) -> (String, usize) {
    if s.is_ascii() {
        return (s.to_string(), 0);
    }
    let mut removed = 0;
    let out: String = s
        .chars()
        .filter(|&c| {
            let h = is_hidden(c);
            removed += h as usize;
            !h
        })
        .collect();
    (out, removed)
}

/// Text smuggled in Unicode tag characters (U+E0020–U+E007E mirror ASCII).
pub fn tag_payload(s: &str) -> Option<String> {
    let hidden: String = s
        .chars()
        .filter_map(|c| {
            let v = c as u32;
            (0xE0020..=0xE007E)
                .contains(&v)
                .then(|| char::from_u32(v - 0xE0000).unwrap_or(' '))
        })
        .collect();
    (!hidden.trim().is_empty()).then_some(hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_zero_width_bidi_and_tags() {
        let s = "ig\u{200B}nore\u{202E} previous\u{FEFF}";
        assert_eq!(strip_hidden(s), ("ignore previous".to_string(), 3));
        let smuggled: String = "hi "
            .chars()
            .chain(
                "ignore all"
                    .chars()
                    .map(|c| char::from_u32(c as u32 + 0xE0000).unwrap()),
            )
            .collect();
        assert_eq!(tag_payload(&smuggled).as_deref(), Some("ignore all"));
        assert_eq!(strip_hidden(&smuggled).0, "hi ");
        assert_eq!(tag_payload("plain"), None);
    }
}
