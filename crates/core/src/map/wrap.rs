//! Titles broken into lines for the map's blocks: SVG text does not wrap by itself.

/// `text` in lines of at most `max_chars` characters (a single longer word keeps its own line),
/// broken between words, at most `max_lines` lines; what does not fit ends the last line in "…".
pub fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > max_chars {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if max_lines > 0 && lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let kept: String = last.chars().take(max_chars.saturating_sub(1)).collect();
        *last = format!("{}…", kept.trim_end());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use proptest::prelude::*;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(wrap("Médias", 18, 4), vec!["Médias"]);
    }

    #[test]
    fn breaks_between_words() {
        assert_eq!(
            wrap("Le renforcement des capacités", 18, 4),
            vec!["Le renforcement", "des capacités"]
        );
    }

    #[test]
    fn too_long_ends_in_an_ellipsis_on_the_last_line() {
        let lines = wrap("one two three four five six seven eight", 9, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }

    proptest! {
        #[test]
        fn lines_fit_and_keep_every_word_when_there_is_room(words in proptest::collection::vec("[a-zé]{1,10}", 0..30), width in 10usize..30) {
            let text = words.join(" ");
            let lines = wrap(&text, width, 0);
            prop_assert!(lines.iter().all(|l| l.chars().count() <= width));
            prop_assert_eq!(lines.join(" "), text);
        }

        #[test]
        fn never_more_lines_than_asked(text in "[a-z ]{0,200}", width in 1usize..30, max in 1usize..5) {
            prop_assert!(wrap(&text, width, max).len() <= max);
        }
    }
}
