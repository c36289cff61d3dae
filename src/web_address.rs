//! What a participant types as a web address, made into one the core accepts: "itu.int"
//! gains `https://`, and the browser's URL parser writes an internationalised host in its
//! ASCII (`xn--`) form, the only one the core's validation reads.

/// The completed address, or the text unchanged when the browser cannot read it either (the
/// core then says what is wrong).
pub fn complete_web_address(typed: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        return String::new();
    }
    let with_scheme = if typed.contains("://") {
        typed.to_owned()
    } else {
        format!("https://{typed}")
    };
    match web_sys::Url::new(&with_scheme) {
        Ok(url)
            if matches!(url.protocol().as_str(), "http:" | "https:") && !url.host().is_empty() =>
        {
            url.href()
        }
        _ => typed.to_owned(),
    }
}
