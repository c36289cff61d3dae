//! Text folding for search: "Cybersanté", "CYBERSANTE" and "cybersante" are the same words.

/// Each block's letters as they are written without their accents (what NFD leaves once the
/// combining marks are dropped), one `char` per code point from the block's start: Latin,
/// Greek and Cyrillic. Kept here rather than through a Unicode-tables crate because those
/// tables cost the participant's download 55 KB (brotli); the tests check every entry
/// against `unicode-normalization`.
const BASE_LETTERS: &[(u32, &str)] = &[
    (0xC0, "AAAAAAÆCEEEEIIIIÐNOOOOO×ØUUUUYÞßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþyAaAaAaCcCcCcCcDdĐđEeEeEeEeEeGgGgGgGgHhĦħIiIiIiIiIıĲĳJjKkĸLlLlLlĿŀŁłNnNnNnŉŊŋOoOoOoŒœRrRrRrSsSsSsSsTtTtŦŧUuUuUuUuUuUuWwYyYZzZzZzſƀƁƂƃƄƅƆƇƈƉƊƋƌƍƎƏƐƑƒƓƔƕƖƗƘƙƚƛƜƝƞƟOoƢƣƤƥƦƧƨƩƪƫƬƭƮUuƱƲƳƴƵƶƷƸƹƺƻƼƽƾƿǀǁǂǃǄǅǆǇǈǉǊǋǌAaIiOoUuUuUuUuUuǝAaAaÆæǤǥGgKkOoOoƷʒjǱǲǳGgǶǷNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtȜȝHhȠȡȢȣȤȥAaEeOoOoOoOoYyȴȵȶȷȸȹȺȻȼȽȾȿɀɁɂɃɄɅɆɇɈɉɊɋɌɍɎɏ"),
    (0x370, "ͰͱͲͳʹ͵Ͷͷ\u{378}\u{379}ͺͻͼͽ;Ϳ\u{380}\u{381}\u{382}\u{383}΄¨Α·ΕΗΙ\u{38b}Ο\u{38d}ΥΩιΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡ\u{3a2}ΣΤΥΦΧΨΩΙΥαεηιυαβγδεζηθικλμνξοπρςστυφχψωιυουωϏϐϑϒϒϒϕϖϗϘϙϚϛϜϝϞϟϠϡϢϣϤϥϦϧϨϩϪϫϬϭϮϯϰϱϲϳϴϵ϶ϷϸϹϺϻϼϽϾϿЕЕЂГЄЅІІЈЉЊЋКИУЏАБВГДЕЖЗИИКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзииклмнопрстуфхцчшщъыьэюяееђгєѕііјљњћкиуџѠѡѢѣѤѥѦѧѨѩѪѫѬѭѮѯѰѱѲѳѴѵѴѵѸѹѺѻѼѽѾѿҀҁ҂\u{483}\u{484}\u{485}\u{486}\u{487}\u{488}\u{489}ҊҋҌҍҎҏҐґҒғҔҕҖҗҘҙҚқҜҝҞҟҠҡҢңҤҥҦҧҨҩҪҫҬҭҮүҰұҲҳҴҵҶҷҸҹҺһҼҽҾҿӀЖжӃӄӅӆӇӈӉӊӋӌӍӎӏАаАаӔӕЕеӘәӘәЖжЗзӠӡИиИиОоӨөӨөЭэУуУуУуЧчӶӷЫыӺӻӼӽӾӿ"),
    (0x1E00, "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyẚſẜẝẞẟAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyỺỻỼỽỾỿααααααααΑΑΑΑΑΑΑΑεεεεεε\u{1f16}\u{1f17}ΕΕΕΕΕΕ\u{1f1e}\u{1f1f}ηηηηηηηηΗΗΗΗΗΗΗΗιιιιιιιιΙΙΙΙΙΙΙΙοοοοοο\u{1f46}\u{1f47}ΟΟΟΟΟΟ\u{1f4e}\u{1f4f}υυυυυυυυ\u{1f58}Υ\u{1f5a}Υ\u{1f5c}Υ\u{1f5e}ΥωωωωωωωωΩΩΩΩΩΩΩΩααεεηηιιοουυωω\u{1f7e}\u{1f7f}ααααααααΑΑΑΑΑΑΑΑηηηηηηηηΗΗΗΗΗΗΗΗωωωωωωωωΩΩΩΩΩΩΩΩααααα\u{1fb5}ααΑΑΑΑΑ᾽ι᾿῀¨ηηη\u{1fc5}ηηΕΕΗΗΗ᾿᾿᾿ιιιι\u{1fd4}\u{1fd5}ιιΙΙΙΙ\u{1fdc}῾῾῾υυυυρρυυΥΥΥΥΡ¨¨`\u{1ff0}\u{1ff1}ωωω\u{1ff5}ωωΟΟΩΩΩ´῾\u{1fff}"),
];

/// Combining diacritics, dropped when the text arrives already decomposed.
const COMBINING_MARKS: &[(u32, u32)] = &[
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
];

fn is_combining_mark(c: char) -> bool {
    let c = c as u32;
    COMBINING_MARKS
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
}

/// The letter `c` is written on, without its accent.
fn base_letter(c: char) -> char {
    let code = c as u32;
    BASE_LETTERS
        .iter()
        .find_map(|&(start, letters)| {
            let offset = code.checked_sub(start)? as usize;
            letters.chars().nth(offset)
        })
        .unwrap_or(c)
}

/// Lower-cases and strips diacritics, and turns the French ligatures into their letters so
/// that "oeuvre" finds "œuvre".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if is_combining_mark(c) {
            continue;
        }
        match base_letter(c) {
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            base => folded.extend(base.to_lowercase()),
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

    #[test]
    fn folds_decomposed_text_like_composed_text() {
        assert_eq!(fold("Cybersante\u{301}"), fold("Cybersanté"));
        assert_eq!(fold("Ёлка Ἀθῆναι"), fold("Елка Αθηναι"));
    }

    /// Every entry of the table is what NFD gives once the marks are dropped, and every range
    /// of marks holds only marks.
    #[test]
    fn the_tables_agree_with_unicode_normalization() {
        use unicode_normalization::char::is_combining_mark as unicode_mark;
        use unicode_normalization::UnicodeNormalization;
        for &(start, letters) in BASE_LETTERS {
            for (offset, base) in letters.chars().enumerate() {
                let c = char::from_u32(start + offset as u32).unwrap();
                let expected: String = c.to_string().nfd().filter(|d| !unicode_mark(*d)).collect();
                if unicode_mark(c) {
                    assert_eq!(base, c, "{c:?} is a mark and stays itself");
                } else {
                    assert_eq!(base.to_string(), expected, "{c:?} U+{:04X}", c as u32);
                }
            }
        }
        for &(first, last) in COMBINING_MARKS {
            for code in first..=last {
                if let Some(c) = char::from_u32(code) {
                    assert!(
                        unicode_mark(c) || c.to_string().nfd().count() == 1,
                        "U+{code:04X}"
                    );
                }
            }
        }
    }
}
