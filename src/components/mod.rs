//! Components shared by several pages.

pub mod export_menu;
pub mod topic_picker;
pub mod topic_picture;
