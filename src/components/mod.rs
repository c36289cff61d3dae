//! Components shared by several pages.

pub mod chart;
pub mod export_menu;
pub mod later;
pub mod new_version;
pub mod topic_picker;
pub mod topic_picture;
pub mod view_charts;

/// A class attribute: `base`, then each name whose flag is on ("disc hue-3 empty new"). Written
/// whole by one closure, where a `class:` per flag would be one reactive part each.
pub fn class_list(base: String, flags: &[(bool, &str)]) -> String {
    flags
        .iter()
        .filter(|(on, _)| *on)
        .fold(base, |class, (_, name)| class + " " + name)
}
