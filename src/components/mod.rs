//! Components shared by several pages.

pub mod chart;
pub mod export_menu;
pub mod later;
pub mod new_version;
pub mod topic_picker;
pub mod topic_picture;
pub mod view_charts;
