//! Components shared by several pages.

pub mod export_menu;
pub mod new_version;
pub mod topic_picker;
pub mod topic_picture;
