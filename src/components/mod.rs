//! Components shared by several pages.

pub mod topic_picker;
