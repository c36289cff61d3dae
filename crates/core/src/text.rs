//! Text folding for search: "Cybersanté", "CYBERSANTE" and "cybersante" are the same words.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips diacritics (NFD, then drop combining marks), and turns the French
/// ligatures into their letters so that "oeuvre" finds "œuvre".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// The words of a query, folded; punctuation separates words.
pub fn folded_words(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("Cybersanté"), "cybersante");
        assert_eq!(fold("ÉLÈVE Œuvre"), "eleve oeuvre");
        assert_eq!(folded_words("  e-santé, TIC!"), vec!["e", "sante", "tic"]);
    }
}
